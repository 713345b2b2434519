package dev.sysextctl.provision.release;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.sysupdate.TransferFile;
import java.nio.file.Path;

/**
 * What {@code sysextctl release} was asked for.
 *
 * @param directory the release directory (created when missing; an existing one is added to)
 * @param baseUrl where the directory will be served, or null to keep the URL of the transfer files already in
 *     the directory
 * @param systemd the nodes' systemd: 257+ gets {@code .transfer} files, older {@code .conf}
 * @param instancesMax {@code InstancesMax=} of the transfer files
 * @param extensionClass the class of every image ({@code --class}), or null: each image's own
 */
public record ReleaseOptions(Path directory, BaseUrl baseUrl, SystemdVersion systemd, int instancesMax,
        ExtensionClass extensionClass) {
    /** Each image of its own class. */
    public ReleaseOptions(Path directory, BaseUrl baseUrl, SystemdVersion systemd, int instancesMax) {
        this(directory, baseUrl, systemd, instancesMax, null);
    }

    public ReleaseOptions {
        systemd = systemd == null ? SystemdVersion.DEFAULT : systemd;
        instancesMax = instancesMax == 0 ? TransferFile.DEFAULT_INSTANCES_MAX : instancesMax;
    }
}
