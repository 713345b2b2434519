package dev.sysextctl.merger.config;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionClass;

/**
 * {@code disable NAME} found nothing named NAME among the extensions of one class (exit 1). With {@code --class all}
 * the command fails only when neither class has NAME (docs/cli.md §6.3).
 */
public final class NoSuchExtensionException extends OperationFailedException {
    private final ExtensionClass extensionClass;

    public NoSuchExtensionException(ExtensionClass extensionClass, String message) {
        super(message);
        this.extensionClass = extensionClass;
    }

    public ExtensionClass extensionClass() {
        return extensionClass;
    }
}
