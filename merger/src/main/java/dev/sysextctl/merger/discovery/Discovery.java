package dev.sysextctl.merger.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything discovery found: every image entry in discovery order (winners and the entries they shadow),
 * and the entries that are not images.
 */
public record Discovery(List<String> searchDirs, List<ImageEntry> images, List<IgnoredEntry> ignored) {
    public Discovery {
        searchDirs = List.copyOf(searchDirs);
        images = List.copyOf(images);
        ignored = List.copyOf(ignored);
    }

    /** The entry used for each name (the first found), in discovery order. */
    public Map<String, ImageEntry> winners() {
        Map<String, ImageEntry> m = new LinkedHashMap<>();
        for (ImageEntry e : images) {
            m.putIfAbsent(e.name(), e);
        }
        return m;
    }

    public Optional<ImageEntry> winner(String name) {
        for (ImageEntry e : images) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public boolean isWinner(ImageEntry e) {
        return winner(e.name()).orElse(null) == e;
    }

    /** Every entry named {@code name}, highest priority first. */
    public List<ImageEntry> named(String name) {
        List<ImageEntry> out = new ArrayList<>();
        for (ImageEntry e : images) {
            if (e.name().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Ignored entries whose file name is {@code name} or {@code name.raw}. */
    public List<IgnoredEntry> ignoredNamed(String name) {
        List<IgnoredEntry> out = new ArrayList<>();
        for (IgnoredEntry e : ignored) {
            String file = e.path().substring(e.path().lastIndexOf('/') + 1);
            if (file.equals(name) || file.equals(name + ".raw")) {
                out.add(e);
            }
        }
        return out;
    }
}
