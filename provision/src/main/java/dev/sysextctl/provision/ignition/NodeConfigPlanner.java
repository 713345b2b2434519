package dev.sysextctl.provision.ignition;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.image.NameRules;
import dev.sysextctl.provision.ignition.NodeConfig.Dropin;
import dev.sysextctl.provision.ignition.NodeConfig.NodeDirectory;
import dev.sysextctl.provision.ignition.NodeConfig.NodeFile;
import dev.sysextctl.provision.ignition.NodeConfig.NodeLink;
import dev.sysextctl.provision.ignition.NodeConfig.NodeUnit;
import dev.sysextctl.provision.sysupdate.NoopTransfer;
import dev.sysextctl.provision.sysupdate.TransferFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns images into what a Flatcar node needs on first boot (docs/torcx.md §4.2, §5.4), in the
 * sysext-bakery layout: each image downloaded to {@code /opt/extensions/NAME/FILE} (verified by SHA-512),
 * linked as {@code /etc/extensions/NAME.raw}; {@code --mask NAME} writes the empty directory
 * {@code /etc/extensions/NAME} ({@link ExtensionConfig.Entry#MASK_DIRECTORY}, what {@code sysextctl mask} writes:
 * no image NAME in any search directory merges) and replaces the link that enables NAME with one to
 * {@code /dev/null} ({@link ExtensionConfig.Entry#DISABLE_LINK}: how Flatcar turns off a built-in; with both, the
 * mask holds whichever of the two systemd-sysext finds first, docs/compatibility.md §1.4); with sysupdate the
 * transfer file {@code /etc/sysupdate.NAME.d/NAME.conf}, {@code /etc/sysupdate.d/noop.conf}, the enabled
 * {@code systemd-sysupdate.timer} and a {@code systemd-sysupdate.service} drop-in per extension.
 *
 * <p>FILE is the image's file name; with sysupdate it is the release name {@code NAME-VERSION-ARCH.raw}, the
 * name {@code release} publishes and the transfer's {@code NAME-@v-%a.raw} recognises as the installed version.
 */
public final class NodeConfigPlanner {
    public static final int FILE_MODE = 0644;
    /** The mode of a mask directory, as {@code sysextctl mask} makes it. */
    public static final int DIRECTORY_MODE = 0755;
    public static final String BUILT_IN_DOCKER = "docker-flatcar";
    public static final String BUILT_IN_CONTAINERD = "containerd-flatcar";

    /** The plan and what the user should know about it. */
    public record Plan(NodeConfig config, List<String> downloads, List<String> notes) {
    }

    public Plan plan(List<ExtensionImage> images, IgnitionOptions options) throws RefusedException, UsageException {
        SysextctlImage.Url remoteSelf = options.withSysextctl() instanceof SysextctlImage.Url url ? url : null;
        if (images.isEmpty() && remoteSelf == null) {
            throw new UsageException("no image given; name the image files to provision");
        }
        Map<String, ExtensionImage> byName = new LinkedHashMap<>();
        for (ExtensionImage image : images) {
            ExtensionImage other = byName.putIfAbsent(image.name(), image);
            if (other != null) {
                throw new RefusedException(image.path() + " and " + other.path() + " are both the extension '"
                        + image.name() + "' (" + ExtensionConfig.enableLink(other.extensionClass(), image.name())
                        + "); give one image per name");
            }
        }
        if (remoteSelf != null && byName.containsKey(SysextctlImage.NAME)) {
            throw new RefusedException(byName.get(SysextctlImage.NAME).path() + " is the extension '"
                    + SysextctlImage.NAME + "', which --with-sysextctl " + remoteSelf.url() + " installs too; give "
                    + "one of them");
        }
        Set<String> provided = new LinkedHashSet<>(byName.keySet());
        if (remoteSelf != null) {
            provided.add(SysextctlImage.NAME);
        }
        Set<String> masks = masks(options.masks(), provided);

        List<NodeFile> files = new ArrayList<>();
        List<NodeLink> links = new ArrayList<>();
        List<Dropin> dropins = new ArrayList<>();
        List<String> downloads = new ArrayList<>();
        for (ExtensionImage image : images) {
            String fileName;
            if (options.sysupdate()) {
                fileName = NameRules.requireReleasable(image);
            } else {
                fileName = image.fileName();
            }
            ExtensionClass cls = image.extensionClass();
            String nodePath = ExtensionConfig.storePath(cls, image.name(), fileName);
            String url = options.baseUrl().file(fileName);
            files.add(NodeFile.download(nodePath, FILE_MODE, url, image.sha512()));
            downloads.add(url);
            links.add(new NodeLink(ExtensionConfig.enableLink(cls, image.name()), nodePath, false, null));
            if (options.sysupdate()) {
                TransferFile transfer = new TransferFile(image.name(), options.baseUrl().directory(),
                        options.instancesMax(), cls);
                files.add(NodeFile.inline(transfer.nodePath(options.systemd()), FILE_MODE, transfer.render()));
                dropins.add(new Dropin(image.name() + ".conf", serviceDropin(transfer)));
            }
        }
        List<String> notes = new ArrayList<>();
        if (remoteSelf != null) {
            String nodePath = ExtensionConfig.storePath(SysextctlImage.NAME, remoteSelf.fileName());
            files.add(NodeFile.download(nodePath, FILE_MODE, remoteSelf.url(), null));
            downloads.add(remoteSelf.url());
            links.add(new NodeLink(ExtensionConfig.enableLink(SysextctlImage.NAME), nodePath, false, null));
            notes.add("the node does not verify " + remoteSelf.url() + " (its SHA-512 is not known here); give the "
                    + "image file to --with-sysextctl instead to have its hash in the config");
        }
        List<NodeDirectory> directories = new ArrayList<>();
        for (String mask : masks) {
            directories.add(new NodeDirectory(ExtensionConfig.Entry.MASK_DIRECTORY.path(mask), DIRECTORY_MODE, true));
            links.add(new NodeLink(ExtensionConfig.Entry.DISABLE_LINK.path(mask), ExtensionConfig.DEV_NULL, null,
                    true));
        }
        List<NodeUnit> units = new ArrayList<>();
        if (images.stream().anyMatch(i -> i.extensionClass() == ExtensionClass.CONFEXT)) {
            units.add(new NodeUnit(ExtensionClass.CONFEXT.serviceUnit(), true, List.of()));
        }
        if (options.sysupdate()) {
            files.add(NodeFile.inline(NoopTransfer.nodePath(options.systemd()), FILE_MODE, NoopTransfer.CONTENT));
            units.add(new NodeUnit("systemd-sysupdate.timer", true, List.of()));
            units.add(new NodeUnit("systemd-sysupdate.service", null, dropins));
        }
        builtInNote("docker", BUILT_IN_DOCKER, byName.keySet(), masks).ifPresent(notes::add);
        builtInNote("containerd", BUILT_IN_CONTAINERD, byName.keySet(), masks).ifPresent(notes::add);
        return new Plan(new NodeConfig(options.spec(), files, directories, links, units), downloads, notes);
    }

    private static Set<String> masks(List<String> requested, Set<String> provided) throws UsageException {
        Set<String> out = new LinkedHashSet<>();
        for (String m : requested) {
            String name = m.endsWith(ImageNames.RAW_SUFFIX) ? m.substring(0, m.length() - 4) : m;
            Optional<String> invalid = ImageNames.invalidReason(name);
            if (invalid.isPresent()) {
                throw new UsageException("--mask '" + m + "' is not an extension name (" + invalid.get()
                        + "); give the name of the image to mask, e.g. --mask docker-flatcar");
            }
            if (provided.contains(name)) {
                throw new UsageException("--mask " + name + " would hide the image this config installs as "
                        + name + "; mask only other extensions");
            }
            out.add(name);
        }
        return out;
    }

    private static Optional<String> builtInNote(String name, String builtIn, Set<String> provided,
            Set<String> masks) {
        if (provided.contains(name) && !masks.contains(builtIn)) {
            return Optional.of("Flatcar's built-in " + builtIn + " stays enabled beside your " + name
                    + "; add --mask " + builtIn + " to turn it off");
        }
        return Optional.empty();
    }

    /**
     * The sysext-bakery's service drop-in: update this extension's component before the default run, and ask
     * for a reboot when the link moved (sysupdate only stages; the new version is merged at the next boot or
     * {@code systemd-sysext refresh}).
     */
    static String serviceDropin(TransferFile t) {
        String n = t.name();
        String link = t.currentSymlink();
        return "[Service]\n"
                + "ExecStartPre=/usr/bin/sh -c \"readlink --canonicalize " + link + " > /tmp/" + n + "\"\n"
                + "ExecStartPre=/usr/lib/systemd/systemd-sysupdate -C " + n + " update\n"
                + "ExecStartPost=/usr/bin/sh -c \"readlink --canonicalize " + link + " > /tmp/" + n + "-new\"\n"
                + "ExecStartPost=/usr/bin/sh -c \"if ! cmp --silent /tmp/" + n + " /tmp/" + n
                + "-new; then touch /run/reboot-required; fi\"\n";
    }
}
