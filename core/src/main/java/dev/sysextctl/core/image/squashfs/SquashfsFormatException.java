package dev.sysextctl.core.image.squashfs;

import java.io.IOException;

/** Something in the image contradicts the squashfs 4.0 format (a corrupt or truncated image). */
final class SquashfsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    SquashfsFormatException(String message) {
        super(message);
    }
}
