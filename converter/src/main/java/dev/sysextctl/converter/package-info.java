/**
 * The torcx converter: torcx image archives ({@code NAME:REF.torcx.tgz}, {@code .torcx.squashfs}) become
 * sysext images ({@link dev.sysextctl.converter.TorcxArchiveSource}, an image source the builder writes), and a
 * node's torcx profile set becomes a sysext set ({@link dev.sysextctl.converter.migration.ProfileMigration}).
 * Packages: {@code archive} (reading archives), {@code manifest} ({@code .torcx/manifest.json}), {@code layout}
 * (where things go in the sysext), {@code rewrite} (units and torcx paths), {@code elf} (runpaths),
 * {@code profile} (profiles and stores as torcx resolved them), {@code migration} (reports, leftovers,
 * installation).
 */
package dev.sysextctl.converter;
