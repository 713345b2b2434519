package dev.sysextctl.builder.validate;

import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.image.SystemdVersion;
import java.util.Optional;

/**
 * What images are validated against: the target OS's fields, a description for messages ({@code the host},
 * {@code /srv/root}, {@code os-release.txt}, {@code explicit fields}), and the target's systemd version when it
 * could be told from its files.
 */
public record ValidationTarget(TargetOs os, String description, Optional<SystemdVersion> systemdVersion) {
}
