"""The workloads: each w_NAME method measures one of common.WORKLOADS and adds its rows."""
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading

from . import data, ddi, fromjava, reference, startup
from .common import MIB, SYSEXTCTL, BenchError, log
from .report import fmt_row
from .timing import Pair, load, median, run

class Bench:
    def __init__(self, args):
        self.quick = args.quick
        self.runs = args.runs if args.runs else (1 if args.quick else 3)
        self.scale = 8 if args.quick else 1
        self.keep = args.keep
        self.rows = []
        base = os.environ.get("TMPDIR", "/tmp")
        self.scratch = tempfile.mkdtemp(prefix="sysextctl-bench.", dir=base)
        self.cache = {}

    def size(self, mb):
        return max(1, mb * MIB // self.scale)

    def path(self, *p):
        return os.path.join(self.scratch, *p)

    def sysextctl(self, *args, watch_rss=False, cwd=None, env=None):
        return run([SYSEXTCTL] + list(args), cwd=cwd, env=env, watch_rss=watch_rss)

    def row(self, workload, case, reference, a, b, target=None, target_kind="ratio", unit="s", note=None,
            extra=None):
        """a: sysextctl samples, b: reference samples (lists of seconds or values)."""
        ma, mb = median(a), median(b) if b else None
        ratio = (ma / mb) if (mb and ma is not None) else None
        met = None
        if target is not None:
            if target_kind == "ratio":
                met = ratio is not None and ratio <= target
            elif target_kind == "max":
                met = ma is not None and ma <= target
        r = {"workload": workload, "case": case, "reference": reference, "unit": unit,
             "sysextctl": {"median": ma, "samples": a}, "reference_result": {"median": mb, "samples": b or []},
             "ratio": ratio, "target": target, "target_kind": target_kind, "met": met, "load": load()}
        if target_kind == "ratio" and b and len(b) > 2 and mb:
            # How much the reference alone varies from run to run (1.4826 MAD / median: a robust relative standard
            # deviation), and from that the uncertainty of a ratio of two medians of n runs (1.2533 s / sqrt(n)
            # each, both sides): a ratio within two of those of its target is not resolved by this run; say so.
            spread = 1.4826 * median([abs(x - mb) for x in b]) / mb
            uncertainty = 2 * (2 ** 0.5) * 1.2533 * spread / (len(b) ** 0.5)
            r["reference_spread"] = round(spread, 3)
            r["ratio_uncertainty"] = round(uncertainty, 3)
            r["within_noise"] = ratio is not None and target is not None and abs(ratio - target) <= uncertainty
        if note:
            r["note"] = note
        if extra:
            r.update(extra)
        self.rows.append(r)
        log("   %-12s %-30s %s" % (workload, case, fmt_row(r)))
        return r

    def error_row(self, workload, message):
        self.rows.append({"workload": workload, "case": "error", "error": message, "met": False, "load": load()})
        log("   %-12s ERROR %s" % (workload, message))

    # --- data ---------------------------------------------------------------------------------------------

    def tree(self, mb, seed, sizes=data.file_size):
        key = ("tree", mb, seed)
        if key not in self.cache:
            d = self.path("tree-%dm-%d" % (mb, seed))
            log(">> generating a %d MB tree (%s)" % (self.size(mb) // MIB, d))
            n = data.make_tree(d, self.size(mb), seed, sizes)
            self.cache[key] = (d, n)
        return self.cache[key]

    def mksquashfs(self, src, out):
        return run(["mksquashfs", src, out] + fromjava.mksquashfs_options())[0]

    def build(self, src, out, *extra):
        return self.sysextctl("build", src, "--name", "bench", "-o", out, "--force", "-q", *extra)[0]

    def rm(self, *paths):
        for p in paths:
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p, ignore_errors=True)
            elif os.path.lexists(p):
                os.unlink(p)

    # --- workloads ----------------------------------------------------------------------------------------

    def w_startup(self):
        """--version, --help, status (50 merged), list (50 images), inspect, validate on the default JDK and on the
        shipped runtime, each against a bare java -version of the same runtime, alternately."""
        runtimes = [startup.default_runtime()]
        shipped = startup.shipped_runtime(self.scratch)
        if shipped is None:
            log("   startup: no JDK 24+ with jlink under /usr/lib/jvm and no dist/sysextctl-*.raw: "
                "no shipped-runtime rows")
        else:
            runtimes.append(shipped)
        root = self.root(50)
        image = os.path.join(self.images(50), "ext1.raw")
        commands = [("--version",), ("--help",), ("status",), ("list", "--root", root), ("inspect", image),
                    ("validate", image)]
        with self.merged_on_usr(50):
            for rt in runtimes:
                for args in commands:
                    cpu_a, cpu_b = [], []

                    def side(argv, acc):
                        t, info = run(argv)
                        acc.append(info["child_cpu_s"])
                        return t
                    pair = Pair(self, lambda args=args: side(rt.argv + list(args), cpu_a), lambda: side(rt.bare, cpu_b))
                    a, b = pair.measure(self.runs if self.quick else max(self.runs, 5))
                    name = args[0] + (" (50 merged)" if args[0] == "status" else " (50 images)" if args[0] == "list"
                                      else "")
                    case = "sysextctl " + name if rt.key == "default" else "%s: sysextctl %s" % (rt.key, name)
                    # The CPU time beside the wall time: on a shared machine it varies far less.
                    cpu = "CPU %.3f s vs %.3f s" % (median(cpu_a), median(cpu_b))
                    extra = {"runtime": rt.label, "cpu_s": {"sysextctl": median(cpu_a), "reference": median(cpu_b)}}
                    if rt.image_bytes is not None:
                        extra["image_bytes"] = rt.image_bytes
                    self.row("startup", case, "java -version, same runtime", a, b, rt.target,
                             target_kind="max" if rt.target else "ratio",
                             note="%s; %s" % (cpu, rt.label) if args == ("--version",) else cpu, extra=extra)

    @contextlib.contextmanager
    def merged_on_usr(self, n):
        """n images merged by systemd-sysext onto this private namespace's /usr (systemd-sysext 252's status cannot
        read a merge under --root), through a /run/extensions on the namespace's own tmpfs /run."""
        r = self.root(n)
        os.makedirs("/run/extensions", exist_ok=True)
        for i in range(1, n + 1):
            dst = "/run/extensions/ext%d.raw" % i
            if not os.path.exists(dst):
                os.symlink(os.path.join(r, "etc/extensions/ext%d.raw" % i), dst)
        subprocess.run(["systemd-sysext", "merge"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            if self.merged_count("") < n:
                raise BenchError("systemd-sysext merged %d of %d images onto the namespace's /usr"
                                 % (self.merged_count(""), n))
            yield
        finally:
            subprocess.run(["systemd-sysext", "unmerge"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def w_build_large(self):
        tree, n = self.tree(300, 1)
        self.tree_vs_mksquashfs("build-large", tree, "%d MB tree, %d files" % (self.size(300) // MIB, n))

    def w_build_mixed(self):
        tree, n = self.tree(150, 5, data.file_size_mixed)
        self.tree_vs_mksquashfs("build-mixed", tree, "%d MB mixed tree, %d files" % (self.size(150) // MIB, n))

    def tree_vs_mksquashfs(self, workload, tree, case):
        out_a, out_b = self.path(workload + "-a.raw"), self.path(workload + "-b.raw")
        self.warm_jvm()
        cpu_a, cpu_b = [], []

        def side(argv, acc):
            t, info = run(argv)
            acc.append(info["child_cpu_s"])
            return t
        build = [SYSEXTCTL, "build", tree, "--name", "bench", "-o", out_a, "--force", "-q"]
        pair = Pair(self, lambda: side(build, cpu_a),
                    lambda: side(["mksquashfs", tree, out_b] + fromjava.mksquashfs_options(), cpu_b),
                    lambda: self.rm(out_a, out_b))
        a, b = pair.measure(self.runs, warmup=False)
        # The CPU time beside the wall time (user + system, every process of each side): on a shared machine it
        # varies less than the wall time, and it shows what sysextctl adds to mksquashfs's own work.
        self.row(workload, case, "mksquashfs", a, b, 1.0,
                 note="CPU %.2f s vs %.2f s (ratio %.3f)" % (median(cpu_a), median(cpu_b),
                                                             median(cpu_a) / median(cpu_b)),
                 extra={"cpu_s": {"sysextctl": median(cpu_a), "reference": median(cpu_b),
                                  "samples": {"sysextctl": cpu_a, "reference": cpu_b}}})

    def w_build_small(self):
        tree = self.path("small-tree")
        data.make_small_tree(tree)
        out_a, out_b = self.path("small-a.raw"), self.path("small-b.raw")
        pair = Pair(self, lambda: self.build(tree, out_a), lambda: self.mksquashfs(tree, out_b),
                    lambda: self.rm(out_a, out_b))
        a, b = pair.measure(max(self.runs, 5))
        self.row("build-small", "10-file tree", "mksquashfs", a, b, 1.5)

    def w_build_targz(self):
        tree, n = self.tree(200, 2)
        archive = self.path("src-200.tar.gz")
        if not os.path.exists(archive):
            log(">> packing %s" % archive)
            data.tarball(tree, archive)
        out_a, out_b, work = self.path("targz-a.raw"), self.path("targz-b.raw"), self.path("targz-work")
        self.warm_jvm()
        pair = Pair(self, lambda: self.build(archive, out_a),
                    lambda: run(["bash", "-c", reference.TARGZ_SH, "targz", archive, work, out_b]
                                + fromjava.mksquashfs_options())[0],
                    lambda: self.rm(out_a, out_b, work))
        a, b = pair.measure(self.runs, warmup=False)
        self.row("build-targz", "%d MB .tar.gz (%d MB packed)" % (self.size(200) // MIB,
                 os.path.getsize(archive) // MIB), "tar -xzf + mksquashfs + rm", a, b, 1.0)

    def w_build_image(self):
        try:
            run(["docker", "version"])
        except (BenchError, OSError):
            raise BenchError("no Docker engine answers (docker version); the reference is docker export: start "
                             "dockerd (scripts/test -pl e2e starts one)")
        tag = "sysextctl-bench/image:%d" % self.size(200)
        archive = self.path("image-200.tar")
        if not os.path.exists(archive):
            log(">> generating a %d MB docker save archive" % (self.size(200) // MIB))
            data.docker_archive(archive, self.size(200), 5, self.path("image-work"), tag)
        container = "sysextctl-bench-image-%d" % os.getpid()
        run(["docker", "load", "-q", "-i", archive])
        run(["docker", "create", "--name", container, tag, "/none"])
        out_a, out_b = self.path("image-a.raw"), self.path("image-b.raw")
        try:
            self.warm_jvm()
            pair = Pair(self, lambda: self.build("docker-archive:" + archive, out_a),
                        lambda: run(["bash", "-c", 'set -o pipefail; docker export "$1" | mksquashfs - "$2" -tar "${@:3}"',
                                     "export", container, out_b] + fromjava.mksquashfs_options())[0],
                        lambda: self.rm(out_a, out_b))
            a, b = pair.measure(self.runs, warmup=False)
        finally:
            subprocess.run(["docker", "rm", "-f", container], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(["docker", "rmi", tag], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.row("build-image", "%d MB docker save archive" % (os.path.getsize(archive) // MIB),
                 "docker export | mksquashfs -tar", a, b, 1.0)

    def w_convert(self):
        archive = self.path("docker:20.10.torcx.tgz")
        log(">> generating a %d MB docker-like torcx archive" % (self.size(200) // MIB))
        data.torcx_archive(archive, self.size(200))
        out_a, out_b, work = self.path("convert-a.raw"), self.path("convert-b.raw"), self.path("convert-work")
        os.makedirs(work, exist_ok=True)
        self.warm_jvm()
        pair = Pair(self, lambda: self.sysextctl("convert", "torcx-image", archive, "-o", out_a, "--force",
                                                 "-q")[0],
                    lambda: run(["bash", "-c", reference.CONVERT_SH, "convert", archive, "docker", work, out_b]
                                + fromjava.mksquashfs_options())[0],
                    lambda: self.rm(out_a, out_b, os.path.join(work, "docker")))
        a, b = pair.measure(self.runs, warmup=False)
        self.row("convert", "%d MB torcx archive (%d MB packed)" % (self.size(200) // MIB,
                 os.path.getsize(archive) // MIB), "convert_torcx_image.sh steps", a, b, 1.0)

    def w_build_ddi(self):
        ddi.build_ddi(self)  # benchlib/ddi.py

    # merge, status, list: scratch roots with N squashfs images (Debian 12), in this private mount namespace

    def images(self, n):
        d = self.path("images")
        os.makedirs(d, exist_ok=True)
        todo = [i for i in range(1, n + 1) if not os.path.exists(os.path.join(d, "ext%d.raw" % i))]
        if todo:
            log(">> making %d squashfs images" % len(todo))

        def one(i):
            t = self.path("imgtree-%d" % i)
            os.makedirs(t + "/usr/lib/extension-release.d")
            os.makedirs(t + "/usr/share/bench/ext%d" % i)
            os.makedirs(t + "/usr/bin")
            with open(t + "/usr/lib/extension-release.d/extension-release.ext%d" % i, "w") as f:
                f.write("ID=debian\nVERSION_ID=12\n")
            with open(t + "/usr/share/bench/ext%d/file" % i, "w") as f:
                f.write("ext%d\n" % i)
            with open(t + "/usr/bin/shared", "w") as f:
                f.write("ext%d\n" % i)
            run(["mksquashfs", t, os.path.join(d, "ext%d.raw" % i), "-noappend", "-all-root", "-quiet",
                 "-no-progress", "-processors", "1"])
            shutil.rmtree(t)
        threads = []
        for k in range(2):
            th = threading.Thread(target=lambda k=k: [one(i) for i in todo[k::2]])
            th.start()
            threads.append(th)
        for th in threads:
            th.join()
        return d

    def root(self, n):
        r = self.path("root-%d" % n)
        if not os.path.exists(r):
            imgs = self.images(n)
            os.makedirs(r + "/etc/extensions")
            os.makedirs(r + "/usr/share/bench")
            with open(r + "/etc/os-release", "w") as f:
                f.write("ID=debian\nVERSION_ID=12\n")
            with open(r + "/usr/share/bench/host", "w") as f:
                f.write("host\n")
            for i in range(1, n + 1):
                os.link(os.path.join(imgs, "ext%d.raw" % i), r + "/etc/extensions/ext%d.raw" % i)
        return r

    @staticmethod
    def merged_count(r):
        try:
            with open(r + "/usr/.systemd-sysext/extensions") as f:
                return len(f.read().split())
        except OSError:
            return 0

    def sd_unmerge(self, r):
        subprocess.run(["systemd-sysext", "--root=" + r, "unmerge"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def w_merge(self):
        """Native merges of 1/10/50/200 images against systemd-sysext's, on the default JDK (the repository's
        launcher); 50 images also on the shipped runtime (the sysext's launcher, as a node runs it). The JVM's peak
        RSS comes from one more, untimed run of each size (sampling it would slow the timed ones)."""
        sizes = (1, 10, 50) if self.quick else (1, 10, 50, 200)
        results = {}
        shipped = None
        for n in sizes:
            r = self.root(n)

            def timed(engine, r=r, n=n, argv=None):
                if engine == "systemd":
                    t = run(["systemd-sysext", "--root=" + r, "merge"])[0]
                else:
                    t = run((argv or [SYSEXTCTL]) + ["merge", "--root", r, "--engine", "native", "-q"])[0]
                if self.merged_count(r) != n:
                    raise BenchError("%s merged %d of %d images into %s" % (engine, self.merged_count(r), n, r))
                return t
            pair = Pair(self, lambda: timed("native"), lambda: timed("systemd"), lambda r=r: self.sd_unmerge(r))
            try:
                a, b = pair.measure(self.runs)
            except BenchError as e:
                if n <= 50:
                    raise
                # systemd-sysext may not merge this many (overlayfs option length); time sysextctl alone
                self.sd_unmerge(r)
                a = []
                for _ in range(self.runs):
                    a.append(timed("native"))
                    self.sd_unmerge(r)
                b = []
                self.row("merge", "%d images" % n, "systemd-sysext merge", a, b, None,
                         note="systemd-sysext failed: " + str(e)[:200] + "; " + self.merge_rss(r), extra=self.rss)
                results[n] = median(a)
                continue
            results[n] = median(a)
            rss = self.merge_rss(r)
            self.row("merge", "%d images" % n, "systemd-sysext merge", a, b, 0.15 if n == 50 else None, note=rss,
                     extra=self.rss)
            if n == 50:
                shipped = startup.shipped_runtime(self.scratch)
                if shipped is None:
                    log("   merge: no JDK 24+ with jlink and no dist/sysextctl-*.raw: no shipped-runtime row")
                    continue
                pair = Pair(self, lambda: timed("native", argv=shipped.argv), lambda: timed("systemd"),
                            lambda r=r: self.sd_unmerge(r))
                a, b = pair.measure(self.runs)
                rss = self.merge_rss(r, shipped.argv)
                self.row("merge", "50 images, shipped runtime", "systemd-sysext merge", a, b, None,
                         note="%s; %s" % (rss, shipped.label), extra=dict(self.rss, runtime=shipped.label))
        self.linearity("merge", "images", results)

    def merge_rss(self, r, argv=None):
        """One untimed native merge of root r, watched: sets self.rss and returns it as a note."""
        info = run((argv or [SYSEXTCTL]) + ["merge", "--root", r, "--engine", "native", "-q"], watch_rss=True)[1]
        self.sd_unmerge(r)
        self.rss = {"jvm_peak_rss_mb": round(info.get("java", 0) / 1024, 1)}
        return "JVM peak RSS %.0f MB" % self.rss["jvm_peak_rss_mb"]

    def linearity(self, workload, unit, results, tolerance=1.15):
        """Linear or better: going from size x to y costs at most (y / x) * tolerance times as much."""
        ks = sorted(results)
        steps = []
        ok = True
        for x, y in zip(ks, ks[1:]):
            if results[x] is None or results[y] is None:
                continue
            growth = results[y] / results[x]
            allowed = (y / x) * tolerance
            steps.append({"from": x, "to": y, "time_growth": round(growth, 3), "size_growth": y / x})
            ok = ok and growth <= allowed
        r = {"workload": workload, "case": "growth with %s (%s)" % (unit, ", ".join(map(str, ks))),
             "reference": "linear", "steps": steps, "medians": {str(k): results[k] for k in ks},
             "target": "linear or better", "target_kind": "linear", "met": ok, "load": load()}
        self.rows.append(r)
        log("   %-12s %-30s %s" % (workload, r["case"], "; ".join("x%g size -> x%.2f time" % (s["size_growth"],
                                                                   s["time_growth"]) for s in steps)))

    def w_status(self):
        # Both tools read the live state of this namespace's /usr (see merged_on_usr).
        with self.merged_on_usr(50):
            pair = Pair(self, lambda: self.sysextctl("status")[0],
                        lambda: run(["systemd-sysext", "status", "--no-pager"])[0])
            a, b = pair.measure(max(self.runs, 5))
            self.row("status", "50 images merged", "systemd-sysext status", a, b, 0.3, target_kind="max")

    def w_list(self):
        r = self.root(50)
        pair = Pair(self, lambda: self.sysextctl("list", "--root", r)[0],
                    lambda: run(["systemd-sysext", "--root=" + r, "list", "--no-pager"])[0])
        a, b = pair.measure(max(self.runs, 5))
        self.row("list", "50 images", "systemd-sysext list", a, b, 0.3, target_kind="max")

    def w_memory(self):
        peaks = {}
        for mb in (250, 1024):
            archive = self.path("mem-%d.tar.gz" % mb)
            log(">> generating a %d MB tarball" % (self.size(mb) // MIB))
            # Incompressible content: the JVM streams every byte all the same, and mksquashfs gets through it
            # fastest (zstd gives up early on random blocks), which keeps the run short.
            data.streamed_tarball(archive, self.size(mb), 100 + mb, "random")
            out = self.path("mem-%d.raw" % mb)
            t, p = self.sysextctl("build", archive, "--name", "bench", "-o", out, "--force", "-q", watch_rss=True)
            self.rm(out, archive)
            jvm = p.get("java", 0) / 1024
            mks = p.get("mksquashfs", 0) / 1024
            peaks[mb] = jvm
            self.row("memory", "%d MB tarball: JVM peak RSS" % (self.size(mb) // MIB), "-", [jvm], None, 300,
                     target_kind="max", unit="MB", extra={"mksquashfs_peak_rss_mb": mks, "seconds": t},
                     note="mksquashfs peak RSS %.0f MB (the -mem sysextctl gives it: docs/cli.md §2.2), %.1f s"
                     % (mks, t))
        growth = peaks[1024] / peaks[250] if peaks[250] else None
        r = {"workload": "memory", "case": "JVM peak RSS 1 GB / 250 MB", "reference": "independent of size",
             "ratio": growth, "target": 1.15, "target_kind": "ratio", "met": growth is not None and growth <= 1.15,
             "load": load(), "unit": "x"}
        self.rows.append(r)
        log("   %-12s %-30s %s" % ("memory", r["case"], fmt_row(r)))

    def w_scaling(self):
        # sysextctl alone, one run per size (build-large compares it with mksquashfs): the 800 MB build alone
        # takes a minute on two cores. The trees are the generator's (same mix), the 200 MB one build-targz's.
        res = {}
        self.warm_jvm()
        for mb, seed in ((50, 3), (200, 2), (800, 4)):
            tree, n = self.tree(mb, seed)
            out = self.path("scale.raw")
            t = self.build(tree, out)
            self.rm(out)
            res[mb] = t
            self.row("scaling", "%d MB tree, %d files" % (self.size(mb) // MIB, n), "-", [t], None, None,
                     note="%.1f MB/s" % (self.size(mb) / MIB / t))
        self.linearity("scaling", "MB", res)

    def warm_jvm(self):
        if "jvm" not in self.cache:
            t = self.path("warm-tree")
            data.make_small_tree(t)
            self.build(t, self.path("warm.raw"))
            self.rm(self.path("warm.raw"))
            self.cache["jvm"] = True

    def cleanup(self):
        if self.keep:
            log("bench: kept " + self.scratch)
        else:
            shutil.rmtree(self.scratch, ignore_errors=True)
