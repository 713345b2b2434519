package dev.sysextctl.core.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.testing.FuzzInput;

/**
 * Coverage-guided fuzzing of the erofs reader ({@link ErofsImageFs}, all Java: no native tool ever sees a fuzzed
 * image). Seeds in {@code ErofsImageFsFuzzTestInputs/read}: images made by mkfs.erofs 1.5 (uncompressed and lz4hc),
 * and every committed finding (the directory cycle that overflowed the old reader's stack). A normal test run replays
 * them; {@code JAZZER_FUZZ=1} fuzzes (scripts/fuzz). The reader may refuse an image with its typed failure only;
 * any other throwable (StackOverflowError, OutOfMemoryError, a RuntimeException) is a finding.
 */
class ErofsImageFsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] image) {
        ImageFsFuzzing.exercise(new ErofsImageFs(FuzzInput.file(image)));
    }
}
