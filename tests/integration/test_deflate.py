"""mod_deflate (the DEFLATE output filter) and mod_filter
(AddOutputFilterByType) under each MPM, compared with what Apache 2.4.71
does with the same configuration: when a body is gzipped and when not, the
headers that come with it, and that a file no filter wants still leaves by
sendfile(2)."""
import gzip
import os
import random
import re
import shutil
import signal
import subprocess
import time
import zlib

import pytest

from harness import module_file, parse_responses

MODULES = ("static_module", "deflate_module", "filter_module", "headers_from_query_module", "echo_module")
CONFIG = """
AddOutputFilterByType DEFLATE text/html text/plain
<Location /so>
    SetOutputFilter DEFLATE
</Location>
<Location /echo>
    SetHandler echo
    SetOutputFilter DEFLATE
</Location>
<Location /list>
    Options Indexes
</Location>
DeflateFilterNote Input in_bytes
DeflateFilterNote Output out_bytes
DeflateFilterNote Ratio ratio
CustomLog logs/deflate_log "%U %{in_bytes}n %{out_bytes}n %{ratio}n"
"""
GZIP = {"Accept-Encoding": "gzip"}
PAGE = ("<html><body>" + "hello world " * 500 + "</body></html>\n").encode()


def text(n, seed=1):
    """n bytes of text that compresses, but not to nothing."""
    rnd = random.Random(seed)
    words = [b"alpha", b"beta", b"gamma", b"delta", b"modhttpd", b"deflate", b"\n", b"<p>"]
    out = bytearray()
    while len(out) < n:
        out += rnd.choice(words) + b" "
    return bytes(out[:n])


