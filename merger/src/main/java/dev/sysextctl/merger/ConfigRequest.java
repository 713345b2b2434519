package dev.sysextctl.merger;

import dev.sysextctl.merger.config.ConfigAction;
import dev.sysextctl.merger.config.ExtensionLinks;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One call of {@code enable}, {@code disable}, {@code mask} or {@code unmask} ({@link Merger}): what to change,
 * and the {@code --now} refresh to run afterwards, or null for none.
 */
public sealed interface ConfigRequest {
    ConfigAction action();

    /** The refresh to run after the change, or null. */
    RefreshNow now();

    /** The refresh to run after the change, if any. */
    default Optional<RefreshNow> refresh() {
        return Optional.ofNullable(now());
    }

    /**
     * {@code enable IMAGE}: link {@code image} as {@code name} (null: the name inside the image), in
     * {@code /run/extensions} with {@code runtime}; {@code force} skips the name and compatibility checks.
     */
    record Enable(Path image, String name, boolean runtime, boolean force, RefreshNow now) implements ConfigRequest {
        @Override
        public ConfigAction action() {
            return ConfigAction.ENABLE;
        }

        ExtensionLinks.EnableRequest link() {
            return new ExtensionLinks.EnableRequest(image, name, runtime, force);
        }
    }

    /** {@code disable NAME}: remove the link enable made ({@code runtime}: the one in {@code /run/extensions}). */
    record Disable(String name, boolean runtime, RefreshNow now) implements ConfigRequest {
        @Override
        public ConfigAction action() {
            return ConfigAction.DISABLE;
        }
    }

    /** {@code mask NAME}. */
    record Mask(String name, RefreshNow now) implements ConfigRequest {
        @Override
        public ConfigAction action() {
            return ConfigAction.MASK;
        }
    }

    /** {@code unmask NAME}. */
    record Unmask(String name, RefreshNow now) implements ConfigRequest {
        @Override
        public ConfigAction action() {
            return ConfigAction.UNMASK;
        }
    }
}
