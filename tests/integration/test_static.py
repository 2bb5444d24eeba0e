"""mod_static: files, directories, validators, conditionals, ranges, listings.

Most tests share one server per MPM (the `site` fixture) over a tree built
once; tests that need their own configuration start their own server. Each
shared-server test ends by checking that no file under DocumentRoot is left
open in any server process.
"""
import email.utils
import grp
import hashlib
import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.parse

import pytest

from conftest import MPMS
from harness import Server

OLD = 1577880000  # 2020-01-01 12:00 UTC: files with a stable Last-Modified
DIGITS = bytes(range(256)) * 4  # 1024 bytes, every offset distinguishable
ODD_NAME = '<b>&"x y.txt'


def http_date(t):
    return email.utils.formatdate(t, usegmt=True)


def etag_of(path):
    st = os.stat(path)
    return '"%x-%x"' % (st.st_size, st.st_mtime_ns // 1000)


def build_tree(s):
    """The shared site. Files get an old mtime so validators are stable."""
    w = s.write
    w("hello.txt", "hello world\n")
    w("page.html", "<p>page</p>\n")
    w("style.css", "p{}\n")
    w("data.json", "{}\n")
    w("pixel.png", b"\x89PNG\r\n\x1a\n")
    w("unknown.qqq", "?\n")
    w("README", "no extension\n")
    w("digits.bin", DIGITS)
    w("empty.txt", b"")
    w("medium.bin", os.urandom(300 * 1024 + 7))  # above the core's pread limit: sendfile(2)
    w("dir/index.html", "<p>dir index</p>\n")
    w("dir/other.txt", "other\n")
    w("sp ace/index.html", "space index\n")
    w("noindex/file.txt", "x\n")
    w("twoindex/home.htm", "second index\n")
    (s.docroot / "twoindex" / "index.html").mkdir()  # a directory named like the index: skipped
    w("list/" + ODD_NAME, "odd\n")
    w("list/a:b.txt", "colon\n")
    w("list/caf\u00e9.txt", "utf8\n")
    w("list/zz.bin", b"z" * 2048)
    w("list/.hidden", "secret\n")
    w("list/sub/inner.txt", "inner\n")
    os.mkfifo(s.docroot / "fifo")
    for dirpath, dirnames, filenames in os.walk(s.docroot):
        for n in filenames:
            p = os.path.join(dirpath, n)
            if stat.S_ISREG(os.lstat(p).st_mode):
                os.utime(p, (OLD, OLD))


SITE_CONFIG = """
DirectoryIndex index.html home.htm
<Directory "{docroot}/list">
    Options Indexes
</Directory>
"""


@pytest.fixture(scope="module", params=MPMS)
def site(request, tmp_path_factory):
    root = tmp_path_factory.mktemp("static-" + request.param) / "root"
    docroot = root / "htdocs"
    s = Server(root, mpm=request.param, config=SITE_CONFIG.format(docroot=docroot))
    build_tree(s)
    s.start()
    yield s
    s.stop()
    log = s.error_log()
    assert not re.search(r"exit signal|Segmentation|AH00052", log), log


@pytest.fixture
def srv(site):
    """The shared server, checked for leaked descriptors after the test."""
    yield site
    assert_no_open_files(site)


def open_docroot_fds(s):
    found = []
    for pid in [s.pid] + s.children():
        try:
            fds = os.listdir("/proc/%d/fd" % pid)
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith(str(s.docroot)):
                found.append((pid, fd, target))
    return found


def assert_no_open_files(s, timeout=3):
    """Every file and directory the module opened is closed again (the last
    close may trail the last byte the client read by a moment)."""
    deadline = time.time() + timeout
    while True:
        found = open_docroot_fds(s)
        if not found or time.time() > deadline:
            break
        time.sleep(0.05)
    assert found == []


# ---- clients -------------------------------------------------------------------

def raw_exchange(s, data, timeout=10):
    """Sends raw bytes on a new connection, returns all bytes until close."""
    return s.raw(data, timeout=timeout)


def read_responses(sock, methods, timeout=10):
    """Reads one response per entry of `methods` from a keep-alive socket,
    framing each by Content-Length (none for HEAD/304)."""
    sock.settimeout(timeout)
    buf = b""
    out = []

    def fill():
        nonlocal buf
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise AssertionError("connection closed after %d responses" % len(out))
        buf += chunk

    for method in methods:
        while b"\r\n\r\n" not in buf:
            fill()
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        assert "transfer-encoding" not in headers
        n = 0 if method == "HEAD" or status in (204, 304) else int(headers["content-length"])
        while len(buf) < n:
            fill()
        out.append((status, headers, buf[:n]))
        buf = buf[n:]
    return out, buf


def curl(s, path, *args):
    """curl -sS: (status, headers, body) of the last response."""
    with tempfile.NamedTemporaryFile() as body:
        r = subprocess.run(["curl", "-sS", "--max-time", "30", "-D", "-", "-o", body.name, *args,
                            "http://127.0.0.1:%d%s" % (s.port, path)], capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
        heads = [h for h in r.stdout.split(b"\r\n\r\n") if h.strip()]
        lines = heads[-1].decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return int(lines[0].split()[1]), headers, open(body.name, "rb").read()


def parse_byteranges(body, content_type):
    """Strictly parses multipart/byteranges: every part's length comes from
    its Content-Range, so a single stray byte fails. Returns
    [(first, last, total, part_headers, data)]."""
    m = re.fullmatch(r"multipart/byteranges; boundary=([0-9A-Za-z'()+_,./:=?-]{1,70})", content_type)
    assert m, content_type
    delim = b"\r\n--" + m.group(1).encode()
    parts, pos = [], 0
    while True:
        assert body[pos:pos + len(delim)] == delim, body[pos:pos + 80]
        pos += len(delim)
        if body[pos:pos + 2] == b"--":
            assert body[pos:] == b"--\r\n"
            return parts
        assert body[pos:pos + 2] == b"\r\n"
        end = body.index(b"\r\n\r\n", pos + 2)
        headers = {}
        for line in body[pos + 2:end].decode("latin-1").split("\r\n"):
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        first, last, total = map(int, re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", headers["content-range"]).groups())
        pos = end + 4
        parts.append((first, last, total, headers, body[pos:pos + last - first + 1]))
        pos += last - first + 1


# ---- plain files -------------------------------------------------------------

def test_get_file_with_validators(srv):
    status, h, body = srv.get("/hello.txt")
    assert status == 200
    assert body == b"hello world\n"
    assert h["content-length"] == "12"
    assert h["content-type"] == "text/plain"
    assert h["accept-ranges"] == "bytes"
    assert h["etag"] == etag_of(srv.docroot / "hello.txt")
    assert h["last-modified"] == http_date(OLD)


def test_get_files_byte_exact(srv):
    for name in ("digits.bin", "medium.bin", "empty.txt", "README"):
        status, h, body = srv.get("/" + name)
        expected = (srv.docroot / name).read_bytes()
        assert (status, body, int(h["content-length"])) == (200, expected, len(expected)), name


def test_head_has_headers_and_no_body(srv):
    # HEAD then GET on one connection: the GET's status line must follow the
    # HEAD's headers at once, which proves the HEAD carried no body.
    with srv.connect() as sock:
        sock.sendall(b"HEAD /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        (hs, hh, hb), (gs, gh, gb) = read_responses(sock, ["HEAD", "GET"])[0]
    assert hs == 200 and hb == b""
    assert hh["content-length"] == str((srv.docroot / "medium.bin").stat().st_size)
    assert hh["etag"] == etag_of(srv.docroot / "medium.bin")
    assert "last-modified" in hh and hh["accept-ranges"] == "bytes"
    assert (gs, gb) == (200, b"hello world\n")
    # curl agrees.
    status, h, out = curl(srv, "/page.html", "-I")  # with -I, curl writes the head to -o too
    assert (status, h["content-length"], h["content-type"]) == (200, "12", "text/html")
    assert out.endswith(b"\r\n\r\n")


def test_content_types_from_mime_types(srv):
    expect = {"/page.html": "text/html", "/style.css": "text/css", "/data.json": "application/json",
              "/pixel.png": "image/png", "/hello.txt": "text/plain"}
    for path, ctype in expect.items():
        status, h, _ = srv.get(path)
        assert (status, h.get("content-type")) == (200, ctype), path
    for path in ("/unknown.qqq", "/README"):  # unknown: no Content-Type at all, as Apache
        status, h, body = srv.get(path)
        assert status == 200 and "content-type" not in h, path


# ---- directories ---------------------------------------------------------------

def test_directory_index(srv):
    assert srv.get("/dir/")[2] == b"<p>dir index</p>\n"
    assert srv.get("/dir/")[1]["content-type"] == "text/html"
    # The second DirectoryIndex name when the first is a directory, not a file.
    status, h, body = srv.get("/twoindex/")
    assert (status, body) == (200, b"second index\n")
    assert h["content-type"] == "text/html"  # the type of the index file, not of the directory
    status, _, body = srv.get("/")  # no index.html at the top: 403, Indexes is off
    assert status == 403


def test_directory_without_slash_redirects(srv):
    port = srv.port
    status, h, body = srv.get("/dir")
    assert status == 301
    assert h["location"] == "http://127.0.0.1:%d/dir/" % port
    assert b'href="http://127.0.0.1:%d/dir/"' % port in body
    # The query string is kept; a path with a space is escaped.
    assert srv.get("/dir?a=1&b=%20")[1]["location"] == "http://127.0.0.1:%d/dir/?a=1&b=%%20" % port
    assert srv.get("/sp%20ace")[1]["location"] == "http://127.0.0.1:%d/sp%%20ace/" % port
    # The host and port the client named, lower-cased; port 80 left out.
    for host, base in (("Example.COM:8080", "http://example.com:8080"), ("example.com", "http://example.com"),
                       ("example.com:80", "http://example.com"), ("[::1]:9", "http://[::1]:9")):
        raw = raw_exchange(srv, b"GET /dir HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % host.encode())
        assert re.search(rb"\r\nLocation: (\S+)\r\n", raw).group(1) == (base + "/dir/").encode(), host
    raw = raw_exchange(srv, b"GET http://Example.com/list/sub?x:1 HTTP/1.1\r\nHost: other:7\r\n"
                            b"Connection: close\r\n\r\n")
    assert re.search(rb"\r\nLocation: (\S+)\r\n", raw).group(1) == b"http://example.com/list/sub/?x:1"
    # HEAD: the same answer without a body; curl -L follows it to the index.
    assert srv.request("HEAD", "/dir")[0] == 301
    status, _, body = curl(srv, "/dir", "-L")
    assert (status, body) == (200, b"<p>dir index</p>\n")


def test_directory_without_index_is_forbidden(srv):
    assert srv.get("/noindex/")[0] == 403
    assert srv.get("/noindex/file.txt")[0] == 200


def test_missing_files_are_404(srv):
    for path in ("/nope", "/nope/", "/dir/nope.txt", "/hello.txt/x", "/hello.txt/", "/nodir/x/y"):
        assert srv.get(path)[0] == 404, path


def test_fifo_is_refused_without_blocking(srv):
    t = time.time()
    assert srv.get("/fifo")[0] == 403
    assert time.time() - t < 3


# ---- methods --------------------------------------------------------------------

def test_other_methods_get_405_with_allow(srv):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        for path in ("/hello.txt", "/dir/", "/list/"):
            status, h, _ = srv.request(method, path, body=b"x" if method != "DELETE" else None)
            assert (status, h.get("allow")) == (405, "GET, HEAD, OPTIONS"), (method, path)
    status, h, _ = curl(srv, "/hello.txt", "-X", "POST", "-d", "a=b")
    assert (status, h["allow"]) == (405, "GET, HEAD, OPTIONS")


def test_options_on_a_file(srv):
    raw = raw_exchange(srv, b"OPTIONS /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 ")
    assert b"\r\nAllow: GET, HEAD, OPTIONS" in head
    assert b"\r\nContent-Length: 0" in head
    assert body == b""


# ---- conditional requests ----------------------------------------------------

def test_if_none_match_and_if_modified_since(srv):
    tag = etag_of(srv.docroot / "hello.txt")
    lm = http_date(OLD)

    def get(**headers):
        return srv.get("/hello.txt", headers={k.replace("_", "-"): v for k, v in headers.items()})

    for inm in (tag, "W/" + tag, '"other", ' + tag, "*"):  # weak comparison; lists; "*"
        status, h, body = get(If_None_Match=inm)
        assert (status, body) == (304, b""), inm
        assert h["etag"] == tag and h["last-modified"] == lm
        assert "content-length" not in h
    assert get(If_None_Match='"other"')[0] == 200
    assert get(If_Modified_Since=lm)[0] == 304
    assert get(If_Modified_Since=http_date(OLD + 3600))[0] == 304
    assert get(If_Modified_Since=http_date(OLD - 1))[0] == 200
    assert get(If_Modified_Since=http_date(time.time() + 86400))[0] == 200  # a future date is invalid
    assert get(If_Modified_Since="yesterday")[0] == 200
    # If-None-Match decides alone when present (RFC 9110 13.2.2 step 3).
    assert get(If_None_Match='"other"', If_Modified_Since=lm)[0] == 200
    assert get(If_None_Match=tag, If_Modified_Since=http_date(OLD - 1))[0] == 304
    # HEAD too.
    assert srv.request("HEAD", "/hello.txt", headers={"If-None-Match": tag})[0] == 304
    # curl -z sends If-Modified-Since.
    assert curl(srv, "/hello.txt", "-z", lm)[0] == 304


def test_if_match_and_if_unmodified_since(srv):
    tag = etag_of(srv.docroot / "hello.txt")
    lm = http_date(OLD)

    def get(**headers):
        return srv.get("/hello.txt", headers={k.replace("_", "-"): v for k, v in headers.items()})[0]

    assert get(If_Match=tag) == 200
    assert get(If_Match='"a", ' + tag) == 200
    assert get(If_Match="*") == 200
    assert get(If_Match='"other"') == 412
    assert get(If_Match="W/" + tag) == 412  # strong comparison
    assert get(If_Unmodified_Since=lm) == 200
    assert get(If_Unmodified_Since=http_date(OLD - 60)) == 412
    assert get(If_Unmodified_Since="garbage") == 200  # invalid: ignored
    # Precedence: If-Match first, If-Unmodified-Since only without it ...
    assert get(If_Match=tag, If_Unmodified_Since=http_date(OLD - 60)) == 200
    # ... and both before If-None-Match / If-Modified-Since: 412 beats 304.
    assert get(If_Match='"other"', If_None_Match=tag) == 412
    assert get(If_Unmodified_Since=http_date(OLD - 60), If_Modified_Since=lm) == 412
    assert get(If_Match=tag, If_None_Match=tag) == 304


# ---- ranges -----------------------------------------------------------------------

def get_range(s, spec, path="/digits.bin", **extra):
    headers = {"Range": spec}
    headers.update({k.replace("_", "-"): v for k, v in extra.items()})
    return s.get(path, headers=headers)


def test_single_ranges(srv):
    size = len(DIGITS)
    cases = {"bytes=0-4": (0, 4), "bytes=1000-": (1000, size - 1), "bytes=-3": (size - 3, size - 1),
             "bytes=7-7": (7, 7), "bytes=10-999999": (10, size - 1), "bytes=-5000": (0, size - 1),
             "BYTES=2-3": (2, 3), "bytes= 4-5 ": (4, 5), "bytes=0-1,0-3": (0, 3), "bytes=0-1,2-3": (0, 3)}
    for spec, (a, b) in cases.items():
        status, h, body = get_range(srv, spec)
        assert status == 206, spec
        assert h["content-range"] == "bytes %d-%d/%d" % (a, b, size), spec
        assert body == DIGITS[a:b + 1] and h["content-length"] == str(b - a + 1), spec
        assert h["etag"] == etag_of(srv.docroot / "digits.bin")
    status, h, body = curl(srv, "/medium.bin", "-r", "100000-299999")
    assert status == 206 and body == (srv.docroot / "medium.bin").read_bytes()[100000:300000]


def test_unsatisfiable_range_is_416(srv):
    for spec in ("bytes=1024-", "bytes=5000-6000", "bytes=-0", "bytes=2000-,3000-3001"):
        status, h, _ = get_range(srv, spec)
        assert (status, h.get("content-range")) == (416, "bytes */1024"), spec
    assert get_range(srv, "bytes=0-", path="/empty.txt")[0] == 416


def test_invalid_range_is_ignored(srv):
    for spec in ("bytes=5-2", "bytes=abc", "items=0-1", "bytes=", "bytes=-", "bytes=1-2;x", "bytes 0-1",
                 "bytes=0-1,5-2"):
        status, h, body = get_range(srv, spec)
        assert (status, body) == (200, DIGITS), spec
    # Range is for GET only: HEAD answers 200; other methods 405 anyway.
    status, h, _ = srv.request("HEAD", "/digits.bin", headers={"Range": "bytes=0-1"})
    assert (status, h["content-length"]) == (200, "1024")
    # Two Range fields: invalid, ignored.
    raw = raw_exchange(srv, b"GET /digits.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\nRange: bytes=2-3\r\n"
                            b"Connection: close\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200 ")


def test_multiple_ranges_multipart(srv):
    size = len(DIGITS)
    status, h, body = get_range(srv, "bytes=0-9, 20-29, -5")
    assert status == 206 and "content-range" not in h
    assert int(h["content-length"]) == len(body)
    parts = parse_byteranges(body, h["content-type"])
    assert [(a, b) for a, b, *_ in parts] == [(0, 9), (20, 29), (size - 5, size - 1)]
    for a, b, total, ph, data in parts:
        assert total == size and data == DIGITS[a:b + 1]
        assert ph["content-type"] == "application/octet-stream"
    # Overlapping, touching and unordered ranges are merged and sorted.
    status, h, body = get_range(srv, "bytes=500-599,0-5,3-9,10-10,550-700")
    parts = parse_byteranges(body, h["content-type"])
    assert [(a, b) for a, b, *_ in parts] == [(0, 10), (500, 700)]
    assert all(d == DIGITS[a:b + 1] for a, b, _, _, d in parts)
    # Unsatisfiable members are dropped.
    status, h, body = get_range(srv, "bytes=0-1,5000-6000,3-4")
    assert [(a, b) for a, b, *_ in parse_byteranges(body, h["content-type"])] == [(0, 1), (3, 4)]
    # Parts carry the file's type; curl reads the same multipart.
    status, h, body = curl(srv, "/hello.txt", "-r", "0-1,6-7")
    parts = parse_byteranges(body, h["content-type"])
    assert [(p[3]["content-type"], p[4]) for p in parts] == [("text/plain", b"he"), ("text/plain", b"wo")]


def test_many_ranges_beyond_max_ranges_get_the_whole_file(srv):
    spec = "bytes=" + ",".join("%d-%d" % (2 * i, 2 * i) for i in range(200))
    status, h, body = get_range(srv, spec)
    parts = parse_byteranges(body, h["content-type"])
    assert status == 206 and len(parts) == 200
    assert all(d == DIGITS[a:a + 1] for a, _, _, _, d in parts)
    spec = "bytes=" + ",".join("%d-%d" % (2 * i, 2 * i) for i in range(201))
    status, h, body = get_range(srv, spec)
    assert (status, body) == (200, DIGITS)


def test_if_range(srv):
    tag = etag_of(srv.docroot / "digits.bin")
    assert get_range(srv, "bytes=0-1", If_Range=tag)[:3:2] == (206, DIGITS[0:2])
    assert get_range(srv, "bytes=0-1", If_Range='"stale"')[:3:2] == (200, DIGITS)
    assert get_range(srv, "bytes=0-1", If_Range="W/" + tag)[0] == 200  # weak never matches
    assert get_range(srv, "bytes=0-1", If_Range=http_date(OLD))[0] == 206
    assert get_range(srv, "bytes=0-1", If_Range=http_date(OLD + 1))[0] == 200
    assert get_range(srv, "bytes=0-1", If_Range="not a date")[0] == 200
    # If-Range false with an unsatisfiable range: the whole file, not 416.
    assert get_range(srv, "bytes=9999-", If_Range='"stale"')[0] == 200


# ---- listing ------------------------------------------------------------------

def test_directory_listing(srv):
    status, h, body = srv.get("/list/")
    assert status == 200
    assert h["content-type"] == "text/html;charset=UTF-8"
    assert int(h["content-length"]) == len(body)
    html = body.decode("utf-8")
    assert "<title>Index of /list/</title>" in html
    # The odd name: escaped as text, percent-encoded in the link.
    assert '<a href="%3Cb%3E&amp;%22x%20y.txt">&lt;b&gt;&amp;&quot;x y.txt</a>' in html
    assert ODD_NAME not in html
    assert 'href="./a:b.txt"' in html  # not read as a URL scheme
    assert 'href="caf%C3%A9.txt">caf\u00e9.txt<' in html
    assert '<a href="../">Parent Directory</a>' in html
    assert ".hidden" not in html
    assert 'title="2048 bytes">2.0K<' in html
    assert time.strftime("%Y-%m-%d %H:%M", time.gmtime(OLD)) in html
    hrefs = re.findall(r'<td><a href="([^"]+)">', html)
    assert hrefs == ["../", "sub/", "%3Cb%3E&amp;%22x%20y.txt", "./a:b.txt", "caf%C3%A9.txt", "zz.bin"]
    # Every link leads to the entry.
    base = "http://127.0.0.1:%d/list/" % srv.port
    for href in hrefs[2:]:
        url = urllib.parse.urljoin(base, href.replace("&amp;", "&"))
        status, _, got = srv.get(urllib.parse.urlsplit(url).path)
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path[len("/list/"):])
        assert (status, got) == (200, (srv.docroot / "list" / name).read_bytes()), href
    # Sorting as Apache's column links ask; directories stay first.
    html = srv.get("/list/?C=S;O=D")[2].decode()
    assert re.findall(r'<td><a href="([^"]+)">', html)[1:3] == ["sub/", "zz.bin"]
    assert '<a href="?C=S;O=A">Size</a>' in html
    # HEAD: the same length, no body.
    status, h2, body2 = srv.request("HEAD", "/list/")
    assert (status, body2, h2["content-length"]) == (200, b"", h["content-length"])


# ---- keep-alive ------------------------------------------------------------------

def test_pipelined_requests_answered_in_order(srv):
    tag = etag_of(srv.docroot / "hello.txt")
    plan = []
    for i in range(20):
        plan += [("GET", "/hello.txt", ""), ("GET", "/medium.bin", ""), ("HEAD", "/digits.bin", ""),
                 ("GET", "/digits.bin", "Range: bytes=%d-%d\r\n" % (i, i + 9)),
                 ("GET", "/hello.txt", "If-None-Match: %s\r\n" % tag), ("GET", "/nope%d" % i, "")]
    plan = plan[:90]  # below MaxKeepAliveRequests 100
    data = b"".join(b"%s %s HTTP/1.1\r\nHost: x\r\n%s\r\n" % (m.encode(), p.encode(), x.encode()) for m, p, x in plan)
    medium = (srv.docroot / "medium.bin").read_bytes()
    with srv.connect(timeout=20) as sock:
        sock.sendall(data)
        responses, rest = read_responses(sock, [m for m, _, _ in plan], timeout=20)
    assert rest == b""
    for i, ((method, path, extra), (status, h, body)) in enumerate(zip(plan, responses)):
        if path.startswith("/nope"):
            assert status == 404
        elif extra.startswith("If-None-Match"):
            assert (status, body) == (304, b"")
        elif extra.startswith("Range"):
            a = int(extra.split("=")[1].split("-")[0])
            assert (status, body) == (206, DIGITS[a:a + 10]), i
        elif method == "HEAD":
            assert (status, body, h["content-length"]) == (200, b"", "1024")
        else:
            assert (status, body) == (200, medium if path == "/medium.bin" else b"hello world\n"), i


# ---- large files -------------------------------------------------------------------

def test_large_file_byte_exact(make_server, mpm, tmp_path):
    """A file over 100 MiB, sparse with random blocks spread through it (so a
    misplaced offset shows), streamed and hashed on both sides."""
    s = make_server(start=False, mpm=mpm)
    size = 100 * 1024 * 1024 + 12345
    path = s.docroot / "big.bin"
    want = hashlib.sha256()
    with open(path, "wb") as f:
        f.truncate(size)
        for off in list(range(0, size, 8 * 1024 * 1024)) + [size - 65536]:
            f.seek(off)
            f.write(os.urandom(65536 if off + 65536 <= size else size - off))
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            want.update(block)
    s.start()
    with s.connect(timeout=30) as sock:
        sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += sock.recv(65536)
        head, body = buf.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200 ")
        assert b"\r\nContent-Length: %d\r\n" % size in head
        got, n = hashlib.sha256(body), len(body)
        while True:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            got.update(chunk)
            n += len(chunk)
    assert n == size
    assert got.hexdigest() == want.hexdigest()
    # A range deep in the file.
    a, b = size - 70000, size - 1
    status, h, body = s.get("/big.bin", headers={"Range": "bytes=%d-" % a})
    with open(path, "rb") as f:
        f.seek(a)
        assert (status, body) == (206, f.read())
    assert h["content-range"] == "bytes %d-%d/%d" % (a, b, size)
    assert_no_open_files(s)


# ---- configuration --------------------------------------------------------------

def test_add_type_in_directory_and_location(make_server, mpm):
    s = make_server(start=False, mpm=mpm, config="""
AddType application/x-everywhere .qqq
<Directory "{d}/typed">
    AddType application/x-special .txt
</Directory>
<Location "/loc">
    AddType text/x-loc .dat
</Location>
""".format(d="DOCROOT"))
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    for p in ("hello.txt", "x.qqq", "typed/a.txt", "typed/a.qqq", "loc/a.dat", "a.dat"):
        s.write(p, "x")
    s.start()
    expect = {"/hello.txt": "text/plain", "/x.qqq": "application/x-everywhere",
              "/typed/a.txt": "application/x-special", "/typed/a.qqq": "application/x-everywhere",
              "/loc/a.dat": "text/x-loc", "/a.dat": None}
    for path, ctype in expect.items():
        status, h, _ = s.get(path)
        assert (status, h.get("content-type")) == (200, ctype), path


def test_handler_names(make_server, mpm):
    s = make_server(start=False, mpm=mpm, config="""
<Location "/as-static">
    SetHandler static-file
</Location>
<Location "/as-default">
    SetHandler default-handler
</Location>
<Location "/other">
    SetHandler something-else
</Location>
""")
    for d in ("as-static", "as-default", "other"):
        s.write(d + "/f.txt", d)
    s.start()
    assert s.get("/as-static/f.txt")[::2] == (200, b"as-static")
    assert s.get("/as-default/f.txt")[::2] == (200, b"as-default")
    assert s.get("/other/f.txt")[0] == 500  # no module claims the handler (AH00523)
    assert 'handler "something-else" not found' in s.error_log()


def test_max_ranges_directive(make_server, mpm):
    s = make_server(start=False, mpm=mpm, config="""
MaxRanges 2
<Location "/none">
    MaxRanges none
</Location>
""")
    s.write("d.bin", DIGITS)
    s.write("none/d.bin", DIGITS)
    s.start()
    assert s.get("/d.bin", headers={"Range": "bytes=0-0,2-2"})[0] == 206
    assert s.get("/d.bin", headers={"Range": "bytes=0-0,2-2,4-4"})[::2] == (200, DIGITS)
    assert s.get("/none/d.bin", headers={"Range": "bytes=0-0"})[::2] == (200, DIGITS)
    bad = Server(s.root.parent / "bad", mpm=mpm, config="MaxRanges lots")
    r = bad.run("-t")
    assert r.returncode != 0 and "MaxRanges must be" in r.stdout + r.stderr


def test_follow_symlinks_off(make_server, mpm, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    s = make_server(start=False, mpm=mpm, config="""
<Directory "DOCROOT/nolinks">
    Options Indexes
</Directory>
""")
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    s.write("target.txt", "target")
    s.write("realdir/inner.txt", "inner")
    s.write("realdir/index.html", "real index")
    s.write("nolinks/plain.txt", "plain")
    s.write("nolinks/sub/index.html", "sub index")
    s.write("nolinks/idx/.keep", "")
    s.write("links/plain.txt", "plain")
    d = s.docroot
    for where in ("nolinks", "links"):
        os.symlink("../target.txt", d / where / "link.txt")
        os.symlink("../realdir", d / where / "linkdir")
        os.symlink(outside / "secret.txt", d / where / "out.txt")
    os.symlink("../../target.txt", d / "nolinks" / "idx" / "index.html")
    s.start()
    for path in ("/nolinks/link.txt", "/nolinks/linkdir", "/nolinks/linkdir/", "/nolinks/linkdir/inner.txt",
                 "/nolinks/out.txt", "/nolinks/idx/"):
        assert s.get(path)[0] == 403, path
    assert s.get("/nolinks/plain.txt")[::2] == (200, b"plain")
    assert s.get("/nolinks/sub/")[::2] == (200, b"sub index")
    html = s.get("/nolinks/")[2].decode()
    assert "plain.txt" in html and "link.txt" not in html and "linkdir" not in html
    # FollowSymLinks on (the default): links are followed, as in Apache.
    assert s.get("/links/link.txt")[::2] == (200, b"target")
    assert s.get("/links/linkdir/inner.txt")[::2] == (200, b"inner")
    assert s.get("/links/linkdir/")[::2] == (200, b"real index")
    assert s.get("/links/out.txt")[::2] == (200, b"secret")
    assert "AH00037" in s.error_log()
    assert_no_open_files(s)


def test_symlinks_if_owner_match(make_server, mpm, tmp_path):
    # Apache: a link is followed only when its target has the link's owner;
    # otherwise 403 with AH00037. The links here are ours; the foreign
    # target belongs to someone else (nobody, when the tests run as root).
    s = make_server(start=False, mpm=mpm, config="""
<Directory "DOCROOT/owner">
    Options Indexes SymLinksIfOwnerMatch
</Directory>
""")
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    s.write("mine.txt", "mine")
    s.write("realdir/inner.txt", "inner")
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("foreign")
    if os.geteuid() == 0:
        os.chown(foreign, 65534, 65534)
        os.chmod(foreign, 0o644)
    else:
        foreign = "/etc/hostname"  # root's
    assert os.stat(foreign).st_uid != os.geteuid()
    d = s.docroot / "owner"
    d.mkdir()
    os.symlink("../mine.txt", d / "same.txt")
    os.symlink("../realdir", d / "samedir")
    os.symlink(str(foreign), d / "other.txt")
    s.start()
    assert s.get("/owner/same.txt")[::2] == (200, b"mine")
    assert s.get("/owner/samedir/inner.txt")[::2] == (200, b"inner")
    assert s.get("/owner/other.txt")[0] == 403
    assert "AH00037: Symbolic link not allowed or link target not accessible" in s.error_log()
    html = s.get("/owner/")[2].decode()
    assert "same.txt" in html and "samedir" in html and "other.txt" not in html
    assert_no_open_files(s)


def test_top_level_listing_and_special_files(make_server, mpm):
    s = make_server(start=False, mpm=mpm, config="""
<Directory "DOCROOT">
    Options Indexes FollowSymLinks
</Directory>
""")
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    s.write("a.txt", "a")
    os.mkfifo(s.docroot / "fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(s.docroot / "sock"))
    devices = False
    try:
        os.mknod(s.docroot / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        devices = True
    except OSError:
        pass
    try:
        s.start()
        html = s.get("/")[2].decode()
        assert "Parent Directory" not in html and 'href="a.txt"' in html
        assert "fifo" not in html and "sock" not in html and "null" not in html
        assert s.get("/fifo")[0] == 403
        assert s.get("/sock")[0] == 403
        if devices:
            assert s.get("/null")[0] == 403
        assert_no_open_files(s)
    finally:
        sock.close()


def _has_nobody():
    try:
        pwd.getpwnam("nobody")
        grp.getgrnam("nogroup")
        return True
    except KeyError:
        return False


@pytest.mark.skipif(os.geteuid() == 0 and not _has_nobody(), reason="root without a nobody/nogroup to drop to")
def test_unreadable_files_are_403(make_server, mpm):
    """EACCES: as root the server runs its children as nobody (root reads
    everything); as another user a mode-000 file is enough."""
    docroot = tempfile.mkdtemp(prefix="mh-static-")
    try:
        os.chmod(docroot, 0o755)
        drop = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
        s = make_server(start=False, mpm=mpm, config=drop + 'DocumentRoot "%s"\n' % docroot)
        for name, mode in (("ok.txt", 0o644), ("secret.txt", 0o000), ("closed/x.txt", 0o644),
                           ("noidx/index.html", 0o000)):
            p = os.path.join(docroot, name)
            os.makedirs(os.path.dirname(p), mode=0o755, exist_ok=True)
            with open(p, "w") as f:
                f.write(name)
            os.chmod(p, mode)
        os.chmod(os.path.join(docroot, "closed"), 0o700)
        s.start()
        assert s.get("/ok.txt")[::2] == (200, b"ok.txt")
        assert s.get("/secret.txt")[0] == 403
        assert s.get("/closed/x.txt")[0] == 403
        assert s.get("/noidx/")[0] == 403
        assert "AH00132" in s.error_log()
    finally:
        shutil.rmtree(docroot)


@pytest.mark.parametrize("tokens,banner", [
    ("Prod", "modhttpd"), ("ProductOnly", "modhttpd"), ("Major", "modhttpd/0"), ("Minor", "modhttpd/0.1"),
    ("Min", "modhttpd/0.1.0"), ("Minimal", "modhttpd/0.1.0"), ("OS", "modhttpd/0.1.0 (Unix)"),
    ("Full", "modhttpd/0.1.0 (Unix)"),
])
def test_server_tokens_forms(make_server, tokens, banner):
    s = make_server(config="ServerTokens %s\nServerSignature On\n" % tokens)
    status, headers, body = s.get("/missing")
    assert status == 404 and headers["server"] == banner
    assert ("<address>%s Server at 127.0.0.1 Port %d</address>" % (banner, s.port)).encode() in body


def test_server_signature_off_on_email_and_per_directory(make_server, mpm):
    s = make_server(start=False, mpm=mpm, config="""
ServerAdmin webmaster@example.com
<Location /signed>
    ServerSignature On
</Location>
<Location /mail>
    ServerSignature EMail
</Location>
<Directory "DOCROOT/listed">
    Options Indexes
    ServerSignature On
</Directory>
""")
    s.conf.write_text(s.conf.read_text().replace("DOCROOT", str(s.docroot)))
    s.write("listed/a.txt", "a")
    s.write("plain/a.txt", "a")
    s.start()
    # Off, Apache's default: no signature at all.
    body = s.get("/missing")[2]
    assert b"<address>" not in body and b"<hr>" not in body
    assert body.startswith(b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"')
    # On: the host and port the client asked for.
    status, _, body = s.get("/signed/x", headers={"Host": "www.example.org:8000"})
    assert status == 404
    assert b"<hr>\n<address>modhttpd/0.1.0 (Unix) Server at www.example.org Port 8000</address>\n</body>" in body
    body = s.get("/signed/x", headers={"Host": "www.example.org"})[2]
    assert ("Server at www.example.org Port %d<" % s.port).encode() in body
    # EMail: the host links to ServerAdmin.
    body = s.get("/mail/x")[2]
    assert ('Server at <a href="mailto:webmaster@example.com">127.0.0.1</a> Port %d' % s.port).encode() in body
    # Listings sign too where it is on; the redirect to the slash form as well.
    assert b"<address>" in s.get("/listed/")[2]
    status, headers, body = s.get("/listed")
    assert status == 301 and b"<address>" in body
    assert b"<address>" not in s.get("/plain")[2]


def test_server_signature_rejects_unknown_values(make_server):
    s = make_server(start=False, config="ServerSignature Maybe")
    r = s.run("-t")
    assert r.returncode == 1 and "ServerSignature: use one of: off | on | email" in r.stderr
