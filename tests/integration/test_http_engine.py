"""The HTTP engine against the real binary over raw sockets, under each MPM:
persistent connections, pipelining, HTTP/1.0, request bodies (through the
test module mod_echo), 100-continue, HEAD, Date/Server, chunked responses,
timeouts, absolute-form targets, OPTIONS *, 417, and framing errors that
come before any handler."""
import email.utils
import socket
import time

import pytest

from harness import Server, module_file

MPMS = ["prefork", "worker", "event"]
MODULES = ("static_module", "echo_module")
INDEX = b"<html>index</html>\n"

BASE_CONFIG = """
<Location /echo>
    SetHandler echo
</Location>
<Location /small>
    SetHandler echo
    LimitRequestBody 10
</Location>
"""


def need_mpm(mpm):
    if not module_file("mpm_%s_module" % mpm).exists():
        pytest.skip("mpm_%s is not built yet" % mpm)


def fill_docroot(s):
    s.write("index.html", INDEX)
    s.write("a.txt", b"A" * 10)
    s.write("b.txt", b"B" * 20)
    s.write("big.bin", bytes(range(256)) * 4096)  # 1 MiB


def start_server(root, mpm, config):
    s = Server(root, mpm=mpm, modules=MODULES, config=BASE_CONFIG + config)
    fill_docroot(s)
    s.start()
    return s


def stop_server(s):
    s.stop()
    reports = s.sanitizer_reports()
    assert not reports, "sanitizer reports:\n" + "\n".join(r.read_text(errors="replace") for r in reports)


@pytest.fixture(scope="module", params=MPMS)
def srv(request, tmp_path_factory):
    """One server per MPM with the default timeouts, shared by the module."""
    need_mpm(request.param)
    s = start_server(tmp_path_factory.mktemp("srv-" + request.param), request.param, "KeepAliveTimeout 5\n")
    yield s
    stop_server(s)


@pytest.fixture(scope="module", params=MPMS)
def tight(request, tmp_path_factory):
    """Small limits and timeouts: keep-alive, Timeout, RequestReadTimeout."""
    need_mpm(request.param)
    s = start_server(tmp_path_factory.mktemp("tight-" + request.param), request.param, """
KeepAliveTimeout 1
MaxKeepAliveRequests 3
Timeout 2
RequestReadTimeout header=1 body=1,MinRate=200
""")
    yield s
    stop_server(s)


class Response:
    def __init__(self, version, status, headers, body, raw_head):
        self.version, self.status, self.headers, self.body, self.raw_head = version, status, headers, body, raw_head

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<%s %d %r %r>" % (self.version, self.status, self.headers, self.body[:80])


