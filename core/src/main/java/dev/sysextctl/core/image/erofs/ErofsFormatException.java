package dev.sysextctl.core.image.erofs;

import java.io.IOException;

/**
 * The image is not an erofs image sysextctl reads: something in it contradicts the format (a corrupt, truncated
 * or crafted image) or it uses a feature that erofs-utils 1.5 does not write. The message is one line naming what
 * is wrong; it never holds raw bytes of the image (names are quoted with {@link ErofsImage#quote}).
 */
public final class ErofsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ErofsFormatException(String message) {
        super(message);
    }
}
