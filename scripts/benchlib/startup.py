"""Start-up rows: sysextctl's short commands on the default JDK (the repository's launcher, with the class-data
archive the build made) and on the shipped runtime (the sysext's usr/lib/sysextctl: a jlinked JDK 24+ runtime with
its class-data archive, the jar and the launcher, which makes an AOT cache per command at its first run; taken from dist/sysextctl-*.raw when present, else laid out here
as scripts/package does), each side by side
with a bare `java -version` of the same runtime with the same JVM options, alternately in one run. Rows carry the
CPU time (user + sys) too: on a shared machine it varies far less than the wall time."""
import glob
import hashlib
import os
import re
import shutil
import subprocess

from .common import JAR, REPO, SYSEXTCTL, BenchError, log

SHIPPED_TARGET = 0.12
AOT_CACHE = os.path.join(REPO, "scripts", "aot-cache")
LAUNCHER = os.path.join(REPO, "packaging", "sysext", "sysextctl")


def launcher_opts():
    """The JVM options of the launchers, as scripts/aot-cache names them (AOT_CACHE_OPTS)."""
    with open(AOT_CACHE) as f:
        m = re.search(r"^AOT_CACHE_OPTS=\(([^)]*)\)", f.read(), re.M)
    if not m:
        raise BenchError("scripts/aot-cache names no AOT_CACHE_OPTS")
    return m.group(1).split() + thp_opts()


def thp_opts():
    """What the launchers add where the kernel offers transparent huge pages ([always] or [madvise]), so that the bare
    `java -version` runs with the launchers' options."""
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as f:
            mode = f.read()
    except OSError:
        return []
    return ["-XX:+UseTransparentHugePages"] if "[always]" in mode or "[madvise]" in mode else []


def feature(java_home):
    try:
        with open(os.path.join(java_home, "release")) as f:
            m = re.search(r'^JAVA_VERSION="(\d+)', f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


class Runtime:
    """How to run sysextctl (`argv`) and a bare `java -version` (`bare`) on one runtime."""

    def __init__(self, key, label, argv, bare, target=None, note=None, image_bytes=None):
        self.key, self.label, self.argv, self.bare, self.target, self.note = key, label, argv, bare, target, note
        self.image_bytes = image_bytes  # the size of the sysext image the runtime comes from, when known


def default_runtime():
    java_home = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("java"))))
    return Runtime("default", "default JDK %d (launcher, CDS archive)" % feature(java_home), [SYSEXTCTL],
                   ["java"] + launcher_opts() + ["-Xshare:auto", "-version"])


def _jdk24():
    """A JDK 24+ with jlink (Temurin 25 on the build machines), newest first; None without one."""
    homes = [h for h in glob.glob("/usr/lib/jvm/*") if os.path.isfile(os.path.join(h, "bin", "jlink"))
             and not os.path.islink(h) and feature(h) >= 24]
    return max(homes, key=feature) if homes else None


def _from_dist(scratch):
    images = sorted(glob.glob(os.path.join(REPO, "dist", "sysextctl-*.raw")))
    if not images or shutil.which("unsquashfs") is None:
        return None
    d = os.path.join(scratch, "shipped-dist")
    subprocess.run(["unsquashfs", "-q", "-n", "-d", d, images[-1]], check=True, stdout=subprocess.DEVNULL)
    lib = os.path.join(d, "usr", "lib", "sysextctl")
    if not os.path.isfile(os.path.join(lib, "runtime", "bin", "java")):
        raise BenchError("%s has no usr/lib/sysextctl/runtime/bin/java" % images[-1])
    return lib, os.path.basename(images[-1]), os.path.getsize(images[-1])


