package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.provision.ignition.IgnitionSpec;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The enum-typed options' values as they are typed: each option is declared with the library's own enum type,
 * a converter that goes through that enum's {@code parse} (case-insensitive, surrounding blanks ignored, one
 * message naming the valid values; picocli turns it into a usage error, exit 2) and the lower-case names
 * offered by help ({@code ${COMPLETION-CANDIDATES}}) and the completion scripts.
 */
final class EnumValues {
    private EnumValues() {
    }

    /** A library {@code parse} method. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String text) throws UsageException;
    }

    static <T> T convert(Parser<T> parser, String text) {
        try {
            return parser.parse(text);
        } catch (UsageException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The typed names of an enum's constants, in declaration order. */
    abstract static class Names<E extends Enum<E>> implements Iterable<String> {
        private final List<String> names;

        Names(E[] values, Function<E, String> name) {
            this.names = Arrays.stream(values).map(name).toList();
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator();
        }
    }

    /** {@code --format}. */
    static final class Formats extends Names<BuildFormat> implements ITypeConverter<BuildFormat> {
        Formats() {
            super(BuildFormat.values(), BuildFormat::cliName);
        }

        @Override
        public BuildFormat convert(String text) {
            return EnumValues.convert(BuildFormat::parse, text);
        }
    }

    /** {@code --compression}. */
    static final class Compressions extends Names<Compression> implements ITypeConverter<Compression> {
        Compressions() {
            super(Compression.values(), Compression::cliName);
        }

        @Override
        public Compression convert(String text) {
            return EnumValues.convert(Compression::parse, text);
        }
    }

    /** {@code --engine}. */
    static final class Engines extends Names<EngineKind> implements ITypeConverter<EngineKind> {
        Engines() {
            super(EngineKind.values(), EngineKind::jsonName);
        }

        @Override
        public EngineKind convert(String text) {
            return EnumValues.convert(EngineKind::parse, text);
        }
    }

    /** {@code --ignition-version}. */
    static final class IgnitionSpecs extends Names<IgnitionSpec> implements ITypeConverter<IgnitionSpec> {
        IgnitionSpecs() {
            super(IgnitionSpec.values(), IgnitionSpec::version);
        }

        @Override
        public IgnitionSpec convert(String text) {
            return EnumValues.convert(IgnitionSpec::parse, text);
        }
    }
}
