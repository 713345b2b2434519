package dev.sysextctl.core.image;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * systemd's image-name rules: validity ({@code image_name_is_valid()}, docs/compatibility.md §1.3) and how the
 * name derives from a search-directory entry (§1.2).
 */
public final class ImageNames {
    public static final String RAW_SUFFIX = ".raw";
    public static final String SYSEXT_RAW_SUFFIX = ".sysext.raw";

    private ImageNames() {
    }

    /** Why {@code name} is not a valid image name, or empty when it is valid. */
    public static Optional<String> invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' is not a file name");
        }
        if (name.indexOf('/') >= 0) {
            return Optional.of("the name contains '/'");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            return Optional.of("the name is longer than 255 bytes");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("the name contains a control character");
            }
            if (c == '\uFFFD' || (Character.isHighSurrogate(c)
                    ? !(i + 1 < name.length() && Character.isLowSurrogate(name.charAt(++i)))
                    : Character.isLowSurrogate(c))) {
                return Optional.of("the name is not valid UTF-8");
            }
        }
        if (name.startsWith(".#")) {
            return Optional.of("the name starts with '.#' (a temporary file)");
        }
        return Optional.empty();
    }

    public static boolean isValid(String name) {
        return invalidReason(name).isEmpty();
    }

    /** Validity of a raw directory entry name as bytes: invalid UTF-8 makes it invalid. */
    public static boolean isValidUtf8(byte[] raw) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The image name of a search-directory entry, or empty when systemd would not consider the entry: regular
     * files must end in {@code .raw} (case-sensitive; 255+ also strips {@code .sysext.raw}), directories and
     * block devices keep their name verbatim.
     */
    public static Optional<String> fromEntry(String entryName, ImageType type, SystemdVersion v) {
        String pretty;
        if (type == ImageType.RAW) {
            if (v.stripsSysextSuffix() && entryName.endsWith(SYSEXT_RAW_SUFFIX)) {
                pretty = entryName.substring(0, entryName.length() - SYSEXT_RAW_SUFFIX.length());
            } else if (entryName.endsWith(RAW_SUFFIX)) {
                pretty = entryName.substring(0, entryName.length() - RAW_SUFFIX.length());
            } else {
                return Optional.empty();
            }
        } else {
            pretty = entryName;
        }
        return isValid(pretty) ? Optional.of(pretty) : Optional.empty();
    }

    /**
     * The name an image file carries by default: its file name without {@code .raw} (and {@code .sysext.raw}
     * on 255+), e.g. {@code docker.raw} → {@code docker}.
     */
    public static String fromFileName(String fileName, SystemdVersion v) {
        return fromEntry(fileName, ImageType.RAW, v).orElse(fileName);
    }

    /**
     * 257's fallback name rule (§2.1): the image name with {@code .raw}/{@code .sysext.raw} stripped and cut at
     * the first {@code _} or {@code +}.
     */
    public static String truncatedAtVersion(String imageName) {
        String s = imageName;
        for (String suffix : new String[] {SYSEXT_RAW_SUFFIX, ".confext.raw", RAW_SUFFIX}) {
            if (s.endsWith(suffix)) {
                s = s.substring(0, s.length() - suffix.length());
                break;
            }
        }
        int cut = -1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '_' || s.charAt(i) == '+') {
                cut = i;
                break;
            }
        }
        return cut >= 0 ? s.substring(0, cut) : s;
    }
}