def _made_here(scratch, cache_root):
    """The sysext's usr/lib/sysextctl as scripts/package lays it out: a jlinked runtime with jlink's class-data
    archive of its JDK classes, the jar and the launcher (packaging/sysext/sysextctl, filled in as scripts/package
    does)."""
    jdk = _jdk24()
    if jdk is None:
        return None
    with open(os.path.join(jdk, "release")) as f:
        version = re.search(r'^JAVA_RUNTIME_VERSION="([^"]+)"', f.read(), re.M)
    modules = subprocess.run([os.path.join(jdk, "bin", "jdeps"), "--ignore-missing-deps", "--multi-release",
                              str(feature(jdk)), "--print-module-deps", "-q", JAR],
                             capture_output=True, text=True)
    if modules.returncode != 0 or not modules.stdout.strip():
        raise BenchError("jdeps found no modules in %s: %s" % (JAR, modules.stderr.strip()[-200:]))
    mods = modules.stdout.strip()
    runtime = os.path.join(cache_root, "runtime-cds-%s-%s" % (version.group(1) if version else feature(jdk),
                                                             mods.replace(",", "+")))
    if not os.path.isfile(os.path.join(runtime, "bin", "java")):
        log(">> jlink: %s runtime with %s" % (os.path.basename(jdk), mods))
        shutil.rmtree(runtime + ".tmp", ignore_errors=True)
        os.makedirs(cache_root, exist_ok=True)
        subprocess.run([os.path.join(jdk, "bin", "jlink"), "--add-modules", mods, "--strip-debug", "--no-man-pages",
                        "--no-header-files", "--generate-cds-archive", "--output", runtime + ".tmp"], check=True,
                       stdout=subprocess.DEVNULL)
        os.rename(runtime + ".tmp", runtime)
    lib = os.path.join(scratch, "shipped")
    os.makedirs(lib, exist_ok=True)
    os.symlink(runtime, os.path.join(lib, "runtime"))
    shutil.copy2(JAR, os.path.join(lib, "sysextctl.jar"))
    bake_launcher(lib, feature(jdk))
    return lib, "jlink of %s" % os.path.basename(jdk), None


def bake_launcher(lib, runtime_feature):
    """The launcher in lib with the values scripts/package fills in (bake_launcher there): its directory, the
    runtime's feature release and the key of its start-up caches (a hash of the jar and the runtime)."""
    digest = hashlib.sha256()
    for part in ("sysextctl.jar", "runtime/release", "runtime/lib/modules", "runtime/lib/server/libjvm.so"):
        with open(os.path.join(lib, part), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    with open(LAUNCHER) as f:
        text = f.read()
    for name, value in (("installed_dir", lib), ("runtime_feature", str(runtime_feature)),
                        ("runtime_key", digest.hexdigest()[:16])):
        text, n = re.subn(r"^%s=$" % name, "%s=%s" % (name, value), text, count=1, flags=re.M)
        if n != 1:
            raise BenchError("%s has no line '%s=' to fill in" % (LAUNCHER, name))
    path = os.path.join(lib, "sysextctl")
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


_SHIPPED = {}


def shipped_runtime(scratch):
    """The shipped runtime as a node runs it: the sysext's launcher (usr/lib/sysextctl/sysextctl, with the runtime and
    the jar beside it), from dist/ or laid out here; None when there is no JDK 24+ to make it with. The launcher keeps
    a start-up cache per command (made by its first run, which the warm-up is) in SYSEXTCTL_CACHE_DIR, which the
    bench points at its scratch directory: a node's /var/cache/sysextctl, without touching the machine's (a launcher
    of another build would remove this one's caches there, and the other way round)."""
    # laid out once per run: the start-up rows and the merge row's shipped-runtime row share it
    if scratch not in _SHIPPED:
        os.environ["SYSEXTCTL_CACHE_DIR"] = os.path.join(scratch, "shipped-cache")
        cache_root = os.path.join(os.environ.get("SYSEXTCTL_CACHE", os.path.expanduser("~/.cache/sysextctl")),
                                  "bench")
        _SHIPPED[scratch] = _from_dist(scratch) or _made_here(scratch, cache_root)
    found = _SHIPPED[scratch]
    if found is None:
        return None
    lib, origin, image_bytes = found
    java = os.path.join(lib, "runtime", "bin", "java")
    size = ("image %.1f MiB" % (image_bytes / 1048576.0) if image_bytes is not None
            else "no dist/ image: scripts/package gives its size")
    return Runtime("shipped", "shipped runtime (%s, %s, Java %d; the sysext's launcher and its start-up caches)"
                   % (origin, size, feature(os.path.join(lib, "runtime"))),
                   [os.path.join(lib, "sysextctl")], [java] + launcher_opts() + ["-version"], SHIPPED_TARGET,
                   image_bytes=image_bytes)
