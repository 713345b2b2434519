package dev.sysextctl.builder.tree;

import dev.sysextctl.builder.source.EntryVisitor;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.ImageLinter;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pass one and pass two of {@link LayeredTree} and {@link ImagePlan} in one scan, for a build from a single
 * source: every entry the source visits is checked, normalised and handed to the sink at once (missing parent
 * directories first), so that mksquashfs compresses while the source is still being read, and a compressed
 * archive is decompressed once instead of twice. The image is the one the two-pass plan writes (mksquashfs does
 * not care where a directory comes in the stream, and files come in the same source order), and so are the
 * findings.
 *
 * <p>The plan gives up by throwing {@link Unsupported} whenever the two-pass plan would decide differently with
 * what comes later: a path the source repeats, a directory listed after an implied one with other attributes,
 * a hard link whose target was left out, a non-directory where the extension-release's directories go, anything
 * below the extension-release's path; and as soon as a lint error is certain (or any finding with
 * {@code strict}), so that a refused build stops early. The caller then removes what was written and builds with
 * the two-pass plan, which reports the findings of a refusal exactly.
 */
public final class SinglePassPlan implements EntryVisitor {
    /*
     * A comparator class, not Comparator.comparing(TreeEntry::path): the lambda that makes lives in
     * java.util.Comparator, which no class-data archive of the application keeps, so every build spun it at run time.
     */
    private static final Comparator<TreeEntry> BY_PATH = new Comparator<>() {
        @Override
        public int compare(TreeEntry a, TreeEntry b) {
            return a.path().compareTo(b.path());
        }
    };

