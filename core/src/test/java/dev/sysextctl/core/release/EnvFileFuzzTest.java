package dev.sysextctl.core.release;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the env-file parser that reads os-release and extension-release files from images and
 * roots. In a normal test run it replays the committed inputs in {@code EnvFileFuzzTestInputs/parse}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz). The parser has no failure mode: any throwable is a finding.
 */
class EnvFileFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] data) {
        // The readers decode release files as UTF-8 (malformed bytes replaced); the parser sees any string.
        String text = new String(data, StandardCharsets.UTF_8);
        ReleaseFile release = EnvFile.parse(text);
        release.fields().forEach((k, v) -> EnvFile.assignment(k, v));
        EnvFile.parsePairs(text);
    }
}
