#!/usr/bin/env python3
"""Turns bench/run.sh's raw files into results.json, results.md and the chart.

    report.py RESULTS_DIR                 writes RESULTS_DIR/{results.json,
                                          results.md, chart.dat, chart.gp}
    report.py --docs RESULTS_DIR DOC_MD   puts RESULTS_DIR's tables into DOC_MD
                                          between its results markers

RESULTS_DIR/raw holds machine.txt, servers.jsonl, measurements.jsonl (one
line per wrk run, with wrk's figures from lib/report.lua) and <server>.rss
(the memory samples of lib/proctree.py).
"""
import json
import os
import statistics
import sys

SERVERS = ["mh-prefork", "mh-worker", "mh-event", "ap-prefork", "ap-worker", "ap-event", "nginx"]
LABEL = {
    "mh-prefork": "modhttpd prefork", "mh-worker": "modhttpd worker", "mh-event": "modhttpd event",
    "ap-prefork": "Apache prefork", "ap-worker": "Apache worker", "ap-event": "Apache event",
    "nginx": "nginx",
}
WORKLOADS = ["ka-1k", "hello", "ka-64k", "ka-1m", "close-1k", "c1000-1k"]
WL_LABEL = {
    "ka-1k": "1 KiB file, keep-alive, 50 conns",
    "hello": "trivial handler (1 KiB from memory), keep-alive, 50 conns",
    "ka-64k": "64 KiB file, keep-alive, 50 conns",
    "ka-1m": "1 MiB file, keep-alive, 50 conns",
    "close-1k": "1 KiB file, new connection per request, 50 conns",
    "c1000-1k": "1 KiB file, keep-alive, 1,000 conns",
}
WL_SHORT = {
    "ka-1k": "1 KiB keep-alive", "hello": "trivial handler", "ka-64k": "64 KiB keep-alive",
    "ka-1m": "1 MiB keep-alive", "close-1k": "1 KiB new conn/request", "c1000-1k": "1 KiB, 1,000 conns",
}
CHART_LABEL = {
    "ka-1k": "1 KiB", "hello": "handler (Apache: file)", "ka-64k": "64 KiB", "ka-1m": "1 MiB",
    "close-1k": "1 KiB, conn/request", "c1000-1k": "1 KiB, 1000 conns",
}
MiB = 1048576.0
MARK_BEGIN = "<!-- bench-results:begin (written by bench/run.sh; edit outside these markers) -->"
MARK_END = "<!-- bench-results:end -->"


def read_jsonl(path):
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(json.loads(line))
    return out


