package dev.sysextctl.core.image.ddi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the running kernel has device-mapper, without which there is no dm-verity (docs/ddi.md §7): the
 * {@code device-mapper} misc device in {@code /proc/misc}, its major in {@code /proc/devices} and
 * {@code /sys/module/dm_mod}. Any one of them means device-mapper is there; none means the kernel has none (not
 * built in, not loaded), as on the machines sysextctl is tested on. A {@code /dev/mapper/control} node proves
 * nothing: libdevmapper creates it when it is missing, also on a kernel without device-mapper (opening it then
 * fails with ENODEV; measured after a {@code systemd-dissect --mount} of a signed DDI).
 *
 * @param deviceMapper whether any sign of device-mapper was found
 * @param evidence what was looked at and found (one phrase, for messages)
 */
public record KernelVerity(boolean deviceMapper, String evidence) {

    /** The running kernel's. */
    public static KernelVerity probe() {
        return probe(Path.of("/"));
    }

    /** Probes under {@code root} ({@code root/proc/misc}, ...): the running kernel's with {@code /}. */
    public static KernelVerity probe(Path root) {
        List<String> found = new ArrayList<>();
        if (listsDeviceMapper(root.resolve("proc/misc"))) {
            found.add("device-mapper in /proc/misc");
        }
        if (listsDeviceMapper(root.resolve("proc/devices"))) {
            found.add("device-mapper in /proc/devices");
        }
        if (Files.isDirectory(root.resolve("sys/module/dm_mod"))) {
            found.add("/sys/module/dm_mod");
        }
        if (found.isEmpty()) {
            return new KernelVerity(false, "no device-mapper in /proc/misc or /proc/devices, no /sys/module/dm_mod");
        }
        return new KernelVerity(true, String.join(", ", found));
    }

    /**
     * Whether the line is two fields, the second {@code device-mapper} ({@code line.trim().split("\\s+")}, without
     * compiling a regular expression per line: /proc/devices has dozens).
     */
    static boolean namesDeviceMapper(String line) {
        String t = line.trim();
        int i = 0;
        while (i < t.length() && !space(t.charAt(i))) {
            i++;
        }
        if (i == t.length()) {
            return false;
        }
        while (space(t.charAt(i))) {
            i++; // trim() left no space at the end
        }
        return t.startsWith("device-mapper", i) && i + "device-mapper".length() == t.length();
    }

    /** {@code \\s}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean listsDeviceMapper(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (namesDeviceMapper(line)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
