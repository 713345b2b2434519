package dev.sysextctl.builder.source;

import static dev.sysextctl.builder.Fixtures.Member.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tar archives crafted to exhaust memory, hide corruption or smuggle entry types: each is refused in one line. */
class HostileTarTest {
    @TempDir
    Path tmp;

    private Fixtures.Scan scan(String name, byte[] bytes) throws Exception {
        return Fixtures.scan(TarSource.open(Fixtures.write(tmp.resolve(name), bytes)));
    }

    @Test
    void aGnuLongNameDeclaredAsOneGibibyteIsRefusedBeforeItIsRead() throws Exception {
        // Only the header: the reader would otherwise try to buffer 1 GiB (and, with a zstd bomb, get it).
        byte[] tar = new RawTar().header("././@LongLink", 'L', 1L << 30).data(new byte[4096]).end();
        assertThatThrownBy(() -> scan("long.tar.zst", Fixtures.compress(tar, ArchiveCompression.ZSTD)))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("long.tar.zst: the tar entry at byte 0 has a GNU long name of 1073741824 bytes")
                .hasMessageContaining("(unsafe-path)").hasMessageNotContaining("\n");
    }

    @Test
    void aGnuLongNameOverPathMaxIsRefused() throws Exception {
        byte[] name = ("usr/" + "d/".repeat(3000) + "f\0").getBytes(StandardCharsets.UTF_8);
        byte[] tar = new RawTar().entry("././@LongLink", 'L', name).entry("usr/f", '0', new byte[0]).end();
        assertThatThrownBy(() -> scan("long.tar", tar)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("GNU long name of " + name.length + " bytes, longer than PATH_MAX (4096)");
    }

    @Test
    void aGnuLongLinkNameOverPathMaxIsRefused() throws Exception {
        byte[] link = ("x".repeat(5000) + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] tar = new RawTar().entry("././@LongLink", 'K', link).header("usr/l", '2', 0).end();
        assertThatThrownBy(() -> scan("link.tar", tar)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("GNU long link name of 5001 bytes");
    }

    @Test
    void aPaxHeaderOverTheCapIsRefused() throws Exception {
        byte[] tar = new RawTar().pax("SCHILY.xattr.user.big=" + "v".repeat(300_000))
                .entry("usr/f", '0', new byte[0]).end();
        assertThatThrownBy(() -> scan("pax.tar.gz", Fixtures.compress(tar, ArchiveCompression.GZIP)))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("has a PAX header of 300")
                .hasMessageContaining("over the 262144 bytes sysextctl reads (unsafe-path); rebuild the archive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"path", "linkpath"})
    void aPaxNameOverPathMaxIsRefused(String key) throws Exception {
        byte[] tar = new RawTar().pax(key + "=usr/" + "n".repeat(4100)).header("usr/l", '2', 0).end();
        assertThatThrownBy(() -> scan("pax.tar", tar)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("has a PAX " + key + " of 4104 bytes, longer than PATH_MAX (4096) (unsafe-path)");
    }

    @Test
    void aNameWithinTheCapsIsRead() throws Exception {
        String name = "usr/" + "d/".repeat(1000) + "f";
        byte[] tar = new RawTar().pax("path=" + name).entry("usr/f", '0', "x".getBytes(StandardCharsets.UTF_8))
                .end();
        assertThat(scan("ok.tar", tar).entries()).extracting(TreeEntry::path).containsExactly(name);
    }

    @Test
    void aHeaderWithAWrongChecksumIsRefused() throws Exception {
        byte[] tar = Fixtures.tar(List.of(file("usr/bin/a", "a"), file("usr/bin/b", "b")));
        tar[1024 + 8] ^= 0x01; // the second header's name: "usr/bin/b" becomes "usr/bin/c", the checksum stays
        assertThatThrownBy(() -> scan("sum.tar", tar)).isInstanceOf(OperationFailedException.class)
                .hasMessage(tmp.resolve("sum.tar") + ": the tar entry at byte 1024 has a wrong header checksum; "
                        + "check that the archive is complete and not corrupt");
    }

    @ParameterizedTest
    @ValueSource(chars = {'V', 'M', 'S', 'D', 'N', 'A', 'Z'})
    void entryTypesWithNoPlaceInAnImageAreRefused(char type) throws Exception {
        byte[] tar = new RawTar().entry("usr/f", type, new byte[0]).end();
        assertThatThrownBy(() -> scan("type.tar", tar)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("which has no place in an image (unsupported-entry); rebuild the archive");
    }

    @Test
    void aPaxSparseFileIsRefused() throws Exception {
        byte[] tar = new RawTar().pax("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=usr/f",
                "GNU.sparse.realsize=1048576").entry("usr/GNUSparseFile.0/f", '0', "1\n0\n0\n".getBytes(
                        StandardCharsets.US_ASCII)).end();
        assertThatThrownBy(() -> scan("sparse.tar", tar)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("is a GNU sparse file (PAX GNU.sparse.major)")
                .hasMessageContaining("(unsupported-entry)");
    }

    @Test
    void aDirectoryThatClaimsDataIsRefused() throws Exception {
        byte[] tar = new RawTar().entry("usr/d/", '5', new byte[600]).end();
        assertThatThrownBy(() -> scan("dir.tar", tar)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("is a directory that claims 600 bytes of data");
    }

    @Test
    void aPlainTarThatEndsInsideAnEntryIsRefused() throws Exception {
        byte[] whole = new RawTar().entry("usr/f", '0', new byte[5000]).end();
        assertThatThrownBy(() -> scan("cut.tar", Arrays.copyOf(whole, 3000)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cut.tar: the tar archive ends inside the entry at byte 0 (truncated at byte 3000)");
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveCompression.class, names = {"GZIP", "XZ", "ZSTD", "BZIP2"})
    void aTruncatedCompressedArchiveSaysWhereItEnds(ArchiveCompression c) throws Exception {
        byte[] compressed = Fixtures.compress(Fixtures.tar(List.of(file("usr/f", randomText(200_000)))), c);
        int cut = compressed.length / 2;
        assertThatThrownBy(() -> scan("cut.bin", Arrays.copyOf(compressed, cut)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith(tmp.resolve("cut.bin") + " is not a valid " + c.displayName()
                        + " stream (truncated at byte " + cut + "); check that the archive is complete");
    }

    /**
     * Incompressible content is stored as is by xz (LZMA2 uncompressed chunks) and gzip (stored blocks): flipped
     * bytes decode without an error and only the stream's check (CRC64, CRC32) tells. The tar reader stops at the end
     * of the last 10 KiB record, before the decoder reaches the check, unless the stream is read to its end.
     */
    @ParameterizedTest
    @EnumSource(value = ArchiveCompression.class, names = {"GZIP", "XZ"})
    void flippedBytesInStoredDataFailTheStreamCheck(ArchiveCompression c) throws Exception {
        byte[] random = new byte[256 * 1024];
        new Random(11).nextBytes(random);
        byte[] tar = new RawTar().entry("usr/blob", '0', random).end();
        tar = Arrays.copyOf(tar, (tar.length + 10239) / 10240 * 10240); // GNU tar's 10 KiB records: nothing after
        byte[] compressed = Fixtures.compress(tar, c);
        for (int i = 0; i < 64; i++) {
            compressed[compressed.length / 2 + i] ^= (byte) 0xa5;
        }
        assertThatThrownBy(() -> scan("flipped.bin", compressed)).isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith(tmp.resolve("flipped.bin") + " is not a valid " + c.displayName() + " stream (")
                .hasMessageContaining(" at byte ").hasMessageEndingWith("; check that the archive is complete and "
                        + "not corrupt");
    }

    @Test
    void pathsTheKernelCannotUseAreLeftOutAsErrors() throws Exception {
        String deep = "usr/" + "d/".repeat(2045) + "f"; // 4095 bytes: with its leading '/' and NUL, over PATH_MAX
        String wide = "usr/" + "n".repeat(256);
        String fine = "usr/" + "d/".repeat(2044) + "f";
        byte[] tar = new RawTar().pax("path=" + deep).entry("x", '0', new byte[0])
                .pax("path=" + wide).entry("x", '0', new byte[0])
                .pax("path=usr/link", "linkpath=" + "t".repeat(4096)).header("x", '2', 0)
                .pax("path=" + fine).entry("x", '0', new byte[0]).end();
        Fixtures.Scan scan = scan("long.tar", tar);
        assertThat(scan.entries()).extracting(TreeEntry::path).containsExactly(fine);
        assertThat(scan.findings().asList()).extracting(Finding::id).containsOnly(RuleId.PATH_TOO_LONG.id())
                .hasSize(3);
        assertThat(scan.findings().asList()).allMatch(Finding::isError).extracting(Finding::message).containsExactly(
                "the path is 4095 bytes, longer than PATH_MAX (4096) allows; it was left out",
                "a component of the path is 256 bytes, longer than NAME_MAX (255); it was left out",
                "the symlink's target is 4096 bytes, longer than PATH_MAX (4096) allows; it was left out");
        assertThat(scan.findings().asList().get(0).path()).hasSize(195);
    }

    /** GNU gzip (and so GNU tar) ignores zeros after the last gzip member and refuses anything else there. */
    @Test
    void zerosAfterTheLastGzipMemberAreIgnoredGarbageIsNot() throws Exception {
        byte[] gz = Fixtures.compress(Fixtures.tar(List.of(file("usr/f", "f"))), ArchiveCompression.GZIP);
        byte[] zeros = Arrays.copyOf(gz, gz.length + 1024);
        assertThat(scan("zeros.tgz", zeros).entries()).extracting(TreeEntry::path).containsExactly("usr/f");
        byte[] garbage = Arrays.copyOf(gz, gz.length + 8);
        System.arraycopy("garbage\n".getBytes(StandardCharsets.US_ASCII), 0, garbage, gz.length, 8);
        assertThatThrownBy(() -> scan("garbage.tgz", garbage)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("garbage.tgz is not a valid gzip stream (Unexpected data after a valid .gz stream");
    }

    private static String randomText(int length) {
        Random r = new Random(7);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + r.nextInt(26)));
        }
        return s.toString();
    }
}
