package dev.sysextctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a script with the trixie tools ({@code systemd-repart}, {@code systemd-dissect}, {@code veritysetup},
 * {@code sfdisk}, {@code openssl}, {@code mkfs.erofs}; {@code scripts/trixie-tools chroot}) chrooted in a private
 * mount namespace. The cached chroot stays pristine: an overlay over it takes the script's writes and goes away
 * afterwards. The root is bind-mounted onto itself first (systemd 257 fails to set mount propagation without
 * it), then {@code /proc}, {@code /sys}, {@code /dev} and a shared tmpfs on {@code /run}; {@code work} is
 * bind-mounted at {@code /work} inside, where the script starts (docs/testing.md §2).
 */
public final class TrixieChroot {
    private TrixieChroot() {
    }

    /**
     * The shell lines (for {@link MountNamespace#run}) that mount {@code chroot} at {@code $R} = {@code root} as an
     * overlay with {@code upper} and {@code work}, then what systemd 257 needs in it: the self bind mount,
     * {@code /dev}, {@code /proc}, {@code /sys} and a shared tmpfs on {@code /run}. Callers add their own lines.
     */
    public static String mountRoot(Path chroot, Path upper, Path work, String root) {
        return "set -e\nR=" + root + "\n"
                + "mount -t overlay overlay -o lowerdir=" + chroot + ",upperdir=" + upper + ",workdir=" + work
                + " $R\n"
                + "mount --bind $R $R\n"
                + "mount --rbind /dev $R/dev\n"
                + "mount -t proc proc $R/proc\n"
                + "mount --rbind /sys $R/sys\n"
                + "mount -t tmpfs tmpfs $R/run\n"
                + "mount --make-shared $R/run\n";
    }

    /** Runs {@code script} with {@code /bin/sh -e} in the chroot, {@code work} at {@code /work}. */
    public static Shell.Result run(Path work, String script) {
        Path chroot = TrixieTools.chroot();
        Path layers = null;
        try {
            layers = Files.createTempDirectory("sysextctl-trixie-");
            for (String d : new String[] {"upper", "work", "root"}) {
                Files.createDirectory(layers.resolve(d));
            }
            Path file = layers.resolve("upper/script.sh");
            Files.writeString(file, "set -e\ncd /work\n" + script + "\n");
            String r = layers.resolve("root").toString();
            return MountNamespace.run(mountRoot(chroot, layers.resolve("upper"), layers.resolve("work"), r)
                    + "mkdir -p $R/work\n"
                    + "mount --bind '" + work + "' $R/work\n"
                    + "chroot $R /bin/sh /script.sh");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Shell.run("rm", "-rf", String.valueOf(layers));
        }
    }
}
