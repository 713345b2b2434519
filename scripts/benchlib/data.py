"""Deterministic data: byte pools, trees, tarballs and the docker-like torcx archive (scaled up from the
converter's F1 fixture, which the Java test code writes: see fromjava)."""
import hashlib
import os
import random
import subprocess
import tarfile

from .common import MIB, BenchError
from . import fromjava

class Pools:
    """Byte pools of three kinds: random (incompressible), low-entropy binary, and text. Files are slices of
    them at random offsets, each with a unique 16-byte head (no two files are identical)."""

    def __init__(self, seed):
        r = random.Random(seed)
        self.random = r.randbytes(32 * MIB)
        self.low = r.randbytes(32 * MIB).translate(bytes((i % 8) * 29 for i in range(256)))
        words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 10)))
                 for _ in range(4000)]
        lines, size = [], 0
        while size < 8 * MIB:
            line = " ".join(r.choice(words) for _ in range(r.randint(4, 14))) + "\n"
            lines.append(line)
            size += len(line)
        self.text = "".join(lines).encode()

    def content(self, r, n, tag, kind=None):
        if kind is None:
            kind = r.choices(("random", "low", "text"), (35, 30, 35))[0]
        pool = getattr(self, kind)
        out = bytearray(hashlib.sha256(tag.encode()).digest()[:16])
        while len(out) < n:
            k = min(n - len(out), len(pool))
            off = r.randrange(0, len(pool) - k + 1)
            out += pool[off:off + k]
        return bytes(out[:n])


_POOLS = {}


def pools(seed=1):
    if seed not in _POOLS:
        _POOLS[seed] = Pools(seed)
    return _POOLS[seed]


def _sizes(small, medium, large_max):
    """A file-size draw: `small` of them 512 B-8 KiB, up to `medium` (cumulative) 8-128 KiB, the rest up to
    `large_max` bytes."""
    def draw(r):
        u = r.random()
        if u < small:
            return r.randint(512, 8 << 10)
        if u < medium:
            return r.randint(8 << 10, 128 << 10)
        return r.randint(128 << 10, large_max)
    return draw


file_size = _sizes(0.75, 0.97, 8 << 20)
# Smaller files: 72% under 8 KiB, 26% of 8-128 KiB, 2.3% of 128 KiB-2 MiB (about 3,200 files in 150 MB, a
# package-like tree).
file_size_mixed = _sizes(0.717, 0.977, 2 << 20)


def tree_members(total, seed, kind=None, sizes=file_size):
    """(path, bytes) of a tree of about `total` bytes: thousands of files (75% under 8 KiB, 3% of 128 KiB-8 MiB, or
    as `sizes` draws them) in usr/lib and usr/share, a third each random, low-entropy and text-like (or all of one
    `kind`)."""
    r = random.Random(seed)
    p = pools()
    size, i = 0, 0
    while size < total:
        n = sizes(r)
        d = "usr/%s/bench/d%02d/s%d" % ("lib" if i % 3 else "share", i % 40, i % 7)
        path = "%s/f%05d" % (d, i)
        yield path, p.content(r, n, path + str(seed), kind)
        size += n
        i += 1


def make_tree(root, total, seed, sizes=file_size):
    count = 0
    for path, data in tree_members(total, seed, sizes=sizes):
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(data)
        count += 1
    os.makedirs(os.path.join(root, "usr/bin"), exist_ok=True)
    os.symlink("../lib/bench/d01/s1/f00001", os.path.join(root, "usr/bin/bench-link"))
    return count


def make_small_tree(root):
    r = random.Random(10)
    for i in range(10):
        full = os.path.join(root, "usr/lib/small/f%d" % i)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as f:
            f.write(pools().content(r, r.randint(100, 4000), full, "text"))


def tarball(src_dir, out, gzip=True):
    """tar (sorted, numeric owners) of src_dir's content, gzip -1 compressed (deterministic: no name, no time)."""
    tar = ["tar", "--sort=name", "--numeric-owner", "--owner=0", "--group=0", "--mtime=@1700000000",
           "-C", src_dir, "-cf", "-", "."]
    with open(out, "wb") as f:
        t = subprocess.Popen(tar, stdout=subprocess.PIPE)
        g = subprocess.Popen(["gzip", "-1", "-n"] if gzip else ["cat"], stdin=t.stdout, stdout=f)
        t.stdout.close()
        if g.wait() != 0 or t.wait() != 0:
            raise BenchError("could not make " + out)


