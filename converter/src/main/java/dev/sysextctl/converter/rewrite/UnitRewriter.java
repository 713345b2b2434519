package dev.sysextctl.converter.rewrite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a systemd unit file or drop-in of a torcx image so that it works without torcx (any unit type:
 * {@code .service .socket .timer .path .mount ...}, and {@code *.d/*.conf}). Lines are removed, not blanked:
 * <ul>
 *   <li>{@code EnvironmentFile=/run/metadata/torcx} (also with {@code -});</li>
 *   <li>{@code TORCX_*} assignments in {@code Environment=} / {@code UnsetEnvironment=} (the line goes when
 *       nothing is left);</li>
 *   <li>{@code torcx.target} in dependency lists ({@code Requires=}, {@code After=}, {@code WantedBy=}, ...);</li>
 *   <li>conditions and asserts on {@code /run/metadata/torcx} or {@code /run/torcx/…}.</li>
 * </ul>
 * The {@code /usr/bin/env PATH=${TORCX_BINDIR}:${PATH} CMD} wrapper Flatcar's build put in {@code Exec*=} lines
 * collapses to {@code CMD} (the binaries are in {@code /usr/bin}, on systemd's default PATH), and every other
 * torcx path is rewritten by {@link TorcxReferences}. Comments are left alone.
 */
public final class UnitRewriter {
    private static final Set<String> DEPENDENCY_KEYS = Set.of("Requires", "Requisite", "Wants", "BindsTo",
            "PartOf", "Upholds", "Conflicts", "Before", "After", "OnFailure", "OnSuccess", "PropagatesReloadTo",
            "ReloadPropagatedFrom", "PropagatesStopTo", "StopPropagatedFrom", "JoinsNamespaceOf", "WantedBy",
            "RequiredBy", "UpheldBy", "Also", "Unit");
    private static final Set<String> EXEC_KEYS = Set.of("ExecStart", "ExecStartPre", "ExecStartPost",
            "ExecCondition", "ExecReload", "ExecStop", "ExecStopPost");
    private static final Pattern ENV_WRAPPER = Pattern.compile(
            "^([-@:+!|]*)(?:/usr/bin/env|/bin/env|env)\\s+PATH=(?:\\$\\{TORCX_BINDIR\\}|\\$TORCX_BINDIR|/run/torcx/bin)"
                    + ":(?:\\$\\{PATH\\}|\\$PATH)\\s+(.*)$", Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final String SEAL = "/run/metadata/torcx";
    private static final String TARGET = "torcx.target";

    private final TorcxReferences references;

    public UnitRewriter(TorcxReferences references) {
        this.references = references;
    }

    public RewriteResult rewrite(String text) {
        Set<String> changes = new LinkedHashSet<>();
        List<String> unresolved = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            boolean lastLine = i == lines.length - 1;
            if (line.endsWith("\\") && !isComment(line) && i + 1 < lines.length) {
                // a continued logical line: only paths are rewritten, the rest is left as written
                StringBuilder logical = new StringBuilder(line);
                int j = i;
                while (lines[j].endsWith("\\") && j + 1 < lines.length) {
                    logical.append('\n').append(lines[++j]);
                }
                RewriteResult r = references.rewrite(logical.toString());
                changes.addAll(r.changes());
                unresolved.addAll(r.unresolved());
                out.append(r.text());
                i = j + 1;
                if (i < lines.length) {
                    out.append('\n');
                }
                continue;
            }
            String rewritten = rewriteLine(line, changes, unresolved);
            if (rewritten != null) {
                out.append(rewritten);
                if (!lastLine) {
                    out.append('\n');
                }
            }
            i++;
        }
        return new RewriteResult(out.toString(), new ArrayList<>(changes), dedupe(unresolved));
    }

    /** The new line, or null to remove it. */
    private String rewriteLine(String line, Set<String> changes, List<String> unresolved) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || isComment(line) || trimmed.startsWith("[")) {
            return line;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            return line;
        }
        String key = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        String keyPart = line.substring(0, eq + 1);

        if (key.equals("EnvironmentFile")) {
            String path = value.startsWith("-") ? value.substring(1) : value;
            if (path.equals(SEAL)) {
                changes.add("removed " + key + "=" + value);
                return null;
            }
        }
        if ((key.equals("Environment") || key.equals("UnsetEnvironment")) && !value.isEmpty()) {
            List<UnitWords.Word> words = UnitWords.split(value);
            List<UnitWords.Word> kept = new ArrayList<>();
            for (UnitWords.Word w : words) {
                if (w.value().startsWith("TORCX_")) {
                    changes.add("removed " + key + "=" + w.value());
                } else {
                    kept.add(w);
                }
            }
            if (kept.isEmpty()) {
                return null;
            }
            if (kept.size() != words.size()) {
                value = UnitWords.join(kept);
            }
        }
        if (DEPENDENCY_KEYS.contains(key) && !value.isEmpty()) {
            List<UnitWords.Word> words = UnitWords.split(value);
            List<UnitWords.Word> kept = new ArrayList<>();
            for (UnitWords.Word w : words) {
                if (w.value().equals(TARGET)) {
                    changes.add("removed " + TARGET + " from " + key + "=");
                } else {
                    kept.add(w);
                }
            }
            if (kept.isEmpty()) {
                return null;
            }
            if (kept.size() != words.size()) {
                value = UnitWords.join(kept);
            }
        }
        if (EXEC_KEYS.contains(key)) {
            Matcher m = ENV_WRAPPER.matcher(value);
            if (m.matches()) {
                String rest = m.group(2);
                value = m.group(1) + (ASSIGNMENT.matcher(rest).matches() ? "/usr/bin/env " + rest : rest);
                changes.add("removed the '/usr/bin/env PATH=${TORCX_BINDIR}:${PATH}' wrapper from " + key + "=");
            }
        }
        RewriteResult r = references.rewrite(value);
        changes.addAll(r.changes());
        value = r.text();
        if ((key.startsWith("Condition") || key.startsWith("Assert"))
                && (value.contains(SEAL) || value.contains("/run/torcx"))) {
            changes.add("removed " + key + "=" + value);
            return null;
        }
        unresolved.addAll(r.unresolved());
        String original = line.substring(eq + 1).strip();
        if (value.equals(original)) {
            return line;
        }
        return keyPart + value;
    }

    private static boolean isComment(String line) {
        String t = line.stripLeading();
        return t.startsWith("#") || t.startsWith(";");
    }

    private static List<String> dedupe(List<String> in) {
        return new ArrayList<>(new LinkedHashSet<>(in));
    }

    /** True for paths whose files systemd reads as units or drop-ins. */
    public static boolean isUnitPath(String imagePath) {
        String p = imagePath.toLowerCase(Locale.ROOT);
        return p.startsWith("usr/lib/systemd/system/") || p.startsWith("usr/lib/systemd/user/")
                || p.startsWith("usr/local/lib/systemd/system/");
    }
}
