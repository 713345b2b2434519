package dev.sysextctl.converter.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** torcx's store naming rules (store.go): the last ':' splits, other colons vanish, default reference. */
class TorcxArchiveNameTest {
    @Test
    void nameAndReferenceFromTheFileName() {
        assertThat(TorcxArchiveName.parse("docker:20.10.torcx.tgz"))
                .contains(new TorcxArchiveName("docker", "20.10", TorcxArchiveFormat.TGZ));
        assertThat(TorcxArchiveName.parse("docker:19.03.torcx.squashfs"))
                .contains(new TorcxArchiveName("docker", "19.03", TorcxArchiveFormat.SQUASHFS));
    }

    @Test
    void withoutColonTheReferenceIsComCoreosCl() {
        assertThat(TorcxArchiveName.parse("addon_01.torcx.tgz"))
                .contains(new TorcxArchiveName("addon_01", "com.coreos.cl", TorcxArchiveFormat.TGZ));
    }

    @Test
    void severalColonsJoinTheNameWithoutSeparator() {
        assertThat(TorcxArchiveName.parse("a:b:c.torcx.tgz"))
                .contains(new TorcxArchiveName("ab", "c", TorcxArchiveFormat.TGZ));
    }

    @Test
    void otherNamesAreNotArchives() {
        assertThat(TorcxArchiveName.parse("readme.txt")).isEqualTo(Optional.empty());
        assertThat(TorcxArchiveName.parse("docker.tgz")).isEmpty();
        assertThat(TorcxArchiveName.parse(".torcx.tgz")).isEmpty();
        assertThat(TorcxArchiveName.parse("docker:1.torcx.tar.gz")).isEmpty();
    }
}