def read_rss(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) == 4:
                    rows.append((float(p[0]), int(p[1]), int(p[2]), int(p[3])))
    return rows


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def build(raw):
    machine = {}
    with open(os.path.join(raw, "machine.txt")) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            machine[k] = v
    servers = {d["server"]: d for d in read_jsonl(os.path.join(raw, "servers.jsonl"))}
    meas = read_jsonl(os.path.join(raw, "measurements.jsonl"))

    result = {"machine": machine, "servers": {}, "workloads": {}, "measurements": meas}
    for s, info in servers.items():
        rss = read_rss(os.path.join(raw, f"{s}.rss"))
        entry = {"started": info.get("started", False)}
        if info.get("started"):
            idle = [r for r in rss if info["idle_t0"] <= r[0] <= info["idle_t1"]] or rss[:3]
            if idle:
                last = idle[-1]  # the pool as it stands right before the load
                total, procs, master = last[1], last[2], last[3]
                entry.update({
                    "start_s": info.get("start_s"),
                    "idle_rss_kib": total, "idle_procs": procs, "idle_master_kib": master,
                    "idle_per_child_kib": (total - master) / (procs - 1) if procs > 1 else None,
                })
            if rss:
                entry["peak_rss_kib"] = max(r[1] for r in rss)
                entry["peak_procs"] = max(r[2] for r in rss)
        result["servers"][s] = entry

        for w in WORKLOADS:
            runs = [m for m in meas if m["server"] == s and m["workload"] == w]
            if not runs:
                continue
            reps = []
            for m in runs:
                d = m.get("wrk")
                if not d:
                    reps.append({"rep": m.get("rep"), "error": m.get("error", "wrk gave no result")})
                    continue
                t = d["duration_us"] / 1e6
                cpu = m.get("cpu_s") or 0
                reps.append({
                    "rep": m["rep"], "rps": d["requests"] / t, "mibps": d["bytes"] / t / MiB,
                    "p50_ms": d["lat_p50_us"] / 1000, "p99_ms": d["lat_p99_us"] / 1000,
                    "err_connect": d["err_connect"], "err_read": d["err_read"],
                    "err_write": d["err_write"], "err_timeout": d["err_timeout"],
                    "non2xx": d["err_status"], "requests": d["requests"],
                    "cpu_s": cpu, "cpu_share": cpu / t if t else None,
                    "req_per_cpu_s": d["requests"] / cpu if cpu > 0 else None,
                    "load1": m.get("load1"),
                    "other_share": (max(0.0, m["cpu_busy"] - cpu / t) if m.get("cpu_busy") is not None and t else None),
                    "idle_share": (max(0.0, 1 - m["cpu_busy"]) if m.get("cpu_busy") is not None else None),
                })
            ok = [r for r in reps if "rps" in r]
            window = [m for m in runs if m.get("t0")]
            peak = None
            if window:
                t0 = min(m.get("t_warm", m["t0"]) for m in window)
                t1 = max(m["t1"] for m in window)
                inside = [r[1] for r in rss if t0 <= r[0] <= t1]
                peak = max(inside) if inside else None
            agg = {"reps": reps, "measured": len(ok), "failed": len(reps) - len(ok), "peak_rss_kib": peak}
            for k in ("rps", "mibps", "p50_ms", "p99_ms", "cpu_share", "other_share", "idle_share", "req_per_cpu_s", "load1"):
                agg[k] = median([r.get(k) for r in ok])
            for k in ("err_connect", "err_read", "err_write", "err_timeout", "non2xx"):
                agg[k] = sum(r[k] for r in ok)
            agg["socket_errors"] = agg["err_connect"] + agg["err_read"] + agg["err_write"] + agg["err_timeout"]
            result["workloads"].setdefault(w, {})[s] = agg

    # Apache has no in-memory handler: its "trivial handler" row is the
    # static 1 KiB file (ka-1k), flagged as such.
    if "hello" in result["workloads"] or "ka-1k" in result["workloads"]:
        for s in ("ap-prefork", "ap-worker", "ap-event"):
            src = result["workloads"].get("ka-1k", {}).get(s)
            if src and s not in result["workloads"].get("hello", {}):
                if "hello" in [m["workload"] for m in meas]:
                    result["workloads"].setdefault("hello", {})[s] = dict(src, same_as="ka-1k")

    result["ratios"] = ratios(result)
    result["checks"] = checks(result)
    return result


def get(res, w, s, k):
    return res["workloads"].get(w, {}).get(s, {}).get(k)


def ratio(a, b):
    return a / b if a is not None and b else None


RATIO_PAIRS = [("mh-prefork", "ap-prefork"), ("mh-worker", "ap-worker"), ("mh-worker", "ap-event"),
               ("mh-event", "ap-event"), ("mh-prefork", "nginx"), ("mh-worker", "nginx"), ("mh-event", "nginx")]


def ratios(res):
    out = {}
    for w in WORKLOADS:
        if w not in res["workloads"]:
            continue
        out[w] = {}
        for a, b in RATIO_PAIRS:
            out[w][f"{a}/{b}"] = {
                "rps": ratio(get(res, w, a, "rps"), get(res, w, b, "rps")),
                "mibps": ratio(get(res, w, a, "mibps"), get(res, w, b, "mibps")),
                "req_per_cpu_s": ratio(get(res, w, a, "req_per_cpu_s"), get(res, w, b, "req_per_cpu_s")),
            }
    return out


