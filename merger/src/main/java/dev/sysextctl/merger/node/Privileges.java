package dev.sysextctl.merger.node;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root (mounting, and so reading most images, needs it). */
public final class Privileges {
    private Privileges() {
    }

    public static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
