package dev.sysextctl.builder;

import dev.sysextctl.core.error.UsageException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * How {@code build --format ddi} writes its DDI (docs/ddi.md §8).
 *
 * @param fileSystem the file system inside: squashfs or erofs (null: erofs, as systemd-repart makes it)
 * @param signKey the PEM private key that signs the root hash, or null for an unsigned DDI
 * @param certificate the PEM certificate of that key (given with the key, or not at all)
 * @param seed what the salt and the UUIDs derive from; null: derived from the file system image
 */
public record DdiSettings(BuildFormat fileSystem, Path signKey, Path certificate, UUID seed) {
    public static final DdiSettings DEFAULTS = new DdiSettings(null, null, null, null);

    public DdiSettings {
        fileSystem = fileSystem == null ? BuildFormat.EROFS : fileSystem;
    }

    /** Refuses what cannot work, before anything is built. */
    public void check() throws UsageException {
        if (fileSystem != BuildFormat.EROFS && fileSystem != BuildFormat.SQUASHFS) {
            throw new UsageException("a DDI holds an erofs or squashfs file system, not " + fileSystem.cliName()
                    + "; use --fs erofs or --fs squashfs");
        }
        if ((signKey == null) != (certificate == null)) {
            throw new UsageException("signing needs both --sign-key KEY and --certificate CERT; give both, or "
                    + "neither for an unsigned DDI");
        }
    }

    public boolean signed() {
        return signKey != null;
    }
}
