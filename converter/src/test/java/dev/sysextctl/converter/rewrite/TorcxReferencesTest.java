package dev.sysextctl.converter.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TorcxReferencesTest {
    private final TorcxReferences refs = new TorcxReferences("docker");

    private String rw(String s) {
        return refs.rewrite(s).text();
    }

    @Test
    void imageRootFollowedByAVariableBecomesTheVariableNotADoubleSlash() {
        assertThat(rw("--config ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}${CONTAINERD_CONFIG}"))
                .isEqualTo("--config ${CONTAINERD_CONFIG}");
        assertThat(rw("$TORCX_UNPACKDIR$TORCX_IMAGEDIR$CONF")).isEqualTo("$CONF");
    }

    @Test
    void imageRootPathsAreRelocated() {
        assertThat(rw("${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}/bin/docker-init")).isEqualTo("/usr/bin/docker-init");
        assertThat(rw("${TORCX_UNPACKDIR}/docker/lib/x.so")).isEqualTo("/usr/lib/x.so");
        assertThat(rw("/run/torcx/unpack/docker/usr/share/containerd/config.toml"))
                .isEqualTo("/usr/share/containerd/config.toml");
        assertThat(rw("/run/torcx/unpack/docker/sbin/tool")).isEqualTo("/usr/bin/tool");
        assertThat(rw("/run/torcx/unpack/docker/lib64/ld.so")).isEqualTo("/usr/lib/ld.so");
        assertThat(rw("/run/torcx/unpack/docker/opt/x")).isEqualTo("/opt/x");
        assertThat(rw("a:/run/torcx/unpack/docker/lib:b")).isEqualTo("a:/usr/lib:b");
    }

    @Test
    void binDirBecomesUsrBin() {
        assertThat(rw("${TORCX_BINDIR}/docker $TORCX_BINDIR/ctr /run/torcx/bin/runc"))
                .isEqualTo("/usr/bin/docker /usr/bin/ctr /usr/bin/runc");
    }

    @Test
    void otherImagesAndLookalikesAreLeftAndReported() {
        RewriteResult r = refs.rewrite("/run/torcx/unpack/docker-extra/bin/x ${TORCX_IMAGEDIR} $TORCX_BINDIRX");
        assertThat(r.text()).isEqualTo("/run/torcx/unpack/docker-extra/bin/x ${TORCX_IMAGEDIR} $TORCX_BINDIRX");
        assertThat(r.unresolved()).contains("/run/torcx/unpack/docker-extra/bin/x", "${TORCX_IMAGEDIR}",
                "$TORCX_BINDIRX");
    }

    @Test
    void contentASysextCannotCarryStaysUnresolved() {
        RewriteResult r = refs.rewrite("/run/torcx/unpack/docker/etc/foo.conf");
        assertThat(r.text()).isEqualTo("/run/torcx/unpack/docker/etc/foo.conf");
        assertThat(r.unresolved()).hasSize(1);
        assertThat(r.changed()).isFalse();
    }

    @Test
    void sealFileAndTargetAreLeftovers() {
        assertThat(TorcxReferences.leftovers(". /run/metadata/torcx; After=torcx.target"))
                .contains("/run/metadata/torcx", "torcx.target");
        assertThat(TorcxReferences.mentionsTorcx("ExecStart=/usr/bin/docker")).isFalse();
    }
}
