package dev.sysextctl.builder.source.oci;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.testing.FuzzInput;
import java.io.IOException;
import java.io.InputStream;

/**
 * Coverage-guided fuzzing of a {@code docker save} archive as a build source: the outer archive's listing
 * ({@link ImageFiles#archive}, through the tar header guard), manifest.json and the config, then the layers. Seeds in
 * {@code ContainerArchiveFuzzTestInputs/read}: archives of Docker 20.10's shape and of Docker 25's (with an OCI
 * layout), written by {@link OciFixture}. Refusing the image ({@link SysextctlException}, or {@link IOException}
 * from the visitor's reads) is the contract; any other throwable is a finding.
 */
class ContainerArchiveFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void read(byte[] archive) {
        try {
            ContainerImageSource source = ContainerImageSource.open(
                    ImageReference.parse("docker-archive:" + FuzzInput.file(archive)).orElseThrow(),
                    ContainerSelection.ALL);
            source.scan((entry, content) -> drain(content), new Findings());
        } catch (SysextctlException | IOException expected) {
            // refused with a message: the contract
        }
    }

    private static void drain(InputStream content) throws IOException {
        if (content != null) {
            content.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
