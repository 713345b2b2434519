package dev.sysextctl.converter.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.RefusedException;

/**
 * Coverage-guided fuzzing of the torcx image manifest reader ({@code .torcx/manifest.json} from an untrusted
 * archive). Seeds in {@code ImageManifestFuzzTestInputs/parse}: the manifests of the torcx fixtures and the example.
 * Refusing the manifest ({@link RefusedException}) is the contract; any other throwable is a finding.
 */
class ImageManifestFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] json) {
        try {
            ImageManifest m = ImageManifest.parse(json, "fuzz.torcx.tgz");
            m.kindWarning();
            m.isEmpty();
        } catch (RefusedException expected) {
            // refused with a message: the contract
        }
    }
}
