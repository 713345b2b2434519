package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.TestEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The hand-built models of {@link StartupModels} are the annotated ones: the committed file is what
 * {@link StartupModelsGenerator} writes from the annotations now (a new or changed option fails here until it is
 * regenerated, see StartupModels), every attribute of every option, positional parameter, mixin and of the usage
 * message is the same, the help is the same text, and the same arguments set the same fields or fail with the same
 * message.
 */
class StartupModelsTest {
    static final Path FILE = TestEnvironment.repository().resolve("cli/src/main/java/dev/sysextctl/cli/StartupModels.java");
    static final Path HELP_FILE = TestEnvironment.repository().resolve("cli/src/main/java/dev/sysextctl/cli/StartupHelp.java");

    @Test
    void theCommittedModelsAreGeneratedFromTheAnnotationsNow() throws Exception {
        assertGenerated(FILE, StartupModelsGenerator.generate(), "StartupModels.java is stale; regenerate it (see its comment)");
    }

    @Test
    void theCommittedHelpIsWhatPicocliRendersNow() throws Exception {
        assertGenerated(HELP_FILE, StartupHelpGenerator.generate(),
                "StartupHelp.java is stale; regenerate it (see StartupModels' comment)");
    }

    /** {@code file} holds {@code generated}; with {@code -Dsysextctl.startup.update=true} it is written first. */
    private static void assertGenerated(Path file, String generated, String stale) throws Exception {
        if (Boolean.getBoolean("sysextctl.startup.update")) {
            Files.writeString(file, generated);
        }
        assertThat(Files.readString(file)).as(stale).isEqualTo(generated);
    }

    @Test
    void theKeptHelpOfTheTopAndEveryHotCommandIsPicocliTextWithEitherFlag() {
        assertThat(StartupHelpGenerator.commands()).contains("").containsAll(StartupModels.HOT);
        for (String command : StartupHelpGenerator.commands()) {
            for (String flag : List.of("--help", "-h")) {
                assertThat(StartupHelp.of(command)).as(command + " " + flag)
                        .isEqualTo(StartupHelpGenerator.render(command, flag, StartupHelp.WIDTH));
            }
        }
        assertThat(StartupHelp.of("compose")).isNull();
    }

    @Test
    void everyHotCommandHasItsModel() {
        assertThat(StartupModels.HOT).isNotEmpty();
        for (String name : StartupModels.HOT) {
            assertThat(Subcommands.named(name)).as(name).isPresent();
            assertThat(StartupModels.command(name).name()).isEqualTo(name);
        }
        assertThat(StartupModels.command("compose")).isNull();
    }

    @Test
    void eachModelIsTheAnnotatedOneAttributeByAttribute() {
        assertThat(describe(StartupModels.top())).isEqualTo(describe(CommandSpec.forAnnotatedObject(new SysextctlCommand())));
        for (String name : StartupModels.HOT) {
            CommandSpec annotated = CommandSpec.forAnnotatedObject(Subcommands.named(name).orElseThrow().factory().get());
            assertThat(describe(StartupModels.command(name))).as(name).isEqualTo(describe(annotated));
        }
    }

    @Test
    void theHelpIsTheSameText() {
        for (String name : StartupModels.HOT) {
            assertThat(help(StartupModels.command(name)))
                    .as(name).isEqualTo(help(Subcommands.named(name).orElseThrow().factory().get()));
        }
    }

    @Test
    void theSameArgumentsSetTheSameFieldsOrFailAlike() {
        Map<String, List<List<String>>> runs = Map.of(
                "status", List.of(List.of(), List.of("--root", "/mnt", "--json"), List.of("--json=short", "-vv", "-q"),
                        List.of("--no-legend", "--no-pager", "--systemd-version", "255", "--no-color"),
                        List.of("--json", "off"), List.of("--bogus"), List.of("--root"), List.of("extra"),
                        List.of("--json=yaml")),
                "list", List.of(List.of(), List.of("--root=/r", "--json", "short", "-v"), List.of("--no-legend"),
                        List.of("--roo", "/x"), List.of("-x")),
                "inspect", List.of(List.of("img.raw"), List.of("--files", "--json", "img.raw"),
                        List.of("img.raw", "--systemd-version", "257", "-q"), List.of(), List.of("a", "b")),
                "validate", List.of(List.of("a.raw"), List.of("a.raw", "b.raw", "--os", "debian", "--os-version", "12",
                        "--sysext-level", "1", "--arch", "x86-64", "--scope", "system", "--as", "n", "--json=short"),
                        List.of("--root", "/", "--os-release", "/etc/os-release", "a"), List.of(),
                        List.of("--image-policy", "root=verity", "--trusted-certs", "/c", "x")));
        for (Map.Entry<String, List<List<String>>> e : new TreeMap<>(runs).entrySet()) {
            for (List<String> args : e.getValue()) {
                CommandSpec hand = StartupModels.command(e.getKey());
                Object annotatedCommand = Subcommands.named(e.getKey()).orElseThrow().factory().get();
                CommandLine annotated = new CommandLine(annotatedCommand);
                CommandLine handLine = new CommandLine(hand);
                annotated.setCaseInsensitiveEnumValuesAllowed(true);
                handLine.setCaseInsensitiveEnumValuesAllowed(true);
                String expected = parse(annotated, args);
                assertThat(parse(handLine, args)).as(e.getKey() + " " + args).isEqualTo(expected);
            }
        }
    }

