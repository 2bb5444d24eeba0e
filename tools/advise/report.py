"""What the user sees: the progress while it runs, the tables and the
recommendation at the end, the JSON of every figure and the charts."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time

from .advice import mib


class Progress:
    """A bar redrawn in place while stdout is a terminal; otherwise one plain
    line per step. `total` and each step's `expected` are in seconds."""

    WIDTH = 30

    def __init__(self, total, stream=sys.stdout):
        self.stream = stream
        self.tty = stream.isatty()
        self.total = max(total, 1e-9)
        self.done = 0.0
        self.label = ""
        self.expected = 0.0
        self.began = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        if self.tty:
            self._thread = threading.Thread(target=self._redraw, daemon=True)
            self._thread.start()

    def step(self, label, expected):
        with self._lock:
            self.done += self.expected
            self.label, self.expected, self.began = label, expected, time.monotonic()
        if not self.tty:
            self.stream.write("[%3d%%] %s\n" % (100 * min(self.done / self.total, 1), label))
            self.stream.flush()

    def note(self, text):
        """A line that stays (above the bar)."""
        with self._lock:
            if self.tty:
                self.stream.write("\r\033[K")
            self.stream.write(text + "\n")
            self.stream.flush()

    def _fraction(self):
        current = min(time.monotonic() - self.began, self.expected)
        return min((self.done + current) / self.total, 1.0)

    def _redraw(self):
        while not self._stop.wait(0.2):
            with self._lock:
                f = self._fraction()
                filled = int(f * self.WIDTH)
                self.stream.write("\r\033[K[%s%s] %3d%%  %s" % ("#" * filled, "." * (self.WIDTH - filled),
                                                              100 * f, self.label))
                self.stream.flush()

    def close(self):
        self._stop.set()
        if self._thread:
            self._thread.join()
            self.stream.write("\r\033[K")
            self.stream.flush()


# ---- tables ------------------------------------------------------------------------

def _table(header, rows):
    """Columns padded to their widest cell: the first left-aligned, numbers
    right-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def load_table(result):
    rows = []
    for name, m in result["mpms"].items():
        for r in m.get("runs", []):
            rows.append([name, r["concurrency"], "%.0f" % r["requests_per_s"],
                         "%.2f" % (r["latency_us"]["p50"] / 1000), "%.2f" % (r["latency_us"]["p99"] / 1000),
                         r["errors"]["total"], mib(r["peak"]["rss_kib"]), mib(r["peak"]["pss_kib"]),
                         r["peak"]["processes"], "%.0f" % r["cpu_us_per_request"]])
    return _table(["MPM", "conns", "req/s", "p50 ms", "p99 ms", "errors", "peak RSS", "peak PSS", "procs",
                   "CPU µs/req"], rows)


def mpm_table(result):
    rows = []
    for name, m in result["mpms"].items():
        if m["status"] != "measured":
            rows.append([name, "-", "-", "-", "-", "-"])
            continue
        idle, crash, ka = m.get("idle") or {}, m.get("crash"), m.get("keepalive")
        rows.append([name, mib(idle.get("rss_kib", 0)), mib(idle.get("pss_kib", 0)),
                     "%d (child held %d of %d conns)" % (crash["failed_requests"], crash["connections_held"],
                                                         crash["connections_total"]) if crash else "-",
                     "%d of %d" % (ka["held"], ka["opened"]) if ka else "-",
                     mib(ka["pss_kib"]) if ka else "-"])
    return _table(["MPM", "idle RSS", "idle PSS", "crash: failed requests", "idle keep-alive held",
                   "PSS then"], rows)


def excluded_lines(result):
    return ["%s: not measured: %s" % (n, m["reason"]) for n, m in result["mpms"].items()
            if m["status"] != "measured"]


def text(result):
    w = result["workload"]
    parts = ["Workload: %s; %d request lines replayed (%d distinct paths), %d s per point."
             % (w["source"], w["replayed"], w.get("distinct", 0), result["settings"]["duration_s"]),
             "", load_table(result), "", mpm_table(result)]
    excluded = excluded_lines(result)
    if excluded:
        parts += [""] + excluded
    parts += ["", result["advice"]["paragraph"]]
    return "\n".join(parts) + "\n"


# ---- files -------------------------------------------------------------------------

def write_json(result, path):
    with open(path, "w") as f:
        json.dump(result, f, indent=2, sort_keys=False)
        f.write("\n")


CHART_SCRIPT = """# gnuplot chart.gp (in this directory) -> throughput.png, memory.png, chart.png
set terminal pngcairo size 800,480 font 'sans,10'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set yrange [0:*]
set xlabel 'concurrent connections'
THROUGHPUT = "set title 'Requests per second'; set ylabel 'requests/s'"
MEMORY = "set title 'Peak memory of the whole server (PSS: master + children)'; set ylabel 'MiB'"
set output 'throughput.png'
@THROUGHPUT
plot {throughput}
set output 'memory.png'
@MEMORY
plot {memory}
set terminal pngcairo size 1400,480 font 'sans,10'
set output 'chart.png'
set multiplot layout 1,2 title "{title}"
@THROUGHPUT
plot {throughput}
@MEMORY
plot {memory}
unset multiplot
"""


def _plot_clause(datafile, names):
    return ", ".join("'%s' using %d%s title '%s'" % (datafile if i == 0 else "", i + 2, ":xtic(1)" if i == 0 else "",
                                                     n) for i, n in enumerate(names))


def write_charts(result, out_dir, title):
    """throughput.png, memory.png and chart.png (both side by side) through
    gnuplot; returns their paths, or a reason why there are none."""
    names = [n for n, m in result["mpms"].items() if m["status"] == "measured" and m.get("runs")]
    if not names:
        return "no MPM was measured"
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        return "gnuplot is not installed (Debian: apt-get install gnuplot-nox)"
    runs = {n: {r["concurrency"]: r for r in result["mpms"][n]["runs"]} for n in names}
    levels = sorted({c for n in names for c in runs[n]})

    def cell(n, c, value):
        return "%.3f" % value(runs[n][c]) if c in runs[n] else "NaN"

    with open(os.path.join(out_dir, "throughput.dat"), "w") as f:
        f.write("# connections " + " ".join(names) + " (requests/s)\n")
        for c in levels:
            f.write("%d %s\n" % (c, " ".join(cell(n, c, lambda r: r["requests_per_s"]) for n in names)))
    with open(os.path.join(out_dir, "memory.dat"), "w") as f:
        f.write("# connections " + " ".join(names) + " (peak PSS, MiB; 'idle': before the load)\n")
        f.write("idle %s\n" % " ".join("%.3f" % (result["mpms"][n]["idle"]["pss_kib"] / 1024) for n in names))
        for c in levels:
            f.write("%d %s\n" % (c, " ".join(cell(n, c, lambda r: r["peak"]["pss_kib"] / 1024) for n in names)))
    script = CHART_SCRIPT.format(throughput=_plot_clause("throughput.dat", names),
                                 memory=_plot_clause("memory.dat", names), title=title.replace('"', "'"))
    with open(os.path.join(out_dir, "chart.gp"), "w") as f:
        f.write(script)
    r = subprocess.run([gnuplot, "chart.gp"], cwd=out_dir, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return "gnuplot failed: " + r.stderr.strip()[-300:]
    return [os.path.join(out_dir, p) for p in ("throughput.png", "memory.png", "chart.png")]
