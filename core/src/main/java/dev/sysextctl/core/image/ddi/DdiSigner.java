package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.tools.Openssl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs a root hash with a private key and its certificate through openssl: the signature partition's JSON
 * (docs/ddi.md §4).
 */
public final class DdiSigner {
    private final Openssl openssl;
    private final Path key;
    private final Path certificate;
    private final String fingerprint;

    private DdiSigner(Openssl openssl, Path key, Path certificate, String fingerprint) {
        this.openssl = openssl;
        this.key = key;
        this.certificate = certificate;
        this.fingerprint = fingerprint;
    }

    /** A signer for {@code key} and {@code certificate}; the certificate is read (and refused) here. */
    public static DdiSigner of(Openssl openssl, Path key, Path certificate) throws UsageException {
        if (!Files.isRegularFile(key)) {
            throw new UsageException("signing key " + key + " is not a file; give the PEM private key with "
                    + "--sign-key");
        }
        return new DdiSigner(openssl, key, certificate, fingerprint(certificate));
    }

    /** A signer whose certificate's fingerprint is already known (tests). */
    static DdiSigner withFingerprint(Openssl openssl, Path key, Path certificate, String fingerprint) {
        return new DdiSigner(openssl, key, certificate, fingerprint);
    }

    /** The lower-case hex SHA-256 of the certificate's DER encoding (PEM or DER file). */
    public static String fingerprint(Path certificate) throws UsageException {
        try (InputStream in = Files.newInputStream(certificate)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of().formatHex(VerityHashTree.sha256().digest(c.getEncoded()));
        } catch (IOException e) {
            throw new UsageException("cannot read the certificate " + certificate + ": " + AtomicFiles.describe(e)
                    + "; give a PEM X.509 certificate with --certificate");
        } catch (CertificateException | ClassCastException e) {
            throw new UsageException(certificate + " is not an X.509 certificate; give a PEM X.509 certificate "
                    + "with --certificate");
        }
    }

    public String fingerprint() {
        return fingerprint;
    }

    /** The signature of the root hash's hex string. */
    public VeritySignature sign(String rootHashHex) throws OperationFailedException {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sysextctl-sign");
            Path content = scratch.resolve("roothash");
            Path sig = scratch.resolve("roothash.p7s");
            Files.write(content, rootHashHex.getBytes(StandardCharsets.US_ASCII));
            openssl.signDetached(content, key, certificate, sig);
            return new VeritySignature(rootHashHex, fingerprint,
                    Base64.getEncoder().encodeToString(Files.readAllBytes(sig)));
        } catch (IOException e) {
            throw new OperationFailedException("cannot sign the root hash: " + AtomicFiles.describe(e)
                    + "; check that the temporary directory is writable");
        } finally {
            TreeDeletion.deleteQuietly(scratch);
        }
    }
}
