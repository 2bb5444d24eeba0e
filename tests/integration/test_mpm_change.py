"""Changing the MPM on a restart: edit the MPM's LoadModule line and run
`modhttpd -k graceful`. The master (same PID) loads the new MPM, starts it
on the same listening sockets and asks the old one to finish: its children
end their requests in flight, then exit; the old MPM's library is unloaded
once its last child is gone. `-k restart` ends the old children at once.
A configuration the new MPM cannot run is refused and the server goes on
as it was. Apache can only change its MPM with a full stop and start."""
import hashlib
import http.client
import os
import re
import signal
import threading
import time

import pytest

from harness import (children_of, fd_count, handler_locations, module_file, proc_status, server_sanitizers,
                     status_of, wait_until)

MPMS = ("prefork", "worker", "event")
MODULES = ("static_module", "status_module", "sleep_module")
POOLS = (
    "<IfModule mpm_prefork_module>\nStartServers 3\nMinSpareServers 2\nMaxSpareServers 6\n"
    "MaxRequestWorkers 32\n</IfModule>\n"
    "<IfModule mpm_worker_module>\nStartServers 2\nThreadsPerChild 8\nMinSpareThreads 4\n"
    "MaxSpareThreads 32\nMaxRequestWorkers 32\nServerLimit 4\n</IfModule>\n"
    "<IfModule mpm_event_module>\nStartServers 2\nThreadsPerChild 8\nMinSpareThreads 4\n"
    "MaxSpareThreads 32\nMaxRequestWorkers 32\nServerLimit 4\n</IfModule>\n"
)
BIG = 20 << 20


def mpm_line(mpm):
    return "LoadModule mpm_%s_module modules/mod_mpm_%s.so" % (mpm, mpm)


def start(make_server, mpm="prefork", extra="", modules=MODULES):
    s = make_server(start=False, mpm=mpm, modules=modules,
                    config=POOLS + handler_locations("server-status", "sleep") + extra)
    for other in MPMS:  # every MPM's library beside the one loaded
        src = module_file("mpm_%s_module" % other)
        dst = s.root / "modules" / src.name
        if not dst.exists():
            dst.symlink_to(src)
    s.write("index.html", "<html>index</html>\n")
    s.start()
    return s


def configured(s):
    return s.error_log().count("AH00163:")


def change_to(s, mpm, how="graceful"):
    """Edits the MPM line and runs `modhttpd -k graceful` (or restart)."""
    conf = s.conf.read_text()
    conf = re.sub(r"^LoadModule mpm_\w+ modules/mod_mpm_\w+\.so$", mpm_line(mpm), conf, flags=re.M)
    s.conf.write_text(conf)
    before = configured(s)
    r = s.run("-k", how)
    assert r.returncode == 0, r.stderr
    return before


def wait_configured(s, before):
    assert wait_until(lambda: configured(s) > before, 10), s.error_log()[-2000:]


def status_json(s):
    import json
    status, _, body = s.get("/server-status?json")
    assert status == 200
    return json.loads(body)


def mpms_of_processes(s):
    return sorted({p["mpm"] for p in status_json(s)["processes"]})


def thread_names(pid):
    """The names of a process's threads. A sanitizer may run a thread of its
    own (TSan's background thread), named like the thread that started it."""
    names = set()
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/comm" % (pid, task)) as f:
                names.add(f.read().strip())
    except OSError:
        pass
    return names


def serves_alone(pid):
    """A prefork child: no worker, listener or loop thread beside its own."""
    return not (thread_names(pid) & {"mh-worker", "mh-listener", "mh-event"})


class KeepAliveClients:
    """n clients, each on one kept-alive connection, GET /sleep?ms=5 in a
    loop. A connection the server closes while idle is opened again and the
    request sent again (as browsers retry an idempotent request); a request
    that fails on a fresh connection, or gets a wrong answer, is a failure."""

    def __init__(self, port, n=8):
        self.port = port
        self.ok = 0
        self.failures = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(n)]
        for t in self.threads:
            t.start()

    def _run(self):
        conn, used = None, False
        while not self.stopping.is_set():
            if conn is None:
                conn, used = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15), False
            try:
                conn.request("GET", "/sleep?ms=5")
                r = conn.getresponse()
                body = r.read()
                used = True
                good = r.status == 200 and body == b"slept 5 ms\n"
                with self.lock:
                    if good:
                        self.ok += 1
                    else:
                        self.failures.append("status %d %r" % (r.status, body[:80]))
                if r.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                conn.close()
                conn = None
                if not used:
                    with self.lock:
                        self.failures.append(repr(e))
            except Exception as e:  # noqa: BLE001 - every other failure counts
                with self.lock:
                    self.failures.append(repr(e))
                conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(30)
        return self


