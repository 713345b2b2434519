package dev.sysextctl.converter.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.testing.FuzzInput;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * Coverage-guided fuzzing of the ELF runpath rewriter, reading and rewriting in place (the converter runs it on
 * every file of an untrusted torcx archive). Seeds in {@code RunpathRewriterFuzzTestInputs/rewrite}: the E1 stubs
 * (32/64 bit, both byte orders, RUNPATH and RPATH) and a gcc-built executable with a torcx runpath. A file that is
 * not ELF or a malformed ELF is reported in the inspection; an I/O failure is {@link IOException}; any other
 * throwable is a finding.
 */
class RunpathRewriterFuzzTest {
    private static final UnaryOperator<String> TORCX = s -> s.replace("/run/torcx/unpack/docker/lib", "/usr/lib");

    @FuzzTest(maxDuration = "30s")
    void rewrite(byte[] file) {
        try {
            RunpathRewriter.rewrite(FuzzInput.file(file), TORCX, true);
        } catch (IOException expected) {
            // an I/O failure, reported by the caller
        }
    }
}
