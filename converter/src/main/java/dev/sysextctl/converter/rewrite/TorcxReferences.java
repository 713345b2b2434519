package dev.sysextctl.converter.rewrite;

import dev.sysextctl.converter.layout.Relocation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites references to torcx's runtime paths into the {@code /usr} paths they mean once the image is a
 * sysext. torcx unpacked image NAME to {@code ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}} =
 * {@code /run/torcx/unpack/NAME} and linked its binaries into {@code ${TORCX_BINDIR}} = {@code /run/torcx/bin}
 * (docs/torcx.md §1.4, §2.4); after conversion the image root's content lives where {@link Relocation}
 * puts it and every binary is in {@code /usr/bin}:
 * <ul>
 *   <li>{@code ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}/lib/x}, {@code /run/torcx/unpack/NAME/lib/x} → {@code /usr/lib/x};
 *       {@code …/usr/share/x} → {@code /usr/share/x};</li>
 *   <li>the image root followed by a variable ({@code ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}${CONTAINERD_CONFIG}})
 *       → just the variable (it holds an absolute path, which is now a path on the node): no {@code //usr/...};</li>
 *   <li>{@code ${TORCX_BINDIR}}, {@code $TORCX_BINDIR}, {@code /run/torcx/bin} → {@code /usr/bin}.</li>
 * </ul>
 * What cannot be mapped (another image's unpack dir, {@code ${TORCX_IMAGEDIR}} alone, paths into content a
 * sysext cannot carry) stays and is listed as unresolved.
 */
public final class TorcxReferences {
    private static final String NAME_CHARS = "A-Za-z0-9_.@+-";
    private static final Pattern BINDIR = Pattern.compile(
            "\\$\\{TORCX_BINDIR\\}|\\$TORCX_BINDIR(?![A-Za-z0-9_])|/run/torcx/bin(?![" + NAME_CHARS + "])");
    private static final Pattern LEFTOVER = Pattern.compile(
            "\\$\\{TORCX_[A-Za-z0-9_]*\\}|\\$TORCX_[A-Za-z0-9_]*|\\bTORCX_[A-Z0-9_]+\\b|/run/torcx(?:/[^\\s\"':;]*)?"
                    + "|/run/metadata/torcx|torcx\\.target|torcx-generator");

    private final String imageName;
    private final Pattern imageRoot;

    public TorcxReferences(String imageName) {
        this.imageName = imageName;
        String name = Pattern.quote(imageName);
        String unpack = "(?:\\$\\{TORCX_UNPACKDIR\\}|\\$TORCX_UNPACKDIR(?![A-Za-z0-9_]))";
        String imagedir = "(?:\\$\\{TORCX_IMAGEDIR\\}|\\$TORCX_IMAGEDIR(?![A-Za-z0-9_])|/" + name + "(?!["
                + NAME_CHARS + "]))";
        String literal = "/run/torcx/unpack/" + name + "(?![" + NAME_CHARS + "])";
        this.imageRoot = Pattern.compile("(?:" + unpack + imagedir + "|" + literal + ")(/[" + NAME_CHARS + "]+)?");
    }

    public String imageName() {
        return imageName;
    }

    /** Rewrites every reference this class can map; see the class comment. */
    public RewriteResult rewrite(String text) {
        Set<String> changes = new LinkedHashSet<>();
        List<String> unresolved = new ArrayList<>();
        List<String> unresolvedOriginals = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        Matcher m = imageRoot.matcher(text);
        int last = 0;
        while (m.find()) {
            sb.append(text, last, m.start());
            last = m.end();
            String first = m.group(1);
            String original = m.group();
            String replacement;
            if (first != null) {
                Optional<String> r = first.equals("/.torcx") ? Optional.empty() : Relocation.relocateAbsolute(first);
                if (r.isEmpty()) {
                    unresolved.add(original + " (content a sysext cannot carry)");
                    unresolvedOriginals.add(original);
                    replacement = original;
                } else {
                    replacement = r.get();
                }
            } else {
                boolean variableFollows = m.end() < text.length() && text.charAt(m.end()) == '$';
                replacement = variableFollows ? "" : "/";
            }
            if (!replacement.equals(original)) {
                changes.add(original + " -> " + (replacement.isEmpty() ? "(nothing; the variable holds the path)"
                        : replacement));
            }
            sb.append(replacement);
        }
        sb.append(text, last, text.length());
        String afterRoot = sb.toString();
        Matcher b = BINDIR.matcher(afterRoot);
        StringBuilder out = new StringBuilder();
        last = 0;
        while (b.find()) {
            out.append(afterRoot, last, b.start());
            changes.add(b.group() + " -> /usr/bin");
            out.append("/usr/bin");
            last = b.end();
        }
        out.append(afterRoot, last, afterRoot.length());
        String result = out.toString();
        for (String left : leftovers(result)) {
            if (unresolvedOriginals.stream().noneMatch(left::startsWith)) {
                unresolved.add(left);
            }
        }
        return new RewriteResult(result, new ArrayList<>(changes), unresolved);
    }

    /** The torcx references in {@code text} ({@code TORCX_*}, {@code /run/torcx/…}, {@code torcx.target}, ...). */
    public static List<String> leftovers(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = LEFTOVER.matcher(text);
        while (m.find()) {
            if (!out.contains(m.group())) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** True when {@code text} mentions anything torcx-specific. */
    public static boolean mentionsTorcx(String text) {
        return LEFTOVER.matcher(text).find();
    }
}
