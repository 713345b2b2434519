package dev.sysextctl.converter.migration;

import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.profile.ProfileRequest;
import java.nio.file.Path;

/**
 * A profile migration: what to resolve, where the images and reports go, how to convert, and whether to
 * install the result into the root ({@code --enable}).
 */
public record MigrationRequest(ProfileRequest profile, Path outputDirectory, TorcxConversionOptions conversion,
        boolean enable) {
}
