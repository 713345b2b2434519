package dev.sysextctl.converter.migration;

import java.util.List;

/**
 * Something on the node that still depends on torcx and breaks once torcx is gone: a unit or drop-in under
 * {@code /etc/systemd} using {@code TORCX_*}, {@code /run/metadata/torcx}, {@code /run/torcx/} or
 * {@code torcx.target}, a link to such a thing, or the torcx generator override.
 *
 * @param kind {@code drop-in}, {@code unit}, {@code link}, {@code file} or {@code generator-override}
 * @param suggestion for units and drop-ins: the file rewritten the way the converter rewrites an image's units
 *     (for the converted images' names), when that leaves no torcx reference; else null
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record Leftover(String path, String kind, List<Match> matches, String advice, String suggestion) {
    public Leftover {
        matches = List.copyOf(matches);
    }

    /** One line that mentions torcx (line 0 for a link, whose target is the text). */
    public record Match(int line, String text) {
    }
}
