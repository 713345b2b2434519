package dev.sysextctl.core.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.testing.FuzzInput;

/**
 * Coverage-guided fuzzing of sysextctl's own squashfs reader (core/image/squashfs, through
 * {@link SquashfsImageFs} without the unsquashfs fallback). Seeds in {@code SquashfsImageFuzzTestInputs/read}:
 * images made by mksquashfs 4.5 (gzip, xz, lz4, zstd; files, fragments, symlinks, devices, xattrs). A normal test
 * run replays them (and every committed finding); {@code JAZZER_FUZZ=1} fuzzes (scripts/fuzz).
 */
class SquashfsImageFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] image) {
        ImageFsFuzzing.exercise(SquashfsImageFs.withoutFallback(FuzzInput.file(image)));
    }
}
