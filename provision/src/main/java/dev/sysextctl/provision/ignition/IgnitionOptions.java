package dev.sysextctl.provision.ignition;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.sysupdate.TransferFile;
import java.util.List;

/**
 * What {@code sysextctl ignition} was asked for.
 *
 * @param baseUrl where the node downloads the images from
 * @param spec the Ignition spec to write
 * @param sysupdate also keep the images current with systemd-sysupdate
 * @param masks extension names to mask with {@code /dev/null} links (Flatcar's {@code docker-flatcar}, …)
 * @param systemd the node's systemd, for the transfer files' suffix ({@code .transfer} from 257 on)
 * @param instancesMax {@code InstancesMax=} of the transfer files
 * @param withSysextctl sysextctl's own sysext to install too, or null
 * @param extensionClass the class of every image ({@code --class}), or null: each image's own, from its release file
 */
public record IgnitionOptions(BaseUrl baseUrl, IgnitionSpec spec, boolean sysupdate, List<String> masks,
        SystemdVersion systemd, int instancesMax, SysextctlImage withSysextctl, ExtensionClass extensionClass) {
    public IgnitionOptions {
        spec = spec == null ? IgnitionSpec.DEFAULT : spec;
        masks = masks == null ? List.of() : List.copyOf(masks);
        systemd = systemd == null ? SystemdVersion.DEFAULT : systemd;
        instancesMax = instancesMax == 0 ? TransferFile.DEFAULT_INSTANCES_MAX : instancesMax;
    }

    /** Each image of its own class. */
    public IgnitionOptions(BaseUrl baseUrl, IgnitionSpec spec, boolean sysupdate, List<String> masks,
            SystemdVersion systemd, int instancesMax, SysextctlImage withSysextctl) {
        this(baseUrl, spec, sysupdate, masks, systemd, instancesMax, withSysextctl, null);
    }

    /** Without sysextctl's own sysext. */
    public IgnitionOptions(BaseUrl baseUrl, IgnitionSpec spec, boolean sysupdate, List<String> masks,
            SystemdVersion systemd, int instancesMax) {
        this(baseUrl, spec, sysupdate, masks, systemd, instancesMax, null, null);
    }
}
