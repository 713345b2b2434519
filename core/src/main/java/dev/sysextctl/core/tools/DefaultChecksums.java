package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SHA-256 of files. Small files are hashed in Java; large ones by {@code openssl dgst -sha256} (which uses the
 * CPU's SHA instructions) or else {@code sha256sum}, because the launcher runs the JVM with the C1 compiler only
 * (fast start), where Java's SHA-256 is about ten times slower than openssl on an image of a few hundred MB.
 * Any failure of the native tools falls back to Java. Below {@link #SHORT_BELOW_BYTES} the digest is {@link Sha256}'s,
 * which needs none of {@link MessageDigest}'s security providers: their set-up costs an {@code inspect} of a small
 * image more than the hashing (issue 12); above it the JDK's, which C2 compiles to the CPU's SHA instructions.
 */
public final class DefaultChecksums implements Checksums {
    /** Files from this size on are hashed by a native tool. */
    public static final long NATIVE_FROM_BYTES = 16L << 20;
    /**
     * Files below this size are hashed by {@link Sha256}: with C1 (the launcher's) it hashes as fast as the JDK's, with
     * C2 about a sixth as fast, which at 1 MiB costs about what the providers' set-up saves.
     */
    public static final long SHORT_BELOW_BYTES = 1L << 20;
    private static final Pattern HEX = Pattern.compile("^([0-9a-f]{64})\\b");

    private final ProcessRunner runner;

    public DefaultChecksums(ProcessRunner runner) {
        this.runner = runner;
    }

    @Override
    public String sha256(Path file) throws OperationFailedException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        if (size >= NATIVE_FROM_BYTES) {
            for (List<String> argv : List.of(opensslArgv(file), sha256sumArgv(file))) {
                String hex = nativeDigest(argv);
                if (hex != null) {
                    return hex;
                }
            }
        }
        return size < SHORT_BELOW_BYTES ? shortDigest(file) : javaDigest(file);
    }

    /** The digest computed by {@link Sha256}. */
    static String shortDigest(Path file) throws OperationFailedException {
        try (InputStream in = Files.newInputStream(file)) {
            return Sha256.hex(in);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
    }

    private String nativeDigest(List<String> argv) {
        try {
            ProcessResult r = runner.run(Command.of(argv));
            if (r.succeeded()) {
                Matcher m = HEX.matcher(r.stdout());
                if (m.find()) {
                    return m.group(1);
                }
            }
        } catch (OperationFailedException e) {
            // not installed or not startable: the next tool, or Java
        }
        return null;
    }

    /** {@code openssl dgst -sha256 -r FILE}: prints {@code HEX *FILE}. */
    public static List<String> opensslArgv(Path file) {
        return List.of("openssl", "dgst", "-sha256", "-r", file.toString());
    }

    /** {@code sha256sum FILE}: prints {@code HEX  FILE}. */
    public static List<String> sha256sumArgv(Path file) {
        return List.of("sha256sum", "--", file.toString());
    }

    /** The digest computed by the JDK's {@link MessageDigest}. */
    public static String javaDigest(Path file) throws OperationFailedException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