class SlowDownload(threading.Thread):
    """GET of a big file read at about 2 MiB/s: it spans the restarts."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.digest, self.length, self.error = None, 0, None
        self.start()

    def run(self):
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            c.request("GET", self.path)
            r = c.getresponse()
            h = hashlib.sha256()
            while True:
                chunk = r.read(65536)
                if not chunk:
                    break
                h.update(chunk)
                self.length += len(chunk)
                time.sleep(0.03)
            self.status = r.status
            self.digest = h.hexdigest()
        except Exception as e:  # noqa: BLE001 - the test reports it
            self.error = repr(e)


def test_graceful_changes_under_load_fail_no_request(make_server):
    s = start(make_server, "prefork")
    data = os.urandom(BIG)
    s.write("big.bin", data)
    master = s.pid
    clients = KeepAliveClients(s.port, 8)
    download = SlowDownload(s.port, "/big.bin")
    time.sleep(0.5)
    # prefork -> worker -> prefork within one second, then -> event -> prefork.
    for mpm, pause in (("worker", 0.2), ("prefork", 1.0), ("event", 1.0), ("prefork", 1.0)):
        wait_configured(s, change_to(s, mpm))
        time.sleep(pause)
    assert download.is_alive() and download.length < BIG, download.length  # in flight across every change
    download.join(60)
    clients.stop()
    assert download.error is None and download.status == 200, download.error
    assert download.length == BIG and download.digest == hashlib.sha256(data).hexdigest()
    assert clients.failures == [], clients.failures[:5]
    assert clients.ok > 200, clients.ok
    assert s.pid == master and s.proc.poll() is None
    log = s.error_log()
    for old, new in (("prefork", "worker"), ("worker", "prefork"), ("prefork", "event"), ("event", "prefork")):
        assert "MPM changed from %s to %s on graceful restart" % (old, new) in log, log[-3000:]
    # The old MPMs' children finish and go; their libraries are unloaded.
    assert wait_until(lambda: mpms_of_processes(s) == ["prefork"], 15), status_json(s)["processes"]
    assert wait_until(lambda: all(serves_alone(p) for p in s.children()), 5), \
        [(p, thread_names(p)) for p in s.children()]
    assert wait_until(lambda: "mpm_event_module: the last child of the previous MPM has exited" in s.error_log(), 10)
    assert "mpm_worker_module: the last child of the previous MPM has exited" in s.error_log()
    doc = status_json(s)
    assert doc["server"]["mpm"] == "prefork", doc["server"]
    assert "mpm_prefork_module (shared) [MPM]" in s.run("-M").stdout


def test_changes_leak_nothing_in_the_master(make_server):
    s = start(make_server, "prefork")
    cycle = ["worker", "event", "prefork"]
    # A first round loads every library and fills the allocator's caches.
    for mpm in cycle:
        wait_configured(s, change_to(s, mpm))
    settled = lambda: len(re.findall(r"the last child of the previous MPM has exited", s.error_log()))  # noqa: E731
    assert wait_until(lambda: settled() == 3, 15), s.error_log()[-2000:]
    fds = fd_count(s.pid)
    rss = int(proc_status(s.pid)["VmRSS"][0])
    for i in range(20):
        wait_configured(s, change_to(s, cycle[i % 3]))
        assert status_of(s.raw(b"GET /index.html HTTP/1.0\r\n\r\n")) == 200
    wait_configured(s, change_to(s, "prefork"))  # 21 changes: back to prefork
    assert wait_until(lambda: settled() == 3 + 21, 20), settled()
    assert wait_until(lambda: fd_count(s.pid) == fds, 5), (fds, fd_count(s.pid))
    grown = int(proc_status(s.pid)["VmRSS"][0]) - rss
    print("master: %d descriptors, RSS %d KiB, %+d KiB after 21 MPM changes" % (fds, rss, grown))
    if not server_sanitizers():  # their allocators and interceptors keep memory a while
        assert grown < 512, "the master grew by %d KiB over 21 MPM changes" % grown
    assert children_of(s.pid, zombies=True) == [] and all(serves_alone(p) for p in s.children())


def test_hard_restart_to_another_mpm_ends_the_old_children_at_once(make_server):
    s = start(make_server, "prefork")
    old = set(s.children())
    c = s.connect(timeout=10)
    c.sendall(b"GET /sleep?ms=4000&flush=1 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert b"pid=" in c.recv(4096)
    began = time.monotonic()
    wait_configured(s, change_to(s, "worker", "restart"))
    rest = b""
    try:
        while True:
            chunk = c.recv(4096)
            if not chunk:
                break
            rest += chunk
    except OSError:
        pass
    assert time.monotonic() - began < 3 and b"slept" not in rest
    assert wait_until(lambda: not (old & set(s.children())), 5), (old, s.children())
    assert "MPM changed from prefork to worker on hard restart" in s.error_log()
    assert wait_until(lambda: mpms_of_processes(s) == ["worker"], 5)
    assert s.get("/index.html")[0] == 200


def test_both_mpms_show_in_mod_status_while_the_old_one_finishes(make_server):
    s = start(make_server, "prefork")
    c = s.connect(timeout=10)
    c.sendall(b"GET /sleep?ms=2500&flush=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert b"pid=" in c.recv(4096)
    wait_configured(s, change_to(s, "worker"))
    doc = status_json(s)
    shapes = {(p["mpm"], p["threads"]) for p in doc["processes"]}
    assert ("prefork", 1) in shapes and ("worker", 8) in shapes, doc["processes"]
    assert doc["server"]["mpm"] == "worker"
    rest = b""
    while True:
        chunk = c.recv(4096)
        if not chunk:
            break
        rest += chunk
    assert b"slept 2500 ms" in rest
    assert wait_until(lambda: mpms_of_processes(s) == ["worker"], 10), status_json(s)["processes"]


@pytest.mark.parametrize("breakage", ["not thread-safe", "broken library"])
def test_a_refused_change_leaves_the_server_serving(make_server, breakage):
    modules = MODULES + (("unsafe_module",) if breakage == "not thread-safe" else ())
    s = start(make_server, "prefork", modules=modules)
    if breakage == "broken library":
        (s.root / "modules" / "mod_mpm_worker.so").unlink()
        (s.root / "modules" / "mod_mpm_worker.so").write_text("not a shared object\n")
    kids = set(s.children())
    clients = KeepAliveClients(s.port, 8)
    time.sleep(0.3)
    conf = s.conf.read_text()
    s.conf.write_text(conf.replace(mpm_line("prefork"), mpm_line("worker")))
    r = s.run("-k", "graceful")
    # -k checks the configuration first, as Apache's does, and says why.
    assert r.returncode != 0
    expected = "not thread-safe" if breakage == "not thread-safe" else "Cannot load"
    assert expected in r.stderr, r.stderr
    # The running server was not touched; a signal sent by hand is refused
    # by the master too, with the reason in the error log.
    s.signal(signal.SIGUSR1)
    assert wait_until(lambda: "AH00526" in s.error_log(), 5), s.error_log()[-2000:]
    assert expected in s.error_log()
    time.sleep(0.5)
    clients.stop()
    assert clients.failures == [] and clients.ok > 20, (clients.failures[:5], clients.ok)
    assert kids <= set(s.children()) or wait_until(lambda: mpms_of_processes(s) == ["prefork"], 1)
    assert status_json(s)["server"]["mpm"] == "prefork"


def test_a_new_mpm_that_needs_a_bigger_scoreboard_is_refused_with_the_directive(make_server):
    s = start(make_server, "prefork")
    conf = s.conf.read_text().replace(mpm_line("prefork"), mpm_line("worker"))
    s.conf.write_text(conf.replace("ServerLimit 4\n</IfModule>\n<IfModule mpm_event_module>",
                                   "ServerLimit 4\nThreadLimit 200\nThreadsPerChild 200\n</IfModule>\n"
                                   "<IfModule mpm_event_module>"))
    s.signal(signal.SIGUSR1)
    assert wait_until(lambda: "AH00526" in s.error_log(), 5), s.error_log()[-2000:]
    assert "ThreadLimit of 200 needs more room than the scoreboard made at start has" in s.error_log()
    assert "a full stop and start is needed" in s.error_log()
    assert s.get("/index.html")[0] == 200 and status_json(s)["server"]["mpm"] == "prefork"
