"""Slow clients, by hand, under each MPM: the attacks that make a
process- or thread-per-connection server (prefork Apache the first) fall
over when nothing bounds how long a client may take.

The pool is 4 workers (prefork: 4 children; worker: 2 processes x 2
threads), so that a handful of slow connections would hold all of them.

  - Slowloris: 8 connections (twice the workers) send a request line and a
    Host, then one byte of a header every second, forever. With
    RequestReadTimeout header=3-6,MinRate=500 each is answered 408 and
    closed 3 s after the server took it (1 byte/s adds 2 ms a byte at
    MinRate 500): the first four at ~3.1 s, the four that waited in the
    backlog ~3.6 s later (the lingering close after each 408 holds its
    worker up to 0.5 s more while the client stays silent). A normal client
    started meanwhile waits at most for those two rounds (bound:
    2 x 3 s + 2 s; measured max 7.2 s, p50 2.7 s), and is served in under
    a second once they are cut. Each cut is in the access log as a 408
    with its request line, as Apache logs it. Without the header timeout
    (header=0, Timeout 10, which a byte a second never reaches) the same 8
    connections hold the 4 workers as long as they trickle: the normal
    client is not served at all (4 s timeout) -- the defence is what makes
    the difference.
  - Slow reader: 4 clients ask for a 32 MiB file through a 4 KiB receive
    buffer and read nothing. Timeout 3 bounds each wait for the socket to
    take more: every worker is back after ~3 s (the normal client, started
    0.5 s after them, waits 2 to 5 s -- measured 3.0 s: held, then freed),
    the server side of each slow connection is gone although the client
    never closed it, and the responses are in the access log. With
    Timeout 30 the normal client is not served within 6 s.

Under event the same attacks cost no worker: a connection that trickles
its head, or reads its response slowly, waits on the child's loop, not in a
thread. Every slowloris connection is cut in the first round (~3.1 s), a
normal client is served in well under a second throughout, with the header
timeout or without it, and a slow reader holds nothing but its buffers.
"""
import http.client
import select
import socket
import time

import pytest

from harness import wait_until
from reliability_tools import Probe, TCP_ESTABLISHED, tcp_sockets

MPMS = ["prefork", "worker", "event"]
WORKERS = 4
# prefork as Apache's, a process for each connection from accept on: its
# front, which keeps slow heads out of the children, is tested in
# test_prefork_front.py.
POOLS = {
    "prefork": "StartServers 4\nMinSpareServers 1\nMaxSpareServers 4\nServerLimit 4\nMaxRequestWorkers 4\n"
               "PreforkFront Off\n",
    "worker": "StartServers 2\nThreadsPerChild 2\nMinSpareThreads 1\nMaxSpareThreads 4\nServerLimit 2\n"
              "MaxRequestWorkers 4\n",
}
POOLS["event"] = POOLS["worker"]  # the same processes and threads
# The MPMs where waiting connections do not hold a worker.
ASYNC = {"event"}
HEADER_TIMEOUT = 3
WRITE_TIMEOUT = 3
BIG = 32 << 20


def start(make_server, mpm, timeouts):
    s = make_server(start=False, mpm=mpm, modules=("static_module",), config=POOLS[mpm] + timeouts)
    s.write("index.html", "<html>normal client</html>\n")
    with open(s.docroot / "big.bin", "wb") as f:
        f.truncate(BIG)
    s.start()
    processes = 4 if mpm == "prefork" else 2
    assert wait_until(lambda: len(s.children()) == processes, 10), s.children()
    time.sleep(0.3)
    return s


