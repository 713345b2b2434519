package dev.sysextctl.converter.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnitRewriterTest {
    private final UnitRewriter rewriter = new UnitRewriter(new TorcxReferences("docker"));

    private String rw(String... lines) {
        return rewriter.rewrite(String.join("\n", lines) + "\n").text();
    }

    @Test
    void torcxLinesAreRemovedNotBlanked() {
        assertThat(rw("[Unit]", "Requires=torcx.target", "After=torcx.target", "Description=x", "[Service]",
                "EnvironmentFile=/run/metadata/torcx", "EnvironmentFile=-/run/metadata/torcx",
                "Environment=TORCX_IMAGEDIR=/docker", "ExecStart=/usr/bin/true"))
                .isEqualTo("[Unit]\nDescription=x\n[Service]\nExecStart=/usr/bin/true\n");
    }

    @Test
    void torcxTargetIsRemovedFromDependencyListsKeepingTheRest() {
        assertThat(rw("[Unit]", "After=torcx.target network.target", "Wants=torcx.target", "[Install]",
                "WantedBy=torcx.target multi-user.target"))
                .isEqualTo("[Unit]\nAfter=network.target\n[Install]\nWantedBy=multi-user.target\n");
    }

    @Test
    void torcxAssignmentsLeaveEnvironmentLinesWithOtherAssignments() {
        assertThat(rw("Environment=\"DOCKER_OPTS=--a b\" TORCX_IMAGEDIR=/docker 'X=1'"))
                .isEqualTo("Environment=\"DOCKER_OPTS=--a b\" 'X=1'\n");
        assertThat(rw("UnsetEnvironment=TORCX_BINDIR")).isEmpty();
    }

    @Test
    void envPathWrapperCollapsesToThePlainCommandKeepingPrefixes() {
        assertThat(rw("ExecStart=/usr/bin/env PATH=${TORCX_BINDIR}:${PATH} ${TORCX_BINDIR}/dockerd --host=fd://"))
                .isEqualTo("ExecStart=/usr/bin/dockerd --host=fd://\n");
        assertThat(rw("ExecStartPre=-/usr/bin/env PATH=/run/torcx/bin:$PATH /run/torcx/bin/ctr version"))
                .isEqualTo("ExecStartPre=-/usr/bin/ctr version\n");
        assertThat(rw("ExecStart=/usr/bin/env PATH=${TORCX_BINDIR}:${PATH} FOO=1 ${TORCX_BINDIR}/x"))
                .isEqualTo("ExecStart=/usr/bin/env FOO=1 /usr/bin/x\n");
    }

    @Test
    void untouchedLinesStayByteForByte() {
        String in = "[Service]\nExecReload=/bin/kill -s HUP $MAINPID\n# torcx comment stays\n  Type = notify\n";
        assertThat(rewriter.rewrite(in).text()).isEqualTo(in);
        assertThat(rewriter.rewrite(in).changed()).isFalse();
    }

    @Test
    void conditionsOnTorcxPathsGoAndOthersAreRewritten() {
        assertThat(rw("[Unit]", "AssertPathExists=/run/metadata/torcx",
                "ConditionPathExists=/run/torcx/unpack/docker/bin/dockerd", "ConditionPathExists=/run/torcx/other"))
                .isEqualTo("[Unit]\nConditionPathExists=/usr/bin/dockerd\n");
    }

    @Test
    void continuedLinesGetPathRewritesOnly() {
        assertThat(rw("ExecStart=${TORCX_BINDIR}/dockerd \\", "  --config ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}/usr/share/x"))
                .isEqualTo("ExecStart=/usr/bin/dockerd \\\n  --config /usr/share/x\n");
    }

    @Test
    void leftoversAreReported() {
        RewriteResult r = rewriter.rewrite("[Service]\nExecStart=/bin/sh -c '. /run/metadata/torcx; run'\n");
        assertThat(r.unresolved()).contains("/run/metadata/torcx");
    }

    @Test
    void noTrailingNewlineIsKept() {
        assertThat(rewriter.rewrite("[Unit]\nAfter=torcx.target").text()).isEqualTo("[Unit]\n");
        assertThat(rewriter.rewrite("[Unit]\nDescription=x").text()).isEqualTo("[Unit]\nDescription=x");
    }
}
