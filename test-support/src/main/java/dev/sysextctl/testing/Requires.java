package dev.sysextctl.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a test needs from the machine. When something is missing the test is skipped with a message, except
 * under {@code CI=true}, where it fails: a CI run must never pass by skipping.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequirementsExtension.class)
public @interface Requires {
    /** Needs to run as root (mounts, loop devices, chown). */
    boolean root() default false;

    /** Programs that must be on PATH. */
    String[] tools() default {};

    /** Needs private mount namespaces with overlay, squashfs and loop mounts ({@code unshare -m}). */
    boolean mounts() default false;

    /** Needs a Docker engine that answers. */
    boolean docker() default false;
}
