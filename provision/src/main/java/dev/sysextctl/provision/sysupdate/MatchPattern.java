package dev.sysextctl.provision.sysupdate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * systemd-sysupdate's {@code MatchPattern=} (docs/compatibility.md §6.2, {@code sysupdate-pattern.c}): literals and
 * {@code @x} wildcards, {@code @@} for a literal {@code @}; specifiers ({@code %a}, {@code %%}) are expanded
 * first. A wildcard takes everything up to the first occurrence of the literal that follows it (or the rest of
 * the name); {@code @v} must then be a valid version.
 */
public final class MatchPattern {
    private static final String WILDCARDS = "vufagrtmsdlh";
    private static final String INVALID_CHARS = "$*?[]!\\/|";

    private final String text;
    private final List<Element> elements;

    private record Element(char wildcard, String literal) {
        boolean isWildcard() {
            return wildcard != 0;
        }
    }

    private MatchPattern(String text, List<Element> elements) {
        this.text = text;
        this.elements = elements;
    }

    /** The bakery pattern of an extension, as written in a transfer file: {@code NAME-@v-%a.raw}. */
    public static String forExtension(String name) {
        return escape(name) + "-@v-%a.raw";
    }

    /** {@code text} as a literal inside a pattern: {@code @} doubled, {@code %} doubled. */
    public static String escape(String text) {
        return text.replace("%", "%%").replace("@", "@@");
    }

    /** Why {@code name} cannot appear in a pattern (and so cannot be released), or empty when it can. */
    public static Optional<String> unusableNameReason(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (INVALID_CHARS.indexOf(c) >= 0 || c < 0x20 || c == 0x7f) {
                return Optional.of("the name contains '" + c + "', which a sysupdate MatchPattern cannot hold");
            }
        }
        return Optional.empty();
    }

    /**
     * Parses a pattern as written in a transfer file, expanding {@code %a} to {@code architecture} and
     * {@code %%} to {@code %}.
     *
     * @throws IllegalArgumentException when systemd would refuse the pattern
     */
    public static MatchPattern parse(String pattern, String architecture) {
        String expanded = expandSpecifiers(pattern, architecture);
        List<Element> elements = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        String seen = "";
        boolean lastWasWildcard = false;
        for (int i = 0; i < expanded.length(); i++) {
            char c = expanded.charAt(i);
            if (INVALID_CHARS.indexOf(c) >= 0 || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("'" + c + "' is not allowed in a MatchPattern");
            }
            if (c != '@') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= expanded.length()) {
                throw new IllegalArgumentException("the pattern ends in a lone '@'");
            }
            char w = expanded.charAt(++i);
            if (w == '@') {
                literal.append('@');
                continue;
            }
            if (WILDCARDS.indexOf(w) < 0) {
                throw new IllegalArgumentException("unknown wildcard '@" + w + "'");
            }
            if (seen.indexOf(w) >= 0) {
                throw new IllegalArgumentException("wildcard '@" + w + "' used twice");
            }
            if (literal.length() > 0) {
                elements.add(new Element((char) 0, literal.toString()));
                literal.setLength(0);
            } else if (lastWasWildcard) {
                throw new IllegalArgumentException("two wildcards must be separated by a literal");
            }
            elements.add(new Element(w, null));
            seen += w;
            lastWasWildcard = true;
            continue;
        }
        if (literal.length() > 0) {
            elements.add(new Element((char) 0, literal.toString()));
        }
        if (seen.indexOf('v') < 0) {
            throw new IllegalArgumentException("the pattern has no @v");
        }
        return new MatchPattern(pattern, List.copyOf(elements));
    }

    private static String expandSpecifiers(String pattern, String architecture) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= pattern.length()) {
                throw new IllegalArgumentException("the pattern ends in a lone '%'");
            }
            char s = pattern.charAt(++i);
            switch (s) {
                case '%' -> sb.append('%');
                case 'a' -> sb.append(architecture);
                default -> throw new IllegalArgumentException("specifier %" + s + " is not supported here");
            }
        }
        return sb.toString();
    }

    /** The wildcard values when {@code fileName} matches, with {@code v} a valid version; else empty. */
    public Optional<Map<Character, String>> match(String fileName) {
        Map<Character, String> values = new LinkedHashMap<>();
        int pos = 0;
        for (int k = 0; k < elements.size(); k++) {
            Element e = elements.get(k);
            if (!e.isWildcard()) {
                if (!fileName.startsWith(e.literal(), pos)) {
                    return Optional.empty();
                }
                pos += e.literal().length();
                continue;
            }
            int end;
            if (k + 1 < elements.size()) {
                end = fileName.indexOf(elements.get(k + 1).literal(), pos);
                if (end < 0) {
                    return Optional.empty();
                }
            } else {
                end = fileName.length();
            }
            values.put(e.wildcard(), fileName.substring(pos, end));
            pos = end;
        }
        if (pos != fileName.length()) {
            return Optional.empty();
        }
        String v = values.get('v');
        if (v == null || invalidVersionReason(v).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(values);
    }

    /** The {@code @v} value when {@code fileName} matches; else empty. */
    public Optional<String> version(String fileName) {
        return match(fileName).map(m -> m.get('v'));
    }

    /**
     * Why {@code version} can never be what {@code @v} matches ({@code version_is_valid()}: non-empty, a valid
     * file name, only {@code [A-Za-z0-9.,_+-]}), or empty when it is a valid version.
     */
    public static Optional<String> invalidVersionReason(String version) {
        if (version == null || version.isEmpty()) {
            return Optional.of("the version is empty");
        }
        if (version.equals(".") || version.equals("..") || version.length() > 255) {
            return Optional.of("'" + version + "' is not a valid file name");
        }
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == ',' || c == '_' || c == '+' || c == '-';
            if (!ok) {
                return Optional.of("it contains '" + c + "'");
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
