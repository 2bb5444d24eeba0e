"""Long-run hygiene and privilege separation, under each MPM.

Leaks: thousands of requests of every kind (static, 404, handler,
pipelined keep-alive, request bodies, malformed requests) and then ten
graceful and three hard restarts. Measured: descriptors of the master and
of each child, zombies, VmRSS of the same long-lived children after a
warm-up (until a round of 500 requests no longer moves it) and after
4000 more requests (bound: < 1 MiB growth), and the
master's VmRSS and descriptors across the restarts (it re-reads and
re-applies the whole configuration each time, reloads the modules, re-opens
the logs: a leak there would grow with every restart; bound < 1 MiB over
ten restarts, descriptors equal).

Privileges: started as root with User nobody / Group nogroup, every
child process and thread runs as 65534/65534 with no other group; the
master never handles a request (no answer ever comes from its pid, it
holds no connection, and request bytes never pass through its read(2)s);
PidFile is created 0644 and the logs 0640 (umask 022), owned by root; a
file in the DocumentRoot only root may read is a 403 for the children.
"""
import os
import re
import signal
import socket
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from harness import (Server, children_of, fd_count, handler_locations, parse_responses, proc_status,
                     server_sanitizers, status_of, wait_until)
from reliability_tools import TCP_LISTEN, rss_kib, socket_inodes, tcp_sockets

MPMS = ["prefork", "worker", "event"]
LOCATIONS = handler_locations("sleep", "echo")
POOLS = {
    # Fixed pools: the same children serve everything between restarts.
    "prefork": "StartServers 2\nMinSpareServers 1\nMaxSpareServers 2\nMaxRequestWorkers 2\nServerLimit 2\n",
    "worker": "StartServers 1\nThreadsPerChild 8\nMinSpareThreads 1\nMaxSpareThreads 16\n"
              "MaxRequestWorkers 8\nServerLimit 2\n",
}
POOLS["event"] = POOLS["worker"]  # the same processes and threads
PROCESSES = {"prefork": 2, "worker": 1}
PROCESSES["event"] = PROCESSES["worker"]  # the same processes and threads
# A plain build's children move by under 100 KiB over 4000 requests.
# AddressSanitizer holds freed memory in its quarantine (up to 256 MiB)
# before reusing it, so there RSS also grows by what requests allocate and
# free: about 1.1 MiB over 4000 requests for event.
LEAK_BOUND_KIB = 4096 if "address" in (server_sanitizers() or "") else 1024

REQUESTS = [
    b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /sleep?ms=0 HTTP/1.0\r\n\r\n",
    b"HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=100-200\r\nConnection: close\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n" * 4 + b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"GET /bad\x01path HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
]
EXPECTED = [200, 404, 200, 200, 206, 200, 200, 200, 400, 400]


def raw(port, data):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    return b"".join(chunks)


def hammer(port, n, threads=2):
    """n requests of every kind, from `threads` clients (no more than the
    pool: no process comes or goes). Returns the number of wrong answers."""
    bad = []

    def run(t):
        for i in range(t, n, threads):
            k = i % len(REQUESTS)
            got = raw(port, REQUESTS[k])
            if status_of(got) != EXPECTED[k] or (k == 7 and len(parse_responses(got)) != 5):
                bad.append((k, got[:100]))

    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(300)
    return bad


def snapshot(pids):
    return {p: (rss_kib(p), fd_count(p)) for p in pids}


def start(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "sleep_module", "echo_module"),
                    config=POOLS[mpm] + LOCATIONS + "KeepAliveTimeout 2\n", log_level="warn")
    s.write("index.html", "<html>index</html>\n")
    s.write("big.bin", os.urandom(256 << 10))
    # Under AddressSanitizer freed memory waits in a quarantine (256 MiB)
    # before reuse, which grows RSS without a leak: no quarantine here.
    env = s.env()
    s.env = lambda: {**env, "ASAN_OPTIONS": env["ASAN_OPTIONS"] + ":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"}
    s.start()
    assert wait_until(lambda: len(s.children()) == PROCESSES[mpm], 10), s.children()
    return s


