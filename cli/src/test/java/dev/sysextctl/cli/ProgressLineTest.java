package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line drawn from a fake clock at a fixed width. */
class ProgressLineTest {
    static final long MS = 1_000_000L;
    long now = 1_000 * MS;
    final StringWriter out = new StringWriter();

    ProgressLine line(int width) {
        return new ProgressLine(new PrintWriter(out, true), () -> now, width);
    }

    /** What each redraw showed: the text between carriage returns, blanks dropped. */
    List<String> frames() {
        return Arrays.stream(out.toString().split("\r")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void showsTheStepEntriesBytesAndRate() {
        ProgressLine p = line(80);
        p.step("writing hello.raw", -1);
        now += 2_000 * MS;
        p.advance(10, 4L << 20);
        assertThat(frames()).containsExactly("writing hello.raw: 10 entries, 4.0 MiB, 2.0 MiB/s");
    }

    @Test
    void showsTheTotalAndShareWhenKnown() {
        ProgressLine p = line(80);
        p.step("copying hello.raw", 8L << 20);
        now += 250 * MS;
        p.advance(0, 2L << 20);
        assertThat(frames()).containsExactly("copying hello.raw: 0 entries, 2.0 MiB of 8.0 MiB (25%)");
    }

    @Test
    void aStepWithNothingCountedShowsItsTime() {
        ProgressLine p = line(80);
        p.step("checksumming hello.raw", -1);
        now += 3_200 * MS;
        p.advance(0, 0);
        assertThat(frames()).containsExactly("checksumming hello.raw: 3 s");
    }

    @Test
    void redrawsAtMostTenTimesASecond() {
        ProgressLine p = line(80);
        p.step("writing big.raw", -1);
        for (int i = 0; i < 2_000; i++) {
            now += MS;
            p.advance(1, 4096);
        }
        assertThat(out.toString().chars().filter(c -> c == '\r').count()).isBetween(19L, 21L);
    }

    @Test
    void nothingIsDrawnInTheFirstTenthOfASecond() {
        ProgressLine p = line(80);
        p.step("writing small.raw", -1);
        now += 50 * MS;
        p.advance(3, 100);
        p.done();
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void neverWiderThanTheTerminalLessOneColumn() {
        ProgressLine p = line(30);
        p.step("writing a-rather-long-extension-name-1.0-x86-64.raw", -1);
        now += 2_000 * MS;
        p.advance(123_456, 1L << 40);
        assertThat(frames()).singleElement().satisfies(f -> assertThat(f).hasSize(29).startsWith("writing a-rather"));
    }

    @Test
    void aShorterLineCoversTheLongerOneAndTheEndClearsIt() {
        ProgressLine p = line(80);
        p.step("writing hello.raw", -1);
        now += 2_000 * MS;
        p.advance(10, 4L << 20);
        String first = "writing hello.raw: 10 entries, 4.0 MiB, 2.0 MiB/s";
        now += 200 * MS;
        p.step("checksum", -1);
        String second = "checksum: 0 s";
        p.done();
        assertThat(out.toString()).isEqualTo("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
                + "\r" + second + "\r" + " ".repeat(second.length()) + "\r");
        p.done();
        assertThat(out.toString()).endsWith(" ".repeat(second.length()) + "\r");
    }
}
