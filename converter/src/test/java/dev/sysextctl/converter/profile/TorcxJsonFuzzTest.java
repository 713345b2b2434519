package dev.sysextctl.converter.profile;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.RefusedException;

/**
 * Coverage-guided fuzzing of the torcx profile and config readers (JSON from a node's {@code /etc/torcx} and
 * {@code /usr/share/torcx}). Seeds in {@code TorcxJsonFuzzTestInputs/profile} and {@code .../config}: vendor and
 * user profiles (v0, v1) and configs as Flatcar wrote them. A profile may be refused ({@link RefusedException});
 * a config is never refused (torcx ignored a bad one); any other throwable is a finding.
 */
class TorcxJsonFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void profile(byte[] json) {
        try {
            ProfileManifest.parse(json, "/etc/torcx/profiles/fuzz.json");
        } catch (RefusedException expected) {
            // refused with a message: the contract
        }
    }

    @FuzzTest(maxDuration = "30s")
    void config(byte[] json) {
        TorcxConfig.parse(json, "/etc/torcx/config.json");
    }
}