def restart(s, mpm, sig):
    before = set(s.children())
    s.signal(sig)
    # A new generation, none of the old children. prefork starts the rest of
    # StartServers once the old ones have left their slots (ServerLimit 2),
    # a tick later; one idle child already meets MinSpareServers 1.
    assert wait_until(lambda: 1 <= len(s.children()) <= PROCESSES[mpm] and not (set(s.children()) & before), 10), \
        (before, s.children())


@pytest.mark.parametrize("mpm", MPMS)
def test_no_leak_of_memory_descriptors_or_zombies_over_requests_and_restarts(make_server, mpm):
    s = start(make_server, mpm)
    # Warm-up: every path taken, caches and allocator pools filled, until a
    # round of 500 requests no longer moves any child's RSS (one round in a
    # plain build; AddressSanitizer's allocator takes a few more).
    assert not hammer(s.port, 1000)
    kids = s.children()
    previous = snapshot(kids)
    for _ in range(8):
        assert not hammer(s.port, 500)
        time.sleep(0.3)
        current = snapshot(kids)
        if all(current[p][0] - previous[p][0] < 64 for p in kids):
            break
        previous = current
    warm = snapshot(kids + [s.pid])
    assert not hammer(s.port, 4000)
    time.sleep(0.5)  # the last connections close
    assert s.children() == kids, "the pool changed: the comparison would mean nothing"
    after = snapshot(kids + [s.pid])
    print("after warm-up (RSS KiB, fds): %s; after 4000 more: %s" % (warm, after))
    for p in kids + [s.pid]:
        assert after[p][1] == warm[p][1], (p, warm[p], after[p])
        assert after[p][0] - warm[p][0] < LEAK_BOUND_KIB, (p, warm[p], after[p])

    # Restarts. The core keeps the previous generation's configuration (and
    # its access log) for one more restart: count from the second on.
    master = []
    child_rss = []
    for i in range(10):
        restart(s, mpm, signal.SIGUSR1)
        assert not hammer(s.port, 200)
        time.sleep(0.3)
        master.append((rss_kib(s.pid), fd_count(s.pid)))
        child_rss.append(max(rss_kib(p) for p in s.children()))
    for i in range(3):
        restart(s, mpm, signal.SIGHUP)
        assert not hammer(s.port, 200)
        time.sleep(0.3)
        master.append((rss_kib(s.pid), fd_count(s.pid)))
    print("master (RSS KiB, fds) after each restart: %s; largest child RSS per generation: %s"
          % (master, child_rss))
    assert all(fds == master[1][1] for _, fds in master[1:]), master
    assert max(rss for rss, _ in master[1:]) - master[1][0] < LEAK_BOUND_KIB, master
    assert max(child_rss[1:]) - child_rss[1] < LEAK_BOUND_KIB, child_rss
    assert children_of(s.pid, zombies=True) == []
    assert s.error_log().count("AH00052") == 0


# ---- privileges -----------------------------------------------------------------------------

def ids(pid):
    st = proc_status(pid)
    return st["Uid"], st["Gid"], st.get("Groups", [])


