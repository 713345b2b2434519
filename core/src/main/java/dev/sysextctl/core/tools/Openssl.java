package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;

/** openssl: PKCS#7 detached signatures of a DDI's root hash (docs/ddi.md §4). */
public interface Openssl {
    /**
     * Signs the bytes of {@code content} with {@code key}, writing a DER PKCS#7 detached signature that carries
     * {@code certificate} and no signed attributes (so that an RSA signature is the same on every run) to
     * {@code signature}.
     */
    void signDetached(Path content, Path key, Path certificate, Path signature) throws OperationFailedException;

    /**
     * Whether the DER PKCS#7 detached {@code signature} of {@code content} was made with the key of
     * {@code certificate}, looking at that certificate only (not at the ones the signature carries).
     */
    boolean verifyDetached(Path signature, Path content, Path certificate) throws OperationFailedException;
}
