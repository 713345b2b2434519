package dev.sysextctl.cli;

import dev.sysextctl.builder.inspect.FileInfo;
import dev.sysextctl.builder.inspect.InspectReporter;
import dev.sysextctl.builder.inspect.InspectReport;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysextctl inspect IMAGE}: what is in an image, without root and without mounting. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Show what is in an image (squashfs, erofs or directory) without root and without mounting: "
            + "format, size, sha256, names, extension-release, hierarchies, entries and lint findings."},
        footer = {"", "Examples:", "  sysextctl inspect hello-1.0-x86-64.raw", "  sysextctl inspect --files --json=short "
            + "hello.raw", "  sysextctl inspect /etc/extensions/tools", "", "Exit codes: 0 shown (whatever the lint says), 1 unreadable, 2 usage error."})
public final class InspectCommand implements DirectRuns.Command {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "IMAGE", description = "An image file or directory.")
    Path image;

    @Option(names = "--files", description = "List every path with type, mode, owner and size.")
    boolean files;

    @Mixin
    JsonOption jsonOption;

    @Option(names = "--systemd-version", paramLabel = "N", description = "Name rules of this systemd release "
            + "(255+ strips .sysext.raw, and .confext.raw from a confext; default 252 for a sysext, 257 for a confext).")
    String systemdVersion;

    /** The console of a run that picocli did not parse ({@link DirectRuns}), else null. */
    private Console direct;

    @Override
    public void printTo(Console console) {
        direct = console;
    }

    @Override
    public Integer call() throws SysextctlException {
        Console console = direct != null ? direct : new Console(spec, output);
        // not given: a sysext is named by 252's rules, a confext by 257's
        SystemdVersion v = systemdVersion == null ? null : SystemdVersion.parse(systemdVersion);
        InspectReport r = new InspectReporter(NativeTools.system()).inspect(image, files, v);
        if (jsonOption.on()) {
            console.json(Json.write(r));
            return ExitCodes.OK;
        }
        console.println("image        " + r.path());
        console.println("format       " + r.format());
        if (!r.extensionClass().equals("sysext")) {
            // the default class goes unsaid; "none": no release file of either class
            console.println("class        " + r.extensionClass());
        }
        console.println("size         " + Console.humanSize(r.sizeBytes()) + " (" + r.sizeBytes() + " bytes)");
        console.println("sha256       " + r.sha256());
        console.println("name         " + r.name() + " (from the file name)");
        if (r.releaseFile() == null) {
            console.println("release      " + console.red("none") + " (no usable usr/lib/extension-release.d/"
                    + "extension-release." + r.name() + ")");
        } else {
            console.println("release      " + r.releaseFile());
            r.extensionRelease().forEach((k, val) -> console.println("             " + EnvFile.assignment(k, val)));
        }
        if (r.ddi() != null) {
            ddi(console, r.ddi());
        }
        console.println("hierarchies  " + (r.hierarchies().isEmpty() ? "none" : String.join(" ", r.hierarchies())));
        console.println("entries      " + r.fileCount());
        if (r.lint().isEmpty()) {
            console.println("lint         " + console.green("no findings"));
        } else {
            long errors = r.lint().stream().filter(Finding::isError).count();
            console.println("lint         " + errors + " error" + (errors == 1 ? "" : "s") + ", "
                    + (r.lint().size() - errors) + " warning" + (r.lint().size() - errors == 1 ? "" : "s"));
            for (Finding f : BuildOutput.collapsed(r.lint(), console.verbose())) {
                console.println("  " + (f.isError() ? console.red(f.oneLine()) : console.yellow(f.oneLine())));
            }
        }
        if (r.files() != null) {
            console.println("files");
            for (FileInfo f : r.files()) {
                console.println("  " + f.line());
            }
        }
        console.flush();
        return ExitCodes.OK;
    }

    /** The DDI lines: the data partition, verity and signature state, one line per partition. */
    private static void ddi(Console console, DdiSummary d) {
        console.println("ddi          " + d.designator() + " partition for " + d.architecture() + ", " + d.fileSystem());
        console.println("verity       " + (d.verity() ? "root hash " + d.rootHash() : console.yellow("none")));
        String sig = switch (d.signature()) {
            case "signed" -> "signed, certificate sha256 " + d.certificateFingerprint();
            case "malformed" -> console.red("malformed: " + d.signatureDefect());
            default -> console.yellow("unsigned");
        };
        console.println("signature    " + sig + " (validate --image-policy checks it)");
        for (DdiSummary.Partition p : d.partitions()) {
            console.println("  " + p.name() + (p.name().equals(p.type()) ? "" : " (" + p.type() + ")") + "  " + p.uuid()
                    + "  " + Console.humanSize(p.sizeBytes()) + " at " + p.offset() + (p.readOnly() ? "  read-only" : ""));
        }
    }
}
