"""mpm_prefork's front (PreforkFront On, the default), under slow clients.

A process per connection is what makes prefork crash-isolated, and what a
slowloris attack exhausts: every child waits for a head that never ends, and
a normal client waits in the backlog. Apache's prefork, and ours without the
front, fork at most 1, 2, 4 ... 32 children a second: with the default pool
and 150 trickling clients a normal client waited over 7 s.

With the front, once no child is idle one process takes the new connections
and waits for their heads on an event loop; a complete head goes to a child
at once (one is forked for it if none is idle), so slow clients hold sockets
in the front, not children. Measured here with the default pool and the
default RequestReadTimeout: 150 and 600 clients sending a header byte a
second, a normal client served in milliseconds throughout (bound: 2 s), the
pool a few children; without the front the same 150 make it wait seconds."""
import socket
import time

import pytest

from harness import wait_until
from reliability_tools import Probe

DEFAULT_POOL = ""  # StartServers 5, Min/MaxSpareServers 5/10, MaxRequestWorkers 256


class Tricklers:
    """n connections that send a request line and Host, then a byte of an
    endless header every second."""

    def __init__(self, port, n, per_second=300):
        self.socks = []
        began = time.monotonic()
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.setblocking(False)
            s.sendall(b"GET /slow-%d HTTP/1.1\r\nHost: x\r\nX-Trickle: " % i)
            self.socks.append(s)
            ahead = (i + 1) / per_second - (time.monotonic() - began)
            if ahead > 0:
                time.sleep(ahead)

    def trickle(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for s in self.socks:
                try:
                    s.send(b"a")
                except OSError:
                    pass
            time.sleep(1)

    def answers(self, timeout):
        """What each connection got, once the server closed it (or timeout)."""
        out = []
        deadline = time.monotonic() + timeout
        for s in self.socks:
            s.setblocking(True)
            data = b""
            try:
                while True:
                    s.settimeout(max(0.05, deadline - time.monotonic()))
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            out.append(data)
        return out

    def close(self):
        for s in self.socks:
            s.close()


def start(make_server, config):
    s = make_server(start=False, mpm="prefork", log_level="info", config=config)
    s.write("index.html", "<html>normal client</html>\n")
    s.start()
    assert wait_until(lambda: len(s.children()) >= 5, 10), s.children()
    return s


@pytest.mark.parametrize("n", [150, 600])
def test_slow_heads_cost_no_child_and_normal_clients_are_served_at_once(make_server, n):
    s = start(make_server, DEFAULT_POOL)
    probe = Probe(s.port, interval=0.2, timeout=10)
    slow = Tricklers(s.port, n)
    most = 0
    try:
        end = time.monotonic() + 6
        while time.monotonic() < end:
            slow.trickle(1)
            most = max(most, len(s.children()))
        results = probe.stop()
    finally:
        slow.close()
    summary = Probe.summary(results)
    print("%d slow clients: normal client %s; at most %d children" % (n, summary, most))
    assert not Probe.failed(results), summary
    assert len(results) >= 25 and max(Probe.ok(results)) < 2.0, summary
    # The slow heads wait in the front, not in children.
    assert most <= 40, most
    assert len(s.fronts()) == 1
    assert "PreforkFront: no idle child" in s.error_log()


def test_without_the_front_slow_heads_take_the_children_as_in_apache(make_server):
    s = start(make_server, "PreforkFront Off\n")
    probe = Probe(s.port, interval=0.2, timeout=10)
    slow = Tricklers(s.port, 150)
    try:
        slow.trickle(6)
        results = probe.stop()
    finally:
        slow.close()
    summary = Probe.summary(results)
    print("without the front: normal client %s" % summary)
    late = [lat for lat in Probe.ok(results)] + [10.0 for _ in Probe.failed(results)]
    assert max(late) > 2.0, summary  # the backlog waits for forks at 1, 2, 4 ... 32 a second
    assert s.fronts() == []


def test_every_slow_head_gets_its_408_from_a_child_at_the_header_timeout(make_server):
    s = start(make_server, "RequestReadTimeout header=3-6,MinRate=500\n")
    slow = Tricklers(s.port, 40)
    began = time.monotonic()
    try:
        slow.trickle(2)
        answers = slow.answers(8)
    finally:
        slow.close()
    took = time.monotonic() - began
    for i, data in enumerate(answers):
        assert data.startswith(b"HTTP/1.1 408 "), (i, data[:120])
    # Counted from when each was accepted, as a child would have: not 3 s
    # more after the front handed it over.
    assert took < 3 + 2.5, took
    log = s.access_log()
    for i in range(40):
        assert '"GET /slow-%d HTTP/1.1" 408 ' % i in log


def test_requests_through_the_front_are_served_whole(make_server):
    """While the front is taking connections, ordinary requests (keep-alive,
    pipelined, with a body) go through it to children unchanged."""
    s = start(make_server, "MaxRequestWorkers 7\nStartServers 5\nMinSpareServers 1\nMaxSpareServers 7\n"
                           "ServerLimit 7\n")
    slow = Tricklers(s.port, 5)  # every child busy: the front starts
    try:
        assert wait_until(lambda: s.fronts(), 3)
        more = Tricklers(s.port, 1)  # held by the front, which then keeps taking connections
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            c.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /index.html HTTP/1.1\r\nHost: x\r\n"
                      b"Connection: close\r\n\r\n")
            data = b""
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
        assert data.count(b"HTTP/1.1 200 OK") == 2 and data.count(b"normal client") == 2, data
        # A head split over many packets, the last one late: put together.
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            for part in (b"GET /index", b".html HTTP/1.1\r\nHo", b"st: x\r\nConnection: close\r\n"):
                c.sendall(part)
                time.sleep(0.3)
            c.sendall(b"\r\n")
            assert b"normal client" in c.recv(65536)
        # Garbage is answered 400 at once, as without the front.
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
            c.sendall(b"\x01\x02\x03 / HTTP/1.1\r\n")
            c.settimeout(3)
            assert c.recv(4096).startswith(b"HTTP/1.1 400 ")
        more.close()
    finally:
        slow.close()
