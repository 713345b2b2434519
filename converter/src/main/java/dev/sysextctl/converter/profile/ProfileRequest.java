package dev.sysextctl.converter.profile;

import java.nio.file.Path;
import java.util.List;

/**
 * What to resolve: the node's root, an optional upper profile instead of {@code next-profile} (a profile name,
 * or a {@code .json} file on this machine), and extra store directories on this machine (searched after the
 * node's stores, like torcx's {@code TORCX_STOREPATH}).
 */
public record ProfileRequest(Path root, String profile, List<Path> extraStores) {
    public ProfileRequest {
        extraStores = extraStores == null ? List.of() : List.copyOf(extraStores);
    }

    public static ProfileRequest of(Path root) {
        return new ProfileRequest(root, null, List.of());
    }
}
