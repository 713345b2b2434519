package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TimeZone;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What the short commands do without the JDK's costlier paths (Formatter, DateTimeFormatter, reflection, Runtime.exit)
 * gives the same text as those paths.
 */
class StartupWorkTest {
    /** The sizes below 1 TiB, formatted with integers, read as {@code String.format("%.1f")} writes them. */
    @Test
    void humanSizeIsWhatTheFormatterPrints() {
        List<Long> sizes = new ArrayList<>();
        for (int u = 1; u <= 4; u++) {
            long unit = 1L << (10 * u);
            for (long k : new long[] {1, 2, 10, 100, 1000, 1023, 1024}) {
                for (long d = -3; d <= 3; d++) {
                    sizes.add(k * unit + d);
                }
            }
            for (long tenths = 0; tenths < 200; tenths++) {
                long tie = (2 * tenths + 1) * unit / 20; // near x.x5
                sizes.add(tie - 1);
                sizes.add(tie);
                sizes.add(tie + 1);
            }
        }
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            sizes.add(random.nextLong(1L << random.nextInt(10, 42)));
        }
        for (long size : sizes) {
            if (size >= 0) {
                assertThat(Console.humanSize(size)).as("%d bytes", size).isEqualTo(formatted(size));
            }
        }
    }

    /** The former {@code humanSize}: the double divided down, then {@code %.1f}. */
    private static String formatted(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** In every zone {@code since} writes itself, its text is the DateTimeFormatter's ({@code zzz} included). */
    @Test
    void sinceInUtcZonesIsWhatTheDateTimeFormatterPrints() {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);
        TimeZone before = TimeZone.getDefault();
        List<String> zones = new ArrayList<>(MergerCli.UTC_ZONES.keySet());
        zones.add("Europe/Berlin"); // not written by hand: the formatter's text either way
        try {
            for (String id : zones) {
                TimeZone.setDefault(TimeZone.getTimeZone(id));
                for (long micros : new long[] {0, 1_500_000, -1_500_000, 1_765_000_000_123_456L, 951_782_400_000_000L,
                        4_102_444_799_999_999L, 253_402_300_799_000_000L, -30_610_224_000_000_000L}) {
                    String expected = f.format(Instant.ofEpochSecond(micros / 1_000_000).atZone(ZoneId.systemDefault()));
                    assertThat(MergerCli.since(micros, MergerCli.defaultUtcName())).as("%s at %d", id, micros)
                            .isEqualTo(expected);
                }
            }
        } finally {
            TimeZone.setDefault(before);
        }
        assertThat(MergerCli.since(null)).isEqualTo("-");
        assertThat(MergerCli.since(null, "UTC")).isEqualTo("-");
    }

    /** The status rows, padded by hand, are what {@code %-Ns} made of them. */
    @Test
    void statusRowsAreWhatTheFormatStringPadded() {
        for (boolean cls : new boolean[] {false, true}) {
            for (String[] row : new String[][] {{"HIERARCHY", "CLASS", "EXTENSIONS", "SINCE"}, {"/usr", "sysext",
                "a-very-long-extension-name", "Mon 2026-12-07 06:28:05 UTC"}, {"", "", "b", ""}, {"/opt", "", "none",
                "-"}, {"/a/hierarchy/longer/than/the/width", "confext", "x", "-"}}) {
                int w = 12;
                int e = 14;
                String fmt = "%-" + w + "s " + (cls ? "%-7s " : "%s") + "%-" + e + "s %s";
                String c = cls ? row[1] : "";
                assertThat(MergerCli.statusRow(w, e, cls, row[0], c, row[2], row[3]))
                        .isEqualTo(String.format(fmt, row[0], c, row[2], row[3]));
            }
        }
    }

    /** The help layout's line helpers, written without regular expressions, do what the expressions did. */
    @Test
    void helpLineHelpersDoWhatTheRegularExpressionsDid() {
        String esc = "\u001b";
        for (String t : List.of("", "plain", "  lead and trail  ", esc + "[1mbold" + esc + "[0m", esc + esc + "[m",
                esc + "[12;34mx" + esc + "[", esc + "[1x", "a" + esc + "[;m" + esc + "[9", esc, esc + "[", "x " + esc
                + "[33m  ", "ab  \n", "ab \n ", "ab  \r", "a  \u2028", "   ", "a b c   ", esc + "[1m" + esc + "[1m")) {
            assertThat(HelpLayout.plain(t)).as("plain '%s'", t).isEqualTo(t.replaceAll("\u001b\\[[0-9;]*m", ""));
            assertThat(HelpLayout.stripTrailing(t)).as("strip '%s'", t).isEqualTo(t.replaceAll(" +$", ""));
        }
    }

    @CommandLine.Command
    static final class WithPath {
        @CommandLine.Option(names = "--p")
        Path p;
    }

    /** A path argument that is no path fails with the message picocli's built-in converter gave. */
    @Test
    void pathArgumentsConvertAsPicocliDid() {
        String bad = "a\0b";
        String builtIn = parseError(new CommandLine(new WithPath()), bad);
        CommandLine ours = new CommandLine(new WithPath());
        ours.registerConverter(Path.class, SysextctlCommand::path);
        assertThat(parseError(ours, bad)).isEqualTo(builtIn).contains("cannot convert 'a");
        WithPath ok = new WithPath();
        CommandLine cl = new CommandLine(ok);
        cl.registerConverter(Path.class, SysextctlCommand::path);
        cl.parseArgs("--p", "/tmp/x/../y");
        assertThat(ok.p).isEqualTo(Path.of("/tmp/x/../y"));
    }

    private static String parseError(CommandLine cl, String value) {
        try {
            cl.parseArgs("--p", value);
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + value);
    }

    /** Main returns (exit 0 without Runtime.exit) only when no thread that is not a daemon is left in its group. */
    @Test
    void mainLeavesWithoutExitOnlyWhenItIsTheLastThread() throws Exception {
        AtomicBoolean alone = new AtomicBoolean();
        AtomicBoolean withSibling = new AtomicBoolean(true);
        AtomicBoolean withDaemon = new AtomicBoolean();
        ThreadGroup group = new ThreadGroup("startup-work-test");
        Thread t = new Thread(group, () -> {
            alone.set(Main.aloneInItsGroup());
            CountDownLatch release = new CountDownLatch(1);
            Thread daemon = new Thread(() -> awaitQuietly(release));
            daemon.setDaemon(true);
            daemon.start();
            withDaemon.set(Main.aloneInItsGroup());
            Thread sibling = new Thread(() -> awaitQuietly(release));
            sibling.setDaemon(false);
            sibling.start();
            withSibling.set(Main.aloneInItsGroup());
            release.countDown();
        });
        t.setDaemon(false); // a thread made by a daemon (JUnit's workers) would be one
        t.start();
        t.join();
        assertThat(alone).isTrue();
        assertThat(withDaemon).isTrue();
        assertThat(withSibling).isFalse();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
