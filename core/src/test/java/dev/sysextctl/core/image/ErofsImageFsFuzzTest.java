package dev.sysextctl.core.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.testing.FuzzInput;
import dev.sysextctl.testing.Pending;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the erofs reader ({@link ErofsImageFs}). Seeds in {@code ErofsImageFsFuzzTestInputs/read}:
 * images made by mkfs.erofs 1.5 (uncompressed and lz4hc). A normal test run replays them and every committed
 * finding; {@code JAZZER_FUZZ=1} fuzzes (scripts/fuzz).
 */
class ErofsImageFsFuzzTest {
    /**
     * {@code ErofsImageFs(Path, ...)}: the image comes first; any further parameter (a native tool) gets a stand-in
     * that fails like the tool on a corrupt image, so that no native tool ever runs on a fuzzed image. Found by
     * reflection so that the harness keeps compiling whatever the reader's other parameters become.
     */
    private static final Constructor<?> OPEN = Arrays.stream(ErofsImageFs.class.getConstructors())
            .filter(c -> c.getParameterCount() > 0 && c.getParameterTypes()[0] == Path.class)
            .findFirst().orElseThrow();

    static ImageFileSystem open(Path image) {
        Class<?>[] types = OPEN.getParameterTypes();
        Object[] args = new Object[types.length];
        args[0] = image;
        for (int i = 1; i < types.length; i++) {
            args[i] = Proxy.newProxyInstance(types[i].getClassLoader(), new Class<?>[] {types[i]}, (p, m, a) -> {
                throw new OperationFailedException("no native tool runs on a fuzzed image");
            });
        }
        try {
            return (ImageFileSystem) OPEN.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void read(byte[] image) {
        try {
            ImageFsFuzzing.exercise(open(FuzzInput.file(image)));
        } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
            // Findings against main's reader wait for its rewrite (issue 11 items 1-2); while fuzzing, report them.
            if (Pending.fuzzing()) {
                throw e;
            }
            Pending.EROFS.skip("the erofs reader fails on this input with " + e);
        }
    }
}