class Client:
    """A raw connection that reads responses one at a time by their framing."""

    def __init__(self, server, timeout=5):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
        self.buf = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        b = self.sock.recv(65536)
        if not b:
            raise EOFError("connection closed; buffered: %r" % self.buf[:200])
        self.buf += b

    def _until(self, sep):
        while sep not in self.buf:
            self._fill()
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def response(self, head=False):
        raw = self._until(b"\r\n\r\n")
        lines = raw[:-4].split(b"\r\n")
        version, status = lines[0].split(b" ", 2)[:2]
        headers = {}
        for line in lines[1:]:
            k, sep, v = line.partition(b":")
            assert sep, "malformed header line %r" % line
            k = k.decode().lower()
            headers[k] = (headers[k] + ", " if k in headers else "") + v.strip().decode()
        status = int(status)
        if head or status < 200 or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("transfer-encoding", ""):
            body = b""
            while True:
                size = int(self._until(b"\r\n")[:-2].split(b";")[0], 16)
                if size == 0:
                    while self._until(b"\r\n") != b"\r\n":
                        pass
                    break
                body += self._exact(size)
                assert self._exact(2) == b"\r\n"
        elif "content-length" in headers:
            body = self._exact(int(headers["content-length"]))
        else:
            try:
                while True:
                    self._fill()
            except EOFError:
                pass
            body, self.buf = self.buf, b""
        return Response(version.decode(), status, headers, body, raw)

    def closed(self, timeout=3):
        """True when the server closes the connection within `timeout`
        seconds without sending anything more."""
        self.sock.settimeout(timeout)
        try:
            b = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        if b:
            self.buf += b
            return False
        return True

    def still_serving(self):
        """The connection answers one more request."""
        self.send(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        r = self.response()
        return r.status == 200 and r.body == b"A" * 10


def get(path, host="x", extra=b""):
    return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + host.encode() + b"\r\n" + extra + b"\r\n"


# ---- persistent connections -------------------------------------------------

def test_keep_alive_serves_many_requests_on_one_connection(srv):
    with Client(srv) as c:
        for path, body in (("/index.html", INDEX), ("/a.txt", b"A" * 10), ("/b.txt", b"B" * 20), ("/a.txt", b"A" * 10)):
            c.send(get(path))
            r = c.response()
            assert (r.status, r.body) == (200, body)
            assert r.version == "HTTP/1.1"
            assert r.header("connection") is None
        assert not c.closed(timeout=0.3)
        assert c.still_serving()


def test_keep_alive_off_closes_after_each_response(make_server, mpm):
    need_mpm(mpm)
    s = make_server(start=False, mpm=mpm, modules=MODULES, config=BASE_CONFIG + "KeepAlive Off\n")
    fill_docroot(s)
    s.start()
    with Client(s) as c:
        c.send(get("/a.txt") + get("/b.txt"))
        r = c.response()
        assert r.status == 200 and r.header("connection") == "close"
        assert c.closed()
    # HTTP/1.0 asking for keep-alive does not get it either.
    with Client(s) as c:
        c.send(b"GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.header("connection") == "close"
        assert c.closed()


def test_max_keep_alive_requests_closes_on_the_last(tight):
    with Client(tight) as c:
        for i in range(3):
            c.send(get("/a.txt"))
            r = c.response()
            assert r.status == 200
            assert r.header("connection") == ("close" if i == 2 else None), i
        assert c.closed()


def test_keep_alive_timeout_closes_an_idle_connection(tight):
    with Client(tight) as c:
        c.send(get("/a.txt"))
        assert c.response().status == 200
        t = time.monotonic()
        assert c.closed(timeout=5)
        assert 0.7 < time.monotonic() - t < 3
    # Within the timeout the connection still serves.
    with Client(tight) as c:
        c.send(get("/a.txt"))
        assert c.response().status == 200
        time.sleep(0.5)
        assert c.still_serving()


def test_pipelined_requests_are_answered_in_order(srv):
    reqs = (get("/b.txt") + get("/missing") + get("/a.txt") +
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n" +
            b"HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n" +
            get("/index.html", extra=b"Connection: close\r\n") +
            get("/a.txt"))  # after the close: never answered
    with Client(srv) as c:
        c.send(reqs)
        got = [c.response(head=(i == 5)) for i in range(7)]
        assert [r.status for r in got] == [200, 404, 200, 200, 200, 200, 200]
        assert got[0].body == b"B" * 20
        assert got[2].body == b"A" * 10
        assert got[3].body == b"hello"
        assert got[4].body == b"abcde"
        assert got[5].header("content-length") == str(len(INDEX))
        assert got[6].body == INDEX and got[6].header("connection") == "close"
        assert c.closed()


def test_pipelined_burst_of_many_small_requests(srv):
    n = 99  # MaxKeepAliveRequests 100: the last one is the still_serving check
    with Client(srv) as c:
        c.send(b"".join(get("/a.txt" if i % 2 else "/b.txt") for i in range(n)))
        for i in range(n):
            r = c.response()
            assert r.status == 200 and r.body == (b"A" * 10 if i % 2 else b"B" * 20)
        assert c.still_serving()


# ---- HTTP/1.0 -----------------------------------------------------------------

def test_http10_without_keep_alive_is_closed(srv):
    with Client(srv) as c:
        c.send(b"GET /a.txt HTTP/1.0\r\n\r\n")
        r = c.response()
        assert r.version == "HTTP/1.1" and r.status == 200 and r.body == b"A" * 10
        assert r.header("connection") == "close"
        assert c.closed()


def test_http10_keep_alive_is_kept(srv):
    with Client(srv) as c:
        c.send(b"GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.header("connection").lower() == "keep-alive"
        assert r.header("content-length") == "10"
        c.send(b"GET /b.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        assert c.response().body == b"B" * 20
        c.send(b"GET /a.txt HTTP/1.0\r\n\r\n")
        assert c.response().header("connection") == "close"
        assert c.closed()


def test_http10_response_without_length_is_ended_by_the_close(srv):
    # mod_echo streams without a length: no chunked coding for HTTP/1.0.
    with Client(srv) as c:
        c.send(b"POST /echo?stream HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 4\r\n\r\nabcd")
        r = c.response()
        assert r.status == 200 and r.body == b"abcd"
        assert "transfer-encoding" not in r.headers and r.header("connection") == "close"


# ---- request bodies -------------------------------------------------------------

def test_content_length_body_is_read(srv):
    body = bytes(range(256)) * 300
    with Client(srv) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        r = c.response()
        assert r.status == 200 and r.body == body
        assert r.header("content-length") == str(len(body))
        assert r.header("x-echo-length") == str(len(body))
        assert c.still_serving()


def test_chunked_body_is_read_and_answered_chunked(srv):
    data = bytes(range(256)) * 100
    pieces, at = [], 0
    for size in (1, 15, 16, 255, 4096, 10000, 100000):
        if at >= len(data):
            break
        chunk = data[at:at + size]
        pieces.append(b"%x;ext=\"v\"\r\n" % len(chunk) + chunk + b"\r\n")
        at += len(chunk)
    data = data[:at]
    with Client(srv) as c:
        c.send(b"PUT /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + b"".join(pieces) +
               b"0\r\nX-Checksum: 1\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.body == data
        assert r.header("transfer-encoding") == "chunked" and "content-length" not in r.headers
        assert r.header("x-echo-length") == "-1"
        assert c.still_serving()


def test_body_sent_slowly_in_small_pieces(srv):
    with Client(srv) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for piece in (b"3\r", b"\nab", b"c\r\n", b"1\r\nd", b"\r\n0\r", b"\n\r\n"):
            c.send(piece)
            time.sleep(0.05)
        r = c.response()
        assert r.status == 200 and r.body == b"abcd" and r.header("transfer-encoding") == "chunked"
        assert c.still_serving()


def test_response_streamed_while_the_body_arrives(srv):
    # mod_echo ?stream answers each piece as it comes: the response starts
    # before the request body has ended, so the core closes afterwards (it
    # cannot know how much is left).
    with Client(srv) as c:
        c.send(b"POST /echo?stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        time.sleep(0.2)
        c.send(b"2\r\nde\r\n0\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.body == b"abcde" and r.header("transfer-encoding") == "chunked"
        assert r.header("connection") == "close"
        assert c.closed()


def test_unread_body_is_discarded_and_the_connection_kept(srv):
    # mod_static does not read a POST body; the core drops it before the next request.
    with Client(srv) as c:
        c.send(b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world" + get("/a.txt"))
        assert c.response().status == 405
        r = c.response()
        assert r.status == 200 and r.body == b"A" * 10


def test_limit_request_body(srv):
    with Client(srv) as c:  # by length: refused before the body is read
        c.send(b"POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n")
        r = c.response()
        assert r.status == 413 and r.header("connection") == "close"
        assert c.closed()
    with Client(srv) as c:  # chunked: refused as it streams in
        c.send(b"POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n123456\r\n6\r\n123456\r\n0\r\n\r\n")
        assert c.response().status == 413
        assert c.closed()
    with Client(srv) as c:  # at the limit: fine
        c.send(b"POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789")
        assert c.response().body == b"0123456789"
        assert c.still_serving()


def test_directory_may_raise_limit_request_body(make_server, mpm):
    need_mpm(mpm)
    s = make_server(start=False, mpm=mpm, modules=MODULES, config="""
LimitRequestBody 10
<Location /echo>
    SetHandler echo
</Location>
<Location /big>
    SetHandler echo
    LimitRequestBody 1000
</Location>
""")
    fill_docroot(s)
    s.start()
    body = b"x" * 500
    with Client(s) as c:
        c.send(b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + body)
        assert c.response().body == body
        c.send(b"POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1f4\r\n" + body + b"\r\n0\r\n\r\n")
        assert c.response().body == body
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n")
        assert c.response().status == 413
    # The limit is checked when the body is read (as Apache): a handler that
    # never reads it keeps its own answer (mod_static's 405 here), and the
    # connection closes rather than read on past the limit.
    with Client(s) as c:
        c.send(b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello world")
        r = c.response()
        assert r.status == 405 and r.header("connection") == "close"
        assert c.closed()
    with Client(s) as c:  # within the limit, the unread body is dropped and the connection kept
        c.send(b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        r = c.response()
        assert r.status == 405 and r.header("connection") is None
        assert c.still_serving()


def test_a_handler_that_never_reads_an_over_limit_body_answers_for_itself(make_server, mpm):
    # docs/modules.md: "a handler that does not want the body simply never
    # reads it". A PUT over LimitRequestBody to a handler that answers 405
    # gets the 405, not a 413 decided before any hook ran.
    need_mpm(mpm)
    s = make_server(mpm=mpm, modules=MODULES + ("headers_from_query_module",), config="""
LimitRequestBody 10
<Location /answer>
    SetHandler headers-from-query
</Location>
<Location /echo>
    SetHandler echo
</Location>
""")
    with Client(s) as c:
        c.send(b"PUT /answer?status=405 HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n" + b"x" * 50)
        r = c.response()
        assert r.status == 405 and r.body == b"ok\n" and r.header("connection") == "close"
        assert c.closed()
    with Client(s) as c:  # a handler that reads it gets 413 from read_body
        c.send(b"PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n")
        assert c.response().status == 413


# ---- Expect: 100-continue ------------------------------------------------------

def test_expect_100_continue(srv):
    with Client(srv) as c:
        c.send(b"PUT /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        r = c.response()
        assert r.status == 100 and r.raw_head == b"HTTP/1.1 100 Continue\r\n\r\n"
        c.send(b"hello")
        r = c.response()
        assert r.status == 200 and r.body == b"hello"
        assert c.still_serving()


def test_expect_100_continue_chunked(srv):
    with Client(srv) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
        assert c.response().status == 100
        c.send(b"2\r\nhi\r\n0\r\n\r\n")
        assert c.response().body == b"hi"


def test_no_100_when_the_handler_answers_without_reading(srv):
    with Client(srv) as c:
        c.send(b"POST /echo?noread HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.body == b"noread\n"
        assert r.header("connection") == "close"
        assert c.closed()
    # Same for a static file.
    with Client(srv) as c:
        c.send(b"POST /index.html HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        r = c.response()
        assert r.status == 405 and r.header("connection") == "close"
        assert c.closed()


def test_no_100_for_http10(srv):
    with Client(srv) as c:
        c.send(b"POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        r = c.response()
        assert r.status == 200 and r.body == b"ok"


def test_unknown_expectation_is_417(srv):
    with Client(srv) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\nok")
        r = c.response()
        assert r.status == 417 and r.header("connection") == "close"
        assert c.closed()


# ---- response framing and headers --------------------------------------------------

def test_head_has_headers_but_no_body(srv):
    with Client(srv) as c:
        c.send(b"HEAD /big.bin HTTP/1.1\r\nHost: x\r\n\r\n" + get("/a.txt"))
        r = c.response(head=True)
        assert r.status == 200 and r.header("content-length") == str(256 * 4096)
        # The next response follows the head directly: no body bytes between.
        r = c.response()
        assert r.status == 200 and r.body == b"A" * 10
        c.send(b"HEAD /missing HTTP/1.1\r\nHost: x\r\n\r\n" + get("/a.txt"))
        assert c.response(head=True).status == 404
        assert c.response().body == b"A" * 10
        c.send(b"HEAD /echo HTTP/1.1\r\nHost: x\r\n\r\n" + get("/a.txt"))
        assert c.response(head=True).status == 200
        assert c.response().body == b"A" * 10


def test_date_and_server_headers(srv):
    with Client(srv) as c:
        for req in (get("/a.txt"), get("/missing"), b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"):
            c.send(req)
            r = c.response()
            date = r.header("date")
            assert date and len(date) == 29 and date.endswith(" GMT"), date
            t = email.utils.parsedate_to_datetime(date).timestamp()
            assert abs(t - time.time()) < 5
            assert r.header("server").startswith("modhttpd/")
    # Error answers from the parser carry them too.
    with Client(srv) as c:
        c.send(b"GET / HTTP/2.0\r\n\r\n")
        r = c.response()
        assert r.status == 505 and r.header("date") and r.header("server").startswith("modhttpd/")


def test_large_response_then_next_request(srv):
    with Client(srv) as c:
        c.send(get("/big.bin") + get("/a.txt"))
        r = c.response()
        assert r.status == 200 and r.body == bytes(range(256)) * 4096
        assert c.response().body == b"A" * 10


def test_connection_close_is_honoured(srv):
    with Client(srv) as c:
        c.send(get("/a.txt", extra=b"Connection: close\r\n"))
        r = c.response()
        assert r.status == 200 and r.header("connection") == "close"
        assert c.closed()
    with Client(srv) as c:  # a token among others, any case
        c.send(get("/a.txt", extra=b"Connection: foo, CLOSE\r\n"))
        assert c.response().header("connection") == "close"
        assert c.closed()


def reset_after_late_bytes(c):
    """Sends bytes after the server ended the connection: True when the
    server had closed its socket outright (the kernel answers with a reset),
    False when it was still reading and throwing away (a lingering close)."""
    assert c.closed()
    c.send(b"late bytes\r\n")
    time.sleep(0.2)
    try:
        c.send(b"more\r\n")
        time.sleep(0.1)
        c.sock.recv(16)
    except (ConnectionResetError, BrokenPipeError):
        return True
    return False


def test_close_the_client_asked_for_is_immediate(srv):
    # The whole request came and the client said it would send nothing more:
    # no lingering close holds the worker.
    with Client(srv) as c:
        c.send(get("/a.txt", extra=b"Connection: close\r\n"))
        assert c.response().status == 200
        assert reset_after_late_bytes(c)


def test_close_the_server_decides_lingers(tight):
    # MaxKeepAliveRequests reached on a client that expects to go on: what
    # it may already have sent after the last request must not turn into a
    # reset that destroys the response (RFC 9112 9.6).
    with Client(tight) as c:
        for _ in range(3):
            c.send(get("/a.txt"))
            assert c.response().status == 200
        assert not reset_after_late_bytes(c)


# ---- timeouts ---------------------------------------------------------------------

def test_silent_client_in_the_head_gets_408(tight):
    # RequestReadTimeout header=1: a head that stops coming.
    with Client(tight) as c:
        t = time.monotonic()
        c.send(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n")
        r = c.response()
        assert r.status == 408 and r.header("connection") == "close"
        assert 0.7 < time.monotonic() - t < 2.5
        assert c.closed()


def test_slow_head_is_cut_at_the_header_timeout(tight):
    # header=1 without MinRate: dribbling bytes does not extend it.
    with Client(tight) as c:
        t = time.monotonic()
        for b in b"GET /a.txt HTTP/1.1\r\nX-": # 1.5 s of it
            c.send(bytes([b]))
            time.sleep(0.07)
        r = c.response()
        assert r.status == 408 and time.monotonic() - t < 2.5
        assert c.closed()


def test_timeout_without_request_read_timeout(make_server, mpm):
    # Timeout 2 bounds each wait when RequestReadTimeout is off.
    need_mpm(mpm)
    s = make_server(start=False, mpm=mpm, modules=MODULES,
                    config=BASE_CONFIG + "Timeout 2\nRequestReadTimeout header=0 body=0\n")
    fill_docroot(s)
    s.start()
    with Client(s) as c:
        t = time.monotonic()
        c.send(b"GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        r = c.response()
        assert r.status == 408 and 1.5 < time.monotonic() - t < 4
        assert c.closed()
    with Client(s) as c:  # in the body
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        t = time.monotonic()
        r = c.response()
        assert r.status == 408 and 1.5 < time.monotonic() - t < 4
        assert c.closed()


def test_silent_client_in_the_body_gets_408(tight):
    with Client(tight) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        t = time.monotonic()
        r = c.response()
        assert r.status == 408 and r.header("connection") == "close"
        assert time.monotonic() - t < 2.5
        assert c.closed()


def test_client_that_stops_reading_is_given_up_after_timeout(tight):
    # Timeout 2 bounds each wait to write: a response far larger than the
    # socket buffers to a client that reads nothing is abandoned.
    size = 64 << 20
    with open(tight.docroot / "huge.bin", "wb") as f:
        f.truncate(size)  # sparse: no disk
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c.connect(("127.0.0.1", tight.port))
    with c:
        c.sendall(get("/huge.bin"))
        time.sleep(3.5)
        c.settimeout(5)
        got = 0
        try:
            while chunk := c.recv(1 << 20):
                got += len(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
        assert 0 < got < size, got


def test_body_min_rate_extends_the_body_timeout(tight):
    # body=1,MinRate=200: 1 s, plus 1 s per 200 bytes received, without a
    # cap (mod_reqtimeout): 1500 bytes over ~2.5 s at ~600 B/s is fine.
    with Client(tight) as c:
        c.send(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1500\r\n\r\n")
        for _ in range(10):
            c.send(b"x" * 150)
            time.sleep(0.25)
        r = c.response()
        assert r.status == 200 and r.body == b"x" * 1500


# ---- targets --------------------------------------------------------------------

def test_absolute_form_target_wins_over_host(srv):
    with Client(srv) as c:
        c.send(b"GET http://Target.Example:8080/echo?q=1 HTTP/1.1\r\nHost: other.example\r\n\r\n")
        r = c.response()
        assert r.status == 200
        assert r.header("x-echo-host") == "target.example"  # lower-cased, as Apache's fix_hostname
        assert r.header("x-echo-path") == "/echo" and r.header("x-echo-query") == "q=1"
        c.send(b"GET http://h/a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.response().body == b"A" * 10
        c.send(b"GET /echo HTTP/1.1\r\nHost: named.example:81\r\n\r\n")
        assert c.response().header("x-echo-host") == "named.example"


def test_options_star(srv):
    with Client(srv) as c:
        c.send(b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
        r = c.response()
        assert r.status == 200 and r.header("allow") and r.header("content-length") == "0"
        assert c.still_serving()
    with Client(srv) as c:
        c.send(b"GET * HTTP/1.1\r\nHost: x\r\n\r\n")
        assert c.response().status == 400
        assert c.closed()


def test_path_is_decoded_and_normalised_before_the_handler(srv):
    with Client(srv) as c:
        c.send(get("/x/../echo/./a%2Fb"))
        assert c.response().status == 404  # encoded slash
        c.send(get("/x/../echo/./a%20b?%2e%2e"))
        r = c.response()
        assert r.header("x-echo-path") == "/echo/a%20b" and r.header("x-echo-query") == "%2e%2e"
        c.send(get("/../a.txt"))
        assert c.response().status == 400


# ---- framing before policy -------------------------------------------------------

@pytest.mark.parametrize("request_bytes,status", [
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 400),
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400),
    (b"POST /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    (b"DELETE /index.html HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
    (b"POST /index.html HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 400),
], ids=["cl+te", "bad-chunk-size", "missing-crlf", "two-lengths", "negative-length", "gzip", "chunked-not-last",
        "no-host"])
def test_malformed_request_to_a_static_file_is_400_not_405(srv, request_bytes, status):
    with Client(srv) as c:
        c.send(request_bytes)
        r = c.response()
        assert r.status == status
        assert r.header("connection") == "close"
        assert c.closed()