def checks(res):
    out = []

    def add(name, value, target, ok, detail=""):
        out.append({"check": name, "value": value, "target": target,
                    "result": "n/a" if ok is None else ("PASS" if ok else "FAIL"), "detail": detail})

    for mpm in ("prefork", "worker"):
        for w in ("ka-1k", "close-1k"):
            r = ratio(get(res, w, f"mh-{mpm}", "rps"), get(res, w, f"ap-{mpm}", "rps"))
            eff = ratio(get(res, w, f"mh-{mpm}", "req_per_cpu_s"), get(res, w, f"ap-{mpm}", "req_per_cpu_s"))
            detail = "" if eff is None else f"per server CPU-second: {eff:.2f}x"
            om, oa = get(res, w, f"mh-{mpm}", "other_share"), get(res, w, f"ap-{mpm}", "other_share")
            if r is not None and om is not None and oa is not None and abs(om - oa) >= 0.10:
                detail += (f"; other work used {100 * om:.0f} % of the server CPU during modhttpd's run, "
                           f"{100 * oa:.0f} % during Apache's: the req/s ratio may be skewed")
            add(f"modhttpd {mpm} / Apache {mpm}, req/s, {WL_SHORT[w]}",
                None if r is None else f"{r:.2f}x", ">= 1.20x", None if r is None else r >= 1.2, detail)
    for mpm in ("prefork", "worker"):
        mine = get(res, "ka-1m", f"mh-{mpm}", "mibps")
        ap = get(res, "ka-1m", f"ap-{mpm}", "mibps")
        ng = get(res, "ka-1m", "nginx", "mibps")
        ok = None
        if mine is not None and ap is not None and ng is not None:
            ok = mine >= ap and mine >= ng
        add(f"modhttpd {mpm}, 1 MiB files, MiB/s >= Apache {mpm}'s and nginx's",
            None if mine is None else f"{mine:.0f} MiB/s ({ratio(mine, ap) or 0:.2f}x Apache, {ratio(mine, ng) or 0:.2f}x nginx)",
            None if ap is None and ng is None else f">= {max(ap or 0, ng or 0):.0f} MiB/s", ok)
    w = "c1000-1k"
    m = res["workloads"].get(w, {}).get("mh-worker")
    a = res["workloads"].get(w, {}).get("ap-worker")
    if m and m["measured"]:
        detail = f"connect {m['err_connect']}, read {m['err_read']}, write {m['err_write']}, timeout {m['err_timeout']}"
        add("modhttpd worker, 1,000 keep-alive connections: socket errors", str(m["socket_errors"]), "0",
            m["socket_errors"] == 0 and m["failed"] == 0, detail)
    else:
        add("modhttpd worker, 1,000 keep-alive connections: socket errors", None, "0", None)
    pm, pa = (m or {}).get("peak_rss_kib"), (a or {}).get("peak_rss_kib")
    add("modhttpd worker, 1,000 keep-alive connections: peak RSS <= Apache worker's",
        None if pm is None else f"{pm / 1024:.1f} MiB", None if pa is None else f"<= {pa / 1024:.1f} MiB",
        None if pm is None or pa is None else pm <= pa)
    # mpm_event: against nginx with one worker process and
    # Apache's event, same run, server on one CPU.
    for w, against, target in (("ka-1k", "nginx", 1.0), ("ka-1k", "ap-event", 2.0), ("close-1k", "nginx", 1.0),
                               ("c1000-1k", "nginx", 1.0)):
        r = ratio(get(res, w, "mh-event", "rps"), get(res, w, against, "rps"))
        add(f"modhttpd event / {LABEL[against]}, req/s, {WL_SHORT[w]}", None if r is None else f"{r:.2f}x",
            f">= {target:.2f}x", None if r is None else r >= target)
    e = res["workloads"].get("c1000-1k", {}).get("mh-event")
    if e and e["measured"]:
        add("modhttpd event, 1,000 keep-alive connections: socket errors", str(e["socket_errors"]), "0",
            e["socket_errors"] == 0 and e["failed"] == 0)
    pe = (e or {}).get("peak_rss_kib")
    add("modhttpd event, 1,000 keep-alive connections: whole-server peak RSS", None if pe is None else
        f"{pe / 1024:.1f} MiB", "<= 40 MiB", None if pe is None else pe <= 40 * 1024)
    cm = res["servers"].get("mh-prefork", {}).get("idle_per_child_kib")
    ca = res["servers"].get("ap-prefork", {}).get("idle_per_child_kib")
    add("idle RSS per prefork child <= Apache prefork's", None if cm is None else f"{cm:.0f} KiB",
        None if ca is None else f"<= {ca:.0f} KiB", None if cm is None or ca is None else cm <= ca)
    return out


