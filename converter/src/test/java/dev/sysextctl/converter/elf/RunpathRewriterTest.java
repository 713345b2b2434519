package dev.sysextctl.converter.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.ElfStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunpathRewriterTest {
    @TempDir
    Path tmp;

    private static final UnaryOperator<String> TORCX = s -> s.replace("/run/torcx/unpack/docker/lib", "/usr/lib");

    private Path write(byte[] b) throws Exception {
        Path p = Files.createTempFile(tmp, "elf", "");
        Files.write(p, b);
        return p;
    }

    @Test
    void originRelativeRunpathIsKept() throws Exception {
        byte[] e1 = ElfStub.e1();
        Path f = write(e1);
        ElfInspection i = RunpathRewriter.rewrite(f, TORCX, true);
        assertThat(i.elf()).isTrue();
        assertThat(i.architecture()).contains("x86-64");
        assertThat(i.runpaths()).containsExactly("$ORIGIN/../lib");
        assertThat(i.changes()).isEmpty();
        assertThat(Files.readAllBytes(f)).isEqualTo(e1);
    }

    @Test
    void absoluteTorcxRunpathIsRewrittenInPlaceAndPadded() throws Exception {
        byte[] before = ElfStub.e1c();
        Path f = write(before);
        ElfInspection i = RunpathRewriter.rewrite(f, TORCX, true);
        assertThat(i.changes()).singleElement().satisfies(c -> {
            assertThat(c.applied()).isTrue();
            assertThat(c.tag()).isEqualTo("DT_RUNPATH");
            assertThat(c.after()).isEqualTo("/usr/lib");
        });
        byte[] after = Files.readAllBytes(f);
        assertThat(after).hasSameSizeAs(before);
        ElfInspection again = RunpathRewriter.rewrite(f, TORCX, false);
        assertThat(again.runpaths()).containsExactly("/usr/lib");
        String text = new String(after, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/usr/lib");
        assertThat(Arrays.copyOfRange(after, at + 8, at + 29)).containsOnly((byte) 0);
        assertThat(text).contains("libltdl.so.7");
    }

    @Test
    void rpathIsHandledLikeRunpath() throws Exception {
        Path f = write(ElfStub.build(true, false, ElfStub.EM_X86_64, ElfStub.DT_RPATH,
                "/run/torcx/unpack/docker/lib:$ORIGIN/../lib"));
        ElfInspection i = RunpathRewriter.rewrite(f, TORCX, true);
        assertThat(i.changes()).singleElement().satisfies(c -> {
            assertThat(c.tag()).isEqualTo("DT_RPATH");
            assertThat(c.after()).isEqualTo("/usr/lib:$ORIGIN/../lib");
            assertThat(c.applied()).isTrue();
        });
    }

    @Test
    void thirtyTwoBitBigEndianArm64Variants() throws Exception {
        Path be32 = write(ElfStub.build(false, true, 20, ElfStub.DT_RUNPATH, "/run/torcx/unpack/docker/lib"));
        ElfInspection i = RunpathRewriter.rewrite(be32, TORCX, true);
        assertThat(i.architecture()).contains("ppc");
        assertThat(i.changed()).isTrue();
        assertThat(RunpathRewriter.rewrite(be32, TORCX, false).runpaths()).containsExactly("/usr/lib");
        Path arm = write(ElfStub.build(true, false, ElfStub.EM_AARCH64, ElfStub.DT_RUNPATH, "$ORIGIN"));
        assertThat(RunpathRewriter.rewrite(arm, TORCX, false).architecture()).contains("arm64");
    }

    @Test
    void longerRunpathIsReportedAndNotWritten() throws Exception {
        byte[] before = ElfStub.build(true, false, ElfStub.EM_X86_64, ElfStub.DT_RUNPATH, "/run/torcx/x");
        Path f = write(before);
        ElfInspection i = RunpathRewriter.rewrite(f, s -> "/usr/lib/a/much/longer/path", true);
        assertThat(i.changes()).singleElement().satisfies(c -> {
            assertThat(c.applied()).isFalse();
            assertThat(c.reason()).contains("longer");
        });
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
    }

    @Test
    void sharedTailIsNotRewritten() throws Exception {
        // DT_NEEDED points into the tail of the runpath string ("lib" at the end of ".../lib")
        byte[] b = ElfStub.build(true, false, ElfStub.EM_X86_64, ElfStub.DT_RUNPATH, "/run/torcx/unpack/docker/lib");
        int dynOff = findDynamic(b);
        long rpIndex = java.nio.ByteBuffer.wrap(b, dynOff + 16 + 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getLong();
        java.nio.ByteBuffer.wrap(b, dynOff + 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(rpIndex + 25);
        Path f = write(b);
        ElfInspection i = RunpathRewriter.rewrite(f, TORCX, true);
        assertThat(i.changes()).singleElement().satisfies(c -> {
            assertThat(c.applied()).isFalse();
            assertThat(c.reason()).contains("shares");
        });
        assertThat(Files.readAllBytes(f)).isEqualTo(b);
    }

    @Test
    void notElfAndMalformedElf() throws Exception {
        assertThat(RunpathRewriter.rewrite(write("#!/bin/sh\n".getBytes()), TORCX, true).elf()).isFalse();
        byte[] broken = ElfStub.e1c();
        java.nio.ByteBuffer.wrap(broken, 32, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        ElfInspection i = RunpathRewriter.rewrite(write(broken), TORCX, true);
        assertThat(i.elf()).isTrue();
        assertThat(i.problem()).contains("out of bounds");
    }

    private static int findDynamic(byte[] b) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long phoff = bb.getLong(32);
        return (int) bb.getLong((int) phoff + 56 + 8);
    }
}
