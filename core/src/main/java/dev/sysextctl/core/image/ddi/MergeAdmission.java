package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.lint.RuleId;
import java.util.Optional;
import java.util.Set;

/**
 * Whether sysextctl's native engine merges an image under an image policy, and how (docs/ddi.md §7). It follows
 * what systemd 257 does, measured on a kernel without device-mapper: a DDI whose root hash systemd knows (from its
 * signature partition where the policy allows {@code signed}, or given beside it: {@link VeritySidecar}) is opened
 * with dm-verity whenever the policy allows {@code verity} or {@code signed} for its partition, and never mounted
 * unverified then (without dm-verity systemd fails the whole merge); only a policy that leaves both out but allows
 * {@code unprotected} makes systemd ignore the verity partitions and mount the data partition as it is. A policy
 * with {@code verity} but not {@code signed} makes systemd ignore a signature partition: the signed DDI is then
 * mounted unverified, by systemd and by sysextctl (which first checks the data against the signature's root hash).
 * An unsigned DDI without a root hash given beside it gives systemd none either: the policy counts its verity
 * partition as {@code verity}, and systemd mounts the data partition unverified even where the policy names only
 * {@code verity}; so does sysextctl, after checking the data against its hash partition and the root hash its
 * partition UUIDs name (a mismatch is refused, where systemd would mount it). The native engine never sets up dm-verity itself: what needs
 * it is refused with the reason, and on a kernel without device-mapper the reason says so.
 */
public final class MergeAdmission {
    /** The rule of a refusal by the image policy. */
    public static final String RULE_POLICY = DdiPolicy.RULE_POLICY;
    /** The rule of a refusal because dm-verity would be needed and is not there (or not set up by sysextctl). */
    public static final String RULE_NO_DM_VERITY = RuleId.NO_DM_VERITY.id();
    /** The rule of a refusal because the verity data does not match the root hash (one flipped byte). */
    public static final String RULE_TAMPERED = DdiPolicy.RULE_TAMPERED;
    /** What systemd 257 reports for an image its policy refuses (the merge fails, exit 1). */
    public static final String SYSTEMD_POLICY_MESSAGE = "Image does not match image policy.";
    /** What systemd 257 reports when it cannot set up dm-verity (the merge fails, exit 1). */
    public static final String SYSTEMD_NO_VERITY_MESSAGE = "Failed to activate verity device: Operation not supported";

    private MergeAdmission() {
    }

    /** How a merge goes for one image. */
    public sealed interface Decision {
    }

    /**
     * Mounted read-only without dm-verity: the data partition of a DDI through a loop device at its offset, or a
     * bare image as it is.
     *
     * @param why one phrase: why this is how systemd uses it
     */
    public record Unverified(String why) implements Decision {
    }

    /**
     * Not merged.
     *
     * @param rule {@link #RULE_POLICY} or {@link #RULE_NO_DM_VERITY}
     * @param reason one line: what is wrong, then what to do
     * @param systemdMessage what systemd 257 logs for it, when it fails the whole merge because of it (else null)
     */
    public record Refused(String rule, String reason, String systemdMessage) implements Decision {
    }

    /** A bare squashfs or erofs image: systemd treats it as an unprotected root partition. */
    public static Decision bare(String name, ImagePolicy policy) {
        Set<ImagePolicy.Flag> flags = policy.flags("root");
        if (!flags.contains(ImagePolicy.Flag.UNPROTECTED)) {
            return new Refused(RULE_POLICY, "the image policy wants root=" + policy.describe("root") + ", but "
                    + name + " is a bare image, which systemd treats as an unprotected root partition; build it as "
                    + "a signed DDI (build --format ddi --sign-key KEY --certificate CERT) or merge with a policy that "
                    + "allows root=unprotected", name + ": " + SYSTEMD_POLICY_MESSAGE);
        }
        return absentOther(name, policy, "root", new Unverified("a bare image: an unprotected root partition"));
    }

