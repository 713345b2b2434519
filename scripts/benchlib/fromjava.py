"""What the bench takes from the Java code instead of copying it:

- mksquashfs_options(): the options `sysextctl build` gives mksquashfs for a default squashfs image, printed by the
  jar (dev.sysextctl.cli.BenchSupport, from the same DefaultMksquashfs.tarArgv a build runs), for the reference
  mksquashfs commands;
- f1_entries(): the converter's F1 torcx fixture (manifest, units, networkd files, links, the ELF stub), written
  by its test code (dev.sysextctl.converter.fixtures.BenchFixtures in the converter's test-jar), which the bench
  scales up to its docker-like archive.
"""
import functools
import glob
import os
import subprocess
import tarfile
import tempfile

from .common import JAR, REPO, BenchError, log


def ensure_built():
    """The jar and the converter's test-jar, built (package, tests skipped) when one is missing."""
    if not os.path.exists(JAR) or not _test_jars():
        log(">> building the jar and the test fixtures (./mvnw -B -q -DskipTests -pl cli -am package)")
        subprocess.run([os.path.join(REPO, "mvnw"), "-B", "-q", "-DskipTests", "-pl", "cli", "-am", "package"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(JAR) or not _test_jars():
        raise BenchError("the build made no %s or converter test-jar" % JAR)


def _test_jars():
    return sorted(glob.glob(os.path.join(REPO, "converter", "target", "sysextctl-converter-*-tests.jar")))


def _java(cp, *args):
    p = subprocess.run(["java", "-cp", cp] + list(args), capture_output=True)
    if p.returncode != 0:
        raise BenchError("java %s exited %d: %s" % (" ".join(args), p.returncode,
                                                    p.stderr.decode(errors="replace").strip()[-300:]))
    return p.stdout


@functools.lru_cache(maxsize=None)
def mksquashfs_options():
    ensure_built()
    return _java(JAR, "dev.sysextctl.cli.BenchSupport", "mksquashfs-options").decode().split()


@functools.lru_cache(maxsize=None)
def f1_entries():
    """F1's entries in archive order: (name without ./, "dir"|"file"|"symlink", mode, bytes or link target)."""
    ensure_built()
    with tempfile.TemporaryDirectory(prefix="sysextctl-bench-f1.") as d:
        out = os.path.join(d, "f1.tar")
        _java(os.pathsep.join(_test_jars()[-1:] + [JAR]), "dev.sysextctl.converter.fixtures.BenchFixtures",
              "f1-tar", out)
        entries = []
        with tarfile.open(out) as tf:
            for m in tf.getmembers():
                name = m.name[2:] if m.name.startswith("./") else m.name
                name = name.rstrip("/")
                if name in ("", "."):
                    continue
                if m.isdir():
                    entries.append((name, "dir", m.mode, None))
                elif m.issym():
                    entries.append((name, "symlink", 0o777, m.linkname))
                elif m.isfile():
                    entries.append((name, "file", m.mode, tf.extractfile(m).read()))
                else:
                    raise BenchError("F1 has an entry the bench does not copy: %s" % m.name)
        return entries