    /** The single pass cannot decide this entry like the two-pass plan would (or the build will be refused). */
    public static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported(String why) {
            super(why, null, false, false);
        }
    }

    private final String name;
    private final ReleaseFile release;
    private final String sourceName;
    private final long epoch;
    private final boolean keepOwnership;
    private final boolean strict;
    private final Findings findings;
    private final TreeSink sink;
    private final String releasePath;
    private final String releasePrefix;
    private final Set<String> releaseParents;
    private final byte[] releaseBytes;

    /** Entries added so far, as layered (hard links to files resolved), before normalisation. */
    private final Map<String, TreeEntry> added = new HashMap<>();
    /** What a hard link to the path resolves to (LayeredTree's "seen"). */
    private final Map<String, TreeEntry> linkTargets = new HashMap<>();
    private final Set<String> emittedDirs = new HashSet<>();
    /** Parents walked by an entry that passed: nothing but directories at and above them. */
    private final Set<String> checkedDirs = new HashSet<>();
    private final Set<String> impliedDirs = new HashSet<>();
    private final Set<String> emittedOthers = new HashSet<>();
    private final List<TreeEntry> entries = new ArrayList<>();
    private final List<TreeEntry> etc = new ArrayList<>();
    private int checkedFindings;
    private boolean releaseWritten;
    private boolean finished;

    /**
     * @param findings where the source's own findings go too (the same object is passed to its scan)
     * @param sink receives every entry of the image, the extension-release last (from {@link #finish})
     */
    public SinglePassPlan(String name, ReleaseFile release, String sourceName, long epoch, boolean keepOwnership,
            boolean strict, Findings findings, TreeSink sink) {
        this.name = name;
        this.release = release;
        this.sourceName = sourceName;
        this.epoch = epoch;
        this.keepOwnership = keepOwnership;
        this.strict = strict;
        this.findings = findings;
        this.sink = sink;
        this.releasePath = ReleaseKeys.extensionReleasePath(name);
        this.releasePrefix = ReleaseKeys.EXTENSION_RELEASE_DIR + "/" + ReleaseKeys.EXTENSION_RELEASE_PREFIX;
        this.releaseParents = new HashSet<>(ImagePaths.parents(releasePath));
        this.releaseBytes = release.render().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a build named {@code name} can use the single pass at all: the extension-release's path is valid and
     * the release-level lint (name, fields) is clean, as far as it can be told before seeing an entry.
     */
    public static boolean applies(String name, ReleaseFile release, boolean strict) {
        String path = ReleaseKeys.extensionReleasePath(name);
        if (!ImagePaths.normalize(path).map(path::equals).orElse(false)) {
            return false;
        }
        for (Finding f : ImageLinter.lint(name, release, List.of()).asList()) {
            if (!f.id().equals(LintRule.EMPTY_IMAGE.id()) && (f.isError() || strict)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void visit(TreeEntry e, InputStream content) throws IOException, SysextctlException {
        add(e, content);
        checkFindings();
    }

    private void add(TreeEntry e, InputStream content) throws IOException, SysextctlException {
        String path = e.path();
        if (path.isEmpty()) {
            return; // the image root's metadata is fixed
        }
        if (added.containsKey(path)) {
            throw new Unsupported("the source repeats " + path);
        }
        boolean implied = impliedDirs.contains(path);
        if (checkedDirs.contains(path) && e.type() != EntryType.DIRECTORY) {
            throw new Unsupported(path + " is a " + e.type().jsonName() + " listed after entries below it");
        }
        // Up to the first parent already checked (no entry above it but directories): each path is walked once,
        // whatever the depth (walking every parent of every entry is cubic in the depth of a deep archive).
        List<String> walked = new ArrayList<>();
        for (String p = ImagePaths.parentOf(path); p != null && !checkedDirs.contains(p); p = ImagePaths.parentOf(p)) {
            TreeEntry n = added.get(p);
            if (n != null && n.type() != EntryType.DIRECTORY) {
                findings.add(LintRule.UNSAFE_PATH, path, LayeredTree.parentNotDirectory(p, n.type(), sourceName));
                return;
            }
            walked.add(p);
        }
        checkedDirs.addAll(walked);
        TreeEntry entry = e;
        if (e.type() == EntryType.HARDLINK) {
            TreeEntry t = linkTargets.get(e.linkTarget());
            if (t == null || t.type() == EntryType.DIRECTORY) {
                findings.add(LayeredTree.brokenHardlink(path, e.linkTarget(), sourceName));
                return;
            }
            entry = t.type() == EntryType.FILE
                    ? new TreeEntry(path, EntryType.HARDLINK, t.mode(), t.uid(), t.gid(), t.size(), t.path(), 0, 0,
                            t.mtime(), t.xattrs())
                    : t.withPath(path);
        }
        added.put(path, entry);
        linkTargets.put(path, e.type() == EntryType.HARDLINK ? linkTargets.get(e.linkTarget()) : entry);

        String top = entry.topLevel();
        if (top.equals("etc")) {
            etc.add(ImagePlan.normalize(entry, epoch, keepOwnership));
            return;
        }
        if (!top.equals("usr") && !top.equals("opt")) {
            throw new Unsupported(top + " is outside usr/ and opt/ (outside-hierarchy)");
        }
        if (path.equals("usr/lib/os-release")) {
            throw new Unsupported("the source ships usr/lib/os-release (os-release-in-image)");
        }
        if (path.equals(releasePath)) {
            findings.add(ImagePlan.releaseReplaced(releasePath));
            return;
        }
        if (path.startsWith(releasePath + "/")) {
            throw new Unsupported(path + " is below the extension-release's path");
        }
        if (releaseParents.contains(path) && entry.type() != EntryType.DIRECTORY) {
            throw new Unsupported(path + " is a " + entry.type().jsonName() + " where the extension-release's "
                    + "directories go");
        }
        if (path.startsWith(releasePrefix) && entry.type() != EntryType.DIRECTORY) {
            throw new Unsupported(path + " is another extension's release file (release-name-mismatch)");
        }
        if (entry.type() == EntryType.HARDLINK && !emittedOthers.contains(entry.linkTarget())) {
            throw new Unsupported("hard link " + path + " to " + entry.linkTarget() + ", which is not in the image");
        }
        TreeEntry out = ImagePlan.normalize(entry, epoch, keepOwnership);
        if (implied) {
            if (out.type() == EntryType.DIRECTORY && out.equals(impliedDirectory(path))) {
                return; // the implied directory already written is exactly this one
            }
            throw new Unsupported(path + " is listed after entries below it, with other attributes");
        }
        if (!releaseWritten && out.type() != EntryType.DIRECTORY && PathOrder.compare(path, releasePath) > 0) {
            // The release's content goes before the first file that sorts after it (see ImagePlan#write).
            emitParents(releasePath);
            TreeEntry r = releaseEntry();
            entries.add(r);
            sink.add(r, new ByteArrayInputStream(releaseBytes));
            releaseWritten = true;
        }
        emitParents(path);
        if (out.type() == EntryType.DIRECTORY) {
            sink.add(out, null);
            emittedDirs.add(path);
        } else {
            sink.add(out, out.type() == EntryType.FILE ? content : null);
            emittedOthers.add(path);
        }
        entries.add(out);
    }

    private TreeEntry impliedDirectory(String path) {
        return ImagePlan.normalize(LayeredTree.implied(path).entry(), epoch, keepOwnership);
    }

    /** Writes the parents not written yet, outermost first; those written have theirs written too. */
    private void emitParents(String path) throws IOException, SysextctlException {
        List<String> missing = new ArrayList<>();
        for (String p = ImagePaths.parentOf(path); p != null && !emittedDirs.contains(p); p = ImagePaths.parentOf(p)) {
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            String p = missing.get(i);
            emittedDirs.add(p);
            TreeEntry d = impliedDirectory(p);
            impliedDirs.add(p);
            sink.add(d, null);
            entries.add(d);
        }
    }

    /** Gives up as soon as the build will be refused: the two-pass plan then reports every finding. */
    private void checkFindings() {
        List<Finding> all = findings.asList();
        for (; checkedFindings < all.size(); checkedFindings++) {
            if (strict || all.get(checkedFindings).isError()) {
                throw new Unsupported("the build will be refused (" + all.get(checkedFindings).id() + ")");
            }
        }
    }

    /**
     * What this plan adds for the extension-release in a source that holds none of its directories: the directories
     * (outermost first) and then the file itself, as the sink receives them. A source that holds a directory gets
     * its own entry instead of the implied one.
     */
    public List<TreeEntry> releaseEntries() {
        List<TreeEntry> out = new ArrayList<>();
        for (String p : ImagePaths.parents(releasePath)) {
            out.add(impliedDirectory(p));
        }
        out.add(releaseEntry());
        return out;
    }

    private TreeEntry releaseEntry() {
        return ImagePlan.normalize(TreeEntry.file(releasePath, 0644, releaseBytes.length), epoch, false);
    }

    /**
     * After the source's scan: lints the whole image (what needs every entry: empty-image, warnings with
     * {@code strict}) and writes the extension-release, unless a file that sorts after it came already, as the
     * two-pass plan does.
     *
     * @throws Unsupported when the build is to be refused
     */
    public void finish() throws IOException, SysextctlException {
        checkFindings();
        TreeEntry releaseEntry = releaseEntry();
        if (!releaseWritten) {
            emitParents(releasePath);
            entries.add(releaseEntry);
        }
        entries.sort(BY_PATH);
        findings.addAll(ImageLinter.lint(name, release, lintEntries()).asList());
        checkFindings();
        if (!releaseWritten) {
            sink.add(releaseEntry, new ByteArrayInputStream(releaseBytes));
            releaseWritten = true;
        }
        finished = true;
    }

    /** Every entry of the image but the root, sorted by path (the two-pass plan's {@link ImagePlan#entries()}). */
    public List<TreeEntry> entries() {
        if (!finished) {
            throw new IllegalStateException("the single pass has not finished");
        }
        return List.copyOf(entries);
    }

    private List<TreeEntry> lintEntries() {
        List<TreeEntry> all = new ArrayList<>(entries);
        all.addAll(etc);
        return all;
    }

    /** The hierarchies of the image, as {@link ImagePlan#hierarchies()}. */
    public List<String> hierarchies() {
        return ImagePlan.hierarchiesOf(entries);
    }
}
