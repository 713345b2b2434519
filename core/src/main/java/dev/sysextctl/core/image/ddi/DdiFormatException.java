package dev.sysextctl.core.image.ddi;

import java.io.IOException;

/** A disk image that is not a DDI sysextctl can read; the message says what is wrong with it. */
public class DdiFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DdiFormatException(String message) {
        super(message);
    }
}
