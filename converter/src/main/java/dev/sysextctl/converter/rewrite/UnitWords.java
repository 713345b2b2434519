package dev.sysextctl.converter.rewrite;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a unit-file value into words the way systemd does for {@code Environment=} and dependency lists:
 * whitespace separates words, single and double quotes group (anywhere in a word), backslash escapes. Each
 * word keeps its raw spelling (to write it back unchanged) and its unquoted value (to look at it).
 */
final class UnitWords {
    record Word(String raw, String value) {
    }

    private UnitWords() {
    }

    static List<Word> split(String s) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            StringBuilder value = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    } else if (c == '\\' && quote == '"' && i + 1 < n) {
                        value.append(s.charAt(++i));
                    } else {
                        value.append(c);
                    }
                } else if (Character.isWhitespace(c)) {
                    break;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '\\' && i + 1 < n) {
                    value.append(s.charAt(++i));
                } else {
                    value.append(c);
                }
                i++;
            }
            out.add(new Word(s.substring(start, i), value.toString()));
        }
        return out;
    }

    static String join(List<Word> words) {
        StringBuilder sb = new StringBuilder();
        for (Word w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(w.raw());
        }
        return sb.toString();
    }
}
