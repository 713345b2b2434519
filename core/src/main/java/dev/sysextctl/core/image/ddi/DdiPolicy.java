package dev.sysextctl.core.image.ddi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.tools.Openssl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether an image policy admits an image, and why not (docs/ddi.md §6). The image's protection is what systemd
 * would find: {@code signed} (verity with a signature by a trusted certificate), {@code verity} (a verity
 * partition; also a signature no trusted certificate vouches for), {@code unprotected} (a DDI without verity, or a
 * bare squashfs/erofs image, which systemd treats as an unprotected root partition). A DDI whose verity data does
 * not match its data is refused whatever the policy: systemd would fail reading it.
 */
public final class DdiPolicy {
    /** The directories systemd takes trusted verity certificates from, relative to the root. */
    public static final List<String> CERTIFICATE_DIRS = List.of("etc/verity.d", "run/verity.d",
            "usr/local/lib/verity.d", "usr/lib/verity.d");

    /**
     * The decision.
     *
     * @param admitted whether the policy admits the image
     * @param rule {@code image-policy} (refused or admitted by the policy) or {@code verity-mismatch} (tampered)
     * @param protection {@code signed}, {@code verity}, {@code unprotected}
     * @param reason one line: why it is admitted or refused, and what to do
     */
    @JsonPropertyOrder({"admitted", "rule", "protection", "reason"})
    public record Verdict(boolean admitted, String rule, String protection, String reason) {
    }

    public static final String RULE_POLICY = "image-policy";
    public static final String RULE_TAMPERED = "verity-mismatch";

    private final Openssl openssl;

    public DdiPolicy(Openssl openssl) {
        this.openssl = openssl;
    }

    /** Decides for {@code image} (of {@code format}) under {@code policy}, trusting the certificates in {@code dirs}. */
    public Verdict assess(Path image, ImageFormat format, ImagePolicy policy, List<Path> dirs)
            throws OperationFailedException {
        if (format != ImageFormat.GPT) {
            return decide(policy, "root", "unprotected", "a bare " + format.jsonName() + " image, which systemd "
                    + "treats as an unprotected root partition", "usr");
        }
        DdiImage ddi = DdiImage.open(image);
        String protection = "unprotected";
        String why = "it has no verity partition";
        if (ddi.verity().isPresent()) {
            java.util.Optional<String> tampered = ddi.verify();
            if (tampered.isPresent()) {
                return new Verdict(false, RULE_TAMPERED, "verity", image.getFileName() + ": " + tampered.get()
                        + "; rebuild the image or fetch it again");
            }
            protection = "verity";
            why = "unsigned";
            if (ddi.signatureDefect().isPresent()) {
                why = "its signature partition is unusable (" + ddi.signatureDefect().get() + ")";
            } else if (ddi.signature().isPresent()) {
                VeritySignature sig = ddi.signature().get();
                List<Path> certs = certificates(dirs);
                Path signer = signer(sig, certs);
                if (signer != null) {
                    protection = "signed";
                    why = "signed by the trusted certificate " + signer;
                } else {
                    why = "signed by an unknown key (certificate sha256 "
                            + (sig.certificateFingerprint().isEmpty() ? "not named" : sig.certificateFingerprint())
                            + "; none of the " + certs.size() + " trusted certificate" + (certs.size() == 1 ? "" : "s")
                            + " in " + describe(dirs) + " verifies its signature)";
                }
            }
        }
        String other = ddi.designator().equals("root") ? "usr" : "root";
        return decide(policy, ddi.designator(), protection, why, other);
    }

    private static Verdict decide(ImagePolicy policy, String designator, String protection, String why,
            String other) {
        ImagePolicy.Flag flag = ImagePolicy.Flag.valueOf(protection.toUpperCase(Locale.ROOT));
        if (!policy.flags(designator).contains(flag)) {
            String fix = flag == ImagePolicy.Flag.SIGNED ? "" : policy.flags(designator).contains(ImagePolicy.Flag.SIGNED)
                    ? "; sign it (build --format ddi --sign-key KEY --certificate CERT) with a key whose certificate "
                            + "is in the trusted directories" : "; use an image the policy allows";
            return new Verdict(false, RULE_POLICY, protection, "the policy wants " + designator + "="
                    + policy.describe(designator) + ", but the image is " + protection + ": " + why + fix);
        }
        if (!policy.flags(other).contains(ImagePolicy.Flag.ABSENT)) {
            return new Verdict(false, RULE_POLICY, protection, "the policy wants " + other + "="
                    + policy.describe(other) + ", but the image has no " + other + " partition; use a policy with "
                    + other + "=...+absent");
        }
        return new Verdict(true, RULE_POLICY, protection, "admitted as " + protection + " (" + why + ")");
    }

    /** The first trusted certificate that verifies the signature, or null. */
    private Path signer(VeritySignature sig, List<Path> certs) throws OperationFailedException {
        if (certs.isEmpty()) {
            return null;
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sysextctl-verify");
            Path content = scratch.resolve("roothash");
            Path der = scratch.resolve("roothash.p7s");
            Files.write(content, sig.rootHash().getBytes(StandardCharsets.US_ASCII));
            Files.write(der, sig.signatureDer());
            // the certificate the signature names is tried first
            List<Path> ordered = new ArrayList<>();
            for (Path c : certs) {
                if (fingerprintOf(c).equals(sig.certificateFingerprint())) {
                    ordered.add(0, c);
                } else {
                    ordered.add(c);
                }
            }
            for (Path c : ordered) {
                if (openssl.verifyDetached(der, content, c)) {
                    return c;
                }
            }
            return null;
        } catch (IOException e) {
            throw new OperationFailedException("cannot check the signature: " + AtomicFiles.describe(e)
                    + "; check that the temporary directory is writable");
        } finally {
            TreeDeletion.deleteQuietly(scratch);
        }
    }

    private static String fingerprintOf(Path cert) {
        try {
            return DdiSigner.fingerprint(cert);
        } catch (dev.sysextctl.core.error.UsageException e) {
            return "";
        }
    }

    /** The {@code *.crt} files of the directories, as systemd looks for them, sorted by name within each. */
    static List<Path> certificates(List<Path> dirs) throws OperationFailedException {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().endsWith(".crt") && Files.isRegularFile(p)).sorted()
                        .forEach(out::add);
            } catch (IOException e) {
                throw new OperationFailedException("cannot list " + d + ": " + AtomicFiles.describe(e)
                        + "; check its permissions");
            }
        }
        return out;
    }

    private static String describe(List<Path> dirs) {
        List<String> s = new ArrayList<>();
        for (Path d : dirs) {
            s.add(d.toString());
        }
        return String.join(", ", s);
    }
}
