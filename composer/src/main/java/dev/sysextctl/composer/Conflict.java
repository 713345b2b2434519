package dev.sysextctl.composer;

import java.util.List;

/**
 * A path that several extensions provide: the upper one (last in layer order) wins, as in the overlay.
 *
 * @param path the path in the image
 * @param winner the extension whose entry the image holds
 * @param losers the other extensions with an entry there, top first
 */
public record Conflict(String path, String winner, List<String> losers) {
    public Conflict {
        losers = List.copyOf(losers);
    }
}
