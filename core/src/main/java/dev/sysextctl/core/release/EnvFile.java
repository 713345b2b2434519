package dev.sysextctl.core.release;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /**
     * The pairs of a file's bytes, as systemd reads them: the syntax is ASCII and bytes are kept as they are, so that
     * anything (Latin-1 in a comment, say) may stand where systemd ignores it, while every key and value must be
     * UTF-8, as systemd's {@code check_utf8ness_and_warn()} requires (it refuses the whole file otherwise).
     *
     * @throws IllegalArgumentException naming the key whose name or value is not UTF-8
     */
    public static List<Map.Entry<String, String>> parsePairs(byte[] bytes) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Map.Entry<String, String> e : parsePairs(new String(bytes, StandardCharsets.ISO_8859_1))) {
            String key = utf8(e.getKey());
            if (key == null) {
                throw new IllegalArgumentException("the key '" + printable(e.getKey()) + "' is not valid UTF-8");
            }
            String value = utf8(e.getValue());
            if (value == null) {
                throw new IllegalArgumentException("the value of " + key + " is not valid UTF-8");
            }
            out.add(Map.entry(key, value));
        }
        return out;
    }

    /** {@link #parsePairs(byte[])} as a release file. */
    public static ReleaseFile parse(byte[] bytes) {
        return ReleaseFile.of(parsePairs(bytes));
    }

    /** The bytes (one per char) decoded as strict UTF-8, or null when they are not UTF-8. */
    private static String utf8(String latin1) {
        if (ascii(latin1)) {
            return latin1; // ASCII decodes to itself (most keys and values: no decoder to make)
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean ascii(String latin1) {
        for (int i = 0; i < latin1.length(); i++) {
            if (latin1.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String latin1) {
        StringBuilder b = new StringBuilder();
        for (char c : latin1.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
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
