package dev.sysextctl.merger.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** One lower directory of a hierarchy's overlay. */
public record Layer(Kind kind, String name, String path) {
    /** What a layer is. */
    public enum Kind {
        /** The {@code .systemd-sysext} marker layer, on top. */
        META("meta"),
        EXTENSION("extension"),
        /** The node's own hierarchy, at the bottom. */
        HOST("host");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        @JsonValue
        public String jsonName() {
            return jsonName;
        }
    }
}
