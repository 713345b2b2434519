package dev.sysextctl.core.image.ddi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

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
    "certificateFingerprint", "signatureDefect", "rootHashGiven", "partitions"})
public record DdiSummary(String architecture, String designator, String fileSystem, boolean verity, String rootHash,
        String signature, String certificateFingerprint, String signatureDefect,
        @JsonInclude(JsonInclude.Include.NON_NULL) GivenRootHash rootHashGiven, List<Partition> partitions) {

    /**
     * The root hash given for a node's DDI from beside it ({@link VeritySidecar}, docs/ddi.md §6), as {@code explain}
     * reports it; null in a summary of an image file alone ({@code inspect}) and for a DDI without verity.
     *
     * @param found whether a root hash file or attribute is there
     * @param source where it was found: the file as the node sees it, or {@code user.verity.roothash}; null when not
     *     found
     * @param lookedFor where systemd looks: the file beside the entry in the search directory and the attribute
     * @param rootHash what it holds (null when not found or unusable)
     * @param matches whether that is the image's root hash (null when not found or unusable)
     * @param defect why it is unusable (not hex, too short, unreadable), else null
     * @param signature the {@code .p7s} beside it, as the node sees it, or null
     */
    @JsonPropertyOrder({"found", "source", "lookedFor", "rootHash", "matches", "defect", "signature"})
    public record GivenRootHash(boolean found, String source, List<String> lookedFor, String rootHash,
            Boolean matches, String defect, String signature) {

        /**
         * What systemd finds beside {@code entry} (the search directory's entry, on this machine) for {@code ddi},
         * whose file is {@code image}; {@code shown} turns a path of this machine into the node's view of it.
         */
        public static GivenRootHash find(Path entry, Path image, DdiImage ddi, UnaryOperator<String> shown) {
            String kind = ddi.designator().equals("usr") ? "usrhash" : "roothash";
            Path file = VeritySidecar.auxiliary(entry, "." + kind);
            List<String> looked = new ArrayList<>();
            if (file != null) {
                looked.add(shown.apply(file.toString()));
            }
            looked.add("user.verity." + kind);
            Optional<VeritySidecar> side = VeritySidecar.find(entry, image, ddi.designator());
            if (side.isEmpty()) {
                return new GivenRootHash(false, null, looked, null, null, null, null);
            }
            VeritySidecar v = side.get();
            String source = v.source().startsWith("user.") ? v.source() : shown.apply(v.source());
            return new GivenRootHash(true, source, looked, v.rootHash(), v.rootHash() == null ? null
                    : v.rootHash().equals(ddi.rootHash().orElse(null)), v.defect(), v.signature() == null ? null
                    : shown.apply(v.signature().toString()));
        }
    }

    /** This summary with what was found beside the node's entry. */
    public DdiSummary withRootHashGiven(GivenRootHash given) {
        return new DdiSummary(architecture, designator, fileSystem, verity, rootHash, signature,
                certificateFingerprint, signatureDefect, given, partitions);
    }

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
                ddi.signatureDefect().orElse(null), null, parts);
    }
}