def gunzip(body):
    """Strict: one gzip member, its CRC and length checked, nothing after it."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = d.decompress(body) + d.flush()
    assert d.eof and d.unused_data == b""
    return out


@pytest.fixture
def server(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG)
    s.write("index.html", PAGE)
    s.write("page.txt", text(5000))
    s.write("img.png", os.urandom(5000))
    s.write("empty.html", b"")
    s.write("small.html", b"tiny body\n")  # 10 bytes: Apache leaves it alone
    s.write("edge68.html", b"x" * 68)       # Apache's limit: at most 68 bytes stay plain
    s.write("edge69.html", b"x" * 69)
    s.write("so/data.bin", text(3000))
    s.write("list/a-file-with-a-long-name.txt", b"x")
    s.write("list/another-file-with-a-long-name.txt", b"y")
    s.start()
    return s


def test_gzip_when_the_client_takes_it(server):
    status, headers, body = server.get("/index.html", headers=GZIP)
    assert status == 200
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gunzip(body) == PAGE and gzip.decompress(body) == PAGE
    # The whole output fitted in one buffer: it left with a length (Apache's
    # content-length filter does the same), no chunks.
    assert headers["content-length"] == str(len(body)) and "transfer-encoding" not in headers
    assert headers["etag"].endswith('-gzip"')
    # Apache's framing, byte for byte: no name, mtime 0, OS Unix.
    assert body[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
    # The ratio notes of DeflateFilterNote.
    assert "/index.html %d %d %d" % (len(PAGE), len(body) - 18, (len(body) - 18) * 100 // len(PAGE)) in \
        wait_for_log(server, "/index.html")


def wait_for_log(server, path):
    log = server.root / "logs" / "deflate_log"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if log.exists() and path in log.read_text():
            break
        time.sleep(0.05)
    return log.read_text()


def test_curl_compressed(server):
    url = "http://127.0.0.1:%d/index.html" % server.port
    out = subprocess.run(["curl", "-s", "--compressed", "-D", "-", url], capture_output=True, check=True).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    assert b"\r\nContent-Encoding: gzip\r\n" in head and body == PAGE


@pytest.mark.parametrize("accept, compressed", [
    (None, False),
    ("gzip", True),
    ("GZIP;q=0.5", True),
    ("deflate, gzip;q=1.0, br", True),
    ("br;q=0, gzip", True),
    ("gzip;q=0", False),
    ("gzip; q=0.000", False),
    ("gzip;Q=0", False),  # Apache compares "q=0" with case and would compress
    ("deflate, br", False),
    ("x-gzip", False),    # Apache 2.4 takes only the word gzip
    ("*", False),
    ("identity", False),
])
def test_accept_encoding(server, accept, compressed):
    status, headers, body = server.get("/index.html", headers={"Accept-Encoding": accept} if accept else {})
    assert status == 200
    # Vary as Apache: whenever the answer depended on Accept-Encoding.
    assert headers["vary"] == "Accept-Encoding"
    if compressed:
        assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE
    else:
        assert "content-encoding" not in headers and body == PAGE
        assert headers["content-length"] == str(len(PAGE)) and not headers["etag"].endswith('-gzip"')


def test_accept_encoding_on_two_lines(server):
    data = server.raw(b"GET /index.html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n"
                      b"Accept-Encoding: gzip\r\nConnection: close\r\n\r\n")
    status, headers, body = parse_responses(data)[0]
    assert status == 200 and headers["content-encoding"] == "gzip" and gunzip(body) == PAGE


def test_head_gets_the_headers_and_no_body(server):
    data = server.raw(b"HEAD /index.html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
    head, _, rest = data.partition(b"\r\n\r\n")
    assert rest == b""
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v for k, _, v in (l.partition(": ") for l in lines[1:])}
    assert lines[0] == "HTTP/1.1 200 OK"
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert headers["etag"].endswith('-gzip"')
    # The compressed length is unknown without compressing: none is announced
    # (Apache, which compresses for HEAD too, sends it).
    assert "content-length" not in headers and "transfer-encoding" not in headers
    # Without gzip: the plain file's length.
    status, headers, body = server.request("HEAD", "/index.html")
    assert (status, body) == (200, b"") and headers["content-length"] == str(len(PAGE))
    assert "content-encoding" not in headers


def test_not_modified(server, make_server, mpm):
    _, plain, _ = server.get("/index.html")
    _, zipped, _ = server.get("/index.html", headers=GZIP)
    assert zipped["etag"] == plain["etag"][:-1] + '-gzip"'
    # The file's own ETag: 304, which no filter touches (Apache: the same).
    status, headers, body = server.get("/index.html", headers=dict(GZIP, **{"If-None-Match": plain["etag"]}))
    assert (status, body) == (304, b"")
    assert headers["etag"] == plain["etag"] and "content-encoding" not in headers and "vary" not in headers
    # The -gzip one names no file version: the full response again, as in
    # Apache 2.4 with DeflateAlterETag AddSuffix (its default).
    status, headers, body = server.get("/index.html", headers=dict(GZIP, **{"If-None-Match": zipped["etag"]}))
    assert status == 200 and gunzip(body) == PAGE
    # DeflateAlterETag NoChange: the gzip response's ETag validates.
    s2 = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG + "DeflateAlterETag NoChange\n")
    s2.write("index.html", PAGE)
    s2.start()
    _, headers, _ = s2.get("/index.html", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and headers["etag"] == _etag(s2)
    status, headers, _ = s2.get("/index.html", headers=dict(GZIP, **{"If-None-Match": headers["etag"]}))
    assert status == 304
    # Remove: no ETag on the gzip response.
    s3 = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG + "DeflateAlterETag Remove\n")
    s3.write("index.html", PAGE)
    s3.start()
    _, headers, _ = s3.get("/index.html", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and "etag" not in headers


def _etag(s):
    return s.get("/index.html")[1]["etag"]


def test_ranges_are_never_compressed(server):
    status, headers, body = server.get("/page.txt", headers=dict(GZIP, Range="bytes=0-9"))
    expected = (server.docroot / "page.txt").read_bytes()
    assert (status, body) == (206, expected[:10])
    assert headers["content-range"] == "bytes 0-9/%d" % len(expected)
    assert "content-encoding" not in headers and "vary" not in headers
    status, headers, body = server.get("/page.txt", headers=dict(GZIP, Range="bytes=0-9,100-109"))
    assert status == 206 and headers["content-type"].startswith("multipart/byteranges")
    assert "content-encoding" not in headers and expected[100:110] in body
    # DEFLATE itself (SetOutputFilter: no type harness in between) leaves 206s alone.
    for ranges in ("bytes=0-9", "bytes=0-9,100-109"):
        status, headers, body = server.get("/so/data.bin", headers=dict(GZIP, Range=ranges))
        assert status == 206 and "content-encoding" not in headers and text(3000)[:10] in body
    # A Range that does not apply: the whole file, compressed.
    status, headers, body = server.get("/page.txt", headers=dict(GZIP, Range="bytes=x-y"))
    assert status == 200 and headers["content-encoding"] == "gzip" and gunzip(body) == expected


@pytest.mark.parametrize("name, size, compressed", [
    ("empty.html", 0, False), ("small.html", 10, False), ("edge68.html", 68, False), ("edge69.html", 69, True),
])
def test_small_bodies_stay_plain(server, name, size, compressed):
    status, headers, body = server.get("/" + name, headers=GZIP)
    assert status == 200
    if compressed:
        assert headers["content-encoding"] == "gzip" and len(gunzip(body)) == size
    else:
        # As Apache: left alone before any other check, so no Vary either.
        assert "content-encoding" not in headers and "vary" not in headers
        assert len(body) == size and headers["content-length"] == str(size)


def test_an_encoded_body_is_not_encoded_again(server):
    status, headers, body = server.get("/index.html?fixup=Content-Encoding:br", headers=GZIP)
    assert headers["content-encoding"] == "br" and body == PAGE and "vary" not in headers
    # In err_headers_out too.
    status, headers, body = server.get("/index.html?always=Content-Encoding:x-custom", headers=GZIP)
    assert headers["content-encoding"] == "x-custom" and body == PAGE
    # identity, 7bit, 8bit and binary are no encoding: identity is replaced,
    # the others get gzip added.
    status, headers, body = server.get("/index.html?fixup=Content-Encoding:identity", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE
    status, headers, body = server.get("/index.html?fixup=Content-Encoding:8bit", headers=GZIP)
    assert headers["content-encoding"] == "8bit, gzip" and gunzip(body) == PAGE


def test_no_transform_is_for_proxies(server):
    # Apache compresses its own responses whatever Cache-Control says: only
    # a proxy may not transform them (mod_filter checks it for proxies only).
    status, headers, body = server.get("/index.html?fixup=Cache-Control:no-transform", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE


def test_content_md5_and_length_go(server):
    status, headers, body = server.get("/index.html?fixup=Content-MD5:abc", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and "content-md5" not in headers


@pytest.mark.skipif(not module_file("setenvif_module").exists(), reason="mod_setenvif is not built")
def test_environment_variables(make_server, mpm):
    config = CONFIG + """
