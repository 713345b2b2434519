"""Paths, the workload catalogue and the error type shared by the bench's modules."""
import os
import sys


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SYSEXTCTL = os.path.join(REPO, "sysextctl")
JAR = os.environ.get("SYSEXTCTL_JAR") or os.path.join(REPO, "cli", "target", "sysextctl.jar")
MIB = 1 << 20

WORKLOADS = {
    "startup": "start-up of --version, --help, status (50 merged), list (50 images), inspect, validate vs a bare "
               "java -version of the same runtime: default JDK, and the shipped runtime (the sysext's launcher and its AOT caches, jlink); "
               "target <= 0.12 s on the shipped runtime",
    "build-large": "build a 300 MB tree (thousands of files, mixed compressibility) vs mksquashfs; target <= 1.0",
    "build-mixed": "build a 150 MB tree of about 3,200 smaller files (mixed compressibility) vs mksquashfs; "
                   "target <= 1.0",
    "build-small": "build a 10-file tree vs mksquashfs; target <= 1.5",
    "build-targz": "build from a 200 MB .tar.gz vs tar -xzf + mksquashfs + rm; target <= 1.0",
    "build-image": "build from a 200 MB docker save archive (2 layers: whiteouts, an opaque directory) vs docker export "
                   "| mksquashfs -tar of the same image; target <= 1.0",
    "convert": "convert a 200 MB docker-like torcx archive vs convert_torcx_image.sh's steps in shell; target <= 1.0",
    "build-ddi": "build a 300 MB tree as a signed erofs DDI vs systemd-repart --make-ddi=sysext 257 (trixie chroot); "
                 "target <= 1.1",
    "merge": "native merge vs systemd-sysext merge, 1/10/50/200 squashfs images; target at 50 <= 0.15, linear",
    "status": "sysextctl status vs systemd-sysext status, 50 images merged; target wall <= 0.3 s",
    "list": "sysextctl list vs systemd-sysext list, 50 images; target wall <= 0.3 s",
    "memory": "peak RSS building from a 250 MB and a 1 GB tarball; target JVM <= 300 MB, independent of size",
    "scaling": "build time of 50, 200, 800 MB trees (sysextctl and mksquashfs); target linear or better",
}
ORDER = list(WORKLOADS)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class BenchError(Exception):
    pass
