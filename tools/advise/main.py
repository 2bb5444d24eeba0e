"""modhttpd-advise: measures the user's own configuration under each MPM and
says which one to run. See docs/advisor.md."""
import argparse
import datetime
import hashlib
import os
import shutil
import signal
import sys
import tempfile
import time

from . import advice, confcopy, loadgen, proctree, report, server, workload

DEFAULT_CONCURRENCY = "10,100,1000"
DEFAULT_MPMS = "prefork,worker,event"
HOLD_S = 2.0           # idle keep-alive connections stay idle this long
ANSWER_S = 2.0         # ... after at most this long waiting for their answers
PAUSE_S = 0.5          # between two loads on the same server


class Interrupted(Exception):
    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Failure(Exception):
    pass


def _on_signal(signum, _frame):
    raise Interrupted(signum)


def _int_list(text):
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("expected numbers separated by commas: %r" % text)
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("expected positive numbers: %r" % text)
    return sorted(set(values))


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="modhttpd-advise",
        description="Measures your modhttpd configuration under mpm_prefork, mpm_worker and mpm_event, on a "
                    "private copy of it and a private port, and recommends one. Your configuration file is "
                    "only read; your ports are never bound.")
    p.add_argument("-f", dest="config", required=True, help="the configuration file (as modhttpd -f)")
    p.add_argument("-d", dest="server_root", help="the ServerRoot when the file sets none (as modhttpd -d; "
                   "default: the one compiled into modhttpd)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--access-log", metavar="FILE",
                        help="replay the GET and HEAD requests of this log (common or combined format)")
    source.add_argument("--urls", metavar="FILE", help="replay these URLs or paths, one a line")
    p.add_argument("--concurrency", type=_int_list, default=_int_list(DEFAULT_CONCURRENCY), metavar="N,N,...",
                   help="connections held open by the load, one run each (default %s)" % DEFAULT_CONCURRENCY)
    p.add_argument("--duration", type=int, default=10, metavar="S", help="seconds per run (default 10)")
    p.add_argument("--mpms", default=DEFAULT_MPMS, metavar="MPM,...",
                   help="the MPMs to measure (default %s)" % DEFAULT_MPMS)
    p.add_argument("--idle-connections", type=int, default=1000, metavar="N",
                   help="idle keep-alive connections to open for the capacity test (default 1000; 0: none)")
    p.add_argument("--crash-concurrency", type=int, metavar="N",
                   help="connections during the crash test (default: the middle of --concurrency)")
    p.add_argument("--out", metavar="DIR", help="where the JSON, the charts, the copies and their logs go "
                   "(default: a new directory under the system's temporary directory)")
    p.add_argument("--modhttpd", metavar="PATH", help="the modhttpd binary (default: the one installed "
                   "beside this program)")
    args = p.parse_args(argv)
    args.mpms = [m.strip().removeprefix("mpm_") for m in args.mpms.split(",") if m.strip()]
    unknown = [m for m in args.mpms if m not in ("prefork", "worker", "event")]
    if unknown or not args.mpms:
        p.error("--mpms: expected some of prefork, worker, event, not %s" % ", ".join(unknown or ["nothing"]))
    if args.duration < 1:
        p.error("--duration must be at least 1 second")
    if args.crash_concurrency is None:
        args.crash_concurrency = args.concurrency[len(args.concurrency) // 2]
    return args


# ---- preparation ----------------------------------------------------------------------

def locate_config(path, server_root):
    """The configuration file as the user means it: relative to the current
    directory when it is there, else (as modhttpd -f does) to ServerRoot."""
    if os.path.isabs(path) or os.path.exists(path):
        found = os.path.abspath(path)
    else:
        found = os.path.join(server_root, path)
    if not os.path.isfile(found):
        raise Failure("no configuration file at %s" % found)
    return found


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def find_mpm(mpm, user_so, server_root, modules_dir):
    """The shared object of an MPM: beside the user's MPM, else in the
    server's modules directory. (path, None) or (None, why not)."""
    name = "mod_mpm_%s.so" % mpm
    user_dir = os.path.dirname(user_so if os.path.isabs(user_so) else os.path.join(server_root, user_so))
    places = [user_dir] + ([modules_dir] if modules_dir and modules_dir != user_dir else [])
    for d in places:
        if os.path.isfile(os.path.join(d, name)):
            return os.path.join(d, name), None
    return None, "%s is not installed (looked in %s)" % (name, " and ".join(places))


def prepare(args, ctx):
    """One private copy per MPM, each checked with `modhttpd -t`; returns
    {mpm: entry} with status "ready" or "excluded" and its reason."""
    lines, root = confcopy.flatten(ctx["config"], ctx["server_root"])
    mpm_lines = confcopy.mpm_lines(lines)
    if not mpm_lines:
        raise Failure("%s loads no MPM (no LoadModule mpm_..._module line)" % ctx["config"])
    mpms = {}
    for mpm in args.mpms:
        so, why = find_mpm(mpm, mpm_lines[0][2], root, ctx["modules_dir"])
        if so is None:
            mpms[mpm] = {"status": "excluded", "reason": why}
            continue
        run_dir = os.path.join(ctx["out"], mpm)
        log_dir = os.path.join(run_dir, "logs")
        os.makedirs(log_dir, exist_ok=True)
        port = proctree.free_port()
        text = confcopy.rewrite(lines, ctx["server_root"], mpm, so, port, log_dir)
        confcopy.check_copy(text, port)
        copy = os.path.join(run_dir, "modhttpd.conf")
        with open(copy, "w") as f:
            f.write(text)
        reason = server.check(ctx["binary"], copy)
        entry = {"status": "ready" if reason is None else "excluded", "module_file": so, "copy": copy,
                 "port": port, "log_dir": log_dir}
        if reason:
            entry["reason"] = reason
        mpms[mpm] = entry
    return mpms


def build_workload(args, mpms, ctx):
    if args.access_log:
        return workload.from_access_log(args.access_log)
    if args.urls:
        return workload.from_url_list(args.urls)
    ready = [m for m in mpms.values() if m["status"] == "ready"]
    docroot = server.run_config(ctx["binary"], ready[0]["copy"]).get("Main DocumentRoot")
    if not docroot or not os.path.isdir(docroot):
        raise Failure("cannot find the DocumentRoot to crawl (%s); give --urls or --access-log" % docroot)
    return workload.from_document_root(docroot)


# ---- measuring ------------------------------------------------------------------------

def idle_memory(srv):
    pids = srv.tree()
    rss, pss = proctree.memory_kib(pids)
    return {"rss_kib": rss, "pss_kib": pss, "processes": len(pids)}


def crash_one_child(srv, deadline):
    """SIGSEGV to the child holding the most client connections (prefork's
    front process, which serves none, aside); returns what it held."""
    # A moment when some child holds a connection, looked for until the
    # monotonic `deadline`: connections come and go, and on a loaded machine
    # the load generator may not even have connected yet (0.2 s of looking
    # was seen to find none). A crash of an idle child would measure nothing.
    while True:
        children = [p for p in srv.tree()[1:] if proctree.comm(p) != "mh-front"]
        held = proctree.connections_by_process(children, srv.port)
        if any(held.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    if not children:
        return {"killed_pid": None, "connections_held": 0, "connections_total": 0}
    victim = max(children, key=lambda p: held[p])
    os.kill(victim, signal.SIGSEGV)
    return {"killed_pid": victim, "connections_held": held[victim], "connections_total": sum(held.values())}


def load_run(srv, ctx, connections, crash=False):
    """One wrk run against the server: figures, peak memory, CPU per
    request; with crash, one child is killed half way through."""
    cpu_before = proctree.cpu_seconds(srv.pid)
    crashed = None
    with proctree.MemorySampler(srv.pid) as sampler:
        began = time.monotonic()
        run = loadgen.Wrk(ctx["wrk"], srv.port, connections, ctx["duration"], *ctx["workload_files"])
        if crash:
            time.sleep(ctx["duration"] / 2)
            crashed = crash_one_child(srv, began + ctx["duration"] * 0.9)
        data = run.result()
    cpu = proctree.cpu_seconds(srv.pid) - cpu_before
    seconds = data["duration_us"] / 1e6
    out = {"concurrency": connections, "requests": data["requests"],
           "requests_per_s": data["requests"] / seconds if seconds else 0.0,
           "latency_us": data["latency_us"], "errors": data["errors"], "bytes": data["bytes"],
           "peak": sampler.peak(), "cpu_s": round(cpu, 3),
           "cpu_us_per_request": 1e6 * cpu / data["requests"] if data["requests"] else 0.0}
    if crashed is not None:
        out.update(crashed)
    return out


def keepalive_test(srv, ctx):
    """Idle keep-alive connections: how many the server held, and its
    memory while it held them."""
    held, (rss, pss) = loadgen.hold_idle(srv.port, ctx["workload"]["paths"][0], ctx["idle_connections"], HOLD_S,
                                        lambda: proctree.memory_kib(srv.tree()), ANSWER_S)
    return dict(held, hold_s=HOLD_S, rss_kib=rss, pss_kib=pss)


def crash_test(srv, ctx, runs):
    """A run in which one child crashes; the requests it cost are its errors
    beyond those of the same run without the crash."""
    c = ctx["crash_concurrency"]
    crash = load_run(srv, ctx, c, crash=True)
    baseline = next((r for r in runs if r["concurrency"] == c), None) or load_run(srv, ctx, c)
    crash["baseline_errors"] = baseline["errors"]["total"]
    crash["failed_requests"] = max(0, crash["errors"]["total"] - baseline["errors"]["total"])
    return crash


def measure(name, entry, ctx, progress):
    """Starts the MPM's server, measures it, stops it."""
    srv = server.Server(ctx["binary"], entry["copy"], entry["port"], entry["log_dir"])
    progress.step("%s: starting" % name, 3)
    try:
        srv.start()
        srv.settle()
        entry["idle"] = idle_memory(srv)
        if "workload_files" not in ctx:  # the first server checks the workload's paths
            workload.probe(ctx["workload"], srv.port)
            ctx["workload_files"] = loadgen.write_workload(ctx["out"], ctx["workload"]["paths"])
        entry["runs"] = []
        for c in ctx["concurrency"]:
            progress.step("%s: %d connections, %d s" % (name, c, ctx["duration"]), ctx["duration"] + PAUSE_S)
            entry["runs"].append(load_run(srv, ctx, c))
            time.sleep(PAUSE_S)
        if ctx["idle_connections"]:
            progress.step("%s: %d idle keep-alive connections" % (name, ctx["idle_connections"]), ANSWER_S + HOLD_S)
            entry["keepalive"] = keepalive_test(srv, ctx)
            time.sleep(PAUSE_S)
        progress.step("%s: one child crashes under %d connections" % (name, ctx["crash_concurrency"]),
                      ctx["duration"])
        entry["crash"] = crash_test(srv, ctx, entry["runs"])
        entry["server_alive_at_end"] = srv.alive()
        entry["status"] = "measured"
    except server.ServerError as e:
        entry["status"] = "failed"
        entry["reason"] = str(e)
        progress.note("modhttpd-advise: %s failed: %s" % (name, e))
    finally:
        srv.stop()


def planned_seconds(mpms, ctx):
    per = 3 + len(ctx["concurrency"]) * (ctx["duration"] + PAUSE_S) + ctx["duration"]
    if ctx["idle_connections"]:
        per += ANSWER_S + HOLD_S
    return per * sum(1 for m in mpms.values() if m["status"] == "ready")


# ---- the whole run --------------------------------------------------------------------

def run(args, binary):
    wrk = shutil.which("wrk")
    if wrk is None:
        raise Failure("wrk is not installed (Debian: apt-get install wrk)")
    if not os.access(binary, os.X_OK):
        raise Failure("no modhttpd binary at %s (give --modhttpd)" % binary)
    built_in = server.settings(binary)
    server_root = os.path.abspath(args.server_root or built_in.get("SERVER_ROOT", "/usr/local/modhttpd"))
    out = os.path.abspath(args.out) if args.out else tempfile.mkdtemp(prefix="modhttpd-advise-")
    os.makedirs(out, exist_ok=True)
    ctx = {"binary": binary, "wrk": wrk, "server_root": server_root, "out": out,
           "modules_dir": built_in.get("MODULES_DIR"), "duration": args.duration,
           "concurrency": args.concurrency, "crash_concurrency": args.crash_concurrency,
           "idle_connections": args.idle_connections}
    ctx["config"] = locate_config(args.config, server_root)
    digest = sha256(ctx["config"])
    nofile = loadgen.raise_nofile()
    if max(args.concurrency + [args.idle_connections]) + 64 > nofile:
        print("modhttpd-advise: warning: the open files limit (%d) is low for %d connections"
              % (nofile, max(args.concurrency)), file=sys.stderr)

    mpms = prepare(args, ctx)
    if not any(m["status"] == "ready" for m in mpms.values()):
        raise Failure("no MPM can run this configuration:\n" + "\n".join(
            "  %s: %s" % (n, m["reason"]) for n, m in mpms.items()))
    ctx["workload"] = build_workload(args, mpms, ctx)
    result = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "settings": {"config": ctx["config"], "config_sha256": digest, "server_root": server_root,
                           "modhttpd": binary, "wrk": wrk, "duration_s": args.duration,
                           "concurrency": args.concurrency, "crash_concurrency": args.crash_concurrency,
                           "idle_connections": args.idle_connections, "idle_hold_s": HOLD_S,
                           "cpus": os.cpu_count(), "out": out},
              "mpms": mpms}
    print("modhttpd-advise: measuring %s with %s; results in %s"
          % (ctx["config"], ", ".join(n for n, m in mpms.items() if m["status"] == "ready") or "no MPM", out))
    for name, m in mpms.items():
        if m["status"] != "ready":
            print("modhttpd-advise: %s left out: %s" % (name, m["reason"]))
    progress = report.Progress(planned_seconds(mpms, ctx))
    try:
        for name, entry in mpms.items():
            if entry["status"] == "ready":
                measure(name, entry, ctx, progress)
    finally:
        progress.close()
    result["workload"] = workload.summary(ctx["workload"])
    result["advice"] = advice.recommend(result)
    charts = report.write_charts(result, out, "modhttpd-advise: %s, %d s per point"
                                 % (os.path.basename(ctx["config"]), args.duration))
    result["charts"] = charts if isinstance(charts, list) else []
    if not isinstance(charts, list):
        result["charts_missing"] = charts
    if sha256(ctx["config"]) != digest:
        result["warning"] = "the configuration file changed while the advisor ran (not by the advisor)"
    report.write_json(result, os.path.join(out, "advise.json"))
    sys.stdout.write("\n" + report.text(result))
    print("\nFigures: %s" % os.path.join(out, "advise.json"))
    for c in result["charts"]:
        print("Chart:   %s" % c)
    if not isinstance(charts, list):
        print("Charts:  none (%s)" % charts)
    return 0 if result["advice"]["mpm"] else 1


def main(argv, default_binary):
    args = parse_args(argv)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _on_signal)
    try:
        return run(args, os.path.abspath(args.modhttpd) if args.modhttpd else default_binary)
    except Interrupted as e:
        print("\nmodhttpd-advise: interrupted (%s); the servers it started are stopped" % e, file=sys.stderr)
        return 128 + e.signum
    except (Failure, confcopy.ConfigError, server.ServerError, loadgen.LoadError, workload.WorkloadError,
            OSError) as e:
        print("modhttpd-advise: %s" % e, file=sys.stderr)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)  # the cleanup below must run to its end
        loadgen.stop_all()
        server.stop_all()
