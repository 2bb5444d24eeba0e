"""modhttpd-advise, run from the build tree (build/tools/modhttpd-advise with
--modhttpd naming build/core/modhttpd) on sites laid out as harness's
servers: all three MPMs measured with short runs, the figures, the charts
and the advice; a thread-unsafe module forcing prefork; the user's files and
ports left alone; every server it started gone at the end, and after a
Ctrl-C; an access log and a URL list as the workload.

The user's configuration listens on ports this test holds bound itself (one
of them in an Include'd file): had the advisor kept either Listen, its
server could not have started.
"""
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import BINARY, BUILD, Server, module_file, wait_until

sys.path.insert(0, str(BUILD / "tools"))
from advise import advice  # noqa: E402 - the package beside the configured script

ADVISE = BUILD / "tools" / "modhttpd-advise"
PYTHON = "/usr/bin/python3"  # Debian's, as the script's first line says
MPMS = ("prefork", "worker", "event")
QUICK = ["--duration", "1", "--concurrency", "5,20", "--idle-connections", "50"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RUN_FIGURES = ("requests", "requests_per_s", "latency_us", "errors", "peak", "cpu_us_per_request")


class UserSite:
    """A user's installation: harness's layout with the three MPMs in
    modules/, an Include'd etc/conf.d/extra.conf holding a second Listen and
    a second access log, and a few files to serve."""

    def __init__(self, root, modules=()):
        self.held = [self._hold_port(), self._hold_port()]
        self.ports = [s.getsockname()[1] for s in self.held]
        self.server = Server(root, mpm="prefork", port=self.ports[0],
                             modules=("static_module", "authz_core_module", "authz_host_module") + modules,
                             config="Include etc/conf.d/*.conf\n")
        self.root = self.server.root
        for symbol in ("mpm_worker_module", "mpm_event_module"):
            src = module_file(symbol)
            (self.root / "modules" / src.name).symlink_to(src)
        (self.root / "etc" / "conf.d").mkdir()
        (self.root / "etc" / "conf.d" / "extra.conf").write_text(
            "Listen 127.0.0.1:%d\nCustomLog logs/extra_log common\n" % self.ports[1])
        self.server.write("index.html", "<html><body>home</body></html>\n")
        self.server.write("docs/guide.html", "<html><body>guide</body></html>\n")
        self.server.write("images/dot.txt", "." * 2000)
        self.conf = self.server.conf
        self.digest = self.config_digest()

    @staticmethod
    def _hold_port():
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        return s

    def config_digest(self):
        h = hashlib.sha256()
        for p in sorted((self.root / "etc").rglob("*.conf")):
            h.update(p.read_bytes())
        return h.hexdigest()

    def close(self):
        for s in self.held:
            s.close()


def advise_command(site, out, *extra):
    return [PYTHON, str(ADVISE), "-f", str(site.conf), "-d", str(site.root), "--modhttpd", str(BINARY),
            "--out", str(out), *extra]


def sanitizer_env(out):
    """In a sanitizer build: reports to files beside `out` (which
    check_left_alone turns into failures), no leak check at the exit of
    `modhttpd -t` (as harness), and the crash test's SIGSEGV left to kill."""
    logs = Path(str(out) + "-sanitizers")
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "log_path=%s/asan:detect_leaks=0:abort_on_error=0:handle_segv=0:handle_abort=0" % logs
    env["UBSAN_OPTIONS"] = "log_path=%s/ubsan:print_stacktrace=1:handle_segv=0:handle_abort=0" % logs
    env["TSAN_OPTIONS"] = "log_path=%s/tsan:halt_on_error=0:handle_segv=0:handle_abort=0" % logs
    return env


def run_advisor(site, out, *extra, timeout=300):
    return subprocess.run(advise_command(site, out, *extra), capture_output=True, text=True, timeout=timeout,
                          env=sanitizer_env(out))


def processes_of(out, program="modhttpd"):
    """Live processes of `program` whose command line names a file under
    `out`: the advisor's servers (their copies), its wrk (the request lines)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            argv = (d / "cmdline").read_bytes().split(b"\0")
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and Path(argv[0].decode(errors="replace")).name == program and \
                any(str(out).encode() in a for a in argv):
            pids.append(int(d.name))
    return pids


def check_left_alone(site, out):
    """The user's files unchanged, their ports never taken, no server left."""
    assert site.config_digest() == site.digest
    for s in site.held:  # still ours
        assert s.getsockname()[1] in site.ports
    for copy in out.glob("*/modhttpd.conf"):
        listens = [line.split()[1] for line in copy.read_text().splitlines() if line.startswith("Listen")]
        assert len(listens) == 1 and listens[0].startswith("127.0.0.1:"), listens
        assert int(listens[0].split(":")[1]) not in site.ports
    assert processes_of(out) == []
    reports = sorted(Path(str(out) + "-sanitizers").glob("*san.*"))
    assert not reports, "\n".join(p.read_text(errors="replace")[-3000:] for p in reports)


@pytest.fixture(scope="module")
def normal_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("advise-normal")
    site = UserSite(base / "site")
    out = base / "out"
    r = run_advisor(site, out, *QUICK)
    yield site, out, r
    site.close()


def test_every_figure_for_every_mpm(normal_run):
    site, out, r = normal_run
    assert r.returncode == 0, r.stdout + r.stderr
    result = json.loads((out / "advise.json").read_text())
    assert set(result["mpms"]) == set(MPMS)
    for name in MPMS:
        m = result["mpms"][name]
        assert m["status"] == "measured", m
        assert [run["concurrency"] for run in m["runs"]] == [5, 20]
        for run in m["runs"]:
            assert all(k in run for k in RUN_FIGURES), run
            assert run["requests"] > 0 and run["requests_per_s"] > 0
            assert 0 < run["latency_us"]["p50"] <= run["latency_us"]["p99"]
            assert run["peak"]["rss_kib"] >= run["peak"]["pss_kib"] > 0
            assert run["cpu_us_per_request"] > 0
        assert m["idle"]["rss_kib"] >= m["idle"]["pss_kib"] > 0
        assert m["keepalive"]["opened"] == 50 and 0 <= m["keepalive"]["held"] <= 50
        assert m["keepalive"]["pss_kib"] > 0
        crash = m["crash"]
        assert crash["killed_pid"] and crash["connections_held"] >= 1
        assert crash["failed_requests"] >= 0 and "baseline_errors" in crash
    # A crash costs prefork the one connection of its child.
    assert result["mpms"]["prefork"]["crash"]["connections_held"] == 1
    # The workload is the DocumentRoot's files.
    assert "DocumentRoot" in result["workload"]["source"]
    assert result["workload"]["replayed"] >= 3
    for chart in ("throughput.png", "memory.png", "chart.png"):
        assert (out / chart).read_bytes().startswith(PNG_SIGNATURE), chart
    assert sorted(Path(c).name for c in result["charts"]) == ["chart.png", "memory.png", "throughput.png"]
    advice = result["advice"]
    assert advice["mpm"] in MPMS
    assert advice["paragraph"].startswith("Recommendation: %s." % advice["mpm"])
    assert "no thread-unsafe module loaded" in advice["paragraph"]
    # The terminal: plain progress lines (not a tty), the tables, the advice.
    assert "[  0%] prefork: starting" in r.stdout
    assert "req/s" in r.stdout and "p99 ms" in r.stdout and "peak PSS" in r.stdout
    assert advice["paragraph"] in r.stdout


def test_users_setup_left_alone(normal_run):
    site, out, r = normal_run
    assert r.returncode == 0, r.stdout + r.stderr
    check_left_alone(site, out)
    copy = (out / "event" / "modhttpd.conf").read_text()
    # The Include was inlined, its Listen dropped, its log moved to the run's directory.
    assert "\nListen 127.0.0.1:%d" % site.ports[1] not in copy
    assert "# modhttpd-advise: was: Listen 127.0.0.1:%d" % site.ports[1] in copy
    assert 'CustomLog "%s" common' % (out / "event" / "logs" / "access_log.2") in copy
    assert 'ServerRoot "%s"' % site.root in copy
    assert 'LoadModule mpm_event_module "%s"' % (site.root / "modules" / "mod_mpm_event.so") in copy
    assert (out / "event" / "logs" / "access_log").stat().st_size > 0
    assert not (site.root / "logs" / "access_log").exists()
    assert not (site.root / "logs" / "extra_log").exists()


def test_thread_unsafe_module_forces_prefork(tmp_path):
    site = UserSite(tmp_path / "site", modules=("unsafe_module",))
    out = tmp_path / "out"
    try:
        r = run_advisor(site, out, *QUICK)
        assert r.returncode == 0, r.stdout + r.stderr
        result = json.loads((out / "advise.json").read_text())
        assert result["mpms"]["prefork"]["status"] == "measured"
        for name in ("worker", "event"):
            m = result["mpms"][name]
            assert m["status"] == "excluded"
            assert "unsafe_module" in m["reason"] and "not thread-safe" in m["reason"], m["reason"]
            assert "runs" not in m
        assert result["advice"]["mpm"] == "prefork"
        assert "unsafe_module" in result["advice"]["paragraph"]
        assert "worker: not measured: Module unsafe_module" in r.stdout
        check_left_alone(site, out)
    finally:
        site.close()


def test_interrupted_run_stops_its_servers(tmp_path):
    site = UserSite(tmp_path / "site")
    out = tmp_path / "out"
    try:
        p = subprocess.Popen(advise_command(site, out, "--duration", "3", "--concurrency", "5,20"),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=sanitizer_env(out))
        try:
            assert wait_until(lambda: processes_of(out, "wrk"), 30), "no load started"
            time.sleep(0.5)
            assert processes_of(out)
            p.send_signal(signal.SIGINT)
            stdout, stderr = p.communicate(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        assert p.returncode != 0
        assert "interrupted" in stderr
        assert processes_of(out) == [] and processes_of(out, "wrk") == []
        check_left_alone(site, out)
    finally:
        site.close()


def test_access_log_workload(tmp_path):
    site = UserSite(tmp_path / "site")
    out = tmp_path / "out"
    log = tmp_path / "access_log"
    log.write_text(
        '192.0.2.1 - - [06/Dec/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 31\n'
        '192.0.2.1 - - [06/Dec/2026:10:00:01 +0000] "HEAD /docs/guide.html HTTP/1.1" 200 -\n'
        '192.0.2.2 - bob [06/Dec/2026:10:00:02 +0000] "POST /form HTTP/1.1" 200 5 "-" "curl/7.88"\n'
        '192.0.2.2 - - [06/Dec/2026:10:00:03 +0000] "GET /images/dot.txt?x=1 HTTP/1.1" 200 2000 "-" "x"\n'
        'not a log line\n')
    try:
        r = run_advisor(site, out, "--access-log", str(log), "--mpms", "event", "--duration", "1",
                        "--concurrency", "5", "--idle-connections", "0")
        assert r.returncode == 0, r.stdout + r.stderr
        w = json.loads((out / "advise.json").read_text())["workload"]
        assert (w["get"], w["head"], w["ignored_methods"], w["unparsed"]) == (2, 1, {"POST": 1}, 1)
        assert w["replayed"] == 3 and w["left_out"] == []
        served = {line.split('"')[1] for line in (out / "event" / "logs" / "access_log").read_text().splitlines()
                  if '"OPTIONS * ' not in line}  # the advisor's "are you up?"
        assert served == {"GET /index.html HTTP/1.1", "GET /docs/guide.html HTTP/1.1",
                          "GET /images/dot.txt?x=1 HTTP/1.1"}
        check_left_alone(site, out)
    finally:
        site.close()


def test_url_list_workload(tmp_path):
    site = UserSite(tmp_path / "site")
    out = tmp_path / "out"
    urls = tmp_path / "urls"
    urls.write_text("# pages to load\n/docs/guide.html\nhttp://www.example.com/images/dot.txt\n"
                    "HEAD /index.html\n/nothing-here\n")
    try:
        r = run_advisor(site, out, "--urls", str(urls), "--mpms", "worker", "--duration", "1",
                        "--concurrency", "5", "--idle-connections", "0")
        assert r.returncode == 0, r.stdout + r.stderr
        w = json.loads((out / "advise.json").read_text())["workload"]
        assert (w["get"], w["head"], w["replayed"]) == (3, 1, 3)
        assert w["left_out"] == ["/nothing-here 404"]
        served = {line.split('"')[1].split()[1]
                  for line in (out / "worker" / "logs" / "access_log").read_text().splitlines()
                  if '"OPTIONS * ' not in line}
        assert served == {"/docs/guide.html", "/images/dot.txt", "/index.html", "/nothing-here"}
        check_left_alone(site, out)
    finally:
        site.close()


# ---- the rules, on made-up figures (docs/advisor.md) ---------------------------------

def made_up(rps, pss_mib, p99_ms=2.0, errors=0, held=1000, failed=30):
    runs = [{"concurrency": c, "requests": int(rps * 10), "requests_per_s": rps, "errors": {"total": errors},
             "latency_us": {"p50": 100, "p99": int(p99_ms * 1000)}, "peak": {"pss_kib": pss_mib * 1024}}
            for c in (10, 100)]
    return {"status": "measured", "runs": runs, "keepalive": {"opened": 1000, "held": held},
            "crash": {"failed_requests": failed}}


@pytest.mark.parametrize("figures, choice, words", [
    # The leanest within 10 % of the best throughput.
    ({"prefork": made_up(10000, 60, held=256, failed=1), "worker": made_up(20000, 30, held=400),
      "event": made_up(19000, 12)},
     "event", ["1.9× prefork's throughput at 1/5 of its memory", "5 % less throughput than worker at 40 % of its "
               "memory", "held 1000 of 1000 idle keep-alive connections (prefork 256, worker 400)",
               "a crash in one child cost 30 requests (prefork's 1, worker's 30)"]),
    # prefork's isolation for at most 1.5 times the memory.
    ({"prefork": made_up(10000, 14, failed=1), "worker": made_up(10500, 10), "event": made_up(10200, 10)},
     "prefork", ["its crash isolation is worth its memory", "a crash in one child cost 1 request "]),
    # Requests lost, and a p99 far above the best, put an MPM out.
    ({"prefork": made_up(30000, 5, errors=6000), "worker": made_up(20000, 10, p99_ms=80), "event": made_up(19000, 12)},
     "event", ["prefork: lost 2.0 % of its requests", "worker: p99 latency 80.0 ms where 2.0 ms is possible"]),
    # Nearly as lean and holding far more idle connections.
    ({"worker": made_up(20000, 10, held=400), "event": made_up(19000, 11)}, "event", ["held 1000 of 1000"]),
])
def test_advice_rules(figures, choice, words):
    result = advice.recommend({"mpms": figures})
    assert result["mpm"] == choice, result["paragraph"]
    for w in words:
        assert w in result["paragraph"], (w, result["paragraph"])
