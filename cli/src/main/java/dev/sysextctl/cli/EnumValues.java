package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.node.ClassSelection;
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

    /**
     * The typed names of an enum's constants, in declaration order (the completion candidates), and the
     * converter through the library's {@code parse}.
     */
    abstract static class Values<E extends Enum<E>> implements Iterable<String>, ITypeConverter<E> {
        private final List<String> names;
        private final Parser<E> parser;

        Values(E[] values, Function<E, String> name, Parser<E> parser) {
            this.names = Arrays.stream(values).map(name).toList();
            this.parser = parser;
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator();
        }

        @Override
        public E convert(String text) {
            try {
                return parser.parse(text);
            } catch (UsageException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code build --fs}: the file system inside a DDI. */
    static final class DdiFileSystems extends Values<BuildFormat> {
        DdiFileSystems() {
            super(new BuildFormat[] {BuildFormat.EROFS, BuildFormat.SQUASHFS}, BuildFormat::cliName,
                    BuildFormat::parseFileSystem);
        }
    }

    /** {@code --class} of the commands that take one image class ({@code build}, {@code validate}, {@code ignition},
     * {@code release}): sysext or confext. */
    static final class ImageClasses extends Values<ExtensionClass> {
        ImageClasses() {
            super(ExtensionClass.values(), ExtensionClass::id, EnumValues::extensionClass);
        }
    }

    static ExtensionClass extensionClass(String text) throws UsageException {
        ExtensionClass c = ExtensionClass.byId(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (c == null) {
            throw new UsageException("unknown class '" + text.trim() + "'; use sysext or confext");
        }
        return c;
    }

    /** {@code --format}. */
    static final class Formats extends Values<BuildFormat> {
        Formats() {
            super(BuildFormat.values(), BuildFormat::cliName, BuildFormat::parse);
        }
    }

    /** {@code --compression}. */
    static final class Compressions extends Values<Compression> {
        Compressions() {
            super(Compression.values(), Compression::cliName, Compression::parse);
        }
    }

    /** {@code --engine}. */
    static final class Engines extends Values<EngineKind> {
        Engines() {
            super(EngineKind.values(), EngineKind::jsonName, EngineKind::parse);
        }
    }

    /** {@code --class} of the node commands: sysext, confext or all. */
    static final class NodeClasses extends Values<ClassSelection> {
        NodeClasses() {
            super(ClassSelection.values(), ClassSelection::cliName, ClassSelection::parse);
        }
    }

    /** {@code --ignition-version}. */
    static final class IgnitionSpecs extends Values<IgnitionSpec> {
        IgnitionSpecs() {
            super(IgnitionSpec.values(), IgnitionSpec::version, IgnitionSpec::parse);
        }
    }
}
