package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.tools.DefaultMksquashfs;
import dev.sysextctl.core.tools.SquashfsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code scripts/bench} takes from the code instead of copying it: {@code mksquashfs-options} prints, one a
 * line, the options {@code build} gives mksquashfs for a default squashfs image (its default compression, all
 * timestamps at epoch 0, everything root's), from the same {@link DefaultMksquashfs#tarArgv} a build runs, so that
 * the bench's reference {@code mksquashfs} command is the one sysextctl runs, minus the tar input. Not a user
 * command: {@code java -cp sysextctl.jar dev.sysextctl.cli.BenchSupport mksquashfs-options}.
 */
public final class BenchSupport {
    private BenchSupport() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].equals("mksquashfs-options")) {
            System.err.println("usage: java -cp sysextctl.jar " + BenchSupport.class.getName() + " mksquashfs-options");
            System.exit(ExitCodes.USAGE);
        }
        mksquashfsOptions().forEach(System.out::println);
    }

    /**
     * The options of a default squashfs build: its argv without {@code mksquashfs - OUTPUT -tar}, and without the
     * {@code -mem} sysextctl chooses for this machine ({@link DefaultMksquashfs#memoryArgs()}): the reference is
     * mksquashfs as a script calls it, with the options that decide the image and its own default memory.
     */
    static List<String> mksquashfsOptions() {
        SquashfsOptions build = new SquashfsOptions(BuildFormat.SQUASHFS.defaultCompression(), 0, true, 0, List.of());
        List<String> argv = new DefaultMksquashfs(null, null).tarArgv(Path.of("image.raw"), build);
        List<String> options = new ArrayList<>(argv.subList(argv.indexOf("-tar") + 1, argv.size()));
        int mem = options.indexOf("-mem");
        if (mem >= 0) {
            options.subList(mem, mem + 2).clear();
        }
        return options;
    }
}