SetEnvIf Request_URI nogzip no-gzip
SetEnvIf Request_URI onlyhtml gzip-only-text/html=1
SetEnvIf Request_URI force force-gzip
"""
    s = make_server(start=False, mpm=mpm, modules=MODULES + ("setenvif_module",), config=config)
    s.write("nogzip/index.html", PAGE)
    s.write("onlyhtml/index.html", PAGE)
    s.write("onlyhtml/page.txt", PAGE)
    s.write("force/index.html", PAGE)
    s.start()
    status, headers, body = s.get("/nogzip/index.html", headers=GZIP)
    assert body == PAGE and "content-encoding" not in headers and "vary" not in headers
    _, headers, body = s.get("/onlyhtml/index.html", headers=GZIP)
    assert headers["content-encoding"] == "gzip"
    _, headers, body = s.get("/onlyhtml/page.txt", headers=GZIP)
    assert "content-encoding" not in headers and body == PAGE
    _, headers, body = s.get("/force/index.html")  # no Accept-Encoding at all
    assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE


def test_set_output_filter(server):
    # SetOutputFilter: whatever the type.
    status, headers, body = server.get("/so/data.bin", headers=GZIP)
    assert headers["content-type"] == "application/octet-stream"
    assert headers["content-encoding"] == "gzip" and gunzip(body) == text(3000)
    # Added twice (SetOutputFilter and by type): the second sees gzip and lets it be.
    server.write("so/page.txt", PAGE)
    status, headers, body = server.get("/so/page.txt", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE
    # The core's error pages go out as they are.
    status, headers, body = server.get("/so/missing", headers=GZIP)
    assert status == 404 and b"Not Found" in body and "content-encoding" not in headers


def test_add_output_filter_by_type(server):
    status, headers, body = server.get("/index.html", headers=GZIP)
    assert headers["content-encoding"] == "gzip"
    status, headers, body = server.get("/img.png", headers=GZIP)
    assert status == 200 and headers["content-type"] == "image/png"
    assert "content-encoding" not in headers and "vary" not in headers and len(body) == 5000
    # The directory index's type, and the listing's (text/html).
    _, headers, body = server.get("/", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and gunzip(body) == PAGE
    _, headers, body = server.get("/list/", headers=GZIP)
    assert headers["content-encoding"] == "gzip" and b"another-file-with-a-long-name.txt" in gunzip(body)
    # Only 200 responses, as Apache's harness.
    status, headers, body = server.get("/missing.html", headers=GZIP)
    assert status == 404 and "content-encoding" not in headers


def test_by_type_in_sections(make_server, mpm):
    config = CONFIG + """
AddType "text/html; charset=utf-8" .htm
<Directory "{root}/htdocs/sub">
    AddOutputFilterByType DEFLATE TEXT/CSS
</Directory>
<Location /other>
    AddOutputFilterByType NOSUCH;DEFLATE image/png
