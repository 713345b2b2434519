package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;

/** {@code openssl smime} through the {@link ProcessRunner}. */
public final class DefaultOpenssl implements Openssl {
    public static final String PROGRAM = "openssl";
    private final ProcessRunner runner;

    public DefaultOpenssl(ProcessRunner runner) {
        this.runner = runner;
    }

    /** {@code openssl smime -sign}: binary content, sha256, no signed attributes, DER out. */
    public static List<String> signArgv(Path content, Path key, Path certificate, Path signature) {
        return List.of(PROGRAM, "smime", "-sign", "-binary", "-noattr", "-md", "sha256", "-in", content.toString(),
                "-inkey", key.toString(), "-signer", certificate.toString(), "-outform", "der", "-out",
                signature.toString());
    }

    /**
     * {@code openssl smime -verify}: the signer is looked up in {@code certificate} alone ({@code -nointern});
     * the certificate is trusted as given ({@code -noverify}: no chain to a CA, as systemd's verity.d holds them).
     */
    public static List<String> verifyArgv(Path signature, Path content, Path certificate) {
        return List.of(PROGRAM, "smime", "-verify", "-binary", "-inform", "der", "-in", signature.toString(),
                "-content", content.toString(), "-certfile", certificate.toString(), "-nointern", "-noverify",
                "-out", "/dev/null");
    }

    @Override
    public void signDetached(Path content, Path key, Path certificate, Path signature)
            throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(signArgv(content, key, certificate, signature)));
        if (!r.succeeded()) {
            throw new OperationFailedException("openssl could not sign with " + key + " and " + certificate + ": "
                    + lastLine(r.stderr()) + "; check that the key is an unencrypted PEM private key and the "
                    + "certificate its PEM X.509 certificate");
        }
    }

    @Override
    public boolean verifyDetached(Path signature, Path content, Path certificate) throws OperationFailedException {
        return runner.run(Command.of(verifyArgv(signature, content, certificate))).succeeded();
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 || lines[0].isEmpty() ? "no message" : lines[0].strip();
    }
}
