package dev.sysextctl.core.image.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One way to open an image (issue 13): no main source of any module constructs an image reader outside the
 * image-access layer ({@code core/image/access}) and the readers' own classes. The repository scanned is the one
 * above the working directory, or {@code -Dsysextctl.repository=DIR}.
 */
class ImageAccessArchitectureTest {
    /** Constructing or opening an image reader. */
    static final List<String> OPENING = List.of("new SquashfsImageFs(", "new ErofsImageFs(", "new DdiImageFs(",
            "SquashfsImage.open(", "ErofsImage.open(", "SquashfsImageFs.of(", "SquashfsImageFs.withoutFallback(",
            "Images.open(");
    /** The access layer, and the readers themselves (which open their own format). */
    static final List<String> ALLOWED = List.of("core/src/main/java/dev/sysextctl/core/image/access/",
            "core/src/main/java/dev/sysextctl/core/image/squashfs/", "core/src/main/java/dev/sysextctl/core/image/erofs/",
            "core/src/main/java/dev/sysextctl/core/image/ddi/",
            "core/src/main/java/dev/sysextctl/core/image/SquashfsImageFs.java",
            "core/src/main/java/dev/sysextctl/core/image/ErofsImageFs.java");

    /** Telling an image's format from its bytes: the access layer's first step, which a caller then repeats. */
    static final List<String> SNIFFING = List.of("ImageFormat.detect(");
    /** Where sniffing belongs: the access layer and the format itself. */
    static final List<String> SNIFFING_ALLOWED = List.of("core/src/main/java/dev/sysextctl/core/image/access/",
            "core/src/main/java/dev/sysextctl/core/image/ImageFormat.java",
            // Not yet through the layer: the merger's choice of
            // the admission of a DDI, its refusal of an empty or unknown file to enable, and validate's choice of
            // the DDI policy. A new caller is not to be added here: open the image with ImageAccess.
            "merger/src/main/java/dev/sysextctl/merger/plan/PolicyGate.java",
            "merger/src/main/java/dev/sysextctl/merger/config/ExtensionLinks.java",
            "cli/src/main/java/dev/sysextctl/cli/ValidateCommand.java");

    @Test
    void onlyTheAccessLayerOpensImages() throws IOException {
        assertThat(offenders(OPENING, ALLOWED)).as("images opened outside dev.sysextctl.core.image.access (go through "
                + "ImageAccess)").isEmpty();
    }

    /** ImageValidator told the format itself before opening the image through the layer (hardening, issue 11). */
    @Test
    void onlyTheAccessLayerTellsAnImagesFormat() throws IOException {
        assertThat(offenders(SNIFFING, SNIFFING_ALLOWED)).as("formats told outside dev.sysextctl.core.image.access "
                + "(ImageAccess answers the format with the opened image: ImageAccessResult.format())").isEmpty();
    }

    private static List<String> offenders(List<String> calls, List<String> allowed) throws IOException {
        Path root = repository();
        List<Path> mains = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.toList()) {
                if (Files.isDirectory(m.resolve("src/main/java"))) {
                    mains.add(m.resolve("src/main/java"));
                }
            }
        }
        assertThat(mains).as("main source trees under " + root)
                .contains(root.resolve("core/src/main/java"), root.resolve("merger/src/main/java"));
        List<String> offenders = new ArrayList<>();
        for (Path main : mains) {
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String rel = root.relativize(f).toString();
                    if (allowed.stream().anyMatch(rel::startsWith)) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        for (String call : calls) {
                            if (lines.get(i).contains(call)) {
                                offenders.add(rel + ":" + (i + 1) + ": " + lines.get(i).trim());
                            }
                        }
                    }
                }
            }
        }
        return offenders;
    }

    private static Path repository() {
        String given = System.getProperty("sysextctl.repository");
        if (given != null && !given.isEmpty()) {
            return Path.of(given).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("core")))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository's top directory (with mvnw) above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return p;
    }
}
