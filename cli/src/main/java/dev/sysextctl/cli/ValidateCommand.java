package dev.sysextctl.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.builder.validate.ImageValidator;
import dev.sysextctl.builder.validate.Effect;
import dev.sysextctl.builder.validate.ImageVerdict;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ddi.DdiPolicy;
import dev.sysextctl.core.image.ddi.ImagePolicy;
import java.io.IOException;
import dev.sysextctl.builder.validate.TargetResolver;
import dev.sysextctl.builder.validate.ValidationTarget;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sysextctl validate IMAGE...}: would systemd-sysext (for a confext, systemd-confext) accept these images on the
 * target?
 */
@Command(name = "validate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Check images against systemd-sysext's rules (file name, extension-release lookup, forbidden "
            + "content, scope, architecture, ID, SYSEXT_LEVEL/VERSION_ID) for a target OS, as systemd 252 applies "
            + "them (or the --systemd-version given), and print the message systemd would log. A confext (an image "
            + "with etc/extension-release.d/extension-release.NAME) is checked by systemd-confext's rules "
            + "(CONFEXT_SCOPE, CONFEXT_LEVEL), as systemd 257 applies them when the target's systemd is not known "
            + "(there is no systemd-confext before 254)."},
        footer = {"", "Target: this machine by default, or --root DIR, --os-release FILE, or --os/--os-version/"
            + "--sysext-level.", "", "Examples:", "  sysextctl validate hello-1.0-x86-64.raw",
            "  sysextctl validate docker.raw --os-release /mnt/node/etc/os-release --systemd-version 255",
            "  sysextctl validate build/tools.raw --as tools-debug --os flatcar --sysext-level 1.0", "",
            "Exit codes: 0 all accepted, 1 some image unreadable, 2 usage error, 3 some image refused (each image gets",
            "its verdict; the exit code is the worst of them: 1 before 3)."})
public final class ValidateCommand implements DirectRuns.Command {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Image files or directories.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", description = "Validate against the OS tree at DIR.")
    Path root;

    @Option(names = "--os-release", paramLabel = "FILE", description = "Validate against this os-release file.")
    Path osRelease;

    @Option(names = "--os", paramLabel = "ID", description = "The target's ID.")
    String os;

    @Option(names = "--os-version", paramLabel = "V", description = "The target's VERSION_ID.")
    String osVersion;

    @Option(names = "--sysext-level", paramLabel = "L", description = "The target's SYSEXT_LEVEL.")
    String sysextLevel;

    @Option(names = "--confext-level", paramLabel = "L", description = "The target's CONFEXT_LEVEL (for confexts).")
    String confextLevel;

    @Option(names = "--arch", paramLabel = "A", description = "The target's architecture (default: this machine).")
    String arch;

    @Option(names = "--scope", paramLabel = "S", description = "system or initrd (default: this machine's).")
    String scope;

    @Option(names = "--systemd-version", paramLabel = "N", description = "Apply this systemd release's rules "
            + "(default: the target's systemd if known, else 252 for sysexts and 257 for confexts).")
    String systemdVersion;

    @Option(names = "--class", paramLabel = "CLASS", converter = EnumValues.ImageClasses.class,
            completionCandidates = EnumValues.ImageClasses.class,
            description = "Check every image as a ${COMPLETION-CANDIDATES} (default: the class whose release file the "
                    + "image carries; sysext when it carries both).")
    ExtensionClass extensionClass;

    @Option(names = "--as", paramLabel = "NAME", description = "Check under the name the image will have on the node "
            + "(NAME or NAME.raw).")
    String as;

    @Option(names = "--image-policy", paramLabel = "POLICY", description = "Also decide whether this systemd image "
            + "policy admits each image (PARTITION=FLAGS[+FLAGS][:...]; default for DDIs: systemd-sysext's).")
    String imagePolicy;

    @Option(names = "--trusted-certs", paramLabel = "DIR", description = "Certificates (*.crt) trusted to sign DDIs "
            + "(repeatable; default: the root's /etc/verity.d, /run/verity.d, /usr/local/lib/verity.d, "
            + "/usr/lib/verity.d).")
    List<Path> trustedCerts = new ArrayList<>();

    @Mixin
    JsonOption jsonOption;

    /** The JSON document of {@code validate --json}. */
    @JsonPropertyOrder({"target", "targetSource", "systemdVersion", "confextSystemdVersion", "images", "mergeOutcome"})
    record Result(TargetOs target, String targetSource, int systemdVersion,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer confextSystemdVersion, List<ImageVerdict> images,
            String mergeOutcome) {
    }

    /** The console of a run that picocli did not parse ({@link DirectRuns}), else null. */
    private Console direct;

    @Override
    public void printTo(Console console) {
        direct = console;
    }

