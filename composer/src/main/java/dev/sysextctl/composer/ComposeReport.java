package dev.sysextctl.composer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The composed image and how it came about.
 *
 * @param output the image written
 * @param format its format
 * @param sha256 its digest (a directory: the builder's directory digest)
 * @param entries how many entries it holds
 * @param target the OS the extensions were checked against, and where it came from
 * @param layers the layers, bottom first
 * @param changes what each extension adds or overrides, by path
 * @param conflicts the paths several extensions provide
 * @param notes what was left out and why (an extension's hierarchy the base lacks, content outside usr/ and opt/)
 */
@JsonPropertyOrder({"output", "format", "sha256", "entries", "target", "layers", "changes", "conflicts", "notes"})
public record ComposeReport(String output, String format, String sha256, int entries, String target,
        List<ComposedLayer> layers, List<PathChange> changes, List<Conflict> conflicts, List<String> notes) {
    public ComposeReport {
        layers = List.copyOf(layers);
        changes = List.copyOf(changes);
        conflicts = List.copyOf(conflicts);
        notes = List.copyOf(notes);
    }
}