def fmt(x, spec=".0f", none="–"):
    return none if x is None else format(x, spec)


def markdown(res, title=True):
    m = res["machine"]
    present = [s for s in SERVERS if s in res["servers"]]
    L = []
    if title:
        L.append(f"# modhttpd benchmark, {m.get('run_started', '?')} ({m.get('mode', '?')} run)")
        L.append("")
    L.append(f"Command: `{m.get('command', 'bench/run.sh')}`, {m.get('duration_s')} s per measurement, "
             f"each measured {m.get('repeat')} times (median shown), "
             + ("a 1 s warm-up before each workload." if m.get("warmup_each") == "1"
                else "one 1 s warm-up per server."))
    L.append("")
    L.append(f"Machine: {m.get('cpu_model')}, {m.get('cpus')} CPUs, {m.get('mem_total')}, "
             f"{m.get('kernel')}, {m.get('os')}. Server pinned to CPU {m.get('server_cpu')}, wrk "
             f"(1 thread) to CPU {m.get('client_cpu')}, both at nice {m.get('nice')}; 127.0.0.1 only.")
    L.append("")
    L.append(f"Versions: {m.get('modhttpd')}; {m.get('apache')}; {m.get('nginx')}; "
             f"{m.get('wrk')}; modules built with {m.get('compiler')}.")
    L.append("")
    L.append("## Throughput and latency")
    L.append("")
    L.append("Median of the measurements. *Socket errors* are wrk's connect/read/write/timeout "
             "counts summed over all measurements of the row; *peak RSS* is the largest sum of "
             "VmRSS over the server's processes seen during the workload; *CPU server/others/idle*: "
             "how the server's CPU was spent during the measurement: by the server's processes, "
             "by anything else (other work on the machine, interrupts), idle. A server share "
             "well below 100 % means either that other work took CPU time from the server "
             "or that the server was not the bottleneck and left time that other work (or "
             "nobody: idle) used; "
             "*req/CPU-s* is requests per second of server CPU time (the scheduler's exact "
             "count), the figure least disturbed by other load on the machine.")
    L.append("")
    L.append("| workload | server | req/s | p50 ms | p99 ms | MiB/s | socket errors c/r/w/t | non-2xx "
             "| peak RSS MiB | CPU server/others/idle | req/CPU-s |")
    L.append("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for w in WORKLOADS:
        rows = res["workloads"].get(w)
        if not rows:
            continue
        for s in present:
            a = rows.get(s)
            if a is None:
                continue
            name = LABEL[s] + (" (static file)" if a.get("same_as") else "")
            if not a["measured"]:
                L.append(f"| {WL_SHORT[w]} | {name} | failed: {a['reps'][0].get('error', '?')} |||||||||")
                continue
            L.append(
                f"| {WL_SHORT[w]} | {name} | {fmt(a['rps'])} | {fmt(a['p50_ms'], '.2f')} | "
                f"{fmt(a['p99_ms'], '.2f')} | {fmt(a['mibps'], '.1f')} | "
                f"{a['err_connect']}/{a['err_read']}/{a['err_write']}/{a['err_timeout']} | {a['non2xx']} | "
                f"{fmt(None if a['peak_rss_kib'] is None else a['peak_rss_kib'] / 1024, '.1f')} | "
                f"{fmt(None if a['cpu_share'] is None else 100 * a['cpu_share'], '.0f')} / "
                f"{fmt(None if a.get('other_share') is None else 100 * a['other_share'], '.0f')} / "
                f"{fmt(None if a.get('idle_share') is None else 100 * a['idle_share'], '.0f')} % | "
                f"{fmt(a['req_per_cpu_s'])} |")
    L.append("")
    L.append("Workloads: " + "; ".join(f"*{WL_SHORT[w]}*: {WL_LABEL[w]}" for w in WORKLOADS
                                       if w in res["workloads"]) + ".")
    if "hello" in res["workloads"]:
        L.append("")
        L.append("*Trivial handler*: modhttpd runs `mod_bench_hello` (`SetHandler bench-hello`, a "
                 "fixed 1 KiB body from memory), nginx `return 200 \"<the same 1 KiB>\"`. Apache has "
                 "no in-memory handler without extra modules: its row is the static 1 KiB file "
                 "(the *1 KiB keep-alive* measurement, not run twice).")
    L.append("")
    L.append("## Memory")
    L.append("")
    L.append("Sum of VmRSS over the master and all its descendants (shared pages are counted once "
             "per process, as `ps` does). Idle: after start and the pool is up, before any load.")
    L.append("")
    L.append("| server | processes idle | idle RSS MiB | master KiB | per child KiB | peak RSS MiB (whole run) | start s |")
    L.append("|---|---:|---:|---:|---:|---:|---:|")
    for s in present:
        e = res["servers"][s]
        if not e.get("started"):
            L.append(f"| {LABEL[s]} | did not start ||||||")
            continue
        L.append(f"| {LABEL[s]} | {e.get('idle_procs', '–')} | "
                 f"{fmt(None if e.get('idle_rss_kib') is None else e['idle_rss_kib'] / 1024, '.1f')} | "
                 f"{fmt(e.get('idle_master_kib'))} | {fmt(e.get('idle_per_child_kib'))} | "
                 f"{fmt(None if e.get('peak_rss_kib') is None else e['peak_rss_kib'] / 1024, '.1f')} | "
                 f"{fmt(e.get('start_s'), '.1f')} |")
    L.append("")
    L.append("## Ratios")
    L.append("")
    L.append("req/s of modhttpd over the other server's, same workload (in parentheses: the same "
             "ratio per second of server CPU).")
    L.append("")
    L.append("| workload | " + " | ".join(f"{LABEL[a]} / {LABEL[b]}" for a, b in RATIO_PAIRS) + " |")
    L.append("|---|" + "---:|" * len(RATIO_PAIRS))
    for w in WORKLOADS:
        r = res["ratios"].get(w)
        if not r:
            continue
        cells = []
        for a, b in RATIO_PAIRS:
            x = r[f"{a}/{b}"]
            if x["rps"] is None:
                cells.append("–")
            else:
                cells.append(f"{x['rps']:.2f}" + ("" if x["req_per_cpu_s"] is None else f" ({x['req_per_cpu_s']:.2f})"))
        L.append(f"| {WL_SHORT[w]} | " + " | ".join(cells) + " |")
    L.append("")
    L.append("## Targets")
    L.append("")
    L.append("| check | measured | target | result |")
    L.append("|---|---|---|---|")
    for c in res["checks"]:
        detail = f" ({c['detail']})" if c["detail"] else ""
        L.append(f"| {c['check']} | {c['value'] or '–'}{detail} | {c['target'] or '–'} | **{c['result']}** |")
    n_pass = sum(c["result"] == "PASS" for c in res["checks"])
    n_fail = sum(c["result"] == "FAIL" for c in res["checks"])
    L.append("")
    L.append(f"{n_pass} passed, {n_fail} failed")
    others = [a["other_share"] for rows in res["workloads"].values() for a in rows.values()
              if a.get("other_share") is not None and not a.get("same_as")]
    loads = [x.get("load1") for x in res["measurements"] if x.get("load1") is not None]
    if others:
        L.append("")
        L.append(f"Other work on the server's CPU during the measurements: median {100 * statistics.median(others):.0f} %, "
                 f"max {100 * max(others):.0f} % of it (load average: median {statistics.median(loads):.1f}, "
                 f"max {max(loads):.1f}, on {m.get('cpus')} CPUs; the prefork servers' own 1,000 busy "
                 "processes count in it). Where other work took a large share from a server that was "
                 "the bottleneck, its req/s figure is low by about as much, and the req/CPU-s column "
                 "is the better comparison.")
    L.append("")
    return "\n".join(L)


def chart(res, out_dir):
    present = [s for s in SERVERS if s in res["servers"]]
    wls = [w for w in WORKLOADS if w in res["workloads"]]
    with open(os.path.join(out_dir, "chart.dat"), "w") as f:
        f.write("workload " + " ".join(f'"{LABEL[s]}"' for s in present) + "\n")
        for w in wls:
            vals = []
            for s in present:
                v = get(res, w, s, "rps")
                vals.append("NaN" if v is None else f"{v:.1f}")
            f.write(f'"{CHART_LABEL[w]}" ' + " ".join(vals) + "\n")
    colors = ["#1f77b4", "#6baed6", "#08306b", "#d62728", "#ff9896", "#f2a541", "#2ca02c"]
    cols = ", ".join(
        f"'' using {i + 2}:xtic(1) title columnheader({i + 2}) lc rgb '{colors[i % len(colors)]}'"
        if i else f"'chart.dat' using {i + 2}:xtic(1) title columnheader({i + 2}) lc rgb '{colors[0]}'"
        for i in range(len(present)))
    m = res["machine"]
    with open(os.path.join(out_dir, "chart.gp"), "w") as f:
        f.write(f"""# gnuplot chart.gp (in this directory) -> chart.png
set terminal pngcairo size 1400,700 font 'sans,11'
set output 'chart.png'
set title "Requests per second (median of {m.get('repeat')} x {m.get('duration_s')} s), server on 1 CPU — {m.get('run_started', '')}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set boxwidth 0.9
set logscale y
set yrange [100:*]
set ylabel 'requests/s (log scale)'\nset xlabel 'keep-alive, 50 connections unless said otherwise'
set grid ytics mytics
set key outside right top vertical
set xtics nomirror
set format y '%.0s%c'
plot {cols}
""")


def write_docs(res_dir, doc):
    with open(os.path.join(res_dir, "results.json")) as f:
        res = json.load(f)
    # Inside the page the tables sit one heading level lower.
    body = "\n".join("#" + line if line.startswith("## ") else line
                     for line in markdown(res, title=False).split("\n"))
    rel = os.path.relpath(os.path.join(res_dir, "chart.png"), os.path.dirname(os.path.abspath(doc)))
    block = (f"{MARK_BEGIN}\n\n_Run of {res['machine'].get('run_started')}; raw figures in "
             f"`bench/results/{os.path.basename(os.path.normpath(res_dir))}/`._\n\n{body}\n"
             f"![requests per second per workload and server]({rel})\n\n{MARK_END}")
    text = open(doc).read() if os.path.exists(doc) else f"# Performance\n\n{MARK_BEGIN}\n{MARK_END}\n"
    if MARK_BEGIN in text and MARK_END in text:
        a = text.index(MARK_BEGIN)
        b = text.index(MARK_END) + len(MARK_END)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(doc, "w") as f:
        f.write(text)


def main():
    if sys.argv[1] == "--docs":
        write_docs(sys.argv[2], sys.argv[3])
        return
    out_dir = sys.argv[1]
    res = build(os.path.join(out_dir, "raw"))
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(markdown(res))
    chart(res, out_dir)


if __name__ == "__main__":
    main()
