package dev.sysextctl.builder.write;

import java.nio.file.Files;
import java.nio.file.Path;

/** The uid and gid this process runs as (Linux: the owner of {@code /proc/self}). */
public record ProcessIdentity(int uid, int gid) {
    public static ProcessIdentity current() {
        try {
            Path self = Path.of("/proc/self");
            return new ProcessIdentity((Integer) Files.getAttribute(self, "unix:uid"),
                    (Integer) Files.getAttribute(self, "unix:gid"));
        } catch (Exception e) {
            return new ProcessIdentity(-1, -1);
        }
    }

    public boolean isRoot() {
        return uid == 0;
    }
}
