"""Replays the hostile-input table (hostile_cases.py) against each MPM: every
case on its own connection, its statuses and whether the connection is
closed or kept. Afterwards the server must still serve normally, and no
response may ever have carried the secret file that sits next to htdocs."""
import os
import re
import socket

import pytest

from harness import Server, module_file
from hostile_cases import CASES, CLOSED, GOOD, KEPT

MPMS = ["prefork", "worker", "event"]
INDEX = b"<html>hostile index</html>\n"
SECRET = b"TOP-SECRET-" + os.urandom(8).hex().encode()

CONFIG = """
<Location /echo>
    SetHandler echo
</Location>
<Location /small>
    SetHandler echo
    LimitRequestBody 10
</Location>
Timeout 5
RequestReadTimeout header=3 body=3
KeepAliveTimeout 8
"""


@pytest.fixture(scope="module", params=MPMS)
def server(request, tmp_path_factory):
    mpm = request.param
    if not module_file("mpm_%s_module" % mpm).exists():
        pytest.skip("mpm_%s is not built yet" % mpm)
    s = Server(tmp_path_factory.mktemp("hostile-" + mpm), mpm=mpm, modules=("static_module", "echo_module"),
               config=CONFIG)
    s.write("index.html", INDEX)
    s.write("sub/index.html", b"sub\n")
    (s.root / "secret.txt").write_bytes(SECRET)
    s.received = []  # every byte any response carried
    s.start()
    yield s
    s.stop()
    reports = s.sanitizer_reports()
    assert not reports, "sanitizer reports:\n" + "\n".join(r.read_text(errors="replace") for r in reports)


def read_responses(sock, n):
    """The first `n` responses the server sends on `sock`, as
    split_responses gives them (the peer must not close before)."""
    buf, responses = b"", []
    while len(responses) < n:
        b = sock.recv(65536)
        assert b
        buf += b
        got, buf = split_responses(buf)
        responses += got
    return responses


def split_responses(buf):
    """The complete responses at the start of `buf` as (status, headers,
    body), and the bytes left over."""
    out = []
    while True:
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return out, buf
        lines = buf[:end].split(b"\r\n")
        m = re.match(rb"HTTP/1\.1 (\d{3}) ", lines[0])
        assert m, "not a status line: %r" % lines[0]
        status = int(m.group(1))
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode()
        rest = buf[end + 4:]
        if status < 200 or status in (204, 304):
            body = b""
        elif "content-length" in headers:
            n = int(headers["content-length"])
            if len(rest) < n:
                return out, buf
            body, rest = rest[:n], rest[n:]
        elif headers.get("transfer-encoding") == "chunked":
            body, at = b"", 0
            while True:
                eol = rest.find(b"\r\n", at)
                if eol < 0:
                    return out, buf
                size = int(rest[at:eol].split(b";")[0], 16)
                if size == 0:
                    if rest.find(b"\r\n\r\n", eol) != eol:  # no trailers from us
                        return out, buf
                    rest = rest[eol + 4:]
                    break
                if len(rest) < eol + 2 + size + 2:
                    return out, buf
                body += rest[eol + 2:eol + 2 + size]
                at = eol + 2 + size + 2
        else:
            raise AssertionError("response without framing: %r" % buf[:300])
        out.append((status, headers, body))
        buf = rest


def replay(server, case, timeout=6):
    """Sends the case; returns (responses, closed): the responses it got
    (as many as expected, or all until the close) and whether the server
    then closed the connection."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        try:
            sock.sendall(case.data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it may stop reading once it has its verdict
        buf, responses, closed = b"", [], False
        while len(responses) < len(case.statuses):
            try:
                b = sock.recv(65536)
            except ConnectionResetError:
                b = b""
            server.received.append(b)
            if not b:
                closed = True
                break
            buf += b
            got, buf = split_responses(buf)
            responses += got
        if not closed:
            if case.outcome == KEPT:
                sock.sendall(GOOD)
                while True:
                    b = sock.recv(65536)
                    server.received.append(b)
                    if not b:
                        closed = True
                        break
                    buf += b
                    got, buf = split_responses(buf)
                    if got:
                        responses += got
                        break
            else:
                # Well inside KeepAliveTimeout: a connection the server kept
                # must not pass for one it closed.
                sock.settimeout(3)
                try:
                    b = sock.recv(65536)
                except ConnectionResetError:
                    b = b""
                except socket.timeout:
                    b = b"(still open)"
                server.received.append(b)
                buf += b
                closed = not b
        return responses, closed, buf


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(server, case):
    responses, closed, leftover = replay(server, case)
    statuses = [r[0] for r in responses]
    if case.outcome == CLOSED:
        assert statuses == case.statuses, "%s: %r" % (case.name, responses)
        assert closed, "%s: the connection stayed open (%r)" % (case.name, leftover[:200])
        assert leftover == b"", "%s: bytes after the last response: %r" % (case.name, leftover[:200])
    else:
        assert statuses == case.statuses + [200], "%s: %r" % (case.name, responses)
        assert responses[-1][2] == INDEX
    # Framing before policy: no malformed request is ever a 405.
    assert 405 not in statuses
    for status, headers, _ in responses:
        assert headers.get("server", "").startswith("modhttpd/")
        if status >= 400 and case.outcome == CLOSED and status == responses[-1][0]:
            assert headers.get("connection") == "close", case.name


def test_the_table_is_large_and_unique():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.outcome for c in CASES} == {CLOSED, KEPT}


def test_server_still_serves_after_the_table(server):
    # Runs after the cases of the same MPM (pytest keeps file order within
    # one fixture instance).
    for _ in range(5):
        status, headers, body = server.request("GET", "/index.html")
        assert (status, body) == (200, INDEX)
    status, _, body = server.request("POST", "/echo", body=b"still here")
    assert (status, body) == (200, b"still here")
    # Pipelined and kept-alive traffic still works.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(GOOD * 10)
        assert [r[0] for r in read_responses(sock, 10)] == [200] * 10
    if server.mpm == "prefork":
        assert server.children(), "no child process left"
    log = server.error_log()
    for word in ("Segmentation", "segfault", "exit signal", "AddressSanitizer", "terminate called"):
        assert word not in log


def test_no_file_outside_the_document_root_was_served(server):
    # The secret next to htdocs, reached by no case of the table ...
    everything = b"".join(server.received)
    assert everything, "the table was not replayed"
    assert SECRET not in everything
    assert b"root:x:0:0" not in everything
    # ... nor by the usual direct attempts.
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%252e%252e/secret.txt",
                   "/sub/../../secret.txt", "/.%2e/.%2e/etc/passwd", "/../../../../../../etc/passwd",
                   "http://x/../secret.txt", "/%c0%ae%c0%ae/secret.txt"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET " + target.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                b = sock.recv(65536)
                if not b:
                    break
                data += b
        assert data.startswith(b"HTTP/1.1 4"), (target, data[:100])
        assert SECRET not in data and b"root:x:0:0" not in data
