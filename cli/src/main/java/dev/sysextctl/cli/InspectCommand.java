package dev.sysextctl.cli;

import dev.sysextctl.builder.inspect.FileInfo;
import dev.sysextctl.builder.inspect.ImageInspector;
import dev.sysextctl.builder.inspect.InspectReport;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysextctl inspect IMAGE}: what is in an image, without root and without mounting. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Show what is in an image (squashfs, erofs or directory) without root and without mounting:",
            "format, size, sha256, names, extension-release, hierarchies, entries and lint findings."},
        footer = {"", "Exit codes: 0 shown (whatever the lint says), 1 unreadable, 2 usage error."})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(paramLabel = "IMAGE", description = "An image file or directory.")
    Path image;

    @Option(names = "--files", description = "List every path with type, mode, owner and size.")
    boolean files;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(names = "--systemd-version", paramLabel = "N", description = "Name rules of this systemd release "
            + "(255+ strips .sysext.raw; default 252).")
    String systemdVersion;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        SystemdVersion v = systemdVersion == null ? SystemdVersion.DEFAULT : SystemdVersion.parse(systemdVersion);
        InspectReport r = new ImageInspector(NativeTools.system()).inspect(image, files, v);
        if (json) {
            console.json(Json.write(r));
            return ExitCodes.OK;
        }
        var out = console.out();
        out.println("image        " + r.path());
        out.println("format       " + r.format());
        out.println("size         " + r.sizeBytes() + " bytes");
        out.println("sha256       " + r.sha256());
        out.println("name         " + r.name() + " (from the file name)");
        if (r.releaseFile() == null) {
            out.println("release      " + console.red("none") + " (no usable usr/lib/extension-release.d/"
                    + "extension-release." + r.name() + ")");
        } else {
            out.println("release      " + r.releaseFile());
            r.extensionRelease().forEach((k, val) -> out.println("             " + EnvFile.assignment(k, val)));
        }
        out.println("hierarchies  " + (r.hierarchies().isEmpty() ? "none" : String.join(" ", r.hierarchies())));
        out.println("entries      " + r.fileCount());
        if (r.lint().isEmpty()) {
            out.println("lint         " + console.green("no findings"));
        } else {
            long errors = r.lint().stream().filter(Finding::isError).count();
            out.println("lint         " + errors + " error" + (errors == 1 ? "" : "s") + ", "
                    + (r.lint().size() - errors) + " warning" + (r.lint().size() - errors == 1 ? "" : "s"));
            for (Finding f : r.lint()) {
                out.println("  " + (f.isError() ? console.red(f.oneLine()) : console.yellow(f.oneLine())));
            }
        }
        if (r.files() != null) {
            out.println("files");
            for (FileInfo f : r.files()) {
                out.println("  " + f.line());
            }
        }
        console.flush();
        return ExitCodes.OK;
    }
}
