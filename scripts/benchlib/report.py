"""The table and the rows' text."""
import subprocess

from .common import SYSEXTCTL

def fmt_num(v, unit):
    if v is None:
        return "-"
    if unit == "s":
        return "%.3f s" % v if v < 10 else "%.2f s" % v
    if unit == "MB":
        return "%.0f MB" % v
    return "%.3g" % v


def fmt_row(r):
    if "error" in r:
        return "ERROR " + r["error"]
    unit = r.get("unit", "s")
    a = r.get("sysextctl", {}).get("median")
    b = r.get("reference_result", {}).get("median")
    ratio = r.get("ratio")
    met = r.get("met")
    noise = ""
    if "reference_spread" in r:
        noise = "  (reference ±%.0f%% a run; ratio ±%.2f%s)" % (
            100 * r["reference_spread"], r["ratio_uncertainty"],
            ", within noise of the target" if r.get("within_noise") else "")
    return "%s vs %s  ratio %s  %s%s" % (fmt_num(a, unit), fmt_num(b, unit),
                                        "-" if ratio is None else "%.2f" % ratio,
                                        "" if met is None else ("met" if met else "MISSED"), noise)


def table(doc):
    lines = []
    hdr = "%-12s %-34s %-30s %11s %11s %7s %-18s %-5s %s" % ("workload", "case", "reference", "sysextctl",
                                                               "reference", "ratio", "target", "met", "load")
    lines.append(hdr)
    lines.append("-" * len(hdr))
    for r in doc["rows"]:
        if "error" in r:
            lines.append("%-12s ERROR: %s" % (r["workload"], r["error"]))
            continue
        unit = r.get("unit", "s")
        if r.get("target_kind") == "linear":
            steps = ", ".join("x%g -> x%.2f" % (s["size_growth"], s["time_growth"]) for s in r["steps"])
            lines.append("%-12s %-34s %-30s %s  %-18s %-5s %.2f" % (r["workload"], r["case"][:34], "size growth",
                         steps.ljust(31), "linear or better", "yes" if r["met"] else "NO", r["load"][0]))
            continue
        a = r.get("sysextctl", {}).get("median")
        b = r.get("reference_result", {}).get("median")
        t = r.get("target")
        kind = r.get("target_kind")
        target = "-" if t is None else ("ratio <= %g" % t if kind == "ratio" else "<= %g %s" % (t, unit))
        met = "-" if r.get("met") is None else ("yes" if r["met"] else "NO")
        lines.append("%-12s %-34s %-30s %11s %11s %7s %-18s %-5s %.2f" % (
            r["workload"], r["case"][:34], r["reference"][:30], fmt_num(a, unit), fmt_num(b, unit),
            "-" if r.get("ratio") is None else "%.2f" % r["ratio"], target, met, r["load"][0]))
        if r.get("note"):
            lines.append("%-12s   (%s)" % ("", r["note"]))
        if r.get("within_noise"):
            lines.append("%-12s   (the reference alone varies ±%.0f%% a run here: the ratio, ±%.2f, is within that "
                         "of its target; more --runs to resolve it)" % ("", 100 * r["reference_spread"],
                                                                        r["ratio_uncertainty"]))
    return "\n".join(lines)


def versions():
    def first(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return None
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    return {"sysextctl": first([SYSEXTCTL, "--version"]), "mksquashfs": first(["mksquashfs", "-version"]),
            "systemd-sysext": first(["systemd-sysext", "--version"]), "java": java[0] if java else None}
