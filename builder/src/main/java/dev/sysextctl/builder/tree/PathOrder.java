package dev.sysextctl.builder.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order in which mksquashfs reads the files of a directory it is given: depth first, the entries of each
 * directory by their names' bytes ({@code strcmp}), so {@code usr/lib/x} comes before {@code usr/lib-x} (the
 * whole of {@code lib} before {@code lib-x}). A directory source walks in this order too (names sorted), which lets
 * a tar stream of it put the extension-release's content where mksquashfs would read it, so that both give the
 * same image.
 */
public final class PathOrder {
    /** Compares image paths component by component, each component by its UTF-8 bytes (unsigned). */
    public static final Comparator<String> MKSQUASHFS = PathOrder::compare;

    private PathOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (true) {
            int ea = end(a, i);
            int eb = end(b, j);
            int c = Arrays.compareUnsigned(a.substring(i, ea).getBytes(StandardCharsets.UTF_8),
                    b.substring(j, eb).getBytes(StandardCharsets.UTF_8));
            if (c != 0) {
                return c;
            }
            boolean moreA = ea < a.length();
            boolean moreB = eb < b.length();
            if (!moreA || !moreB) {
                return Boolean.compare(moreA, moreB);
            }
            i = ea + 1;
            j = eb + 1;
        }
    }

    private static int end(String s, int from) {
        int k = s.indexOf('/', from);
        return k < 0 ? s.length() : k;
    }
}
