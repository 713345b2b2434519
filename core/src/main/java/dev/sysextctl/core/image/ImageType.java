package dev.sysextctl.core.image;

import com.fasterxml.jackson.annotation.JsonValue;

/** systemd's image types ({@code image_type_to_string()}). */
public enum ImageType {
    DIRECTORY("directory"),
    SUBVOLUME("subvolume"),
    RAW("raw"),
    BLOCK("block");

    private final String systemdName;

    ImageType(String systemdName) {
        this.systemdName = systemdName;
    }

    @JsonValue
    public String systemdName() {
        return systemdName;
    }
}