class Trickler:
    """`n` connections that send a request line and Host at once, then one
    byte of an endless header every second. Records, per connection, when
    (after the start) the first answer byte came, what it was, and when
    the server closed the connection."""

    def __init__(self, port, n):
        self.socks = []
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            s.sendall(b"GET /slow-%d HTTP/1.1\r\nHost: x\r\nX-Trickle: " % i)
            self.socks.append(s)
        self.t0 = time.monotonic()
        self.answer_at = {}   # index -> seconds
        self.data = {i: b"" for i in range(n)}
        self.closed_at = {}   # index -> seconds

    def run(self, seconds):
        """Trickles for at most `seconds`, or until every connection is closed."""
        next_byte = self.t0 + 1
        end = self.t0 + seconds
        while time.monotonic() < end and len(self.closed_at) < len(self.socks):
            now = time.monotonic()
            if now >= next_byte:
                for i, s in enumerate(self.socks):
                    if i not in self.answer_at and i not in self.closed_at:
                        try:
                            s.send(b"a")
                        except OSError:
                            pass  # the answer, or the close, is read below
                next_byte += 1
            open_socks = [s for i, s in enumerate(self.socks) if i not in self.closed_at]
            readable, _, _ = select.select(open_socks, [], [], min(0.05, max(0, next_byte - now)))
            for s in readable:
                i = self.socks.index(s)
                try:
                    chunk = s.recv(65536)
                except OSError:
                    chunk = b""
                t = time.monotonic() - self.t0
                if chunk:
                    self.answer_at.setdefault(i, t)
                    self.data[i] += chunk
                else:
                    self.closed_at[i] = t
        return self

    def close(self):
        for s in self.socks:
            s.close()


def normal_get(port, timeout):
    """(latency, status) of a GET /index.html on a new connection; status
    is the exception's name when it failed."""
    t = time.monotonic()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", "/index.html")
        r = c.getresponse()
        r.read()
        return time.monotonic() - t, r.status
    except Exception as e:  # noqa: BLE001 - the failure is the result
        return time.monotonic() - t, type(e).__name__
    finally:
        c.close()


@pytest.mark.parametrize("mpm", MPMS)
def test_slowloris_connections_get_408_at_the_header_timeout_and_normal_clients_are_served(make_server, mpm):
    s = start(make_server, mpm, "Timeout 10\nRequestReadTimeout header=%d-6,MinRate=500\n" % HEADER_TIMEOUT)
    slow = Trickler(s.port, 2 * WORKERS)
    probe = Probe(s.port, interval=0.5, timeout=15)
    try:
        slow.run(3 * HEADER_TIMEOUT + 4)
        time.sleep(2)  # the normal client, once the slow ones are gone
    finally:
        results = probe.stop()
        slow.close()
    report = "answers at %s, closed at %s; normal client: %s" % (
        sorted((round(t, 2), i) for i, t in slow.answer_at.items()),
        sorted((round(t, 2), i) for i, t in slow.closed_at.items()), Probe.summary(results))
    print(report)

    # Every slow connection was answered 408 and closed by the server.
    assert len(slow.answer_at) == 2 * WORKERS and len(slow.closed_at) == 2 * WORKERS, report
    for i, data in slow.data.items():
        assert data.startswith(b"HTTP/1.1 408 "), (i, data[:200])
        assert b"\r\nConnection: close\r\n" in data, (i, data[:300])
    # ...at the header timeout from when a worker took it: the first
    # round at ~3 s, the round that waited in the backlog ~3 s after a
    # worker was free again (the lingering close after a 408 keeps it up to
    # 0.5 s more while the client, which never closes, stays silent).
    times = sorted(slow.answer_at.values())
    if mpm in ASYNC:
        # None waits for a worker: every one is cut in the first round, and
        # the normal client never waits for them.
        assert all(HEADER_TIMEOUT - 0.2 <= t <= HEADER_TIMEOUT + 1.5 for t in times), report
        assert not Probe.failed(results), report
        assert max(Probe.ok(results)) < 1.0, report
        log = s.access_log()
        for i in range(2 * WORKERS):
            assert '"GET /slow-%d HTTP/1.1" 408 ' % i in log, log
        return
    assert all(HEADER_TIMEOUT - 0.2 <= t <= HEADER_TIMEOUT + 1.5 for t in times[:WORKERS]), report
    assert all(2 * HEADER_TIMEOUT - 0.2 <= t <= 2 * HEADER_TIMEOUT + 2 for t in times[WORKERS:]), report
    # The normal client: never failed, waited at most for those two rounds,
    # and was served at once when they were over.
    assert not Probe.failed(results), report
    assert max(Probe.ok(results)) <= 2 * HEADER_TIMEOUT + 2, report
    after = [lat for off, lat, st in results if off > times[-1] + 0.5]
    assert after and max(after) < 1.0, report
    # The access log has each cut as Apache logs it: 408 and the request line.
    log = s.access_log()
    for i in range(2 * WORKERS):
        assert '"GET /slow-%d HTTP/1.1" 408 ' % i in log, log


