package dev.sysextctl.cli;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.ignition.IgnitionGenerator;
import dev.sysextctl.provision.ignition.IgnitionOptions;
import dev.sysextctl.provision.ignition.IgnitionSpec;
import dev.sysextctl.provision.ignition.SysextctlImage;
import dev.sysextctl.provision.image.ExtensionImageReader;
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

/** {@code sysextctl ignition}: an Ignition config (or Butane YAML) that installs images on a Flatcar node. */
@Command(name = "ignition", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Write an Ignition config (or with --butane its Butane source) that installs the images "
                + "on a node's first boot: each is downloaded from --base-url to /opt/extensions/NAME/FILE, "
                + "checked against its SHA-512 and linked as /etc/extensions/NAME.raw; a confext goes to "
                + "/opt/confexts/NAME/FILE, linked as /var/lib/confexts/NAME.raw, and systemd-confext.service is "
                + "enabled.",
            "NAME, FILE and the hash are read from the images: an image whose extension-release name does not "
                + "match the name it would have on the node is refused (exit 3).",
            "With --sysupdate the node also keeps the images current with systemd-sysupdate; --base-url must then "
                + "be a directory written by 'sysextctl release' (FILE is NAME-VERSION-ARCH.raw)."},
        footer = {"", "Examples:", "  sysextctl ignition docker-28.0.4-x86-64.raw --base-url https://example.com/sysext "
                + "--sysupdate --mask docker-flatcar --mask containerd-flatcar -o docker.ign",
            "  sysextctl ignition hello-1.0-x86-64.raw --base-url https://example.com/sysext -o hello.ign --json "
                + "(what was written: the file, its size and sha256, the images and the config itself)", "", "Exit codes: 0 written, 1 an image or the output could not be read or written, 2 usage error, 3 an image was refused."})
public final class IgnitionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Image files (NAME.raw or NAME-VERSION-ARCH.raw).")
    List<Path> images = new ArrayList<>();

    @Option(names = "--base-url", paramLabel = "URL",
            description = "The http(s) directory the node downloads the images from (needed for IMAGE files and a "
                    + "--with-sysextctl FILE).")
    String baseUrl;

    @Option(names = "--class", paramLabel = "CLASS", converter = EnumValues.ImageClasses.class,
            completionCandidates = EnumValues.ImageClasses.class,
            description = "The class of every image (${COMPLETION-CANDIDATES}; default: each image as the release file "
                    + "it carries tells: etc/extension-release.d makes a confext; an image with both needs --class).")
    ExtensionClass extensionClass;

    @Option(names = "--with-sysextctl", paramLabel = "FILE|URL", description = "Also install sysextctl itself "
            + "(its sysext, sysextctl-VERSION-ARCH.raw from scripts/package) as /opt/extensions/sysextctl/FILE "
            + "linked as /etc/extensions/sysextctl.raw: a FILE is downloaded from --base-url with its SHA-512 like "
            + "the images; an http(s) URL is downloaded from there, unverified.")
    String withSysextctl;

    @Option(names = "--ignition-version", paramLabel = "VERSION", defaultValue = "3.4.0",
            converter = EnumValues.IgnitionSpecs.class, completionCandidates = EnumValues.IgnitionSpecs.class,
            description = "Ignition spec (${COMPLETION-CANDIDATES}): 3.4.0 is the default (Flatcar 3602+), "
                    + "3.3.0 is for Flatcar 3185-3600.")
    IgnitionSpec ignitionVersion;

    @Option(names = "--butane", description = "Print Butane 'variant: flatcar' YAML (1.1.0 for 3.4.0, 1.0.0 for "
            + "3.3.0) instead of Ignition JSON.")
    boolean butane;

    @Option(names = "--sysupdate", description = "Add the sysupdate transfer file, noop.conf, the "
            + "systemd-sysupdate.timer and a systemd-sysupdate.service drop-in per image.")
    boolean sysupdate;

    @Option(names = "--mask", paramLabel = "NAME", description = "Mask an extension on the node "
            + "(repeatable): the empty directory /etc/extensions/NAME, as 'sysextctl mask' makes it, keeps every image "
            + "named NAME out; /etc/extensions/NAME.raw becomes a link to /dev/null, replacing the link that enables "
            + "Flatcar's built-in docker-flatcar or containerd-flatcar.")
    List<String> masks = new ArrayList<>();

    @Option(names = "--systemd-version", paramLabel = "N", description = "The node's systemd: 257 and later get "
            + "NAME.transfer/noop.transfer instead of .conf (default 252; 256 and older ignore .transfer).")
    String systemdVersion;

    @Option(names = "--instances-max", paramLabel = "N", defaultValue = "3",
            description = "How many versions sysupdate keeps on the node (InstancesMax=, at least 2; default 3).")
    int instancesMax;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the config to FILE (default: "
            + "stdout).")
    Path outputFile;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        if (instancesMax < 2) {
            throw new dev.sysextctl.core.error.UsageException("--instances-max " + instancesMax
                    + " is below 2, which systemd-sysupdate raises to 2 anyway; give 2 or more");
        }
        if (images.isEmpty() && withSysextctl == null) {
            throw new dev.sysextctl.core.error.UsageException("no image given; name the image files to provision "
                    + "(or --with-sysextctl FILE|URL)");
        }
        IgnitionOptions options = new IgnitionOptions(baseUrl == null ? null : BaseUrl.parse(baseUrl),
                ignitionVersion, sysupdate, masks,
                systemdVersion == null ? null : SystemdVersion.parse(systemdVersion), instancesMax,
                withSysextctl == null ? null : SysextctlImage.parse(withSysextctl), extensionClass);
        IgnitionGenerator.Output result = new IgnitionGenerator(new ExtensionImageReader(NativeTools.system()))
                .generate(images, options, butane);
        for (String note : result.notes()) {
            console.warn(note);
        }
        for (String url : result.downloads()) {
            console.debug("the node downloads " + url);
        }
        if (outputFile != null) {
            AtomicFiles.writeString(outputFile, result.text(), true);
        }
        if (jsonOption.on()) {
            console.json(ProvisionJson.ignition(result, options.spec(), butane, outputFile));
        } else if (outputFile != null) {
            console.info("wrote " + outputFile + " (" + (butane ? "Butane variant flatcar "
                    + options.spec().butaneVersion() : "Ignition " + options.spec().version()) + ", "
                    + result.images().size() + " image" + (result.images().size() == 1 ? "" : "s") + ")");
        } else {
            console.out().print(result.text());
            console.out().flush();
        }
        return ExitCodes.OK;
    }
}
