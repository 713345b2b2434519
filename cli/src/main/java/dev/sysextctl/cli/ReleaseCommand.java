package dev.sysextctl.cli;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.image.ExtensionImageReader;
import dev.sysextctl.provision.release.ReleaseOptions;
import dev.sysextctl.provision.release.ReleasePublisher;
import dev.sysextctl.provision.release.ReleaseResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysextctl release}: a systemd-sysupdate download directory for images. */
@Command(name = "release", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Lay out a directory for any static HTTP server from which systemd-sysupdate keeps nodes' "
                + "extensions current: the images as NAME-VERSION-ARCH.raw, SHA256SUMS, a transfer file per "
                + "extension (NAME.conf, or NAME.transfer for systemd 257+) and noop.conf.",
            "NAME, VERSION and ARCH come from the images (file name, SYSEXT_VERSION_ID or a confext's "
                + "CONFEXT_VERSION_ID, ARCHITECTURE); a confext's transfer file installs into /opt/confexts/NAME and "
                + "links /var/lib/confexts/NAME.raw; images "
                + "without them, with a version sysupdate's @v cannot match, or whose extension-release name "
                + "disagrees with their file name are refused (exit 3).",
            "An existing directory is added to: SHA256SUMS keeps its other entries; a released file is never "
                + "replaced by different bytes."},
        footer = {"", "Examples:", "  sysextctl release docker-28.0.4-x86-64.raw -o site/ --base-url https://example.com/sysext",
            "  sysextctl release hello-1.1-x86-64.raw -o site/ --json (each file written or kept, with size and "
                + "sha256)", "", "Exit codes: 0 released, 1 an image or the directory could not be read or written, 2 usage error, 3 an image was refused."})
public final class ReleaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files to publish.")
    List<Path> images = new ArrayList<>();

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "The release directory (created when missing, added to when it exists).")
    Path directory;

    @Option(names = "--base-url", paramLabel = "URL", description = "Where DIR will be served (the transfer "
            + "files' Source Path=); default: the URL of the transfer files already in DIR.")
    String baseUrl;

    @Option(names = "--class", paramLabel = "CLASS", converter = EnumValues.ImageClasses.class,
            completionCandidates = EnumValues.ImageClasses.class,
            description = "The class of every image (${COMPLETION-CANDIDATES}; default: each image as the release file "
                    + "it carries tells: etc/extension-release.d makes a confext; an image with both needs --class).")
    ExtensionClass extensionClass;

    @Option(names = "--systemd-version", paramLabel = "N", description = "The nodes' systemd: 257 and later get "
            + "NAME.transfer/noop.transfer instead of .conf (default 252; 256 and older ignore .transfer).")
    String systemdVersion;

    @Option(names = "--instances-max", paramLabel = "N", defaultValue = "3",
            description = "How many versions sysupdate keeps on a node (InstancesMax=, at least 2; default 3).")
    int instancesMax;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        if (instancesMax < 2) {
            throw new UsageException("--instances-max " + instancesMax
                    + " is below 2, which systemd-sysupdate raises to 2 anyway; give 2 or more");
        }
        ReleaseOptions options = new ReleaseOptions(directory, baseUrl == null ? null : BaseUrl.parse(baseUrl),
                systemdVersion == null ? null : SystemdVersion.parse(systemdVersion), instancesMax, extensionClass);
        ReleaseResult result = new ReleasePublisher(new ExtensionImageReader(NativeTools.system()))
                .withProgress(console.progress()).publish(images, options);
        if (jsonOption.on()) {
            for (String note : result.notes()) {
                console.warn(note);
            }
            console.json(ProvisionJson.release(result));
            return ExitCodes.OK;
        }
        for (ReleaseResult.Released r : result.images()) {
            console.println((r.alreadyPresent() ? "unchanged " : "added     ") + r.fileName() + "  (" + r.name()
                    + " " + r.version() + " " + r.architecture() + ")");
        }
        for (String t : result.transferFiles()) {
            console.println("wrote     " + t);
        }
        console.println("wrote     " + result.noopFile());
        console.println("wrote     " + result.index());
        for (String note : result.notes()) {
            console.warn(note);
        }
        console.info("serve " + result.directory() + " at the base URL; nodes run 'systemd-sysupdate -C NAME update'");
        return ExitCodes.OK;
    }
}