    /** A DDI: its data partition of the designator it has ({@code root} or {@code usr}). */
    public static Decision ddi(String name, DdiImage ddi, ImagePolicy policy, KernelVerity kernel) {
        return ddi(name, ddi, policy, kernel, Optional.empty());
    }

    /**
     * The same, with the root hash given beside the image ({@link VeritySidecar}): like a signature's, it makes
     * systemd open the DDI with dm-verity.
     */
    public static Decision ddi(String name, DdiImage ddi, ImagePolicy policy, KernelVerity kernel,
            Optional<VeritySidecar> sidecar) {
        String d = ddi.designator();
        Set<ImagePolicy.Flag> flags = policy.flags(d);
        boolean verity = ddi.verity().isPresent();
        Optional<VeritySidecar> given = verity ? sidecar : Optional.empty();
        // systemd 257 uses the signature partition only where the policy allows signed for the data partition (its
        // image_policy_get derives the signature partition's flags so); else "policy dictates to ignore" it
        boolean signatureUsed = ddi.signature().isPresent() && flags.contains(ImagePolicy.Flag.SIGNED);
        boolean rootHashKnown = verity && (signatureUsed || given.isPresent());
        String known = signatureUsed ? "it is signed" : given.map(x -> "its root hash is given in "
                + x.describe()).orElse("");
        boolean wantsVerity = flags.contains(ImagePolicy.Flag.VERITY) || flags.contains(ImagePolicy.Flag.SIGNED);
        String wants = d + "=" + policy.describe(d);
        if (given.isPresent() && (given.get().defect() != null
                || !given.get().rootHash().equals(ddi.rootHash().orElse(null)))) {
            // measured with systemd-dissect 257: it cannot dissect the image then, under every policy (docs/ddi.md §6)
            VeritySidecar g = given.get();
            return new Refused(RULE_TAMPERED, name + ": the root hash in " + g.describe() + (g.defect() != null
                    ? " " + g.defect() : " (" + g.rootHash() + ") is not the image's (" + ddi.rootHash().orElse("none")
                    + ")") + ", and systemd 257 cannot dissect the image under any policy; give the image's root "
                    + "hash or remove " + g.describe(), null);
        }
        if (rootHashKnown && wantsVerity) {
            String fix = "; or merge with an image policy that leaves verity and signed out, such as --image-policy "
                    + d + "=unprotected+absent, to mount it unverified as systemd then does";
            if (!kernel.deviceMapper()) {
                return new Refused(RULE_NO_DM_VERITY, "this kernel has no dm-verity (" + kernel.evidence() + "); "
                        + name + " needs verity by the image policy (" + wants + "): " + known + ", so systemd "
                        + "opens it with dm-verity and never mounts it unverified; merge it on a kernel with "
                        + "dm-verity (CONFIG_DM_VERITY, modprobe dm-verity)" + fix,
                        SYSTEMD_NO_VERITY_MESSAGE);
            }
            return new Refused(RULE_NO_DM_VERITY, name + " needs verity by the image policy (" + wants + "), and "
                    + "sysextctl's native engine does not set up dm-verity; merge it with --engine systemd" + fix,
                    null);
        }
        if (given.isPresent() && !wantsVerity) {
            return new Refused(RULE_POLICY, "the image policy wants " + wants + ", but " + name + " is verity: its "
                    + "root hash is given in " + given.get().describe() + ", which keeps its verity partition in use "
                    + "(systemd 257 refuses it then); remove " + given.get().describe() + " or merge with a policy "
                    + "that allows " + d + "=verity", name + ": " + SYSTEMD_POLICY_MESSAGE);
        }
        // measured with systemd-confext and systemd-dissect 257: a verity partition without a root hash (the
        // signature partition ignored by the policy, or none and nothing given beside the image) is admitted as
        // verity and its data partition mounted unverified; where the policy allows unprotected anyway, that is all
        boolean signatureIgnored = verity && ddi.signature().isPresent() && !signatureUsed;
        boolean noRootHash = verity && ddi.signature().isEmpty() && given.isEmpty()
                && (ddi.signatureDefect().isEmpty() || !flags.contains(ImagePolicy.Flag.SIGNED));
        if (flags.contains(ImagePolicy.Flag.VERITY) && (signatureIgnored
                || noRootHash && !flags.contains(ImagePolicy.Flag.UNPROTECTED))) {
            Optional<String> tampered;
            try {
                tampered = ddi.verify();
            } catch (OperationFailedException e) {
                tampered = Optional.of("its verity data cannot be checked: " + e.getMessage());
            }
            if (tampered.isPresent()) {
                return new Refused(RULE_TAMPERED, name + ": " + tampered.get() + "; systemd 257 would mount it "
                        + "unverified under this policy (" + (signatureIgnored ? "it ignores the signature"
                                : "nothing gives it a root hash") + "), sysextctl refuses it; rebuild the image or "
                        + "fetch it again", null);
            }
            return absentOther(name, policy, d, new Unverified(signatureIgnored ? "the policy allows " + d
                    + "=verity but not signed, so systemd ignores the signature partition, the one source of the root "
                    + "hash, and mounts the data partition unverified; so does sysextctl, after checking the data "
                    + "against the signature's root hash"
                    : "unsigned, and no root hash is given (no NAME." + hashKind(d) + " beside it, no user.verity."
                    + hashKind(d) + " attribute): the policy counts its verity partition as " + d + "=verity, but "
                    + "systemd has nothing to set up dm-verity with and mounts the data partition unverified; so does "
                    + "sysextctl, after checking the data against its hash partition and the root hash its partition "
                    + "UUIDs name"));
        }
        if (flags.contains(ImagePolicy.Flag.UNPROTECTED)) {
            String why = !verity ? "no verity partition"
                    : rootHashKnown || ddi.signature().isPresent() ? "the policy allows " + d + "=unprotected and "
                            + "neither verity nor signed, so its "
                            + "verity partitions are ignored, as systemd ignores them"
                    : "unsigned, and no root hash is given (no NAME.roothash beside it, no user.verity.roothash "
                            + "attribute): nothing to set up dm-verity with, so systemd mounts it unverified, and so "
                            + "does sysextctl";
            return absentOther(name, policy, d, new Unverified(why));
        }
        if (verity && ddi.signature().isEmpty()) {
            // no signature partition: systemd 257 counts the partition as verity, which the policy does not allow
            return new Refused(RULE_POLICY, "the image policy wants " + wants + ", but " + name + " is unsigned "
                    + "(a verity partition and no signature partition: verity to systemd); sign it (build --format "
                    + "ddi --sign-key KEY --certificate CERT), or merge with a policy that allows " + d + "=verity",
                    name + ": " + SYSTEMD_POLICY_MESSAGE);
        }
        return new Refused(RULE_POLICY, "the image policy wants " + wants + ", but " + name + " is "
                + (verity ? "verity-protected" : "unprotected (no verity partition)") + "; "
                + (wantsVerity ? "build it with verity and sign it (build --format ddi --sign-key KEY --certificate "
                        + "CERT)" : "merge with a policy that allows it"), name + ": " + SYSTEMD_POLICY_MESSAGE);
    }

    private static String hashKind(String designator) {
        return designator.equals("usr") ? "usrhash" : "roothash";
    }

    private static Decision absentOther(String name, ImagePolicy policy, String d, Decision ok) {
        String other = d.equals("root") ? "usr" : "root";
        if (!policy.flags(other).contains(ImagePolicy.Flag.ABSENT)) {
            return new Refused(RULE_POLICY, "the image policy wants " + other + "=" + policy.describe(other)
                    + ", but " + name + " has no " + other + " partition; merge with a policy with " + other
                    + "=...+absent", name + ": " + SYSTEMD_POLICY_MESSAGE);
        }
        return ok;
    }
}
