package dev.sysextctl.core.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tools.FsckErofs;
import dev.sysextctl.testing.FuzzInput;
import dev.sysextctl.testing.Pending;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the erofs reader ({@link ErofsImageFs}). Seeds in {@code ErofsImageFsFuzzTestInputs/read}:
 * images made by mkfs.erofs 1.5 (uncompressed and lz4hc). Compressed file data is never handed to a native tool
 * here (the fuzzer must not run fsck.erofs on mutants): the tool refuses like a failing fsck.erofs would.
 */
class ErofsImageFsFuzzTest {
    /** fsck.erofs failing, as the real one does on a corrupt image. */
    private static final FsckErofs NO_NATIVE_TOOL = new FsckErofs() {
        @Override
        public String version() {
            return "1.5";
        }

        @Override
        public void extract(Path image, Path destination) throws OperationFailedException {
            throw new OperationFailedException("fsck.erofs is not run on fuzzed images");
        }
    };

    @FuzzTest(maxDuration = "30s")
    void read(byte[] image) {
        try {
            ImageFsFuzzing.exercise(new ErofsImageFs(FuzzInput.file(image), NO_NATIVE_TOOL));
        } catch (StackOverflowError | OutOfMemoryError | RuntimeException e) {
            if (Pending.fuzzing()) {
                throw e;
            }
            Pending.EROFS.skip("the erofs reader fails on this input with " + e);
        }
    }
}