@pytest.mark.parametrize("mpm", MPMS)
def test_slowloris_without_the_header_timeout_holds_every_worker(make_server, mpm):
    s = start(make_server, mpm, "Timeout 10\nRequestReadTimeout header=0 body=0\n")
    slow = Trickler(s.port, 2 * WORKERS)
    try:
        time.sleep(1)
        starved = normal_get(s.port, timeout=4)
        slow.run(6)
        assert not slow.answer_at and not slow.closed_at, "cut although nothing bounds the head"
    finally:
        slow.close()
    print("normal client during the attack:", starved)
    if mpm in ASYNC:
        assert starved[1] == 200 and starved[0] < 1.0, starved
        assert '" 408 ' not in s.access_log()
        return
    assert starved[1] != 200 and starved[0] >= 3.9, starved
    # The trickle over, the server is itself again.
    assert wait_until(lambda: normal_get(s.port, 5)[1] == 200, 10)
    assert '" 408 ' not in s.access_log()


def slow_readers(port, n):
    """n connections asking for the big file through a 4 KiB receive
    buffer, never reading."""
    out = []
    for _ in range(n):
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect(("127.0.0.1", port))
        c.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        out.append(c)
    return out


def server_side_of(port, client_ports):
    """The server-side sockets still ESTABLISHED with those client ports."""
    return [t for t in tcp_sockets() if t[0] == port and t[1] in client_ports and t[2] == TCP_ESTABLISHED]


@pytest.mark.parametrize("mpm", MPMS)
def test_slow_reader_frees_its_worker_after_timeout(make_server, mpm):
    s = start(make_server, mpm, "Timeout %d\n" % WRITE_TIMEOUT)
    readers = slow_readers(s.port, WORKERS)
    ports = {c.getsockname()[1] for c in readers}
    try:
        time.sleep(0.5)  # every worker is in its write by now
        latency, status = normal_get(s.port, timeout=15)
        print("normal client waited %.2f s" % latency)
        # Held while the slow readers had every worker, freed after Timeout.
        assert status == 200, status
        if mpm in ASYNC:
            # The slow readers wait on the loop: no worker is held.
            assert latency < 1.0, latency
        else:
            # (It started 0.5 s after the slow readers took the workers.)
            assert WRITE_TIMEOUT - 1.0 <= latency <= WRITE_TIMEOUT + 2.0, latency
        # The server gave up each slow reader on its own: none of their
        # connections is established on its side, though the clients never
        # read nor closed.
        assert wait_until(lambda: not server_side_of(s.port, ports), WRITE_TIMEOUT + 3), \
            server_side_of(s.port, ports)
        assert wait_until(lambda: s.access_log().count('"GET /big.bin HTTP/1.1" 200 ') == WORKERS, 3), \
            s.access_log()
        # What the client gets is what the kernel had buffered, then the end.
        for c in readers:
            c.settimeout(5)
            got = 0
            try:
                while True:
                    chunk = c.recv(1 << 20)
                    if not chunk:
                        break
                    got += len(chunk)
            except (ConnectionResetError, socket.timeout):
                pass
            assert got < BIG, got
        for _ in range(3):
            latency, status = normal_get(s.port, timeout=5)
            assert status == 200 and latency < 1.0, (latency, status)
    finally:
        for c in readers:
            c.close()


@pytest.mark.parametrize("mpm", MPMS)
def test_slow_reader_without_a_short_timeout_holds_every_worker(make_server, mpm):
    s = start(make_server, mpm, "Timeout 30\n")
    readers = slow_readers(s.port, WORKERS)
    try:
        time.sleep(0.5)
        latency, status = normal_get(s.port, timeout=6)
        print("normal client during the slow read:", latency, status)
        if mpm in ASYNC:
            assert status == 200 and latency < 1.0, (latency, status)
        else:
            assert status != 200 and latency >= 5.9, (latency, status)
    finally:
        for c in readers:
            c.close()
    assert wait_until(lambda: normal_get(s.port, 5)[1] == 200, 10)
