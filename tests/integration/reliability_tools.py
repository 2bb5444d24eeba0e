"""Helpers shared by the reliability tests (test_slowhttptest.py,
test_slow_clients.py, test_faults.py, test_reliability.py): /proc readers
beyond harness's, a latency probe that keeps measuring while the server is
under attack, a load generator that knows which TCP connection each failure
was on, and the Debian tools the tests drive."""
import http.client
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from harness import proc_status


def percentile(values, p):
    """The p-th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


# ---- /proc -----------------------------------------------------------------------

def rss_kib(pid):
    return int(proc_status(pid)["VmRSS"][0])


def socket_inodes(pid):
    """The inodes of the sockets a process holds."""
    out = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith("socket:["):
                out.add(int(target[8:-1]))
    except OSError:
        pass
    return out


TCP_ESTABLISHED, TCP_LISTEN = "01", "0A"


def tcp_sockets():
    """Every TCP socket of this network namespace:
    [(local_port, remote_port, state, inode)]."""
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            f = line.split()
            out.append((int(f[1].rsplit(":", 1)[1], 16), int(f[2].rsplit(":", 1)[1], 16), f[3], int(f[9])))
    return out


def server_side(port, state=TCP_ESTABLISHED):
    """Server-side sockets of connections to `port` in `state` (an accepted
    connection, or one waiting in the accept queue)."""
    return [s for s in tcp_sockets() if s[0] == port and s[2] == state and s[1] != 0]


def client_ports_held_by(pid, port):
    """The client ports of the connections to `port` process `pid` holds."""
    inodes = socket_inodes(pid)
    return {s[1] for s in tcp_sockets() if s[0] == port and s[3] in inodes and s[2] != TCP_LISTEN}


def no_sanitizer_segv(server):
    """A sanitizer build would turn a SIGSEGV into a report and an exit code;
    the crash tests want the plain signal."""
    env = server.env()
    server.env = lambda: {**env, "ASAN_OPTIONS": env["ASAN_OPTIONS"] + ":handle_segv=0:handle_abort=0",
                          "TSAN_OPTIONS": env["TSAN_OPTIONS"] + ":handle_segv=0:handle_abort=0",
                          "UBSAN_OPTIONS": env["UBSAN_OPTIONS"] + ":handle_segv=0:handle_abort=0"}
    return server


# ---- tools from Debian -----------------------------------------------------------

def need_tool(program, package=None):
    """The path of a Debian tool, installed with apt-get when missing (as
    scripts/deps.sh test does); skips, saying why, when that is impossible."""
    path = shutil.which(program)
    if path:
        return path
    package = package or program
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        r = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
                           capture_output=True, text=True, timeout=300, env=env)
        if r.returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300, env=env)
            r = subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package],
                               capture_output=True, text=True, timeout=300, env=env)
        path = shutil.which(program)
        if path:
            return path
        pytest.skip("%s is not installed and `apt-get install %s` failed: %s"
                    % (program, package, (r.stderr or r.stdout).strip()[-300:]))
    pytest.skip("%s is not installed (scripts/deps.sh test installs it; needs root)" % program)


# ---- a normal client, measured while something else goes on ----------------------

class Probe:
    """Starts a fresh GET every `interval` seconds, each in its own thread
    with its own `timeout`, so that one stuck request does not stop the
    measurement. results: [(start offset s, latency s or None, status or
    error text)]."""

    def __init__(self, port, path="/index.html", interval=0.25, timeout=5.0):
        self.port, self.path, self.interval, self.timeout = port, path, interval, timeout
        self.results = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.t0 = time.monotonic()
        self.threads = []
        self.driver = threading.Thread(target=self._drive, daemon=True)
        self.driver.start()

    def _one(self, offset):
        start = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                c.request("GET", self.path, headers={"Connection": "close"})
                r = c.getresponse()
                r.read()
                outcome = (offset, time.monotonic() - start, r.status)
            finally:
                c.close()
        except Exception as e:  # noqa: BLE001 - a failure is a result here
            outcome = (offset, None, type(e).__name__)
        with self.lock:
            self.results.append(outcome)

    def _drive(self):
        while not self.stopping.is_set():
            t = threading.Thread(target=self._one, args=(time.monotonic() - self.t0,), daemon=True)
            t.start()
            self.threads.append(t)
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.driver.join()
        for t in self.threads:
            t.join(self.timeout + 5)
        return sorted(self.results)

    @staticmethod
    def ok(results):
        return [lat for _, lat, status in results if status == 200]

    @staticmethod
    def failed(results):
        return [(off, status) for off, lat, status in results if status != 200]

    @staticmethod
    def summary(results):
        ok = Probe.ok(results)
        text = "%d probes, %d ok" % (len(results), len(ok))
        if ok:
            text += ", p50 %.3f s, p99 %.3f s, max %.3f s" % (percentile(ok, 50), percentile(ok, 99), max(ok))
        bad = Probe.failed(results)
        if bad:
            text += ", failed at %s" % ", ".join("%.1fs:%s" % b for b in bad[:12])
        return text


class Sampler:
    """Samples fn() every `interval` seconds in a thread: [(offset, value)]."""

    def __init__(self, fn, interval=0.25):
        self.fn, self.interval = fn, interval
        self.samples = []
        self.stopping = threading.Event()
        self.t0 = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stopping.is_set():
            try:
                self.samples.append((time.monotonic() - self.t0, self.fn()))
            except Exception:  # noqa: BLE001 - /proc races: skip a sample
                pass
            self.stopping.wait(self.interval)

    def stop(self):
        self.stopping.set()
        self.thread.join()
        return self.samples


# ---- load that knows its connections ----------------------------------------------

class Load:
    """`threads` clients sending GET `path` for `seconds`, half on kept-alive
    connections, half one connection per request. Every request is counted;
    a failure is recorded with the client port of the connection it was on,
    so that a test can tell failures on a killed process's connections from
    any other. A kept-alive connection the server closed between requests
    (an empty read before any byte of the answer) is a failure too: here
    nothing is retried."""

    def __init__(self, port, threads=8, seconds=6.0, path="/sleep?ms=20"):
        self.port, self.path = port, path
        self.ok = 0
        self.failures = []  # (client port, error)
        self.pids = {}      # server pid -> requests it answered
        self.lock = threading.Lock()
        self.until = time.monotonic() + seconds
        self.threads = [threading.Thread(target=self._worker, args=(i % 2 == 0,), daemon=True)
                        for i in range(threads)]
        for t in self.threads:
            t.start()

    def _worker(self, keep_alive):
        conn = None
        port = None
        while time.monotonic() < self.until:
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    conn.connect()
                    port = conn.sock.getsockname()[1]
                conn.request("GET", self.path, headers={} if keep_alive else {"Connection": "close"})
                r = conn.getresponse()
                r.read()
                with self.lock:
                    if r.status == 200:
                        self.ok += 1
                        pid = int(r.getheader("X-Pid", "0"))
                        self.pids[pid] = self.pids.get(pid, 0) + 1
                    else:
                        self.failures.append((port, "status %d" % r.status))
                if not keep_alive or r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception as e:  # noqa: BLE001 - every failure is counted
                with self.lock:
                    self.failures.append((port, type(e).__name__))
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def join(self):
        for t in self.threads:
            t.join(30)
        return self
