package dev.sysextctl.core.release;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * systemd's environment-file syntax, as {@code load_env_file_pairs()} reads os-release and extension-release
 * files (docs/compatibility.md §2.2): {@code KEY=VALUE}, whitespace around key, {@code =} and value trimmed, single
 * quotes literal, double quotes with backslash escapes, comment lines starting with {@code #} or {@code ;}, no
 * inline comments, no {@code export}, {@code \r} ends a line, backslash-newline continues one.
 */
public final class EnvFile {
    private static final String WHITESPACE = " \t\n\r";
    private static final String NEWLINE = "\n\r";
    private static final String COMMENTS = "#;";
    private static final String SHELL_NEED_ESCAPE = "\"\\`$";

    private enum State { PRE_KEY, KEY, PRE_VALUE, VALUE, VALUE_ESCAPE, SINGLE_QUOTE, DOUBLE_QUOTE, DOUBLE_QUOTE_ESCAPE, COMMENT, COMMENT_ESCAPE }

    private EnvFile() {
    }

    /** Every pair in file order, duplicates kept (systemd's lookups use the last one). */
    public static List<Map.Entry<String, String>> parsePairs(String text) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = new StringBuilder();
        int lastKeyWhitespace = -1;
        int lastValueWhitespace = -1;
        State state = State.PRE_KEY;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (state) {
                case PRE_KEY -> {
                    if (COMMENTS.indexOf(c) >= 0) {
                        state = State.COMMENT;
                    } else if (WHITESPACE.indexOf(c) < 0) {
                        state = State.KEY;
                        lastKeyWhitespace = -1;
                        key.setLength(0);
                        key.append(c);
                    }
                }
                case KEY -> {
                    if (NEWLINE.indexOf(c) >= 0) {
                        state = State.PRE_KEY;
                        key.setLength(0);
                    } else if (c == '=') {
                        state = State.PRE_VALUE;
                        lastValueWhitespace = -1;
                        value.setLength(0);
                    } else {
                        if (WHITESPACE.indexOf(c) < 0) {
                            lastKeyWhitespace = -1;
                        } else if (lastKeyWhitespace < 0) {
                            lastKeyWhitespace = key.length();
                        }
                        key.append(c);
                    }
                }
                case PRE_VALUE -> {
                    if (NEWLINE.indexOf(c) >= 0) {
                        state = State.PRE_KEY;
                        push(out, key, lastKeyWhitespace, value.toString());
                    } else if (c == '\'') {
                        state = State.SINGLE_QUOTE;
                    } else if (c == '"') {
                        state = State.DOUBLE_QUOTE;
                    } else if (c == '\\') {
                        state = State.VALUE_ESCAPE;
                    } else if (WHITESPACE.indexOf(c) < 0) {
                        state = State.VALUE;
                        value.append(c);
                    }
                }
                case VALUE -> {
                    if (NEWLINE.indexOf(c) >= 0) {
                        state = State.PRE_KEY;
                        push(out, key, lastKeyWhitespace, chop(value, lastValueWhitespace));
                    } else if (c == '\\') {
                        state = State.VALUE_ESCAPE;
                        lastValueWhitespace = -1;
                    } else {
                        if (WHITESPACE.indexOf(c) < 0) {
                            lastValueWhitespace = -1;
                        } else if (lastValueWhitespace < 0) {
                            lastValueWhitespace = value.length();
                        }
                        value.append(c);
                    }
                }
                case VALUE_ESCAPE -> {
                    state = State.VALUE;
                    if (NEWLINE.indexOf(c) < 0) {
                        value.append(c);
                    }
                }
                case SINGLE_QUOTE -> {
                    if (c == '\'') {
                        state = State.PRE_VALUE;
                    } else {
                        value.append(c);
                    }
                }
                case DOUBLE_QUOTE -> {
                    if (c == '"') {
                        state = State.PRE_VALUE;
                    } else if (c == '\\') {
                        state = State.DOUBLE_QUOTE_ESCAPE;
                    } else {
                        value.append(c);
                    }
                }
                case DOUBLE_QUOTE_ESCAPE -> {
                    state = State.DOUBLE_QUOTE;
                    if (SHELL_NEED_ESCAPE.indexOf(c) >= 0) {
                        value.append(c);
                    } else if (c != '\n') {
                        value.append('\\').append(c);
                    }
                }
                case COMMENT -> {
                    if (c == '\\') {
                        state = State.COMMENT_ESCAPE;
                    } else if (NEWLINE.indexOf(c) >= 0) {
                        state = State.PRE_KEY;
                    }
                }
                case COMMENT_ESCAPE -> state = State.COMMENT;
                default -> throw new IllegalStateException(state.name());
            }
        }
        switch (state) {
            case PRE_VALUE, VALUE_ESCAPE, SINGLE_QUOTE, DOUBLE_QUOTE, DOUBLE_QUOTE_ESCAPE ->
                    push(out, key, lastKeyWhitespace, value.toString());
            case VALUE -> push(out, key, lastKeyWhitespace, chop(value, lastValueWhitespace));
            default -> {
            }
        }
        return out;
    }

    /** The pairs as a release file, later keys overriding earlier ones like systemd's lookups. */
    public static ReleaseFile parse(String text) {
        return ReleaseFile.of(parsePairs(text));
    }

    private static String chop(StringBuilder value, int lastWhitespace) {
        return lastWhitespace >= 0 ? value.substring(0, lastWhitespace) : value.toString();
    }

    private static void push(List<Map.Entry<String, String>> out, StringBuilder key, int lastKeyWhitespace,
            String value) {
        String k = lastKeyWhitespace >= 0 ? key.substring(0, lastKeyWhitespace) : key.toString();
        out.add(Map.entry(k, value));
        key.setLength(0);
    }

    /**
     * Renders one assignment so that {@link #parsePairs} reads back exactly {@code value}: bare when it only
     * holds safe characters, double-quoted with escapes otherwise.
     */
    public static String assignment(String key, String value) {
        boolean bare = !value.isEmpty() && value.chars().allMatch(ch ->
                (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                        || "-_.,:/+@%=~^".indexOf(ch) >= 0);
        if (bare) {
            return key + "=" + value;
        }
        StringBuilder sb = new StringBuilder(key).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (SHELL_NEED_ESCAPE.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