    /** The values of every option and positional parameter after parsing {@code args}, or the parse error. */
    private static String parse(CommandLine cl, List<String> args) {
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException ex) {
            return "error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        StringBuilder b = new StringBuilder();
        for (ArgSpec a : cl.getCommandSpec().args()) {
            b.append(a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel()).append('=')
                    .append(value(a.getValue())).append('\n');
        }
        return b.toString();
    }

    private static String help(Object command) {
        CommandLine cl = new CommandLine(command);
        HelpLayout.install(cl);
        cl.setUsageHelpWidth(100);
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out, true));
        return out.toString();
    }

    /** Every attribute picocli's model answers with a plain value, for the command, its usage, options and mixins. */
    static String describe(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        attributes(b, "command", spec, Set.of("userObject", "commandLine", "parent", "root", "args", "options",
                "positionalParameters", "optionsMap", "negatedOptionsMap", "posixOptionsMap", "mixins",
                "mixinAnnotatedElements", "usageMessage", "parser", "subcommands", "specElements",
                "parentCommandElements", "requiredArgs", "argGroups", "interpolator", "defaultValueProvider",
                "versionProvider", "modelTransformer", "preprocessor", "unmatchedArgsBindings", "resourceBundle",
                "annotatedElement", "findOption", "qualifiedName", "toString", "hashCode", "getClass"));
        b.append("versionProvider=").append(spec.versionProvider() == null ? null
                : spec.versionProvider().getClass().getName()).append('\n');
        attributes(b, "usage", spec.usageMessage(), Set.of("sectionMap", "sectionKeys", "messages", "longOptionsMaxWidth",
                "toString", "hashCode", "getClass", "colorScheme"));
        attributes(b, "parser", spec.parser(), Set.of("toString", "hashCode", "getClass"));
        b.append("mixins=").append(spec.mixins().keySet()).append('\n');
        for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
            for (ArgSpec a : m.getValue().args()) {
                b.append("mixin ").append(m.getKey()).append(" has ").append(Arrays.toString(
                        a.isOption() ? ((CommandLine.Model.OptionSpec) a).names() : new String[] {a.paramLabel()}))
                        .append('\n');
            }
        }
        for (ArgSpec a : spec.args()) {
            attributes(b, a.isOption() ? "option" : "positional", a, Set.of("userObject", "command", "getter",
                    "setter", "scope", "annotatedElement", "group", "toString", "hashCode", "getClass", "messages",
                    "typeInfo", "getValue", "stringValues", "originalStringValues", "parameterConsumer",
                    "completionCandidates", "converters", "preprocessor", "mapFallbackValue",
                    "getAdditionalDescriptionKeys", "initialValue"));
            b.append("  parameterConsumer=").append(className(a.parameterConsumer())).append('\n');
            b.append("  completionCandidates=").append(a.completionCandidates() == null ? null
                    : iterate(a.completionCandidates())).append('\n');
            List<String> converters = new ArrayList<>();
            for (Object c : a.converters()) {
                converters.add(className(c));
            }
            b.append("  converters=").append(converters).append('\n');
            b.append("  initialValue=").append(value(a.initialValue())).append('\n');
            b.append("  typeInfo=").append(a.typeInfo().getClassName()).append(' ')
                    .append(a.typeInfo().getAuxiliaryTypeInfos().stream().map(t -> t.getClassName()).toList())
                    .append(" multi=").append(a.typeInfo().isMultiValue()).append(" enum=")
                    .append(a.typeInfo().getEnumConstantNames()).append('\n');
        }
        return b.toString();
    }

    private static void attributes(StringBuilder b, String what, Object target, Set<String> skip) {
        b.append(what).append(":\n");
        Map<String, String> values = new TreeMap<>();
        for (Method m : target.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())
                    || skip.contains(m.getName())) {
                continue;
            }
            try {
                values.put(m.getName(), value(m.invoke(target)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                values.put(m.getName(), "throws " + e.getClass().getSimpleName());
            }
        }
        values.forEach((k, v) -> b.append("  ").append(k).append('=').append(v).append('\n'));
    }

    private static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Object[] a) {
            List<String> items = new ArrayList<>();
            for (Object o : a) {
                items.add(value(o));
            }
            return items.toString();
        }
        if (v.getClass().isArray()) {
            return v.getClass().getComponentType() + "[" + java.lang.reflect.Array.getLength(v) + "]";
        }
        if (v instanceof CommandLine.Range r) {
            return r + (r.isUnspecified() ? " (unspecified)" : "") + " " + r.originalValue();
        }
        if (v instanceof Collection<?> c) {
            List<String> items = new ArrayList<>();
            for (Object o : c) {
                items.add(value(o));
            }
            return items.toString();
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof Enum<?> || v instanceof Path) {
            return String.valueOf(v);
        }
        if (v instanceof Class<?> c) {
            return c.getName();
        }
        return className(v);
    }

    private static String className(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    private static List<String> iterate(Iterable<String> it) {
        List<String> l = new ArrayList<>();
        it.forEach(l::add);
        return l;
    }
}
