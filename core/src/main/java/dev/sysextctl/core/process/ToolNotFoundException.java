package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;
import java.util.Map;

/** A native tool is not installed; the message names the package that provides it. */
public class ToolNotFoundException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("mksquashfs", "squashfs-tools"), Map.entry("unsquashfs", "squashfs-tools"),
            Map.entry("mkfs.erofs", "erofs-utils"), Map.entry("fsck.erofs", "erofs-utils"),
            Map.entry("dump.erofs", "erofs-utils"), Map.entry("systemd-sysext", "systemd"),
            Map.entry("mount", "mount"), Map.entry("umount", "mount"), Map.entry("losetup", "mount"),
            Map.entry("unshare", "util-linux"), Map.entry("zstd", "zstd"), Map.entry("xz", "xz-utils"),
            Map.entry("veritysetup", "cryptsetup-bin"));

    private final String tool;

    public ToolNotFoundException(String tool) {
        super(tool.equals("systemd-confext")
                // no package of its own: it comes with systemd 254 and later (Debian 12's systemd 252 has none)
                ? tool + " not found; it comes with systemd 254 and later (on Debian, the systemd package of Debian 13 "
                        + "and later), or put it on PATH"
                : tool + " not found; install " + PACKAGES.getOrDefault(tool, "the package that provides it")
                + " (apt-get install " + PACKAGES.getOrDefault(tool, tool) + ") or put it on PATH");
        this.tool = tool;
    }

    public String tool() {
        return tool;
    }
}
