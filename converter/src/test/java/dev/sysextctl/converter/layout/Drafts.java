package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.ArchiveStager;
import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.core.lint.Finding;
import java.nio.file.Path;
import java.util.List;

/**
 * Drafts for the step tests: a real {@code .torcx.tgz} written from a {@link TarBuilder}, staged as the converter
 * stages it.
 */
final class Drafts {
    static final long MTIME = 1700000000L;

    private Drafts() {
    }

    /** A builder with the archive root, for an image named {@code name}. */
    static TarBuilder archive() {
        return new TarBuilder(MTIME).dir("./", 0755);
    }

    /** The staged archive of {@code t} written as {@code dir/NAME:1.torcx.tgz}. */
    static StagedArchive stage(Path dir, String name, TarBuilder t) throws Exception {
        Path file = t.writeTgz(dir.resolve(name + ":1.torcx.tgz"));
        return ArchiveStager.stage(file, TorcxArchiveFormat.TGZ, null, dir.resolve("work"));
    }

    /** A fresh draft of {@code t} (usr/sbin moved unless {@code keepSbin}). */
    static PlanDraft draft(Path dir, String name, TarBuilder t, boolean keepSbin) throws Exception {
        return new PlanDraft(stage(dir, name, t), name, keepSbin);
    }

    /** {@code steps} applied in order to {@code d}. */
    static PlanDraft apply(PlanDraft d, PlanStep... steps) throws Exception {
        for (PlanStep s : steps) {
            s.apply(d);
        }
        return d;
    }

    static List<String> findingIds(PlanDraft d) {
        return d.findings().stream().map(Finding::id).toList();
    }

    static List<String> changeKinds(PlanDraft d) {
        return d.changes().stream().map(ConversionChange::kind).toList();
    }

    static String target(PlanDraft d, String path) {
        return d.entries().get(path).entry().linkTarget();
    }
}
