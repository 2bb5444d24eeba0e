"""mpm_prefork: the pool, its maintenance, restarts, stops and warnings.

Slow responses come from the test module mod_sleep (SetHandler sleep,
?ms=N, &flush=1 sends "pid=N" first). Every test is bounded in time.
"""
import http.client
import os
import re
import resource
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness import PidTrackingRequest, children_of, handler_locations, proc_status, settled, wait_until

SLEEP = handler_locations("sleep")


def config(**settings):
    return SLEEP + "".join("%s %s\n" % kv for kv in settings.items())


@pytest.fixture
def prefork(make_server):
    def start(crashes=False, **settings):
        s = make_server(start=False, mpm="prefork", modules=("sleep_module",), config=config(**settings))
        if crashes:
            # A sanitizer build would turn a SIGSEGV into a report and an exit code.
            env = s.env()
            s.env = lambda: {**env, "ASAN_OPTIONS": env["ASAN_OPTIONS"] + ":handle_segv=0",
                             "TSAN_OPTIONS": env["TSAN_OPTIONS"] + ":handle_segv=0"}
        return s.start()
    return start


def wait_children(server, predicate, timeout):
    """The first list of the master's children (one look) that satisfies
    predicate, or None after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        children = server.children()
        if predicate(children):
            return children
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def get(server, path, timeout=10):
    status, headers, body = server.request("GET", path, timeout=timeout)
    return status, headers, body


def scoreboard(server):
    status, _, body = get(server, "/sleep?sb=1")
    assert status == 200
    return dict(kv.split("=") for kv in body.decode().split())


def context_switches(pid):
    """Voluntary and involuntary, summed; 0 once the process is gone."""
    return sum(int(words[0]) for key, words in proc_status(pid).items() if key.endswith("ctxt_switches"))


class SlowRequest(PidTrackingRequest):
    """GET /sleep?ms=N&flush=1, given time enough for the sleep."""

    def __init__(self, server, ms):
        super().__init__(server.port, "/sleep?ms=%d&flush=1" % ms, timeout=ms / 1000 + 10)

    def complete(self):
        # The chunked body ends with its last-chunk after "slept N ms".
        return b"slept" in self.data and self.data.endswith(b"0\r\n\r\n")


class Load:
    """Threads sending GET /sleep?ms=0, half on kept-alive connections, half
    one connection per request. A request that fails on a reused connection
    before any byte of its answer is retried once on a new one, as HTTP
    clients do (the server may close an idle kept-alive connection); any other
    failure counts."""

    def __init__(self, server, threads=8, seconds=5.0, path="/sleep?ms=0"):
        self.server, self.path = server, path
        self.ok = self.failed = self.retried = 0
        self.errors = []
        self.lock = threading.Lock()
        self.until = time.time() + seconds
        self.threads = [threading.Thread(target=self.worker, args=(i % 2 == 0,), daemon=True)
                        for i in range(threads)]
        for t in self.threads:
            t.start()

    def one(self, conn, keep_alive):
        conn.request("GET", self.path, headers={} if keep_alive else {"Connection": "close"})
        r = conn.getresponse()
        r.read()
        return r.status

    def worker(self, keep_alive):
        conn, reused = None, False
        while time.time() < self.until:
            if conn is None:
                conn, reused = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10), False
            try:
                status = self.one(conn, keep_alive)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as e:
                conn.close()
                conn = None
                if reused:
                    with self.lock:
                        self.retried += 1
                    continue
                self.count(None, e)
                continue
            except Exception as e:  # noqa: BLE001 - any other failure counts
                conn.close()
                conn = None
                self.count(None, e)
                continue
            self.count(status, None)
            if keep_alive:
                reused = True
            else:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()

    def count(self, status, error):
        with self.lock:
            if status == 200:
                self.ok += 1
            else:
                self.failed += 1
                self.errors.append(error or status)

    def join(self):
        for t in self.threads:
            t.join(30)


# ---- the pool ---------------------------------------------------------------

def test_start_servers_children(prefork):
    s = prefork(StartServers=3, MinSpareServers=1, MaxSpareServers=5)
    assert wait_until(lambda: len(s.children()) == 3, 3)
    time.sleep(1.5)  # a maintenance tick or two: nothing to add or retire
    assert len(s.children()) == 3
    assert scoreboard(s)["generation"] == "0"


def test_pool_grows_to_max_request_workers_and_shrinks(prefork):
    s = prefork(StartServers=2, MinSpareServers=2, MaxSpareServers=3, MaxRequestWorkers=8)
    with ThreadPoolExecutor(12) as pool:
        futures = [pool.submit(get, s, "/sleep?ms=4000", 30) for _ in range(12)]
        most = 0
        deadline = time.time() + 6
        while time.time() < deadline and most < 8:
            most = max(most, len(s.children()))
            time.sleep(0.05)
        assert most == 8, "the pool grew to %d children only" % most
        while not all(f.done() for f in futures):
            assert len(s.children()) <= 8
            time.sleep(0.1)
        assert [f.result()[0] for f in futures] == [200] * 12
    # Idle: one child retired a tick down to MaxSpareServers.
    assert wait_until(lambda: len(s.children()) <= 3, 9), s.children()
    time.sleep(1.2)
    assert len(s.children()) == 3
    assert "AH00162" not in s.error_log()  # info only at spawn rate 8 and more: not reached here


def test_spawn_rate_doubles_while_short(prefork):
    # Apache's maintenance alone: with the front, the heads that wait get
    # their children at once (test_prefork_front.py).
    s = prefork(StartServers=1, MinSpareServers=1, MaxSpareServers=20, MaxRequestWorkers=20, PreforkFront="Off")
    with ThreadPoolExecutor(16) as pool:
        futures = [pool.submit(get, s, "/sleep?ms=5000", 30) for _ in range(16)]
        # Ticks fork 1, 2, 4, then 8 children: the fourth says so (info).
        assert wait_until(lambda: "AH00162" in s.error_log(), 6.5)
        assert len(s.children()) <= 20
        assert [f.result()[0] for f in futures] == [200] * 16
    line = next(l for l in s.error_log().splitlines() if "AH00162" in l)
    assert ("[mpm_prefork:info]" in line and "AH00162: server seems busy, (you may need to increase StartServers, "
            "or Min/MaxSpareServers), spawning 8 children, there are 0 idle, and 8 total children") in line


def test_saturation_episodes_logged_once_a_minute_and_counted(prefork):
    s = prefork(StartServers=2, MinSpareServers=1, MaxSpareServers=2, MaxRequestWorkers=2, ServerLimit=4)
    for _ in range(2):
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(get, s, "/sleep?ms=2500", 20) for _ in range(2)]
            assert [f.result()[0] for f in futures] == [200, 200]
        time.sleep(1.5)  # a tick sees idle children: the episode is over
    lines = [l for l in s.error_log().splitlines() if "AH00161" in l]
    assert len(lines) == 1, lines  # the second episode falls in the same minute
    assert "[mpm_prefork:error]" in lines[0]
    assert "server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting" in lines[0]
    assert "episode 1 since start" in lines[0]
    assert scoreboard(s)["episodes"] == "2"


def test_killed_busy_child_loses_only_its_connection(prefork):
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    s = prefork(crashes=True, StartServers=3, MinSpareServers=3, MaxSpareServers=5, MaxRequestWorkers=10)
    slow = SlowRequest(s, 5000)
    assert slow.pid_known.wait(5) and slow.pid in s.children()
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(get, s, "/sleep?ms=50") for _ in range(40)]
        time.sleep(0.2)
        os.kill(slow.pid, signal.SIGKILL)
        assert [f.result()[0] for f in futures] == [200] * 40
    slow.join(5)
    assert not slow.complete()
    assert wait_children(s, lambda c: slow.pid not in c and len(c) >= 3, 4)

    idle = s.children()[0]
    os.kill(idle, signal.SIGSEGV)
    # Refilled by maintenance up to MinSpareServers idle children.
    assert wait_children(s, lambda c: idle not in c and len(c) >= 3, 4)
    # A zombie is no longer listed; the master logs once it has reaped it.
    segv = "AH00052: child pid %d exit signal Segmentation fault (11)" % idle
    assert wait_until(lambda: segv in s.error_log(), 5), s.error_log()
    log = s.error_log()
    assert "[mpm_prefork:notice]" in log
    assert "AH00052: child pid %d exit signal Killed (9)" % slow.pid in log
    assert get(s, "/sleep?ms=0")[0] == 200


def test_max_connections_per_child_recycles(prefork):
    s = prefork(StartServers=1, MinSpareServers=1, MaxSpareServers=2, MaxRequestWorkers=4, MaxConnectionsPerChild=3)
    pids = []
    for _ in range(9):
        status, headers, _ = get(s, "/sleep?ms=0")
        assert status == 200
        pids.append(int(headers["x-pid"]))
    assert len(set(pids)) >= 3
    assert all(pids.count(p) <= 3 for p in pids), pids
    # A connection counts once, whatever it carries.
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    served_by = set()
    for _ in range(5):
        c.request("GET", "/sleep?ms=0")
        r = c.getresponse()
        r.read()
        served_by.add(r.getheader("X-Pid"))
    c.close()
    assert len(served_by) == 1


# ---- restarts and stops -------------------------------------------------------

def test_graceful_restart_under_load_fails_no_request(prefork):
    s = prefork(StartServers=4, MinSpareServers=2, MaxSpareServers=8, MaxRequestWorkers=32)
    assert wait_until(lambda: len(s.children()) == 4, 3)
    old = set(s.children())
    load = Load(s, threads=8, seconds=5)
    slow = SlowRequest(s, 2000)  # in flight across the first restart
    assert slow.pid_known.wait(5)
    time.sleep(1.0)
    s.signal(signal.SIGUSR1)
    time.sleep(1.5)
    s.signal(signal.SIGUSR1)
    load.join()
    slow.join(5)
    assert slow.complete(), slow.data
    assert load.failed == 0, load.errors[:5]
    assert load.ok > 1000, load.ok
    assert wait_until(lambda: not old & set(s.children()), 5), "old children still there"
    assert scoreboard(s)["generation"] == "2"
    log = s.error_log()
    assert log.count("AH00171: Graceful restart requested") == 2
    assert "exit signal" not in log


def test_graceful_restart_closes_idle_keep_alive_promptly(prefork):
    s = prefork(StartServers=2, MinSpareServers=1, MaxSpareServers=3, KeepAliveTimeout=30)
    c = s.connect()
    c.sendall(b"GET /sleep?ms=0 HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = c.recv(65536)
    assert answer.startswith(b"HTTP/1.1 200")
    pid = int(re.search(rb"X-Pid: (\d+)", answer).group(1))
    s.signal(signal.SIGUSR1)
    started = time.time()
    c.settimeout(5)
    assert c.recv(65536) == b""  # closed between requests, not after KeepAliveTimeout
    assert time.time() - started < 1
    c.close()
    assert wait_until(lambda: pid not in s.children(), 1)


def test_hard_restart_ends_children_promptly(prefork):
    s = prefork(StartServers=3, MinSpareServers=1, MaxSpareServers=5)
    slow = SlowRequest(s, 10000)
    assert slow.pid_known.wait(5)
    old = set(s.children())
    s.signal(signal.SIGHUP)
    assert wait_until(lambda: not old & set(s.children()), 2), "old children outlived a hard restart"
    slow.join(3)
    assert not slow.is_alive() and not slow.complete()
    assert wait_until(lambda: len(s.children()) == 3, 3)
    assert scoreboard(s)["generation"] == "1"
    assert "AH00046" not in s.error_log()  # SIGTERM was enough: no SIGKILL


def test_graceful_stop_lets_in_flight_request_finish(prefork):
    s = prefork(StartServers=3, MinSpareServers=1, MaxSpareServers=5)
    slow = SlowRequest(s, 2000)
    assert slow.pid_known.wait(5)
    s.signal(signal.SIGWINCH)
    # Idle children leave at once; the busy one finishes its request.
    assert wait_until(lambda: s.children() == [slow.pid], 1.5), s.children()
    slow.join(5)
    assert slow.complete(), slow.data
    assert s.proc.wait(5) == 0
    assert "AH00170: caught SIGWINCH, shutting down gracefully" in s.error_log()


def test_graceful_stop_timeout_ends_the_rest(prefork):
    s = prefork(StartServers=2, MinSpareServers=1, MaxSpareServers=5, GracefulShutdownTimeout=1)
    slow = SlowRequest(s, 8000)
    assert slow.pid_known.wait(5)
    started = time.time()
    s.signal(signal.SIGWINCH)
    assert s.proc.wait(5) == 0
    assert 0.8 < time.time() - started < 3
    slow.join(3)
    assert not slow.complete()
    assert not proc_status(slow.pid)
    assert "GracefulShutdownTimeout reached" in s.error_log()


def test_stop_now_ends_children(prefork):
    s = prefork(StartServers=3, MinSpareServers=1, MaxSpareServers=5)
    slow = SlowRequest(s, 10000)
    assert slow.pid_known.wait(5)
    children = s.children()
    started = time.time()
    assert s.stop() == 0
    assert time.time() - started < 2
    assert not [p for p in children if proc_status(p)]


def test_broken_config_on_graceful_restart_keeps_serving(prefork):
    s = prefork(StartServers=2, MinSpareServers=1, MaxSpareServers=3)
    assert wait_until(lambda: len(s.children()) == 2, 3)
    before = s.children()
    good = s.conf.read_text()
    s.conf.write_text(good + "NoSuchDirective 1\n")
    s.signal(signal.SIGUSR1)
    assert wait_until(lambda: "AH00526" in s.error_log(), 3)
    assert "NoSuchDirective" in s.error_log()
    time.sleep(1.2)
    assert s.children() == before
    assert get(s, "/sleep?ms=0")[0] == 200
    assert scoreboard(s)["generation"] == "0"
    # Fixed, the next graceful restart goes through.
    s.conf.write_text(good)
    s.signal(signal.SIGUSR1)
    assert wait_until(lambda: scoreboard(s)["generation"] == "1", 3)


def test_no_fd_or_zombie_leaks(prefork):
    s = prefork(StartServers=1, MinSpareServers=1, MaxSpareServers=2, MaxRequestWorkers=1)
    assert get(s, "/sleep?ms=0")[0] == 200
    child = s.children()[0]
    # The answered connection may still be in its lingering close.
    fds_child = settled(lambda: len(os.listdir("/proc/%d/fd" % child)))
    fds_master = len(os.listdir("/proc/%d/fd" % s.pid))
    request = b"GET /sleep?ms=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    for _ in range(2000):
        assert s.raw(request).startswith(b"HTTP/1.1 200")
    keep = b"GET /sleep?ms=0 HTTP/1.1\r\nHost: x\r\n\r\n" * 4 + request
    for _ in range(100):
        assert s.raw(keep).count(b"HTTP/1.1 200") == 5
    assert s.children() == [child]
    assert settled(lambda: len(os.listdir("/proc/%d/fd" % child))) == fds_child
    assert len(os.listdir("/proc/%d/fd" % s.pid)) == fds_master
    # Restarts and deaths leave no zombie and no descriptor behind in the
    # master. (The core keeps the previous generation's access log open for
    # one restart: count from after the first.)
    for i in range(3):
        before = s.children()
        s.signal(signal.SIGUSR1)
        now = wait_children(s, lambda c: len(c) == 1 and c != before, 3)
        assert now
        if i == 0:
            fds_master = len(os.listdir("/proc/%d/fd" % s.pid))
        victim = now[0]
        os.kill(victim, signal.SIGKILL)
        assert wait_children(s, lambda c: len(c) == 1 and victim not in c, 3)
    assert children_of(s.pid, zombies=True) == []
    assert len(os.listdir("/proc/%d/fd" % s.pid)) == fds_master


def test_one_idle_child_woken_per_connection(prefork):
    s = prefork(StartServers=8, MinSpareServers=1, MaxSpareServers=16, MaxRequestWorkers=16)
    assert wait_until(lambda: len(s.children()) == 8, 3)
    assert get(s, "/sleep?ms=0")[0] == 200  # every child is in its wait by now
    time.sleep(0.3)
    before = {p: context_switches(p) for p in s.children()}
    served = set()
    for _ in range(40):
        status, headers, _ = get(s, "/sleep?ms=0")
        assert status == 200
        served.add(int(headers["x-pid"]))
    bystanders = [p for p in before if p not in served]
    assert bystanders, "every child served: nothing to learn"
    woken = sum(context_switches(p) - before[p] for p in bystanders)
    # A herd would wake each bystander ~40 times.
    assert woken <= 2 * len(bystanders), woken


@pytest.mark.skipif(os.geteuid() != 0, reason="User applies only when started as root")
def test_child_fatal_error_stops_the_server(make_server):
    s = make_server(start=False, mpm="prefork", modules=(), config="StartServers 2\nUser no_such_user_here\n")
    s.start(wait=False)
    assert s.proc.wait(8) == 0  # no fork loop: the master gives up
    log = s.error_log()
    assert "AH02157: getpwnam: invalid user name no_such_user_here" in log
    assert re.search(r"\[mpm_prefork:alert\] .*AH00050: Child \d+ returned a Fatal error\.\.\. the server is exiting!", log)


# ---- configuration -------------------------------------------------------------

def test_config_warnings_under_t(make_server):
    s = make_server(start=False, mpm="prefork", modules=(), config=(
        "ServerLimit 200\nMaxRequestWorkers 300\nStartServers 0\nMinSpareServers 0\n"
        "MaxSpareServers 0\nMaxRequestsPerChild 10\n"))
    r = s.run("-t")
    assert r.returncode == 0, r.stderr
    err = r.stderr
    assert ("WARNING: MaxRequestWorkers of 300 exceeds ServerLimit value of 200 servers, decreasing "
            "MaxRequestWorkers to 200. To increase, please see the ServerLimit directive. "
            "To fix this, raise ServerLimit to 300") in err
    assert "WARNING: StartServers of 0 not allowed, increasing to 1." in err
    assert ("WARNING: MinSpareServers of 0 not allowed, increasing to 1 to avoid almost certain server "
            "failure. Please read the documentation.") in err
    assert "WARNING: MaxSpareServers of 0 is not above MinSpareServers of 1, increasing MaxSpareServers to 2." in err
    assert "WARNING: MaxRequestsPerChild is deprecated, use MaxConnectionsPerChild instead." in err
    assert "Syntax OK" in err


def test_config_limits_and_bad_values(make_server):
    s = make_server(start=False, mpm="prefork", modules=(), config="ServerLimit 300000\nMaxClients 250000\n")
    r = s.run("-t")
    assert r.returncode == 0, r.stderr
    assert "WARNING: ServerLimit of 300000 exceeds compile-time limit of 200000 servers, decreasing to 200000." in r.stderr
    assert "WARNING: MaxClients is deprecated, use MaxRequestWorkers instead." in r.stderr
    assert "To fix this, lower MaxRequestWorkers to 200000 or less" in r.stderr
    bad = make_server(start=False, mpm="prefork", modules=(), config="StartServers many\n")
    r = bad.run("-t")
    assert r.returncode != 0
    assert "StartServers must be a whole number, not 'many'" in r.stderr


def test_server_limit_cannot_change_on_restart(prefork):
    s = prefork(StartServers=2, MinSpareServers=1, MaxSpareServers=3, ServerLimit=10, MaxRequestWorkers=10)
    s.conf.write_text(s.conf.read_text().replace("ServerLimit 10", "ServerLimit 20")
                      .replace("MaxRequestWorkers 10", "MaxRequestWorkers 20"))
    s.signal(signal.SIGUSR1)
    assert wait_until(lambda: scoreboard(s)["generation"] == "1", 3)
    log = s.error_log()
    assert "AH00179: changing ServerLimit to 20 from original value of 10 not allowed during restart" in log
    assert "AH00181: MaxRequestWorkers of 20 exceeds ServerLimit value of 10, decreasing to match." in log
    assert "raise ServerLimit to 20" in log