def streamed_tarball(out, total, seed, kind=None):
    """A .tar.gz of a generated tree of `total` bytes, written without the tree touching the disk."""
    with open(out, "wb") as f:
        g = subprocess.Popen(["gzip", "-1", "-n"], stdin=subprocess.PIPE, stdout=f)
        with tarfile.open(fileobj=g.stdin, mode="w|", format=tarfile.PAX_FORMAT) as tf:
            dirs = set()
            for path, data in tree_members(total, seed, kind):
                parts = path.split("/")
                for k in range(1, len(parts)):
                    d = "/".join(parts[:k])
                    if d not in dirs:
                        dirs.add(d)
                        ti = tarfile.TarInfo("./" + d)
                        ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 1700000000
                        tf.addfile(ti)
                ti = tarfile.TarInfo("./" + path)
                ti.size, ti.mode, ti.mtime = len(data), 0o644, 1700000000
                tf.addfile(ti, _BytesReader(data))
        g.stdin.close()
        if g.wait() != 0:
            raise BenchError("gzip failed for " + out)


class _BytesReader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        if n < 0:
            n = len(self.data) - self.pos
        b = self.data[self.pos:self.pos + n]
        self.pos += len(b)
        return b


def torcx_archive(out, total, seed=7):
    """A docker-like torcx archive: the converter's F1 fixture (written by the Java test code, fromjava.f1_entries:
    manifest, units, networkd files, links, the ELF stub as bin/dockerd) at scale: every bin/ program becomes the
    ELF stub followed by docker-20.10-like shares of `total` bytes, shared libraries (the stub plus payload) fill
    lib/, data fills usr/share/doc; gzip'd tar with ./ names, root-owned."""
    r = random.Random(seed)
    p = pools()
    f1 = fromjava.f1_entries()
    stub = next(data for name, kind, _, data in f1 if name == "bin/dockerd")
    # docker-20.10-like proportions of the binaries (each a program of F1's bin/)
    shares = {"dockerd": 0.30, "containerd": 0.16, "docker": 0.14, "ctr": 0.08, "containerd-shim-runc-v2": 0.05,
              "containerd-shim": 0.03, "runc": 0.05, "docker-proxy": 0.01, "tini": 0.005}
    lib_total = total * 0.08
    share_total = total - sum(shares.values()) * total - lib_total
    entries = []  # (name, kind, mode, data_or_target)
    for name, kind, mode, data in f1:
        if name.startswith("bin/") and kind == "file" and name[4:] in shares:
            n = int(total * shares[name[4:]])
            body = bytearray(stub)
            while len(body) < n:
                body += p.content(r, min(n - len(body), 4 * MIB), "%s/%d" % (name, len(body)),
                                  r.choice(("random", "low", "text")))
            data = bytes(body)
        entries.append((name, kind, mode, data))
    entries.append(("usr/share/doc", "dir", 0o755, None))
    size, i = 0, 0
    while size < lib_total:
        n = min(int(lib_total - size) + 1, r.randint(64 << 10, 4 << 20))
        name = "lib/libbench%03d.so.%d" % (i, i % 5)
        entries.append((name, "file", 0o755, stub + p.content(r, n, name)))
        size += n
        i += 1
    size, i = 0, 0
    while size < share_total:
        n = min(int(share_total - size) + 1, file_size(r))
        name = "usr/share/doc/d%02d/f%05d" % (i % 30, i)
        if i % 30 == i:
            entries.append(("usr/share/doc/d%02d" % i, "dir", 0o755, None))
        entries.append((name, "file", 0o644, p.content(r, n, name)))
        size += n
        i += 1
    with open(out, "wb") as f:
        g = subprocess.Popen(["gzip", "-1", "-n"], stdin=subprocess.PIPE, stdout=f)
        with tarfile.open(fileobj=g.stdin, mode="w|", format=tarfile.GNU_FORMAT) as tf:
            ti = tarfile.TarInfo("./")
            ti.type, ti.mode, ti.mtime, ti.uname, ti.gname = tarfile.DIRTYPE, 0o755, 1700000000, "root", "root"
            tf.addfile(ti)
            for name, kind, mode, data in entries:
                ti = tarfile.TarInfo("./" + name)
                ti.mode, ti.mtime, ti.uname, ti.gname = mode, 1700000000, "root", "root"
                if kind == "dir":
                    ti.type = tarfile.DIRTYPE
                    tf.addfile(ti)
                elif kind == "symlink":
                    ti.type, ti.linkname = tarfile.SYMTYPE, data
                    tf.addfile(ti)
                else:
                    ti.size = len(data)
                    tf.addfile(ti, _BytesReader(data))
        g.stdin.close()
        if g.wait() != 0:
            raise BenchError("gzip failed for " + out)



