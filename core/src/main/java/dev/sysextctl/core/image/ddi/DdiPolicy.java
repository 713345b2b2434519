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
 * 257 would find, of the partitions the policy lets it use: {@code signed} (verity with a signature by a trusted
 * certificate), {@code verity} (a verity partition and a root hash: a signature no trusted certificate vouches for,
 * or a root hash given beside the image, {@link VeritySidecar}), {@code unverified} (a verity partition and no root
 * hash: verity to the policy, but mounted unverified), {@code unprotected} (a DDI without verity, one whose verity
 * the policy leaves out, or a bare squashfs/erofs image, which systemd treats as an unprotected root partition). A
 * DDI whose verity data does not match its data, or whose given root hash is not its own, is refused whatever the
 * policy.
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
     * @param protection {@code signed}, {@code verity}, {@code unverified}, {@code unprotected}
     * @param reason one line: why it is admitted or refused, and what to do
     */
    @JsonPropertyOrder({"admitted", "rule", "protection", "reason"})
    public record Verdict(boolean admitted, String rule, String protection, String reason) {
    }

    public static final String RULE_POLICY = "image-policy";
    public static final String RULE_TAMPERED = "verity-mismatch";
    /** The protection of a DDI with a verity partition and no root hash: verity to the policy, mounted unverified. */
    public static final String UNVERIFIED = "unverified";

    private final Openssl openssl;

    public DdiPolicy(Openssl openssl) {
        this.openssl = openssl;
    }

    /** Decides for {@code image} (of {@code format}) under {@code policy}, trusting the certificates in {@code dirs}. */
    public Verdict assess(Path image, ImageFormat format, ImagePolicy policy, List<Path> dirs)
            throws OperationFailedException {
        return assess(image, image, format, policy, dirs);
    }

    /**
     * The same for the image systemd opens as {@code entry} (its root hash sidecar lies beside it,
     * {@link VeritySidecar}), whose file is {@code image}.
     */
    public Verdict assess(Path entry, Path image, ImageFormat format, ImagePolicy policy, List<Path> dirs)
            throws OperationFailedException {
        if (format != ImageFormat.GPT) {
            return decide(policy, "root", "unprotected", "a bare " + format.jsonName() + " image, which systemd "
                    + "treats as an unprotected root partition", "usr");
        }
        DdiImage ddi = DdiImage.open(image);
        String d = ddi.designator();
        String other = d.equals("root") ? "usr" : "root";
        if (ddi.verity().isEmpty()) {
            return decide(policy, d, "unprotected", "it has no verity partition", other);
        }
        java.util.Optional<VeritySidecar> side = VeritySidecar.find(entry, image, d);
        String name = image.getFileName().toString();
        if (side.isPresent() && side.get().defect() != null) {
            return new Verdict(false, RULE_TAMPERED, "verity", name + ": its root hash from " + side.get().describe()
                    + " " + side.get().defect() + ", and systemd fails reading the image; fix or remove it");
        }
        String claimed = ddi.rootHash().orElseThrow();
        if (side.isPresent() && !side.get().rootHash().equals(claimed)) {
            return new Verdict(false, RULE_TAMPERED, "verity", name + ": the root hash in " + side.get().describe()
                    + " (" + side.get().rootHash() + ") is not the image's (" + claimed + "), and systemd cannot "
                    + "dissect it (\"Cannot dissect image: Invalid argument\"); give the image's root hash or remove "
                    + side.get().describe());
        }
        boolean rootHash = side.isPresent() || ddi.signature().isPresent();
        java.util.Optional<String> tampered = ddi.verify();
        if (tampered.isPresent()) {
            return new Verdict(false, RULE_TAMPERED, "verity", name + ": " + tampered.get()
                    + (rootHash ? "" : "; systemd 257 would not notice (without a root hash it mounts the data "
                            + "partition unverified), sysextctl refuses it all the same")
                    + "; rebuild the image or fetch it again");
        }
        java.util.Set<ImagePolicy.Flag> flags = policy.flags(d);
        if (side.isPresent() && !(flags.contains(ImagePolicy.Flag.SIGNED) && ddi.signature().isPresent())) {
            // a root hash given from outside keeps the verity partition in use whatever the policy (measured)
            return decide(policy, d, "verity", "unsigned, with the root hash from " + side.get().describe()
                    + (side.get().signature() == null ? "" : " (its signature " + side.get().signature().getFileName()
                            + " goes to dm-verity; it does not make the image signed to a policy)"), other);
        }
        if (!flags.contains(ImagePolicy.Flag.VERITY) && !flags.contains(ImagePolicy.Flag.SIGNED)) {
            // systemd leaves out the partitions the policy does not use ("policy dictates to ignore")
            return decide(policy, d, "unprotected", "the policy leaves verity and signed out, so systemd ignores its "
                    + "verity partitions and mounts the data partition unverified", other);
        }
        if (flags.contains(ImagePolicy.Flag.SIGNED) && (ddi.signature().isPresent()
                || ddi.signatureDefect().isPresent())) {
            if (ddi.signatureDefect().isPresent()) {
                return decide(policy, d, "verity", "its signature partition is unusable ("
                        + ddi.signatureDefect().get() + ")", other);
            }
            VeritySignature sig = ddi.signature().get();
            List<Path> certs = certificates(dirs);
            Path signer = signer(sig, certs);
            if (signer != null) {
                return decide(policy, d, "signed", "signed by the trusted certificate " + signer, other);
            }
            return decide(policy, d, "verity", "signed by an unknown key (certificate sha256 "
                    + (sig.certificateFingerprint().isEmpty() ? "not named" : sig.certificateFingerprint())
                    + "; none of the " + certs.size() + " trusted certificate" + (certs.size() == 1 ? "" : "s")
                    + " in " + describe(dirs) + " verifies its signature)", other);
        }
        if (ddi.signature().isPresent()) {
            return decide(policy, d, UNVERIFIED, "the policy leaves signed out, so systemd ignores the signature "
                    + "partition, the one source of its root hash, and mounts the data partition unverified", other);
        }
        String kind = d.equals("usr") ? "usrhash" : "roothash";
        Path sidecar = VeritySidecar.auxiliary(entry.getFileName(), "." + kind);
        return decide(policy, d, UNVERIFIED, "unsigned, and no root hash is given (no " + (sidecar == null
                ? "NAME." + kind : sidecar) + " beside it, no user.verity." + kind + " attribute): systemd mounts its "
                + "data partition unverified (systemd-dissect: \"verity\":\"no\")", other);
    }

    private static Verdict decide(ImagePolicy policy, String designator, String protection, String why,
            String other) {
        // a verity partition without a root hash counts as verity to the policy, as systemd 257 counts it
        ImagePolicy.Flag flag = protection.equals(UNVERIFIED) ? ImagePolicy.Flag.VERITY
                : ImagePolicy.Flag.valueOf(protection.toUpperCase(Locale.ROOT));
        if (!policy.flags(designator).contains(flag)) {
            String fix = flag == ImagePolicy.Flag.SIGNED ? "" : policy.flags(designator).contains(ImagePolicy.Flag.SIGNED)
                    ? "; sign it (build --format ddi --sign-key KEY --certificate CERT) with a key whose certificate "
                            + "is in the trusted directories" : "; use an image the policy allows";
            return new Verdict(false, RULE_POLICY, protection, "the policy wants " + designator + "="
                    + policy.describe(designator) + ", but the image is " + (protection.equals(UNVERIFIED)
                            ? "verity (unverified)" : protection) + ": " + why + fix);
        }
        if (!policy.flags(other).contains(ImagePolicy.Flag.ABSENT)) {
            return new Verdict(false, RULE_POLICY, protection, "the policy wants " + other + "="
                    + policy.describe(other) + ", but the image has no " + other + " partition; use a policy with "
                    + other + "=...+absent");
        }
        return new Verdict(true, RULE_POLICY, protection, protection.equals(UNVERIFIED)
                ? "admitted as verity, mounted unverified (" + why + ")"
                : "admitted as " + protection + " (" + why + ")");
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
