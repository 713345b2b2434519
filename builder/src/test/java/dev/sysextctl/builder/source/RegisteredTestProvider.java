package dev.sysextctl.builder.source;

import dev.sysextctl.core.lint.Findings;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider registered on the test class path ({@code META-INF/services}) that claims every path named
 * {@code *.claimed} and counts how often {@link java.util.ServiceLoader} made one ({@link SourceFactoryTest}).
 */
public final class RegisteredTestProvider implements ImageSourceProvider {
    static final AtomicInteger CREATED = new AtomicInteger();

    public RegisteredTestProvider() {
        CREATED.incrementAndGet();
    }

    @Override
    public String kind() {
        return "claimed file";
    }

    @Override
    public boolean handles(Path path) {
        return path.getFileName() != null && path.getFileName().toString().endsWith(".claimed");
    }

    @Override
    public ImageSource open(Path path) {
        return new ImageSource() {
            @Override
            public String describe() {
                return "claimed " + path;
            }

            @Override
            public void scan(EntryVisitor visitor, Findings findings) {
            }
        };
    }
}
