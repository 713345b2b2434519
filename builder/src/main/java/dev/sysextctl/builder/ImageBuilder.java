package dev.sysextctl.builder;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.source.FileBackedContent;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.tree.ImagePlan;
import dev.sysextctl.builder.tree.LayeredTree;
import dev.sysextctl.builder.tree.SinglePassPlan;
import dev.sysextctl.builder.tree.TreeSink;
import dev.sysextctl.builder.write.DirectSquashfs;
import dev.sysextctl.builder.write.DirectoryDigest;
import dev.sysextctl.builder.write.DirectoryTreeWriter;
import dev.sysextctl.builder.write.ProcessIdentity;
import dev.sysextctl.builder.write.ScratchFiles;
import dev.sysextctl.builder.write.TarStreamWriter;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ddi.DdiSigner;
import dev.sysextctl.core.image.ddi.DdiWriter;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.ImageLinter;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.StdinFailedException;
import dev.sysextctl.core.progress.ProgressListener;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.DefaultMkfsErofs;
import dev.sysextctl.core.tools.DefaultMksquashfs;
import dev.sysextctl.core.tools.Mksquashfs;
import dev.sysextctl.core.tools.ErofsOptions;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tools.SquashfsDirectoryInput;
import dev.sysextctl.core.tools.SquashfsOptions;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Builds a sysext image: the library API behind {@code sysextctl build}, also used by the torcx converter.
 *
 * <pre>{@code
 * ImageSpec spec = ImageSpec.builder().os("_any").architecture("x86-64").version("1.0").build();
 * BuildReport report = new ImageBuilder(NativeTools.system()).build(BuildRequest.builder("hello")
 *         .source(new DirectorySource(Path.of("tree")))
 *         .spec(spec)
 *         .extensionRelease(spec.toReleaseFile())
 *         .output(Path.of("hello.raw"))
 *         .build());
 * }</pre>
 *
 * <p>What {@link #build} does, in order:
 * <ol>
 * <li>checks the request: at least one source, a compression the format can write, an output that does not
 *     exist yet unless {@code force};</li>
 * <li>pass one: scans every {@link ImageSource} in order and layers their entries (a later source wins a path
 *     conflict; {@code unsafe-path} entries are left out and reported);</li>
 * <li>plans the image: {@code etc/} is dropped ({@code etc-content} warning; a confext drops {@code usr/} and
 *     {@code opt/} instead, {@code usr-content}), missing parents are added, the
 *     extension-release ({@link dev.sysextctl.core.release.ReleaseFile#render()}) is placed at
 *     {@code usr/lib/extension-release.d/extension-release.NAME} (a confext:
 *     {@code etc/extension-release.d/extension-release.NAME}), every entry gets the epoch as its time and,
 *     unless {@code keepOwnership}, root as its owner; modes (setuid, setgid, sticky included), symlinks, hard
 *     links and empty directories are kept;</li>
 * <li>lints the planned image ({@link ImageLinter}) together with the sources' findings; with {@code strict}
 *     warnings count as errors; any error stops the build with a {@link RefusedException} carrying every
 *     finding, before anything is written;</li>
 * <li>pass two: writes the image under a temporary name beside the output and renames it into place.
 *     squashfs: for a single directory, mksquashfs reading the directory itself, started before the scan and
 *     lint, with the very result the tar stream gives, byte for byte ({@link DirectSquashfs}); otherwise, and
 *     wherever that cannot be guaranteed, a deterministic tar stream straight into {@code mksquashfs -tar} (no
 *     staging copy, no root needed); erofs: a staged tree (removed afterwards) for {@code mkfs.erofs}; directory: the tree itself. A
 *     failed or interrupted build leaves no temporary files behind.</li>
 * </ol>
 * The same inputs and options give a byte-identical image, whatever the input mtimes, directory listing order
 * or user running the build.
 *
 * <p>Errors: {@link UsageException} (bad request, output exists), {@link RefusedException} (lint errors),
 * {@link OperationFailedException} (I/O, a native tool failed, a source changed during the build).
 */
public final class ImageBuilder {
    private final NativeTools tools;
    private final ProcessIdentity identity;
    private final boolean singlePass;
    private final ProgressListener progress;
    private final boolean direct;
    private final boolean checksum;

    public ImageBuilder(NativeTools tools) {
        this(tools, ProcessIdentity.current());
    }

    ImageBuilder(NativeTools tools, ProcessIdentity identity) {
        this(tools, identity, true, true);
    }

    ImageBuilder(NativeTools tools, ProcessIdentity identity, boolean singlePass) {
        this(tools, identity, singlePass, false);
    }

    ImageBuilder(NativeTools tools, ProcessIdentity identity, boolean singlePass, boolean direct) {
        this(tools, identity, singlePass, direct, ProgressListener.NONE, true);
    }

    private ImageBuilder(NativeTools tools, ProcessIdentity identity, boolean singlePass, boolean direct,
            ProgressListener progress, boolean checksum) {
        this.tools = tools;
        this.identity = identity;
        this.singlePass = singlePass;
        this.direct = direct;
        this.progress = progress;
        this.checksum = checksum;
    }

    /** This builder with the single pass off: every build scans its sources twice (for tests and comparisons). */
    public ImageBuilder twoPass() {
        return new ImageBuilder(tools, identity, false, false, progress, checksum);
    }

    /**
     * This builder telling {@code listener} how far each build has come: a step per phase (reading the sources,
     * writing the image, its checksum), every entry written and its bytes, {@code done} at the end of a build.
     */
    public ImageBuilder withProgress(ProgressListener listener) {
        return new ImageBuilder(tools, identity, singlePass, direct, listener, checksum);
    }

    /**
     * This builder without {@link DirectSquashfs}: a squashfs image of a directory is written from the tar stream
     * (for tests and comparisons).
     */
    public ImageBuilder viaTarStream() {
        return new ImageBuilder(tools, identity, singlePass, false, progress, checksum);
    }

    /**
     * This builder with {@link DirectSquashfs} (the default): mksquashfs reads a single directory itself where that
     * gives the tar stream's bytes. Measured for issue 17 (README "Performance"): the JVM no longer copies every
     * byte into a pipe, and mksquashfs starts before the tree is scanned and linted.
     */
    public ImageBuilder readingDirectoriesDirectly() {
        return new ImageBuilder(tools, identity, singlePass, true, progress, checksum);
    }

    /**
     * This builder leaving out the SHA-256 of the image file it writes (squashfs, erofs or DDI): the report's
     * {@code sha256} is null, and the image is flushed to disk and not read back. For a caller that shows and keeps
     * no report ({@code build -q} without {@code --json} or {@code --report}, docs/cli.md §2.3), where the checksum
     * read the whole image after mksquashfs, serially (issue 17), or after the DDI was written (issue 15). A
     * directory's digest is still computed.
     */
    public ImageBuilder withoutChecksum() {
        return new ImageBuilder(tools, identity, singlePass, direct, progress, false);
    }

    public BuildReport build(BuildRequest request) throws SysextctlException {
        try {
            return buildWithProgress(request);
        } finally {
            progress.done();
        }
    }

    /** {@code sink} telling the progress listener of every entry, and of a file's bytes as they are read. */
    private TreeSink counted(TreeSink sink) {
        if (progress == ProgressListener.NONE) {
            return sink;
        }
        return (entry, content) -> {
            sink.add(entry, content == null ? null : new CountedContent(content, progress));
            progress.advance(1, 0);
        };
    }

    /** A file's content, each read told to the progress listener; the file behind it stays known. */
    private static final class CountedContent extends FilterInputStream implements FileBackedContent {
        private final ProgressListener progress;

        CountedContent(InputStream in, ProgressListener progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                progress.advance(0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                progress.advance(0, n);
            }
            return n;
        }

        @Override
        public Path file() {
            return FileBackedContent.fileOf(in);
        }
    }

    private static String fileName(Path output) {
        return output.getFileName() == null ? output.toString() : output.getFileName().toString();
    }

    private BuildReport buildWithProgress(BuildRequest request) throws SysextctlException {
        long started = System.nanoTime();
        Compression compression = checkRequest(request);
        DdiSigner signer = request.format() == BuildFormat.DDI && request.ddi().signed()
                ? DdiSigner.of(tools.openssl(), request.ddi().signKey(), request.ddi().certificate()) : null;
        Path output = resolveOutput(request);
        if (!request.force() && Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(output + " already exists; pass --force to replace it or choose another -o");
        }
        // the single pass knows a sysext's layout only; a confext takes the two passes (the same image either way)
        if (singlePass && request.format() == BuildFormat.SQUASHFS && request.sources().size() == 1
                && request.extensionClass() == ExtensionClass.SYSEXT
                && SinglePassPlan.applies(request.name(), request.extensionRelease(), request.strict())) {
            boolean onePass = true;
            if (direct && request.sources().get(0) instanceof DirectorySource dir
                    && tools.mksquashfs().readsDirectoriesAsTar()) {
                DirectOutcome d = buildDirect(request, dir, compression, output, started);
                if (d.report() != null) {
                    return d.report();
                }
                onePass = d.singlePassApplies();
            }
            Optional<BuildReport> built = onePass ? buildInOnePass(request, compression, output, started)
                    : Optional.empty();
            if (built.isPresent()) {
                return built.get();
            }
        }
        Findings findings = new Findings();
        progress.step("reading the sources", -1);
        ImagePlan plan = plan(request, findings);
        formatChecks(request, plan, findings);
        findings.addAll(ImageLinter.lint(request.name(), request.extensionRelease(), plan.lintEntries(),
                request.extensionClass()).asList());
        Findings effective = request.strict() ? findings.strict() : findings;
        if (effective.hasErrors()) {
            throw refusal(effective);
        }

        Map<String, String> toolVersions = new LinkedHashMap<>();
        String sha256;
        String ddiSha256 = null;
        long size;
        try (ScratchFiles scratch = new ScratchFiles()) {
            Files.createDirectories(output.getParent());
            progress.step("writing " + fileName(output), -1);
            switch (request.format()) {
                case SQUASHFS -> {
                    toolVersions.put(DefaultMksquashfs.PROGRAM, tools.mksquashfs().version());
                    writeSquashfs(request, plan, compression, output, scratch);
                }
                case EROFS -> {
                    toolVersions.put(DefaultMkfsErofs.PROGRAM, tools.mkfsErofs().version());
                    writeErofs(request, plan, compression, output, scratch);
                }
                case DDI -> ddiSha256 = writeDdi(request, plan, compression, output, scratch, signer,
                        toolVersions);
                default -> writeDirectory(request, plan, output, scratch);
            }
            if (request.format() == BuildFormat.DDI) {
                sha256 = ddiSha256; // read while the DDI was flushed to disk (null: not asked for)
                size = Files.size(output);
            } else if (request.format() == BuildFormat.DIRECTORY) {
                progress.step("checksumming " + fileName(output), -1);
                sha256 = DirectoryDigest.of(output);
                size = plan.entries().stream().filter(e -> e.type() == EntryType.FILE).mapToLong(TreeEntry::size)
                        .sum();
            } else {
                sha256 = imageChecksum(output);
                size = Files.size(output);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + output + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
        return new BuildReport(request.name(), output.toString(), request.format().cliName(), compression.cliName(),
                size, sha256, plan.entries().size(), request.extensionRelease().fields(), plan.hierarchies(),
                effective.sorted(), toolVersions, (System.nanoTime() - started) / 1_000_000,
                request.extensionClass());
    }

    /** The SHA-256 of a squashfs or erofs image file, or null {@link #withoutChecksum}. */
    private String imageChecksum(Path output) throws SysextctlException {
        if (!checksum) {
            return null;
        }
        progress.step("checksumming " + fileName(output), -1);
        return tools.checksums().sha256(output);
    }

    /**
     * A squashfs build from one source in a single scan ({@link SinglePassPlan}): mksquashfs starts at once and
     * compresses while the source is read (a directory walked, an archive decompressed once). Empty when the
     * single pass gave up (see {@link SinglePassPlan}); what it wrote is removed then, and the caller builds with
     * the two passes, which also report the findings of a refusal.
     */
    private Optional<BuildReport> buildInOnePass(BuildRequest r, Compression compression, Path output, long started)
            throws SysextctlException {
        ImageSource source = r.sources().get(0);
        Findings findings = new Findings();
        Map<String, String> toolVersions = new LinkedHashMap<>();
        SquashfsOptions options = new SquashfsOptions(compression, r.sourceDateEpoch(), !r.keepOwnership(), 0,
                List.of());
        SinglePassPlan[] plan = new SinglePassPlan[1];
        try (ScratchFiles scratch = new ScratchFiles()) {
            Files.createDirectories(output.getParent());
            toolVersions.put(DefaultMksquashfs.PROGRAM, tools.mksquashfs().version());
            Path tmp = scratch.sibling(output);
            progress.step("writing " + fileName(output), -1);
            try {
                tools.mksquashfs().buildFromTar(stdin -> {
                    try (TarStreamWriter tar = new TarStreamWriter(new KeepOpen(stdin))) {
                        plan[0] = new SinglePassPlan(r.name(), r.extensionRelease(), source.describe(),
                                r.sourceDateEpoch(), r.keepOwnership(), r.strict(), findings, counted(tar));
                        source.scan(plan[0], findings);
                        plan[0].finish();
                        tar.finish();
                    } catch (SysextctlException e) {
                        throw new WrappedFailure(e);
                    } catch (SinglePassPlan.Unsupported e) {
                        throw new GaveUp(e);
                    }
                }, tmp, options);
            } catch (StdinFailedException e) {
                if (e.getCause() instanceof GaveUp) {
                    return Optional.empty();
                }
                throw unwrap(e);
            }
            moveIntoPlace(tmp, output, r.force(), scratch);
            String sha256 = imageChecksum(output);
            long size = Files.size(output);
            Findings effective = r.strict() ? findings.strict() : findings;
            return Optional.of(new BuildReport(r.name(), output.toString(), r.format().cliName(),
                    compression.cliName(), size, sha256, plan[0].entries().size(), r.extensionRelease().fields(),
                    plan[0].hierarchies(), effective.sorted(), toolVersions,
                    (System.nanoTime() - started) / 1_000_000));
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + output + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
    }

    /** What {@link #buildDirect} did: the report, or whether the single pass (through the tar stream) applies. */
    private record DirectOutcome(BuildReport report, boolean singlePassApplies) {
    }

    /**
     * A squashfs build of one directory that mksquashfs reads itself ({@link DirectSquashfs}). mksquashfs starts at
     * once, before the tree is scanned, with the inputs a few {@code lstat}s foresee
     * ({@link DirectSquashfs#predict}); meanwhile the single pass runs over the tree without reading any content
     * (one {@code lstat} per entry, no file opened), lints it and records the stream it would write. If mksquashfs
     * can write that stream's image from the directory with the inputs it was started with, the build waits for it;
     * with other inputs (a socket or an unsafe symlink to leave out) it is stopped and started again with those.
     * Otherwise (the build will be refused, the single pass gave up), or when mksquashfs fails or the image does not
     * hold what the plan has (extended attributes among them: the scan does not read them), mksquashfs is stopped,
     * what it wrote is removed, and the caller builds through the tar stream, which also reports a refusal's findings
     * and a file it cannot read.
     *
     * <p>Progress: every entry scanned, then the bytes of the image as mksquashfs writes it ({@link OutputWatch}).
     */
    private DirectOutcome buildDirect(BuildRequest r, DirectorySource source, Compression compression, Path output,
            long started) throws SysextctlException {
        Findings findings = new Findings();
        List<TreeEntry> stream = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        SinglePassPlan plan = new SinglePassPlan(r.name(), r.extensionRelease(), source.describe(),
                r.sourceDateEpoch(), r.keepOwnership(), r.strict(), findings, (e, content) -> stream.add(e));
        SquashfsOptions options = new SquashfsOptions(compression, r.sourceDateEpoch(), !r.keepOwnership(), 0,
                List.of());
        byte[] releaseBytes = r.extensionRelease().render().getBytes(StandardCharsets.UTF_8);
        Map<String, String> toolVersions = new LinkedHashMap<>();
        try (ScratchFiles scratch = new ScratchFiles(); Stoppable mksquashfs = new Stoppable()) {
            Files.createDirectories(output.getParent());
            toolVersions.put(DefaultMksquashfs.PROGRAM, tools.mksquashfs().version());
            Path inputs = scratch.register(AtomicFiles.createScratchDirectory(null, "sysextctl-build"));
            progress.step("writing " + fileName(output), -1);
            Optional<DirectSquashfs> early = DirectSquashfs.predict(source.root(), plan.releaseEntries());
            Path tmp = scratch.sibling(output);
            if (early.isPresent()) {
                mksquashfs.running = tools.mksquashfs().startFromDirectory(
                        early.get().prepare(Files.createDirectory(inputs.resolve("early")), releaseBytes,
                                options.allRoot()), tmp, options);
            }
            try {
                source.scanWithoutContent((e, content) -> {
                    visited.add(e.path());
                    plan.visit(e, content);
                    progress.advance(1, 0);
                }, findings);
                plan.finish();
            } catch (SinglePassPlan.Unsupported e) {
                return new DirectOutcome(null, false); // mksquashfs is stopped, its output removed, with the try
            } catch (IOException e) {
                throw new OperationFailedException("cannot read the sources: " + AtomicFiles.describe(e)
                        + "; check that they are complete and readable");
            }
            DirectSquashfs.Decision decision = DirectSquashfs.plan(source.root(), stream, visited, findings.asList(),
                    ReleaseKeys.extensionReleasePath(r.name()));
            if (decision.direct().isEmpty()) {
                return new DirectOutcome(null, true);
            }
            DirectSquashfs direct = decision.direct().get();
            if (mksquashfs.running == null || !direct.sameInputs(early.get())) {
                if (mksquashfs.running != null) {
                    mksquashfs.close();
                    scratch.delete(tmp);
                    tmp = scratch.sibling(output);
                }
                mksquashfs.running = tools.mksquashfs().startFromDirectory(
                        direct.prepare(Files.createDirectory(inputs.resolve("late")), releaseBytes, options.allRoot()),
                        tmp, options);
            }
            try (OutputWatch watch = new OutputWatch(tmp, progress)) {
                mksquashfs.running.await();
            } catch (CommandFailedException e) {
                return new DirectOutcome(null, true); // the tar stream tells what it cannot read, or fails alike
            }
            if (!direct.matches(tmp)) {
                return new DirectOutcome(null, true); // the scratch files go with the try
            }
            moveIntoPlace(tmp, output, r.force(), scratch);
            String sha256 = imageChecksum(output);
            long size = Files.size(output);
            Findings effective = r.strict() ? findings.strict() : findings;
            return new DirectOutcome(new BuildReport(r.name(), output.toString(), r.format().cliName(),
                    compression.cliName(), size, sha256, plan.entries().size(), r.extensionRelease().fields(),
                    plan.hierarchies(), effective.sorted(), toolVersions, (System.nanoTime() - started) / 1_000_000),
                    true);
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + output + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
    }

    /**
     * Tells the progress listener, four times a second, how many bytes mksquashfs has written so far: a direct
     * build has no stream of its own to count. No thread without a listener.
     */
    private static final class OutputWatch implements AutoCloseable {
        private final Path output;
        private final ProgressListener progress;
        private final Thread thread;
        private long told;

        OutputWatch(Path output, ProgressListener progress) {
            this.output = output;
            this.progress = progress;
            if (progress == ProgressListener.NONE) {
                thread = null;
                return;
            }
            thread = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(250);
                        tell();
                    }
                } catch (InterruptedException e) {
                    // the build is over
                }
            }, "sysextctl-output-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void tell() {
            try {
                long size = Files.size(output);
                if (size > told) {
                    progress.advance(0, size - told);
                    told = size;
                }
            } catch (IOException e) {
                // not written yet, or gone
            }
        }

        /** Stops watching, after telling the size the image has now. */
        @Override
        public void close() {
            if (thread != null) {
                thread.interrupt();
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                tell();
            }
        }
    }

    /**
     * The mksquashfs of a direct build, stopped when the build leaves it behind; declared after the scratch files,
     * so it is stopped before they are removed (nothing writes them any more).
     */
    private static final class Stoppable implements AutoCloseable {
        Mksquashfs.Running running;

        @Override
        public void close() {
            if (running != null) {
                running.close();
                running = null;
            }
        }
    }

    /**
     * Pass one and the lint, without writing anything: the findings a build of {@code request} would report
     * (strict applied). Useful for a dry run.
     */
    public List<Finding> lint(BuildRequest request) throws SysextctlException {
        checkRequest(request);
        Findings findings = new Findings();
        ImagePlan plan = plan(request, findings);
        formatChecks(request, plan, findings);
        findings.addAll(ImageLinter.lint(request.name(), request.extensionRelease(), plan.lintEntries(),
                request.extensionClass()).asList());
        return (request.strict() ? findings.strict() : findings).sorted();
    }

    private static ImagePlan plan(BuildRequest request, Findings findings) throws SysextctlException {
        try {
            LayeredTree tree = LayeredTree.scan(request.sources(), findings);
            return ImagePlan.of(tree, request.name(), request.extensionRelease(), request.sourceDateEpoch(),
                    request.keepOwnership(), request.extensionClass());
        } catch (IOException e) {
            throw new OperationFailedException("cannot read the sources: " + AtomicFiles.describe(e)
                    + "; check that they are complete and readable");
        }
    }

    private static Compression checkRequest(BuildRequest r) throws UsageException {
        if (r.sources().isEmpty()) {
            throw new UsageException("no source given; name at least one directory or tar archive");
        }
        if (r.sourceDateEpoch() < 0 || r.sourceDateEpoch() > 0xffffffffL) {
            throw new UsageException("source date epoch " + r.sourceDateEpoch() + " is out of range; give seconds "
                    + "since 1970 between 0 and 4294967295");
        }
        if (r.format() == BuildFormat.DDI) {
            r.ddi().check();
        }
        Compression c = r.effectiveCompression();
        if (r.fileSystemFormat() == BuildFormat.EROFS && !ErofsOptions.SUPPORTED.contains(c)) {
            throw new UsageException("erofs images can be compressed with lz4hc, lz4 or none here (erofs-utils 1.5), "
                    + "not " + c.cliName() + "; drop --compression or use --format squashfs");
        }
        if (r.format() == BuildFormat.DIRECTORY && r.compression() != null && r.compression() != Compression.NONE) {
            throw new UsageException("a directory extension is not compressed; drop --compression " + c.cliName());
        }
        return c;
    }

    private static Path resolveOutput(BuildRequest r) {
        Path out = r.output() != null ? r.output()
                : Path.of(OutputNames.defaultName(r.name(), r.extensionRelease(), r.format(), r.extensionClass()));
        return out.toAbsolutePath().normalize();
    }

    /** What the chosen format cannot hold, found before anything is written. */
    private void formatChecks(BuildRequest r, ImagePlan plan, Findings findings) throws OperationFailedException {
        if (r.fileSystemFormat() == BuildFormat.SQUASHFS) {
            return;
        }
        String fmt = r.format().cliName();
        for (TreeEntry e : plan.entries()) {
            for (String x : e.xattrs().keySet()) {
                if (!x.startsWith("user.")) {
                    findings.add(new Finding(RuleId.XATTR_DROPPED.id(), Severity.WARNING, e.path(),
                            "extended attribute " + x + " cannot be staged for --format " + fmt
                                    + " (only user.* can); it is left out", "use --format squashfs to keep it"));
                }
            }
            if (identity.isRoot()) {
                continue;
            }
            if (e.type() == EntryType.CHAR_DEVICE || e.type() == EntryType.BLOCK_DEVICE) {
                throw new OperationFailedException(e.path() + " is a device node, which only root can create for "
                        + "--format " + fmt + "; build as root or use --format squashfs");
            }
            if (r.keepOwnership() && (e.uid() != identity.uid() || e.gid() != identity.gid())) {
                throw new OperationFailedException("--keep-ownership with --format " + fmt + " needs root (" + e.path()
                        + " belongs to " + e.uid() + ":" + e.gid() + "); build as root or use --format squashfs");
            }
        }
        if (r.format() == BuildFormat.DIRECTORY && !identity.isRoot() && !r.keepOwnership()) {
            findings.add(LintRule.NON_ROOT_OWNER.finding("", "built by uid " + identity.uid() + ": the directory "
                    + "extension's files belong to " + identity.uid() + ":" + identity.gid() + ", not root",
                    "build the directory as root, or use --format squashfs or erofs"));
        }
    }

    private static RefusedException refusal(Findings findings) {
        TreeSet<String> ids = new TreeSet<>();
        findings.asList().stream().filter(Finding::isError).forEach(f -> ids.add(f.id()));
        long n = findings.errorCount();
        return new RefusedException("the build was refused: " + n + " lint error" + (n == 1 ? "" : "s") + " ("
                + String.join(", ", ids) + "); fix " + (n == 1 ? "it" : "them") + " and build again", findings.sorted());
    }

    private void writeSquashfs(BuildRequest r, ImagePlan plan, Compression compression, Path output,
            ScratchFiles scratch) throws SysextctlException, IOException {
        Path tmp = scratch.sibling(output);
        SquashfsOptions options = new SquashfsOptions(compression, r.sourceDateEpoch(), !r.keepOwnership(), 0,
                List.of());
        try {
            tools.mksquashfs().buildFromTar(stdin -> {
                try (TarStreamWriter tar = new TarStreamWriter(new KeepOpen(stdin))) {
                    plan.write(r.sources(), counted(tar));
                    tar.finish();
                } catch (SysextctlException e) {
                    throw new WrappedFailure(e);
                }
            }, tmp, options);
        } catch (StdinFailedException e) {
            throw unwrap(e);
        }
        moveIntoPlace(tmp, output, r.force(), scratch);
    }

    private void writeErofs(BuildRequest r, ImagePlan plan, Compression compression, Path output,
            ScratchFiles scratch) throws SysextctlException, IOException {
        Path stage = scratch.sibling(output.resolveSibling(output.getFileName() + ".stage"));
        Files.createDirectory(stage);
        // Without extended attributes in the image, mkfs.erofs is told to read none (-x-1: the same bytes for a tree
        // that has none), and the stage links the source files instead of copying them (docs/ddi.md §8).
        boolean noXattrs = plan.entries().stream().allMatch(e -> e.xattrs().isEmpty());
        DirectoryTreeWriter writer = noXattrs
                ? DirectoryTreeWriter.linkingSourceFiles(stage, tools.specialFiles(), identity.isRoot(),
                        r.keepOwnership())
                : new DirectoryTreeWriter(stage, tools.specialFiles(), identity.isRoot());
        plan.write(r.sources(), counted(writer));
        writer.finish();
        Path tmp = scratch.sibling(output);
        tools.mkfsErofs().build(stage, tmp, new ErofsOptions(compression, r.sourceDateEpoch(), !r.keepOwnership(),
                noXattrs ? List.of(ErofsOptions.NO_XATTRS) : List.of()));
        scratch.deleteInBackground(stage);
        moveIntoPlace(tmp, output, r.force(), scratch);
    }

    /**
     * The file system (squashfs or erofs) under a temporary name, then the DDI around it (docs/ddi.md §8): made of
     * it in that file ({@link DdiWriter#writeInPlace}) when no checksum is read, else a copy. Its
     * architecture is the extension's, or this machine's for {@code _any} or none; its seed {@code --seed}, or the
     * image's manifest's ({@link DdiSeed}: no file is read for it). Returns the DDI's SHA-256, read while the DDI is
     * flushed to disk, or null without one ({@link #withoutChecksum()}).
     */
    private String writeDdi(BuildRequest r, ImagePlan plan, Compression compression, Path output, ScratchFiles scratch,
            DdiSigner signer, Map<String, String> toolVersions) throws SysextctlException, IOException {
        Path fs = scratch.sibling(output.resolveSibling(output.getFileName() + ".fs"));
        if (r.ddi().fileSystem() == BuildFormat.SQUASHFS) {
            toolVersions.put(DefaultMksquashfs.PROGRAM, tools.mksquashfs().version());
            writeSquashfs(r, plan, compression, fs, scratch);
        } else {
            toolVersions.put(DefaultMkfsErofs.PROGRAM, tools.mkfsErofs().version());
            writeErofs(r, plan, compression, fs, scratch);
        }
        String arch = r.extensionRelease().get("ARCHITECTURE");
        arch = arch == null || arch.isEmpty() || arch.equals("_any") ? Architecture.host()
                : Architecture.normalize(arch).orElse(arch);
        UUID seed = r.ddi().seed() != null ? r.ddi().seed()
                : DdiSeed.of(r.ddi().fileSystem(), compression, r.sourceDateEpoch(), plan.entries(), plan.releaseBytes());
        Path tmp;
        if (checksum) {
            // copied into a new file, whose pages the checksum then reads from memory (the insertion below would
            // drop them: the checksum would read the whole DDI from the disk again)
            tmp = scratch.sibling(output);
            DdiWriter.write(fs, tmp, arch, () -> seed, signer, tools.veritysetup(), false);
            scratch.deleteInBackground(fs);
        } else {
            // the file system becomes the DDI: its hash area appended, room for the partition table inserted in front
            tmp = fs;
            DdiWriter.writeInPlace(tmp, arch, () -> seed, signer, tools.veritysetup(), tools.fallocate(), false);
        }
        String sha256 = null;
        if (checksum) {
            progress.step("checksumming " + fileName(output), -1);
            sha256 = checksumWhileFlushing(tmp);
        } else {
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                c.force(false);
            }
        }
        moveIntoPlace(tmp, output, r.force(), scratch);
        return sha256;
    }

    /**
     * The SHA-256 of a finished image, read on a thread of its own while the image is flushed to disk (the two take
     * about as long, and the one waits for the disk where the other reads the page cache).
     */
    private String checksumWhileFlushing(Path image) throws SysextctlException, IOException {
        FutureTask<String> sum = new FutureTask<>(() -> tools.checksums().sha256(image));
        Thread t = new Thread(sum, "sysextctl-checksum");
        t.setDaemon(true);
        t.start();
        try (FileChannel c = FileChannel.open(image, StandardOpenOption.WRITE)) {
            c.force(false);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return sum.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SysextctlException s) {
                throw s;
            }
            throw new OperationFailedException("cannot checksum " + image + ": " + e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void writeDirectory(BuildRequest r, ImagePlan plan, Path output, ScratchFiles scratch)
            throws SysextctlException, IOException {
        Path stage = scratch.sibling(output);
        Files.createDirectory(stage);
        stageTree(r, plan, stage, identity.isRoot());
        if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
            if (!r.force()) {
                throw new UsageException(output + " already exists; pass --force to replace it or choose another -o");
            }
            Path old = scratch.sibling(output);
            Files.move(output, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(stage, output, StandardCopyOption.ATOMIC_MOVE);
            scratch.release(stage);
            scratch.delete(old);
        } else {
            Files.move(stage, output, StandardCopyOption.ATOMIC_MOVE);
            scratch.release(stage);
        }
    }

    private void stageTree(BuildRequest r, ImagePlan plan, Path stage, boolean setOwners)
            throws SysextctlException, IOException {
        DirectoryTreeWriter writer = new DirectoryTreeWriter(stage, tools.specialFiles(), setOwners);
        plan.write(r.sources(), counted(writer));
        writer.finish();
    }

    static void moveIntoPlace(Path tmp, Path output, boolean force, ScratchFiles scratch)
            throws UsageException, IOException {
        try {
            AtomicFiles.moveIntoPlace(tmp, output, force);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(output + " already exists; pass --force to replace it or choose another -o");
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING);
        }
        scratch.release(tmp);
    }

    static SysextctlException unwrap(StdinFailedException e) {
        Throwable c = e.getCause();
        if (c instanceof WrappedFailure w) {
            return w.failure();
        }
        if (c instanceof IOException io) {
            return new OperationFailedException("cannot build the image: " + AtomicFiles.describe(io)
                    + "; check the sources and build again");
        }
        return e;
    }

    /** Carries a library failure through the stdin writer's IOException signature. */
    static final class WrappedFailure extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient SysextctlException failure;

        WrappedFailure(SysextctlException failure) {
            super(failure.getMessage(), failure);
            this.failure = failure;
        }

        SysextctlException failure() {
            return failure;
        }
    }

    /** Carries the single pass's {@link SinglePassPlan.Unsupported} out of the stdin writer. */
    private static final class GaveUp extends IOException {
        private static final long serialVersionUID = 1L;

        GaveUp(SinglePassPlan.Unsupported why) {
            super("the single pass gave up: " + why.getMessage(), why);
        }
    }

    /** The runner closes the process's stdin itself. */
    static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
