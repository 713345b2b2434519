package dev.sysextctl.builder.source;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.testing.FuzzInput;
import java.io.IOException;
import java.io.InputStream;

/**
 * Coverage-guided fuzzing of the tar entry sanitiser ({@link TarSource}: compression told from the first bytes,
 * headers, GNU/PAX long names, xattr records, path and link safety). Seeds in {@code TarSourceFuzzTestInputs/scan}:
 * archives made by GNU tar 1.34 (plain, gzip, xz, zstd, bzip2; GNU and PAX formats, long names, links, devices,
 * xattrs). Refusing the archive ({@link SysextctlException}, or {@link IOException} from the visitor's reads) is
 * the contract; any other throwable is a finding.
 */
class TarSourceFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void scan(byte[] archive) {
        try {
            TarSource source = TarSource.open(FuzzInput.file(archive));
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
