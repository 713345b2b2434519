package dev.sysextctl.merger.mount;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mounts of a mount namespace, from {@code /proc/PID/mountinfo}. */
public record MountTable(List<MountEntry> entries) {
    public static final Path SELF = Path.of("/proc/self/mountinfo");

    public MountTable {
        entries = List.copyOf(entries);
    }

    public static MountTable read(Path mountinfo) throws OperationFailedException {
        try {
            return parse(SmallFiles.readString(mountinfo));
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + mountinfo + ": " + e.getMessage()
                    + "; is /proc mounted?");
        }
    }

    public static MountTable self() throws OperationFailedException {
        return read(SELF);
    }

    public static MountTable parse(String text) {
        List<MountEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new MountEntry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]),
                    unescape(f[4]), f[5], List.of(f).subList(6, dash), f[dash + 1], unescape(f[dash + 2]),
                    dash + 3 < f.length ? f[dash + 3] : ""));
        }
        return new MountTable(out);
    }

    /** Mounts whose mount point is {@code p}, in table order (the last one is usually on top). */
    public List<MountEntry> at(Path p) {
        String s = p.toAbsolutePath().normalize().toString();
        List<MountEntry> out = new ArrayList<>();
        for (MountEntry e : entries) {
            if (e.mountPoint().equals(s)) {
                out.add(e);
            }
        }
        return out;
    }

    public boolean isMountPoint(Path p) {
        return !at(p).isEmpty();
    }

    /** The mount whose mount point is {@code p} and that nothing else at {@code p} sits on, or null. */
    public MountEntry top(Path p) {
        List<MountEntry> here = at(p);
        for (MountEntry e : here) {
            boolean covered = false;
            for (MountEntry o : here) {
                if (o.parentId() == e.id()) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                return e;
            }
        }
        return null;
    }

    /** The mount that holds {@code p} (the one with the longest mount point above it; the top one there). */
    public MountEntry containing(Path p) {
        Path q = p.toAbsolutePath().normalize();
        while (q != null) {
            MountEntry top = top(q);
            if (top != null) {
                return top;
            }
            q = q.getParent();
        }
        return null;
    }

    /** mountinfo's octal escapes ({@code \040} for a space, …). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && i + 3 < in.length && isOctal(in[i + 1]) && isOctal(in[i + 2])
                    && isOctal(in[i + 3])) {
                b.write((in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0'));
                i += 3;
            } else {
                b.write(in[i]);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte c) {
        return c >= '0' && c <= '7';
    }
}