def docker_archive(out, total, seed, work, tag):
    """What Docker 20.10's `docker save` writes for a two-layer image of about `total` bytes: a base layer (the
    generator's tree, 80 %) and a "RUN" layer that adds files, rewrites some of the base's, deletes others (whiteouts)
    and replaces a directory (opaque); plain layer tars, manifest.json, the config. Returns the layers' sizes."""
    r = random.Random(seed)
    p = pools()
    base = list(tree_members(int(total * 0.8), seed))
    paths = [path for path, _ in base]
    rewritten = set(r.sample(paths, min(100, len(paths) // 10)))
    deleted = set(r.sample([x for x in paths if x not in rewritten], min(50, len(paths) // 20)))
    opaque = "usr/share/bench/d00/s0"
    layers = []

    def dirs_of(path, seen, tf):
        parts = path.split("/")
        for k in range(1, len(parts)):
            d = "/".join(parts[:k])
            if d not in seen:
                seen.add(d)
                ti = tarfile.TarInfo(d)
                ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 1700000000
                tf.addfile(ti)

    def add(tf, path, data, mode=0o644):
        ti = tarfile.TarInfo(path)
        ti.size, ti.mode, ti.mtime = len(data), mode, 1700000000
        tf.addfile(ti, _BytesReader(data))

    def write_layer(name, fill):
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            with tarfile.open(fileobj=f, mode="w|", format=tarfile.PAX_FORMAT) as tf:
                fill(tf, set())
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        layers.append((path, "sha256:" + h.hexdigest()))

    def base_layer(tf, seen):
        for path, data in base:
            dirs_of(path, seen, tf)
            add(tf, path, data)

    def run_layer(tf, seen):
        for path in sorted(rewritten | deleted):
            dirs_of(path, seen, tf)
            if path in deleted:
                d, b = path.rsplit("/", 1)
                add(tf, d + "/.wh." + b, b"")
            else:
                add(tf, path, p.content(r, file_size(r), path + "v2"))
        dirs_of(opaque + "/x", seen, tf)
        add(tf, opaque + "/.wh..wh..opq", b"")
        size = 0
        for path, data in tree_members(int(total * 0.2), seed + 1000):
            path = path.replace("/bench/", "/bench-run/", 1)
            dirs_of(path, seen, tf)
            add(tf, path, data)
            size += len(data)

    os.makedirs(work, exist_ok=True)
    write_layer("layer1.tar", base_layer)
    write_layer("layer2.tar", run_layer)
    config = ('{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":[%s]}}'
              % ",".join('"%s"' % d for _, d in layers)).encode()
    config_id = hashlib.sha256(config).hexdigest()
    names = ["%s/layer.tar" % hashlib.sha256(("%d" % i + d).encode()).hexdigest() for i, (_, d) in enumerate(layers)]
    manifest = ('[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]'
                % (config_id, tag, ",".join('"%s"' % n for n in names))).encode()
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tf:
        for (path, _), name in zip(layers, names):
            tf.add(path, arcname=name)
            os.unlink(path)
        add(tf, config_id + ".json", config)
        add(tf, "manifest.json", manifest)
    return len(base), len(rewritten), len(deleted)
