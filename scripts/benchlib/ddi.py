"""The build-ddi row: a signed erofs DDI of a 300 MB tree by sysextctl vs systemd-repart --make-ddi=sysext 257.

systemd-repart runs in the trixie chroot of scripts/trixie-tools (systemd 257, docs/testing.md §2), set up once for
the row: an overlay over the cached chroot (the cache stays untouched), /dev, /proc, /sys, a tmpfs on /run, and the
bench's scratch directory at /work, all inside the bench's private mount namespace. Like with like: both write the
erofs uncompressed (repart's sysext definitions set no Compression=, and that is sysextctl's default for a DDI), both
sign with the same key, both derive their seed themselves (no --seed), both fsync. The two run alternately."""
import os
import subprocess

from .common import MIB, REPO, SYSEXTCTL, BenchError, log
from .timing import Pair, median, run

TARGET = 1.1


def chroot_dir():
    """The prepared trixie chroot (prepared now when it is not: root and the Debian mirror needed)."""
    tool = os.path.join(REPO, "scripts", "trixie-tools")
    p = subprocess.run([tool, "path", "chroot"], capture_output=True, text=True)
    if p.returncode != 0:
        log(">> preparing the trixie chroot (scripts/trixie-tools chroot)")
        p = subprocess.run([tool, "chroot"], capture_output=True, text=True)
        if p.returncode != 0:
            raise BenchError("no trixie chroot with systemd-repart 257: scripts/trixie-tools chroot failed: "
                             + " | ".join(p.stderr.strip().splitlines()[-3:]))
    return p.stdout.strip()


class Chroot:
    """The trixie root mounted once under the scratch directory; `argv` runs a command in it."""

    def __init__(self, bench):
        self.layers = bench.path("trixie-layers")
        self.root = os.path.join(self.layers, "root")
        lower = chroot_dir()
        for d in ("upper", "work", "root"):
            os.makedirs(os.path.join(self.layers, d), exist_ok=True)
        r = self.root
        script = ("set -e\n"
                  "mount -t overlay overlay -o lowerdir=%s,upperdir=%s/upper,workdir=%s/work %s\n"
                  "mount --rbind /dev %s/dev\nmount -t proc proc %s/proc\nmount --rbind /sys %s/sys\n"
                  "mount -t tmpfs tmpfs %s/run\nmkdir -p %s/work\nmount --bind %s %s/work\n"
                  % (lower, self.layers, self.layers, r, r, r, r, r, r, bench.scratch, r))
        p = subprocess.run(["sh", "-c", script], capture_output=True, text=True)
        if p.returncode != 0:
            self.close()
            raise BenchError("cannot mount the trixie chroot: " + p.stderr.strip().splitlines()[-1])

    def argv(self, *cmd):
        return ["chroot", self.root] + list(cmd)

    def close(self):
        subprocess.run(["umount", "-R", self.root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def key_pair(bench):
    key, cert = bench.path("ddi-key.pem"), bench.path("ddi-cert.pem")
    if not os.path.exists(cert):
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "30",
             "-subj", "/CN=sysextctl bench"])
    return key, cert


def build_ddi(bench):
    tree, n = bench.tree(300, 1)  # build-large's tree
    key, cert = key_pair(bench)
    chroot = Chroot(bench)
    out_a, out_b = bench.path("ddi-a.raw"), bench.path("ddi-b.raw")
    rel = lambda p: "/work/" + os.path.relpath(p, bench.scratch)  # noqa: E731
    cpu_a, cpu_b, sizes = [], [], {}
    programs = {"sysextctl": {}, "repart": {}}  # CPU seconds per program name, one sample per run

    def side(argv, acc, out, name):
        t, info = run(argv, watch_rss=True)
        acc.append(info["child_cpu_s"])
        for prog, cpu in info.get("cpu", {}).items():
            programs[name].setdefault(prog, []).append(cpu)
        sizes[name] = os.path.getsize(out)
        return t

    try:
        bench.warm_jvm()
        pair = Pair(bench,
                    lambda: side([SYSEXTCTL, "build", tree, "--name", "bench", "-o", out_a, "--force", "-q",
                                  "--format", "ddi", "--sign-key", key, "--certificate", cert],
                                 cpu_a, out_a, "sysextctl"),
                    lambda: side(chroot.argv("systemd-repart", "--make-ddi=sysext", "--copy-source=" + rel(tree),
                                             "--private-key=" + rel(key), "--certificate=" + rel(cert), rel(out_b)),
                                 cpu_b, out_b, "repart"),
                    lambda: bench.rm(out_a, out_b))
        a, b = pair.measure(bench.runs)
    finally:
        chroot.close()
    # the warm-up runs are sampled too: per program, the median of the timed runs (the last ones)
    per_program = {side: {prog: median(cs[-len(a):]) for prog, cs in progs.items()}
                   for side, progs in programs.items()}
    by_program = "; ".join("%s: %s" % (side, ", ".join("%s %.2f" % (prog, c) for prog, c in
                                                       sorted(progs.items(), key=lambda x: -x[1]) if c >= 0.05))
                           for side, progs in per_program.items())
    note = "CPU %.2f s vs %.2f s (%s); rounds %.1f-%.1f s vs %.1f-%.1f s; DDI %.0f MiB vs %.0f MiB" % (
        median(cpu_a), median(cpu_b), by_program, min(a), max(a), min(b), max(b), sizes["sysextctl"] / MIB,
        sizes["repart"] / MIB)
    bench.row("build-ddi", "%d MB tree, %d files, signed erofs" % (bench.size(300) // MIB, n),
              "systemd-repart --make-ddi=sysext", a, b, TARGET, note=note,
              extra={"cpu_s": {"sysextctl": median(cpu_a), "reference": median(cpu_b)},
                     "cpu_s_by_program": per_program, "ddi_bytes": sizes})
