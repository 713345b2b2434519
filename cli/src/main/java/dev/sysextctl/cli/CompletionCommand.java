package dev.sysextctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sysextctl completion bash|zsh|fish}: a completion script generated from the command model, so it cannot
 * drift from the options. bash: picocli's {@link AutoComplete}; zsh: the same script through zsh's
 * {@code bashcompinit}; fish: {@code complete} lines written here from the model.
 */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print a shell completion script for bash, zsh or fish, generated from sysextctl's commands and "
                + "options.",
        footer = {"", "Examples:",
            "  source <(sysextctl completion bash)",
            "  sysextctl completion zsh > \"${fpath[1]}/_sysextctl\"",
            "  sysextctl completion fish > ~/.config/fish/completions/sysextctl.fish",
            "", "Exit codes: 0 printed, 2 usage error (an unknown shell)."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells a script is generated for. */
    enum Shell {
        BASH, ZSH, FISH
    }

    @Spec
    CommandSpec spec;

    /** The shells as they are typed. */
    static final class Shells implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("bash", "zsh", "fish").iterator();
        }
    }

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine full = SysextctlCommand.newCommandLine();
        String script = switch (shell) {
            case BASH -> bash(full);
            case ZSH -> zsh(full);
            case FISH -> fish(full);
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    static String bash(CommandLine full) {
        return AutoComplete.bash("sysextctl", full);
    }

    /** picocli's script runs in zsh once {@code bashcompinit} is loaded. */
    static String zsh(CommandLine full) {
        return "#compdef sysextctl\n"
                + "autoload -U +X compinit && compinit\n"
                + "autoload -U +X bashcompinit && bashcompinit\n"
                + bash(full);
    }

    static String fish(CommandLine full) {
        StringBuilder b = new StringBuilder("# fish completion for sysextctl, generated from its command model\n");
        b.append("complete -c sysextctl -f\n");
        List<String> names = new ArrayList<>(full.getSubcommands().keySet());
        for (Map.Entry<String, CommandLine> e : full.getSubcommands().entrySet()) {
            b.append("complete -c sysextctl -n '__fish_use_subcommand' -a ").append(e.getKey()).append(" -d ")
                    .append(quote(summary(e.getValue().getCommandSpec()))).append('\n');
        }
        options(b, "__fish_use_subcommand", full.getCommandSpec());
        for (Map.Entry<String, CommandLine> e : full.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            String condition = "__fish_seen_subcommand_from " + e.getKey();
            for (Map.Entry<String, CommandLine> s : e.getValue().getSubcommands().entrySet()) {
                b.append("complete -c sysextctl -n ").append(quote(condition)).append(" -a ").append(s.getKey())
                        .append(" -d ").append(quote(summary(s.getValue().getCommandSpec()))).append('\n');
            }
            if (e.getKey().equals("help")) {
                b.append("complete -c sysextctl -n ").append(quote(condition)).append(" -a ")
                        .append(quote(String.join(" ", names))).append('\n');
            }
            options(b, condition, sub);
        }
        return b.toString();
    }

    private static void options(StringBuilder b, String condition, CommandSpec spec) {
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            b.append("complete -c sysextctl -n ").append(quote(condition));
            for (String n : o.names()) {
                if (n.startsWith("--")) {
                    b.append(" -l ").append(n.substring(2));
                } else if (n.length() == 2) {
                    b.append(" -s ").append(n.substring(1));
                }
            }
            if (o.arity().max() > 0) {
                List<String> candidates = new ArrayList<>();
                if (o.completionCandidates() != null) {
                    o.completionCandidates().forEach(candidates::add);
                }
                if (!candidates.isEmpty()) {
                    b.append(" -x -a ").append(quote(String.join(" ", candidates)));
                } else if (o.arity().min() > 0) {
                    b.append(" -r").append(o.type() == java.nio.file.Path.class ? " -F" : "");
                }
            }
            String[] d = o.description();
            if (d.length > 0) {
                b.append(" -d ").append(quote(firstSentence(d[0])));
            }
            b.append('\n');
        }
    }

    private static String summary(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : firstSentence(String.join(" ", d));
    }

    private static String firstSentence(String s) {
        String t = s.replace("${COMPLETION-CANDIDATES}", "").strip();
        int dot = t.indexOf(". ");
        return dot < 0 ? t : t.substring(0, dot + 1);
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
