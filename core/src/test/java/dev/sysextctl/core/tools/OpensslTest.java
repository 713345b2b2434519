package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.tools.SystemdSysextAndMounterTest.Recording;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact argv of the openssl wrapper. */
class OpensslTest {
    @Test
    void signingRunsSmimeSignWithoutAttributesToADerFile() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, ""));
        new DefaultOpenssl(r).signDetached(Path.of("/t/roothash"), Path.of("/k/key.pem"), Path.of("/k/cert.pem"),
                Path.of("/t/roothash.p7s"));
        assertThat(r.argvs()).containsExactly(List.of("openssl", "smime", "-sign", "-binary", "-noattr", "-md",
                "sha256", "-in", "/t/roothash", "-inkey", "/k/key.pem", "-signer", "/k/cert.pem", "-outform", "der",
                "-out", "/t/roothash.p7s"));
    }

    @Test
    void verifyingLooksAtTheGivenCertificateOnlyAndReportsTheExitCode() throws Exception {
        Recording r = new Recording(c -> new ProcessResult(c.argv(), c.argv().contains("/good.pem") ? 0 : 4, "", ""));
        Openssl o = new DefaultOpenssl(r);
        assertThat(o.verifyDetached(Path.of("/s.p7s"), Path.of("/roothash"), Path.of("/good.pem"))).isTrue();
        assertThat(o.verifyDetached(Path.of("/s.p7s"), Path.of("/roothash"), Path.of("/other.pem"))).isFalse();
        assertThat(r.argvs().get(0)).containsExactly("openssl", "smime", "-verify", "-binary", "-inform", "der", "-in",
                "/s.p7s", "-content", "/roothash", "-certfile", "/good.pem", "-nointern", "-noverify", "-out",
                "/dev/null");
    }

    @Test
    void aFailedSignatureIsOneLineNamingTheKey() {
        Recording r = new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "Could not read signing key from /k/key.pem\n40F7:error:1E08010C:DECODER routines\n"));
        assertThatThrownBy(() -> new DefaultOpenssl(r).signDetached(Path.of("/t/r"), Path.of("/k/key.pem"),
                Path.of("/k/cert.pem"), Path.of("/t/r.p7s"))).isInstanceOf(OperationFailedException.class)
                .hasMessage("openssl could not sign with /k/key.pem and /k/cert.pem: Could not read signing key from "
                        + "/k/key.pem; check that the key is an unencrypted PEM private key and the certificate its "
                        + "PEM X.509 certificate");
    }
}
