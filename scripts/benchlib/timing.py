"""Running commands, timing them alternately, peak RSS and CPU of a process tree."""
import os
import resource
import statistics
import subprocess
import tempfile
import threading
import time

from .common import BenchError

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_sample(pid):
    """(comm, VmHWM in KiB, CPU seconds so far) of a live process, or None."""
    try:
        with open("/proc/%d/status" % pid) as f:
            name, hwm = None, None
            for line in f:
                if line.startswith("Name:"):
                    name = line.split()[1]
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
        return (name, hwm, cpu) if hwm is not None else None
    except (OSError, IndexError, ValueError):
        return None


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    for c in f.read().split():
                        out.append(int(c))
                        todo.append(int(c))
        except OSError:
            pass
    return out


class RssWatcher(threading.Thread):
    """Samples VmHWM (peak RSS) and CPU time of a process and its descendants every 20 ms: the peak RSS per
    program name (KiB), and the CPU seconds per program name (`cpu`, summed over its processes; the last 20 ms
    of each process may be missed)."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peaks, self.done = pid, {}, threading.Event()
        self.cpu_by_pid = {}

    def run(self):
        while not self.done.is_set():
            for p in [self.pid] + descendants(self.pid):
                s = proc_sample(p)
                if s:
                    if s[1] > self.peaks.get(s[0], 0):
                        self.peaks[s[0]] = s[1]
                    self.cpu_by_pid[p] = (s[0], s[2])
            self.done.wait(0.02)

    @property
    def cpu(self):
        out = {}
        for name, c in self.cpu_by_pid.values():
            out[name] = out.get(name, 0) + c
        return out


def run(argv, cwd=None, env=None, watch_rss=False, input_file=None):
    """Runs argv; returns (seconds, peaks: peak RSS by program with watch_rss, and child_cpu_s). Raises BenchError with the end of stderr on a non-zero exit."""
    err = tempfile.TemporaryFile()
    stdin = open(input_file, "rb") if input_file else subprocess.DEVNULL
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.DEVNULL, stderr=err)
    w = None
    if watch_rss:
        w = RssWatcher(p.pid)
        w.start()
    rc = p.wait()
    t1 = time.perf_counter()
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if w:
        w.done.set()
        w.join()
    if input_file:
        stdin.close()
    if rc != 0:
        err.seek(0)
        tail = err.read().decode(errors="replace").strip().splitlines()[-5:]
        raise BenchError("%s exited %d: %s" % (" ".join(argv[:4]), rc, " | ".join(tail)))
    err.close()
    peaks = w.peaks if w else {}
    if w:
        peaks["cpu"] = w.cpu
    # CPU seconds (user + sys) of the command and the processes it waited for
    peaks["child_cpu_s"] = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return t1 - t0, peaks


def load():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def median(xs):
    return statistics.median(xs) if xs else None


class Pair:
    """Times two commands alternately. Each side is a function that runs once and returns seconds; `reset` runs
    untimed between runs (removing outputs, unmerging)."""

    def __init__(self, bench, a, b, reset=None):
        self.bench, self.a, self.b, self.reset = bench, a, b, reset or (lambda: None)

    def measure(self, runs, warmup=True):
        if warmup and not self.bench.quick:
            self.a()
            self.reset()
            self.b()
            self.reset()
        sa, sb = [], []
        for i in range(runs):
            order = ((self.a, sa), (self.b, sb)) if i % 2 == 0 else ((self.b, sb), (self.a, sa))
            for fn, acc in order:
                acc.append(fn())
                self.reset()
        return sa, sb
