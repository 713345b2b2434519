package dev.sysextctl.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs whose answer needs no picocli model: {@code sysextctl --version} (or {@code -V}) alone, and the help of the top
 * command and of the hot commands ({@code sysextctl --help}, {@code sysextctl status --help}, or {@code -h}) when it
 * would be rendered at {@link StartupHelp#WIDTH} columns without colors. Building even the top command's model loads
 * picocli (about 170 classes, its converters, the reflection behind them), and rendering its help the text-table
 * layout and {@link java.text.BreakIterator}'s rules, several times what printing the text costs; {@link Main}
 * answers these before any of it. The text is the one picocli prints for the same run ({@code FastPathsTest} and
 * {@code StartupModelsTest} compare them, {@code FastPathsIT} the packaged jar's bytes).
 */
final class FastPaths {
    private FastPaths() {
    }

    /** What to print on stdout for {@code args}, when it needs no command model; empty otherwise. */
    static Optional<String> answer(String[] args) {
        return answer(args, null);
    }

    /** {@link #answer(String[])} in {@code setting} (null: this process's, looked at only for a help run). */
    static Optional<String> answer(String[] args, HelpSetting setting) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return Optional.of(String.join(System.lineSeparator(), BuildVersion.lines())
                    + System.lineSeparator());
        }
        String command = helpOf(args);
        if (command == null || StartupHelp.of(command) == null || !plainHelp(setting != null ? setting : HelpSetting.current())) {
            return Optional.empty();
        }
        return Optional.of(StartupHelp.of(command));
    }

    /** The command whose help {@code args} asks for alone ("" for the top command), else null. */
    static String helpOf(String[] args) {
        if (args.length == 1 && isHelp(args[0])) {
            return "";
        }
        if (args.length == 2 && isHelp(args[1]) && !args[0].startsWith("-")) {
            return args[0];
        }
        return null;
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /**
     * What decides how picocli renders help: the {@code COLUMNS}, {@code CLICOLOR_FORCE} variables, the
     * {@code picocli.ansi} and {@code picocli.usage.width} properties, whether stdout may be a terminal, and the line
     * separator.
     */
    record HelpSetting(String columns, String clicolorForce, String ansiProperty, String widthProperty,
                       boolean stdoutMayBeTerminal, String lineSeparator) {
        static HelpSetting current() {
            return new HelpSetting(System.getenv("COLUMNS"), System.getenv("CLICOLOR_FORCE"),
                    System.getProperty("picocli.ansi"), System.getProperty("picocli.usage.width"),
                    Terminal.mayBeTerminal(Path.of("/proc/self/fd/1")), System.lineSeparator());
        }
    }

    /**
     * Whether picocli would write without ANSI colors and, unless {@code COLUMNS} says otherwise, lay help out at its
     * default width: stdout is no terminal (picocli measures none there), and neither {@code CLICOLOR_FORCE} nor the
     * {@code picocli.ansi} and {@code picocli.usage.width} properties ask otherwise.
     */
    static boolean plainOutput(HelpSetting s) {
        return !s.stdoutMayBeTerminal() && s.ansiProperty() == null && s.widthProperty() == null
                && (s.clicolorForce() == null || s.clicolorForce().equals("0"));
    }

    /**
     * Whether picocli would render the help exactly as {@link StartupHelp} keeps it: {@link StartupHelp#WIDTH} columns
     * (no {@code COLUMNS} it takes, or that width; and then, with stdout no terminal, picocli measures none), no ANSI
     * colors (stdout no terminal, nothing forcing them), lines ending in {@code \n}.
     */
    static boolean plainHelp(HelpSetting s) {
        if (!plainOutput(s) || !"\n".equals(s.lineSeparator())) {
            return false;
        }
        return s.columns() == null
                || Terminal.columns(java.util.Map.of("COLUMNS", s.columns())).orElse(StartupHelp.WIDTH) == StartupHelp.WIDTH;
    }
}
