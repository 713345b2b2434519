package dev.sysextctl.core.image.ddi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DDI is made of, for {@code inspect} (docs/ddi.md §5): the data partition's architecture, designator and
 * file system, the verity root hash it claims, its signature state and its partitions. Reading it checks nothing:
 * {@code validate} recomputes the hash tree and checks the signature.
 *
 * @param architecture of the data partition (systemd's name)
 * @param designator {@code root} or {@code usr}
 * @param fileSystem {@code erofs}, {@code squashfs} or {@code unknown}
 * @param verity whether there is a verity hash partition
 * @param rootHash the root hash it claims (null without verity)
 * @param signature {@code signed}, {@code unsigned} or {@code malformed}
 * @param certificateFingerprint the SHA-256 of the signing certificate the signature names (null unsigned)
 * @param signatureDefect what is wrong with a malformed signature partition (null otherwise)
 */
@JsonPropertyOrder({"architecture", "designator", "fileSystem", "verity", "rootHash", "signature",
    "certificateFingerprint", "signatureDefect", "partitions"})
public record DdiSummary(String architecture, String designator, String fileSystem, boolean verity, String rootHash,
        String signature, String certificateFingerprint, String signatureDefect, List<Partition> partitions) {
    /** One partition: its label, systemd's type name (or the type UUID), UUID, place and read-only bit. */
    @JsonPropertyOrder({"name", "type", "uuid", "offset", "sizeBytes", "readOnly"})
    public record Partition(String name, String type, String uuid, long offset, long sizeBytes, boolean readOnly) {
    }

    public static DdiSummary of(DdiImage ddi) {
        List<Partition> parts = new ArrayList<>();
        for (GptPartition p : ddi.partitions()) {
            String type = PartitionTypes.kind(p.type()).map(PartitionTypes.Kind::typeName).orElse(p.type().toString());
            parts.add(new Partition(p.name(), type, p.uuid().toString(), p.offset(Gpt.SECTOR), p.size(Gpt.SECTOR),
                    p.readOnly()));
        }
        String state = ddi.signature().isPresent() ? "signed" : ddi.signatureDefect().isPresent() ? "malformed"
                : "unsigned";
        return new DdiSummary(ddi.architecture(), ddi.designator(), ddi.fileSystem().name().toLowerCase(
                java.util.Locale.ROOT), ddi.verity().isPresent(), ddi.rootHash().orElse(null), state,
                ddi.signature().map(VeritySignature::certificateFingerprint).orElse(null),
                ddi.signatureDefect().orElse(null), parts);
    }
}
