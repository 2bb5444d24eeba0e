"""What only mpm_event does, against the real binary: a connection that
waits (for its head, between requests, for the client to take a response)
holds no worker thread, only a socket and its buffers on the child's loop.

  - The default pool is Apache event's: 3 processes of 25 worker threads,
    each with its loop thread.
  - Idle keep-alive: 1,000 connections kept open after one request each,
    on one process of 2 worker threads. A normal client is served at once
    meanwhile (p99 under 0.5 s; measured a few ms), mod_status's ?auto
    counts them in ConnsAsyncKeepAlive, no worker is busy, and the server's
    RSS grows by under 8 KiB a connection (measured ~2.5 KiB: an idle
    connection keeps its socket and state, and frees its buffers).
  - Slow clients: 2,000 connections trickle their heads (a header byte a
    second) at the same 2 workers: a normal client is served within 2 s
    throughout (measured p99 a few ms) and every trickler is cut at the
    header timeout with a 408.

Restarts, stops, recycling and leaks are test_worker.py's, run against
event too; crashes and hostile input are in the shared suites."""
import base64
import json
import resource
import socket
import subprocess
import time

import pytest

from harness import handler_locations, server_sanitizers, wait_until
from reliability_tools import Probe, percentile, rss_kib
from test_worker import has_threads, threads_of

STATUS = handler_locations("server-status")
# One process of two worker threads: whatever waits beyond two requests
# waits on the loop or not at all.
SMALL = ("StartServers 1\nServerLimit 1\nThreadsPerChild 2\nMinSpareThreads 1\nMaxSpareThreads 2\n"
         "MaxRequestWorkers 2\n")


def event_server(make_server, config, **kw):
    s = make_server(start=False, mpm="event", modules=("static_module", "status_module"),
                    config=config + STATUS, log_level="warn", **kw)
    s.write("index.html", "<html>normal client</html>\n")
    s.start()
    return s