@pytest.mark.skipif(os.geteuid() != 0, reason="User/Group apply only when started as root; run the suite as root")
@pytest.mark.parametrize("mpm", MPMS)
def test_children_run_unprivileged_and_the_master_never_serves(mpm):
    # A root every user can walk into (pytest's own tmp dir is 0700).
    root = Path(tempfile.mkdtemp(prefix="mh-priv-", dir="/tmp"))
    os.chmod(root, 0o755)
    old_umask = os.umask(0o022)
    s = Server(root, mpm=mpm, modules=("static_module", "sleep_module"),
               config=POOLS[mpm] + handler_locations("sleep") + "User nobody\nGroup nogroup\n")
    try:
        for d in ("htdocs", "etc", "modules"):
            os.chmod(root / d, 0o755)
        s.write("public.html", "<html>public</html>\n", mode=0o644)
        s.write("secret.html", "<html>root only</html>\n", mode=0o600)
        s.write("big.bin", os.urandom(64 << 10), mode=0o644)
        s.start()
        assert wait_until(lambda: len(s.children()) == PROCESSES[mpm], 10), s.children()
        kids = s.children()

        # Every child, and every thread of it, is nobody/nogroup, no other
        # group: at once, or a moment after its fork (before its setuid it
        # has accepted nothing).
        def dropped(pid):
            try:
                return all((t / "status").read_text().split("Uid:")[1].split()[0] != "0"
                           for t in Path("/proc/%d/task" % pid).iterdir())
            except (OSError, IndexError):
                return True  # gone
        for pid in kids:
            wait_until(lambda: dropped(pid), 5)
        for pid in kids:
            for task in Path("/proc/%d/task" % pid).iterdir():
                st = {l.split(":")[0]: l.split()[1:] for l in (task / "status").read_text().splitlines()}
                assert st["Uid"] == ["65534"] * 4 and st["Gid"] == ["65534"] * 4, (pid, task.name, st["Uid"])
                assert st["Groups"] == ["65534"], (pid, task.name, st["Groups"])
        assert ids(s.pid)[0] == ["0"] * 4

        # The master handles no request: no answer comes from its pid...
        io_before = Path("/proc/%d/io" % s.pid).read_text()
        served = {}
        conns = [socket.create_connection(("127.0.0.1", s.port), timeout=10) for _ in range(PROCESSES[mpm])]
        for _ in range(100):
            status, headers, _ = s.request("GET", "/sleep?ms=0")
            assert status == 200
            served[int(headers["x-pid"])] = served.get(int(headers["x-pid"]), 0) + 1
            assert s.get("/big.bin")[0] == 200
        assert s.pid not in served and set(served) <= set(kids), (served, s.pid, kids)
        # ...it holds no connection, only its listening socket...
        for c in conns:
            c.sendall(b"GET /public.html HTTP/1.1\r\nHost: x\r\n\r\n")
            assert c.recv(65536).startswith(b"HTTP/1.1 200")  # kept alive, idle now
        mine = socket_inodes(s.pid)
        states = [t[2] for t in tcp_sockets() if t[3] in mine]
        assert states == [TCP_LISTEN], states
        for c in conns:
            c.close()
        # ...and the 6.4 MB of responses and the requests never went through
        # its read(2)/write(2): its byte counters moved by its log lines at most.
        io_after = Path("/proc/%d/io" % s.pid).read_text()
        moved = {k: int(re.search(r"^%s: (\d+)" % k, io_after, re.M).group(1)) -
                 int(re.search(r"^%s: (\d+)" % k, io_before, re.M).group(1)) for k in ("rchar", "wchar")}
        print("master pid %d, children %s, answers by pid %s, master I/O during 200 requests %s"
              % (s.pid, kids, served, moved))
        assert moved["rchar"] < 64 << 10 and moved["wchar"] < 64 << 10, moved

        # Files the master created, with their modes.
        for path, mode in ((root / "logs" / "modhttpd.pid", 0o644), (root / "logs" / "error_log", 0o640),
                           (root / "logs" / "access_log", 0o640)):
            st = path.stat()
            assert (st.st_mode & 0o777, st.st_uid) == (mode, 0), (path, oct(st.st_mode), st.st_uid)

        # Root's file is not the children's to read.
        assert s.get("/public.html")[0] == 200
        assert s.get("/secret.html")[0] == 403
        assert "AH00132: file permissions deny server access" in s.error_log()
    finally:
        os.umask(old_umask)
        s.stop()
        reports = s.sanitizer_reports()
        shutil.rmtree(root, ignore_errors=True)
    assert not reports, reports
