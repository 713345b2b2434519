package dev.sysextctl.provision.ignition;

import java.util.List;

/**
 * What a node gets on first boot, independent of how it is written (Ignition JSON or Butane YAML): files,
 * directories, links and units, in the order they are written.
 */
public record NodeConfig(IgnitionSpec spec, List<NodeFile> files, List<NodeDirectory> directories,
        List<NodeLink> links, List<NodeUnit> units) {
    public NodeConfig {
        files = List.copyOf(files);
        directories = List.copyOf(directories);
        links = List.copyOf(links);
        units = List.copyOf(units);
    }

    /**
     * A file: downloaded from {@code source} and verified against {@code sha512} (null: not verified), or written from
     * {@code inline} text (then {@code source} and {@code sha512} are null).
     *
     * @param mode permission bits (0644 is written as decimal 420 in Ignition JSON)
     */
    public record NodeFile(String path, int mode, String source, String sha512, String inline) {
        public static NodeFile download(String path, int mode, String source, String sha512) {
            return new NodeFile(path, mode, source, sha512, null);
        }

        public static NodeFile inline(String path, int mode, String text) {
            return new NodeFile(path, mode, null, null, text);
        }

        public boolean isInline() {
            return inline != null;
        }
    }

    /**
     * A directory, created empty when missing; with {@code overwrite} (written only when non-null) whatever else
     * is at its path is replaced by it.
     *
     * @param mode permission bits (0755 is written as decimal 493 in Ignition JSON)
     */
    public record NodeDirectory(String path, int mode, Boolean overwrite) {
    }

    /**
     * A symbolic link. {@code hard} and {@code overwrite} are written only when non-null.
     */
    public record NodeLink(String path, String target, Boolean hard, Boolean overwrite) {
    }

    /** A unit: enabled (when non-null) and/or extended with drop-ins. */
    public record NodeUnit(String name, Boolean enabled, List<Dropin> dropins) {
        public NodeUnit {
            dropins = List.copyOf(dropins);
        }
    }

    /** A drop-in {@code /etc/systemd/system/UNIT.d/NAME}. */
    public record Dropin(String name, String contents) {
    }
}