</Location>
"""
    s = make_server(start=False, mpm=mpm, modules=MODULES, config="")
    s.conf.write_text(s.conf.read_text() + config.replace("{root}", str(s.root)))
    for name in ("sub/a.css", "sub/index.html", "sub/page.txt", "a.css", "x.htm", "other/i.png"):
        s.write(name, PAGE)
    s.start()

    def encoding(path):
        status, headers, body = s.get(path, headers=GZIP)
        assert status == 200 and (gunzip(body) if "content-encoding" in headers else body) == PAGE
        return headers.get("content-encoding")

    assert encoding("/sub/a.css") == "gzip"      # types compare without case (Apache's with)
    assert encoding("/a.css") is None
    # A section that names DEFLATE replaces the types it inherits for it, as in Apache.
    assert encoding("/sub/index.html") is None and encoding("/sub/page.txt") is None
    # Parameters do not count.
    assert encoding("/x.htm") == "gzip"
    # An unknown name is skipped (and logged), the others are added.
    assert encoding("/other/i.png") == "gzip"
    assert "AH01380: Unknown filter NOSUCH not added" in s.error_log()


def test_large_file_byte_identical(server):
    big = text(6 * 1024 * 1024, seed=7)
    server.write("big.txt", big)
    status, headers, body = server.get("/big.txt", headers=GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert len(body) < len(big) // 2 and gunzip(body) == big
    url = "http://127.0.0.1:%d/big.txt" % server.port
    out = subprocess.run(["curl", "-s", "--compressed", url], capture_output=True, check=True).stdout
    assert out == big


def test_streamed_output_is_compressed_in_chunks(server):
    # mod_echo ?stream writes each piece of the request body as it reads it.
    payload = text(700000, seed=3)
    status, headers, body = server.request("POST", "/echo?stream", body=payload, headers=GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert headers["transfer-encoding"] == "chunked" and gunzip(body) == payload
    # A handler's own Content-Length goes: the compressed one is not it.
    status, headers, body = server.request("POST", "/echo", body=payload, headers=GZIP)
    assert status == 200 and headers["content-encoding"] == "gzip" and gunzip(body) == payload
    assert headers.get("content-length", str(len(body))) == str(len(body))


def test_keep_alive_and_http10_framing(server):
    req = b"GET /index.html HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
    big = text(300000, seed=5)
    server.write("big.txt", big)
    data = server.raw(req + b"GET /big.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n" + req[:-2] +
                      b"Connection: close\r\n\r\n")
    answers = parse_responses(data)
    assert [a[0] for a in answers] == [200, 200, 200]
    assert gunzip(answers[0][2]) == PAGE and gunzip(answers[1][2]) == big and gunzip(answers[2][2]) == PAGE
    # HTTP/1.0 has no chunks: the end of the connection ends the body.
    data = server.raw(b"GET /big.txt HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n")
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Content-Encoding: gzip" in head and b"Transfer-Encoding" not in head
    assert gunzip(body) == big


@pytest.mark.parametrize("directives", [
    "DeflateCompressionLevel 1", "DeflateCompressionLevel 9", "DeflateBufferSize 100", "DeflateBufferSize 1",
    "DeflateWindowSize 9\nDeflateMemLevel 1",
])
def test_tuning_directives(make_server, mpm, directives):
    s = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG + directives + "\n")
    big = text(200000, seed=9)
    s.write("big.txt", big)
    s.write("index.html", PAGE)
    s.start()
    for path, content in (("/big.txt", big), ("/index.html", PAGE)):
        status, headers, body = s.get(path, headers=GZIP)
        assert headers["content-encoding"] == "gzip" and gunzip(body) == content


def test_levels_differ(make_server, mpm):
    sizes = []
    for level in (1, 9):
        s = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG + "DeflateCompressionLevel %d\n" % level)
        s.write("big.txt", text(400000, seed=9))
        s.start()
        sizes.append(len(s.get("/big.txt", headers=GZIP)[2]))
    assert sizes[1] < sizes[0]


def test_zlib_refusing_the_window_sends_it_plain(make_server, mpm):
    # Apache takes 1..15, zlib's raw deflate only 9..15: Apache logs AH01383
    # and sends the body as it is (Vary already set).
    s = make_server(start=False, mpm=mpm, modules=MODULES, config=CONFIG + "DeflateWindowSize 4\n")
    s.write("index.html", PAGE)
    s.start()
    status, headers, body = s.get("/index.html", headers=GZIP)
    assert status == 200 and body == PAGE and "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    assert "AH01383: unable to init Zlib: deflateInit2 returned -2: URL /index.html" in s.error_log()


@pytest.mark.parametrize("line, message", [
    ("DeflateCompressionLevel 0", "Compression Level must be between 1 and 9"),
    ("DeflateCompressionLevel 10", "Compression Level must be between 1 and 9"),
    ("DeflateCompressionLevel abc", "Compression Level must be between 1 and 9"),
    ("DeflateWindowSize 16", "DeflateWindowSize must be between 1 and 15"),
    ("DeflateMemLevel 0", "DeflateMemLevel must be between 1 and 9"),
    ("DeflateBufferSize 0", "DeflateBufferSize should be positive"),
    ("DeflateBufferSize -5", "DeflateBufferSize should be positive"),
    ("DeflateAlterETag bogus", "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'"),
    ("DeflateFilterNote foo bar", "Unknown note type foo"),
    ("DeflateCompressionLevel 1 2", "DeflateCompressionLevel takes one argument, "
                                    "Set the Deflate Compression Level (1-9)"),
    ("<Location /x>\nDeflateBufferSize 5\n</Location>", "DeflateBufferSize not allowed in <Location> context"),
    ("AddOutputFilterByType DEFLATE", "AddOutputFilterByType requires at least two arguments"),
    ("AddOutputFilterByType", "AddOutputFilterByType requires at least two arguments"),
])
def test_directive_errors(make_server, line, message):
    s = make_server(start=False, modules=MODULES, config=line)
    r = s.run("-t")
    culprit = [l for l in line.split("\n") if not l.startswith("<")][0]
    lineno = s.conf.read_text().split("\n").index(culprit) + 1
    assert r.returncode != 0
    assert "Syntax error on line %d of %s: %s" % (lineno, s.conf, message) in r.stderr


def test_directives_accepted(make_server):
    config = "\n".join(["DeflateCompressionLevel 9x", "DeflateAlterETag nochange", "DeflateFilterNote r",
                        "DeflateFilterNote ratio r2", "<Location /x>", "AddOutputFilterByType DEFLATE;X text/css",
                        "</Location>"])
    s = make_server(start=False, modules=MODULES, config=config)
    r = s.run("-t")
    assert r.returncode == 0, r.stderr


# ---- sendfile: a file no filter wants is not read through the chain ----------

def _strace_sendfile(server, path):
    """The bytes the server's processes send with sendfile(2) while `path`
    is fetched, from strace attached to the master (-f: children it forks
    later too) and to every thread of every child."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (apt-get install -y strace)")
    log = server.root / "logs" / ("strace.%d" % time.monotonic_ns())
    tracer = None
    try:
        for _ in range(5):  # again if a child was forked while strace attached
            pids = [server.pid] + server.children()
            args = ["strace", "-f", "-qq", "-e", "trace=sendfile", "-o", str(log)]
            for p in pids:
                args += ["-p", str(p)]
            tracer = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 10
            while not all(_traced(p) for p in pids):
                if tracer.poll() is not None:
                    pytest.skip("strace cannot attach: %s" % tracer.stderr.read().decode(errors="replace"))
                assert time.monotonic() < deadline, "strace did not attach"
                time.sleep(0.05)
            if all(_traced(p) for p in server.children()):
                break
            _stop(tracer)
            tracer = None
        assert tracer is not None, "children keep appearing"
        status, headers, body = server.get(path, headers=GZIP)
        assert status == 200
    finally:
        if tracer is not None:
            _stop(tracer)
    sent = [re.search(r"= (\d+)$", l) for l in log.read_text().splitlines() if "sendfile" in l]
    return headers, body, sum(int(m.group(1)) for m in sent if m)


def _stop(tracer):
    tracer.send_signal(signal.SIGINT)
    tracer.wait(10)


def _traced(pid):
    """Every thread of the process has a tracer (or the process is gone)."""
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
        for t in tasks:
            with open("/proc/%d/task/%s/status" % (pid, t)) as f:
                if not any(l.startswith("TracerPid:") and l.split()[1] != "0" for l in f):
                    return False
    except OSError:
        return True
    return True


def test_unfiltered_file_still_uses_sendfile(server):
    size = 1024 * 1024
    data = os.urandom(size)
    server.write("big.bin", data)
    server.write("big.html", text(size))
    # AddOutputFilterByType names other types: no filter, sendfile.
    headers, body, sent = _strace_sendfile(server, "/big.bin")
    assert body == data and "content-encoding" not in headers
    assert sent == size
    # The compressed one goes through DEFLATE: read, never sendfile'd.
    headers, body, sent = _strace_sendfile(server, "/big.html")
    assert headers["content-encoding"] == "gzip" and gunzip(body) == text(size)
    assert sent == 0