def room_for(n):
    """Raises this process's open files limit (the server inherits it) for
    n client sockets, the server's ends and some spare."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * n + 512
    if hard != resource.RLIM_INFINITY and hard < want:
        pytest.skip("the open files hard limit (%d) is below %d" % (hard, want))
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def server_rss_kib(s):
    return sum(rss_kib(p) for p in [s.pid] + s.children())


def auto_status(s):
    status, _, body = s.get("/server-status?auto")
    assert status == 200
    return dict(line.split(": ", 1) for line in body.decode().splitlines() if ": " in line)


def open_connections(port, n, first=b"", per_second=1000):
    """n connections, each sent `first`; paced so the backlog never fills."""
    socks = []
    began = time.monotonic()
    for i in range(n):
        c = socket.create_connection(("127.0.0.1", port), timeout=10)
        if first:
            c.sendall(first)
        socks.append(c)
        ahead = (i + 1) / per_second - (time.monotonic() - began)
        if ahead > 0:
            time.sleep(ahead)
    return socks


def test_default_pool_is_apache_events_3_processes_of_25_threads_and_a_loop(make_server):
    s = make_server(mpm="event", modules=())
    assert wait_until(lambda: len(s.children()) >= 3, 10), s.children()
    kids = s.children()
    assert len(kids) == 3
    for pid in kids:
        assert has_threads(pid, 25, "event"), threads_of(pid)


def test_idle_keep_alive_connections_wait_on_the_loop_not_in_workers(make_server):
    n = 1000
    room_for(n)
    s = event_server(make_server, SMALL + "KeepAliveTimeout 60\nMaxKeepAliveRequests 0\n")
    before = server_rss_kib(s)
    request = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
    socks = open_connections(s.port, n, request)
    try:
        for c in socks:  # each has had its response: it is idle now
            data = b""
            while b"normal client" not in data:
                chunk = c.recv(4096)
                assert chunk, data
                data += chunk
        assert wait_until(lambda: int(auto_status(s).get("ConnsAsyncKeepAlive", 0)) >= n, 5), auto_status(s)
        probe = Probe(s.port, interval=0.05, timeout=5)
        time.sleep(2)
        results = probe.stop()
        latencies = Probe.ok(results)
        assert not Probe.failed(results), Probe.summary(results)
        assert len(latencies) >= 20 and percentile(latencies, 99) < 0.5, Probe.summary(results)
        auto = auto_status(s)
        assert int(auto["BusyWorkers"]) <= 1, auto  # the status request's own
        rss = server_rss_kib(s)
        print("RSS before %d KiB, with %d idle connections %d KiB; %s" % (before, n, rss, Probe.summary(results)))
        if not server_sanitizers():  # their allocators keep freed memory a while
            assert rss - before < 8 * n, (before, rss)
        # Every connection is still usable.
        for c in socks[:50]:
            c.sendall(request)
            assert b"200 OK" in c.recv(4096)
    finally:
        for c in socks:
            c.close()


def test_thousands_of_slow_heads_cost_no_worker(make_server):
    n = 2000
    room_for(n)
    s = event_server(make_server, SMALL + "RequestReadTimeout header=6-10,MinRate=500\n")
    probe = Probe(s.port, interval=0.1, timeout=5)
    socks = open_connections(s.port, n, b"GET / HTTP/1.1\r\nHost: x\r\n", per_second=1000)
    began = time.monotonic()
    try:
        # A header byte a second from each, until the server cuts them.
        while time.monotonic() - began < 4:
            for c in socks:
                try:
                    c.send(b"X")
                except OSError:
                    pass
            time.sleep(1)
        results = probe.stop()
        latencies = Probe.ok(results)
        print("%d trickling connections; normal client: %s" % (n, Probe.summary(results)))
        assert not Probe.failed(results), Probe.summary(results)
        assert len(latencies) >= 40 and max(latencies) < 2.0, Probe.summary(results)
        # Then the header timeout cuts each one with a 408.
        assert wait_until(lambda: s.access_log().count('" 408 ') >= n, 15), s.access_log().count('" 408 ')
        for c in socks[:20]:
            c.settimeout(5)
            data = b""
            try:
                while True:
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            assert data.startswith(b"HTTP/1.1 408 "), data[:100]
    finally:
        for c in socks:
            c.close()


def served_by(s, threads):
    """Requests served so far by the loops' rows and by the worker threads'."""
    status, _, body = s.get("/server-status?json")
    assert status == 200
    loop = workers = 0
    for slot in json.loads(body)["slots"] or []:
        if slot["thread"] == threads:
            loop += slot["slot_accesses"]
        else:
            workers += slot["slot_accesses"]
    return loop, workers


@pytest.mark.parametrize("rule, on_loop", [
    ("Require all granted", True),
    ("Require ip 127.0.0.1", True),
    ("Require local", True),
    ("Require host localhost", False),  # a DNS lookup waits: a worker's job
])
def test_access_rules_that_never_wait_are_applied_on_the_loop(make_server, rule, on_loop):
    s = make_server(start=False, mpm="event", log_level="warn",
                    modules=("authz_core_module", "authz_host_module", "static_module", "status_module"),
                    config=SMALL + "ExtendedStatus On\n<Location /server-status>\nSetHandler server-status\n"
                           "Require all granted\n</Location>\n<Directory />\n%s\n</Directory>\n" % rule)
    s.write("index.html", "<html>index</html>\n")
    s.start()
    loop0, workers0 = served_by(s, 2)
    for _ in range(20):
        assert s.get("/index.html")[0] == 200
    loop, workers = served_by(s, 2)
    if on_loop:
        assert loop - loop0 >= 20 and workers == workers0, (loop0, workers0, loop, workers)
    else:
        assert workers - workers0 >= 20, (loop0, workers0, loop, workers)


def test_basic_auth_answers_401_on_the_loop_and_checks_passwords_on_a_worker(make_server, tmp_path):
    s = make_server(start=False, mpm="event", log_level="warn",
                    modules=("authz_core_module", "authz_user_module", "auth_basic_module", "authn_file_module",
                             "static_module", "status_module"),
                    config=SMALL + "ExtendedStatus On\n<Location /server-status>\nSetHandler server-status\n"
                           "Require all granted\n</Location>\n<Location /private>\nAuthType Basic\n"
                           "AuthName test\nAuthUserFile %s\nRequire valid-user\n</Location>\n" % (tmp_path / "users"))
    subprocess.run(["htpasswd", "-bcB", str(tmp_path / "users"), "alice", "s3cret"], check=True, capture_output=True)
    s.write("private/index.html", "secret\n")
    s.start()
    loop0, workers0 = served_by(s, 2)
    for _ in range(5):
        assert s.get("/private/")[0] == 401
    loop1, workers1 = served_by(s, 2)
    assert loop1 - loop0 >= 5 and workers1 == workers0, (loop0, workers0, loop1, workers1)
    auth = {"Authorization": "Basic " + base64.b64encode(b"alice:s3cret").decode()}
    for _ in range(5):
        assert s.get("/private/", headers=auth)[0] == 200
    loop2, workers2 = served_by(s, 2)
    assert workers2 - workers1 >= 5, (loop1, workers1, loop2, workers2)
