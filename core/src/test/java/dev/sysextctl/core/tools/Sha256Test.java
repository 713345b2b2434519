package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static String jdk(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String ours(byte[] data) {
        Sha256 sha = new Sha256();
        sha.update(data, 0, data.length);
        return Sha256.hex(sha.digest());
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** FIPS 180-4's examples (NIST's SHA-256 example values). */
    @Test
    void theStandardsExamples() {
        assertThat(ours(new byte[0])).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ours("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ours("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        byte[] million = new byte[1_000_000];
        java.util.Arrays.fill(million, (byte) 'a');
        assertThat(ours(million)).isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    /** Every length up to five blocks (every place the padding can fall), then lengths around block multiples. */
    @Test
    void agreesWithMessageDigestOnEveryLengthAroundTheBlockEdges() throws Exception {
        Random r = new Random(12);
        List<Integer> lengths = new ArrayList<>();
        for (int n = 0; n <= 5 * 64; n++) {
            lengths.add(n);
        }
        for (int blocks : new int[] {16, 63, 64, 1023, 1024, 16384}) {
            for (int d = -9; d <= 9; d++) {
                lengths.add(blocks * 64 + d);
            }
        }
        for (int n : lengths) {
            byte[] data = random(r, n);
            assertThat(ours(data)).as("%d bytes", n).isEqualTo(jdk(data));
        }
    }

    /** The same message in pieces of any size (empty ones too) gives the same digest as in one. */
    @Test
    void agreesWithMessageDigestWhateverThePiecesTheMessageComesIn() throws Exception {
        Random r = new Random(34);
        for (int round = 0; round < 300; round++) {
            byte[] data = random(r, r.nextInt(3000));
            Sha256 sha = new Sha256();
            int at = 0;
            while (at < data.length) {
                int piece = Math.min(data.length - at, r.nextInt(4) == 0 ? 0 : r.nextInt(r.nextBoolean() ? 70 : 700));
                // the piece sits inside a larger array, at an offset
                byte[] around = new byte[piece + 10];
                System.arraycopy(data, at, around, 5, piece);
                sha.update(around, 5, piece);
                at += piece;
            }
            assertThat(Sha256.hex(sha.digest())).as("round %d, %d bytes", round, data.length).isEqualTo(jdk(data));
        }
    }

    @Test
    void hexOfAStreamReadsItToItsEnd() throws Exception {
        byte[] data = random(new Random(56), 200_000);
        assertThat(Sha256.hex(new ByteArrayInputStream(data))).isEqualTo(jdk(data));
    }

    @Test
    void oneInstanceHashesOneMessage() {
        Sha256 sha = new Sha256();
        sha.digest();
        assertThatThrownBy(sha::digest).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sha.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Sha256().update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