    @Override
    public Integer call() throws SysextctlException {
        Console console = direct != null ? direct : new Console(spec, output);
        if (as != null && images.size() > 1) {
            throw new UsageException("--as names one image, but " + images.size() + " were given; validate them "
                    + "one at a time");
        }
        ValidationTarget target = new TargetResolver().resolve(new TargetResolver.Options(root, osRelease, os,
                osVersion, sysextLevel, arch, scope, confextLevel));
        Optional<SystemdVersion> known = systemdVersion != null ? Optional.of(SystemdVersion.parse(systemdVersion))
                : target.systemdVersion();
        SystemdVersion v = known.orElse(SystemdVersion.DEFAULT);
        // no systemd before 254 has confexts: with the target's systemd unknown, a confext gets 257's rules
        SystemdVersion vConfext = known.orElse(SystemdVersion.CONFEXT_DEFAULT);
        NativeTools tools = NativeTools.system();
        ImageValidator validator = new ImageValidator(tools);
        ImagePolicy policy = imagePolicy != null ? ImagePolicy.parse(imagePolicy) : null;
        List<Path> certDirs = certificateDirectories();
        DdiPolicy ddiPolicy = new DdiPolicy(tools.openssl());
        List<ImageVerdict> verdicts = new ArrayList<>();
        List<String> policyLines = new ArrayList<>();
        for (Path image : images) {
            ImageVerdict x = validator.validate(image, as, target.os(), v, extensionClass);
            if (x.extensionClass() == ExtensionClass.CONFEXT && !vConfext.equals(v)) {
                x = validator.validate(image, as, target.os(), vConfext, extensionClass);
            }
            ImageFormat format = formatOf(image);
            if (x.accepted() && format != null && (policy != null || format == ImageFormat.GPT)) {
                DdiPolicy.Verdict p = ddiPolicy.assess(image, format,
                        policy != null ? policy : ImagePolicy.sysextDefault(), certDirs);
                if (!p.admitted()) {
                    x = new ImageVerdict(x.image(), x.name(), false, p.rule(), "", p.reason(),
                            p.rule().equals(DdiPolicy.RULE_POLICY) ? Effect.REFUSED_BY_POLICY : Effect.IGNORED,
                            x.releaseFile(), x.extensionClass());
                } else if (policy != null) {
                    policyLines.add(x.image() + ": policy " + policy + ": " + p.reason());
                }
            }
            verdicts.add(x);
        }
        String outcome = ImageValidator.mergeOutcome(verdicts, v, vConfext);
        boolean confexts = verdicts.stream().anyMatch(x -> x.extensionClass() == ExtensionClass.CONFEXT);
        boolean onlyConfexts = confexts && verdicts.stream().allMatch(x -> x.extensionClass() == ExtensionClass.CONFEXT);
        if (jsonOption.on()) {
            console.json(Json.write(new Result(target.os(), target.description(), v.major(),
                    confexts ? vConfext.major() : null, verdicts, outcome)));
        } else {
            String rules = onlyConfexts || vConfext.equals(v) ? "systemd " + (onlyConfexts ? vConfext : v) + " rules"
                    : confexts ? "systemd " + v + " rules, " + vConfext + " for confexts" : "systemd " + v + " rules";
            console.println("target: " + target.os().describe(onlyConfexts ? ExtensionClass.CONFEXT
                    : ExtensionClass.SYSEXT) + " from " + target.description() + ", " + rules
                    + (known.isEmpty() && confexts ? " (its systemd is not known: --systemd-version N names it)" : ""));
            for (ImageVerdict x : verdicts) {
                String head = x.accepted() ? console.green("accepted") : console.red("refused");
                console.println(x.image() + ": " + (confexts ? x.extensionClass().id() + " " : "") + head + " ["
                        + x.rule() + "]"
                        + (x.systemdMessage().isEmpty() ? "" : " " + x.systemdMessage()));
                if (as == null && x.name() != null && !judgedUnderItsFileName(x)) {
                    console.println("    judged as " + x.name() + ".raw, the name it is installed under (enable and "
                            + "sysupdate link it so); --as NAME checks another name");
                }
                if (!x.accepted() || console.verbose()) {
                    console.println("    why: " + x.explanation());
                    console.println("    effect: " + x.effect().jsonName());
                }
            }
            policyLines.forEach(console::println);
            console.println(outcome);
        }
        console.flush();
        long unreadable = verdicts.stream().filter(x -> x.rule().equals(RuleId.UNREADABLE.id())).count();
        if (unreadable > 0) {
            throw new OperationFailedException(unreadable + " of " + verdicts.size() + " image"
                    + (verdicts.size() == 1 ? "" : "s") + " could not be read; see the reasons above");
        }
        long refused = verdicts.stream().filter(x -> !x.accepted()).count();
        if (refused > 0) {
            String by = !onlyConfexts ? "systemd-sysext " + v
                    : ExtensionClass.CONFEXT.supportedBy(vConfext) ? "systemd-confext " + vConfext
                    : "systemd " + vConfext + ", which has no systemd-confext";
            throw new RefusedException(refused + " of " + verdicts.size() + " image" + (verdicts.size() == 1 ? "" : "s")
                    + " would be refused by " + by + "; see the reasons above");
        }
        return ExitCodes.OK;
    }

    /** {@code --trusted-certs}, else systemd's verity.d directories under the root ({@code --root} or /). */
    private List<Path> certificateDirectories() throws OperationFailedException {
        if (!trustedCerts.isEmpty()) {
            return trustedCerts;
        }
        List<Path> dirs = new ArrayList<>();
        Path base = root != null ? root : Path.of("/");
        for (String d : DdiPolicy.CERTIFICATE_DIRS) {
            try {
                dirs.add(RootedPaths.resolve(base, d));
            } catch (IOException e) {
                throw new OperationFailedException("cannot resolve " + d + " under " + base + ": "
                        + AtomicFiles.describe(e) + "; check the root");
            }
        }
        return dirs;
    }

    private static ImageFormat formatOf(Path image) {
        try {
            return ImageFormat.detect(image);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the verdict's name is the image's own file name (not the release name it is installed under). */
    private static boolean judgedUnderItsFileName(ImageVerdict x) {
        String file = Path.of(x.image()).getFileName().toString();
        return file.equals(x.name()) || file.startsWith(x.name() + ".");
    }
}
