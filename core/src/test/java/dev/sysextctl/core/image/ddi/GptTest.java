package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPT writer and reader: layout, GUID byte order, CRC32s, the backup table. */
class GptTest {
    private static final UUID ROOT_X86_64 = UUID.fromString("4f68bce3-e8cd-4db1-96e7-fbcaf984b709");

    @TempDir
    Path tmp;

    private Path disk(Gpt gpt) throws Exception {
        Path f = tmp.resolve("disk.raw");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ch.write(ByteBuffer.allocate(1), gpt.totalSectors() * Gpt.SECTOR - 1);
            gpt.write(ch);
        }
        return f;
    }

    private static Gpt sample() {
        return Gpt.of(UUID.fromString("11111111-2222-4333-8444-555555555555"), 200, List.of(
                new GptPartition(ROOT_X86_64, UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"), "root-x86-64",
                        40, 79, GptPartition.READ_ONLY),
                new GptPartition(UUID.fromString("2c7357ed-ebd2-46d9-aec1-23d437ec2bf5"),
                        UUID.fromString("01234567-89ab-cdef-0123-456789abcdef"), "root-x86-64-verity", 80, 87,
                        GptPartition.READ_ONLY)));
    }

    @Test
    void aWrittenTableReadsBackWithProtectiveMbrAndBothHeaders() throws Exception {
        Gpt gpt = sample();
        Path f = disk(gpt);
        byte[] b = Files.readAllBytes(f);
        assertThat(b[450] & 0xff).as("protective MBR type").isEqualTo(0xEE);
        assertThat(ByteBuffer.wrap(b, 454, 8).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(b, 458, 4).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(199);
        assertThat(b[510] & 0xff).isEqualTo(0x55);
        assertThat(b[511] & 0xff).isEqualTo(0xAA);
        assertThat(new String(b, 512, 8, "US-ASCII")).isEqualTo("EFI PART");
        assertThat(new String(b, 199 * 512, 8, "US-ASCII")).as("backup header in the last sector").isEqualTo("EFI PART");
        ByteBuffer backup = ByteBuffer.wrap(b, 199 * 512, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(backup.getLong(24)).as("backup's own LBA").isEqualTo(199);
        assertThat(backup.getLong(32)).as("backup's alternate LBA").isEqualTo(1);
        assertThat(backup.getLong(72)).as("backup entries right before it").isEqualTo(199 - 32);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThat(Gpt.read(ch)).isEqualTo(gpt);
        }
    }

    @Test
    void guidsAreStoredMixedEndianAsUefiSays() throws Exception {
        byte[] b = Files.readAllBytes(disk(sample()));
        assertThat(HexFormat.of().formatHex(b, 1024, 1040)).isEqualTo("e3bc684fcde8b14d96e7fbcaf984b709");
        assertThat(new String(b, 1024 + 56, 22, "UTF-16LE")).isEqualTo("root-x86-64");
        assertThat(ByteBuffer.wrap(b, 1024 + 48, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(1L << 60);
    }

    @Test
    void headerAndEntryCrcsAreTheCrc32OfWhatTheyCover() throws Exception {
        byte[] b = Files.readAllBytes(disk(sample()));
        ByteBuffer h = ByteBuffer.wrap(b, 512, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
        CRC32 entries = new CRC32();
        entries.update(b, 1024, 128 * 128);
        assertThat(h.getInt(88)).isEqualTo((int) entries.getValue());
        byte[] header = java.util.Arrays.copyOfRange(b, 512, 512 + 92);
        int stored = h.getInt(16);
        header[16] = header[17] = header[18] = header[19] = 0;
        CRC32 crc = new CRC32();
        crc.update(header);
        assertThat(stored).isEqualTo((int) crc.getValue());
    }

    @Test
    void aDamagedPrimaryTableFallsBackToTheBackupAndBothDamagedIsRefused() throws Exception {
        Gpt gpt = sample();
        Path f = disk(gpt);
        byte[] b = Files.readAllBytes(f);
        b[1024 + 60] ^= 1; // a primary entry: its CRC fails
        Files.write(f, b);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThat(Gpt.read(ch)).isEqualTo(gpt);
        }
        b[(199 - 32) * 512 + 60] ^= 1; // the backup entries too
        Files.write(f, b);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThatThrownBy(() -> Gpt.read(ch)).isInstanceOf(DdiFormatException.class)
                    .hasMessage("its primary GPT partition entries fail their CRC32 (damaged)");
        }
    }

    @Test
    void aPartitionOutsideTheUsableAreaIsRefused() throws Exception {
        Gpt bad = Gpt.of(UUID.randomUUID(), 100, List.of(new GptPartition(ROOT_X86_64, UUID.randomUUID(), "r", 40,
                99, 0)));
        Path f = disk(bad);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThatThrownBy(() -> Gpt.read(ch)).isInstanceOf(DdiFormatException.class)
                    .hasMessageContaining("lies outside the usable area 34-66");
        }
    }

    @Test
    void aFileWithoutGptIsRefused() throws Exception {
        Path f = tmp.resolve("zero");
        Files.write(f, new byte[4096]);
        try (FileChannel ch = FileChannel.open(f)) {
            assertThatThrownBy(() -> Gpt.read(ch)).isInstanceOf(DdiFormatException.class)
                    .hasMessage("its primary GPT header has no 'EFI PART' signature");
        }
    }
}
