package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code veritysetup format} through the {@link ProcessRunner}. */
public final class DefaultVeritysetup implements Veritysetup {
    public static final String PROGRAM = "veritysetup";
    private static final Pattern ROOT_HASH = Pattern.compile("(?m)^Root hash:\\s+([0-9a-f]{64})\\s*$");
    private final ProcessRunner runner;

    public DefaultVeritysetup(ProcessRunner runner) {
        this.runner = runner;
    }

    /** Every parameter given, none left to veritysetup's defaults: the superblock is the same on every version. */
    public static List<String> formatArgv(Path data, Path hash, long dataBlocks, byte[] salt, UUID uuid) {
        return formatArgv(data, hash, dataBlocks, salt, uuid, List.of());
    }

    /**
     * {@link #formatArgv} with the hash area in the data file itself, after its first {@code dataBlocks} blocks
     * ({@code --hash-offset}).
     */
    public static List<String> formatAppendedArgv(Path image, long dataBlocks, byte[] salt, UUID uuid) {
        return formatArgv(image, image, dataBlocks, salt, uuid, List.of("--hash-offset=" + dataBlocks * 4096));
    }

    private static List<String> formatArgv(Path data, Path hash, long dataBlocks, byte[] salt, UUID uuid,
            List<String> more) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "format", "--format=1", "--hash=sha256",
                "--data-block-size=4096", "--hash-block-size=4096", "--data-blocks=" + dataBlocks,
                "--salt=" + HexFormat.of().formatHex(salt), "--uuid=" + uuid));
        argv.addAll(more);
        argv.add(data.toString());
        argv.add(hash.toString());
        return List.copyOf(argv);
    }

    @Override
    public String format(Path data, Path hash, long dataBlocks, byte[] salt, UUID uuid)
            throws OperationFailedException {
        return rootHash(data, runner.run(Command.of(formatArgv(data, hash, dataBlocks, salt, uuid))));
    }

    @Override
    public String formatAppended(Path image, long dataBlocks, byte[] salt, UUID uuid)
            throws OperationFailedException {
        return rootHash(image, runner.run(Command.of(formatAppendedArgv(image, dataBlocks, salt, uuid))));
    }

    private static String rootHash(Path data, ProcessResult r) throws OperationFailedException {
        Matcher m = ROOT_HASH.matcher(r.stdout());
        if (!r.succeeded() || !m.find()) {
            String err = r.stderr().strip();
            throw new OperationFailedException("veritysetup format of " + data + " failed: "
                    + (err.isEmpty() ? "exit " + r.exitCode() + ", no root hash" : err.lines().findFirst().orElse(""))
                    + "; check that cryptsetup-bin works here");
        }
        return m.group(1);
    }
}
