"""Malformed and adversarial requests, each with what the server must answer.

A case is (name, bytes sent on one connection, the statuses of the responses
in order, outcome). The outcome is CLOSED when the server must close the
connection after the last response, KEPT when the connection must go on
serving (checked with one more request on it).

The server under test (test_http_hostile.py) serves:
  /index.html, /sub/index.html   static files (mod_static: GET/HEAD only, POST is 405)
  /echo                          mod_echo: answers with the request body
  /small                         mod_echo with LimitRequestBody 10
and keeps a secret file next to htdocs (ServerRoot/secret.txt) that no
request may ever reach.

Framing is judged before the method or the handler: a malformed POST to a
static file is 400 (501 for an unknown transfer coding), never 405.
"""
from collections import namedtuple

CLOSED = "closed"
KEPT = "kept"

Case = namedtuple("Case", "name data statuses outcome")

H = b"Host: x\r\n"


def req(line, *headers, body=b"", host=True):
    """A request from its line, header lines (without CRLF) and body."""
    head = line + b"\r\n" + (H if host else b"") + b"".join(h + b"\r\n" for h in headers) + b"\r\n"
    return head + body


def post(*headers, body=b"", target=b"/index.html"):
    return req(b"POST " + target + b" HTTP/1.1", *headers, body=body)


def chunked(body, target=b"/index.html"):
    return post(b"Transfer-Encoding: chunked", body=body, target=target)


GOOD = req(b"GET /index.html HTTP/1.1")
MISSING = req(b"GET /missing.html HTTP/1.1")

CASES = [
    # ---- Content-Length / Transfer-Encoding: request smuggling -----------------
    Case("te-and-cl", post(b"Transfer-Encoding: chunked", b"Content-Length: 5", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("cl-and-te", post(b"Content-Length: 5", b"Transfer-Encoding: chunked", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("cl-and-te-to-echo", post(b"Content-Length: 4", b"Transfer-Encoding: chunked", body=b"0\r\n\r\n",
                                   target=b"/echo"), [400], CLOSED),
    Case("te-space-before-colon", post(b"Transfer-Encoding : chunked", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-xchunked", post(b"Transfer-Encoding: xchunked", body=b"0\r\n\r\n"), [501], CLOSED),
    Case("te-chunked-identity", post(b"Transfer-Encoding: chunked, identity", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-identity", post(b"Transfer-Encoding: identity", body=b"0\r\n\r\n"), [501], CLOSED),
    Case("te-gzip-chunked", post(b"Transfer-Encoding: gzip, chunked", body=b"0\r\n\r\n"), [501], CLOSED),
    Case("te-chunked-twice-in-one", post(b"Transfer-Encoding: chunked, chunked", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-duplicate-header", post(b"Transfer-Encoding: chunked", b"Transfer-Encoding: chunked",
                                     body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-duplicate-with-other", post(b"Transfer-Encoding: chunked", b"Transfer-Encoding: x",
                                         body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-trailing-comma", post(b"Transfer-Encoding: chunked,", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-empty", post(b"Transfer-Encoding:", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-vertical-tab", post(b"Transfer-Encoding:\x0bchunked", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-obs-fold", post(b"Transfer-Encoding:\r\n chunked", body=b"0\r\n\r\n"), [400], CLOSED),
    Case("te-in-http10", req(b"POST /echo HTTP/1.0", b"Transfer-Encoding: chunked", body=b"0\r\n\r\n", host=False),
         [400], CLOSED),
    # Valid spellings: HTAB as OWS, any case. The body is read and echoed.
    Case("te-tab-value", post(b"Transfer-Encoding:\tchunked", body=b"3\r\nabc\r\n0\r\n\r\n", target=b"/echo"),
         [200], KEPT),
    Case("te-uppercase", post(b"Transfer-Encoding: CHUNKED", body=b"3\r\nabc\r\n0\r\n\r\n", target=b"/echo"),
         [200], KEPT),
    # Not Transfer-Encoding at all: the body is framed by Content-Length.
    Case("te-underscore-is-another-field", post(b"Transfer_Encoding: chunked", b"Content-Length: 5", body=b"hello",
                                                target=b"/echo"), [200], KEPT),
    Case("cl-plus", post(b"Content-Length: +5", body=b"hello"), [400], CLOSED),
    Case("cl-space-inside", post(b"Content-Length: 1 0", body=b"0123456789"), [400], CLOSED),
    Case("cl-hex", post(b"Content-Length: 0x5", body=b"hello"), [400], CLOSED),
    Case("cl-negative", post(b"Content-Length: -1", body=b"hello"), [400], CLOSED),
    Case("cl-list", post(b"Content-Length: 5, 5", body=b"hello"), [400], CLOSED),
    Case("cl-empty", post(b"Content-Length:", body=b"hello"), [400], CLOSED),
    Case("cl-overflow", post(b"Content-Length: 99999999999999999999", body=b"hello"), [400], CLOSED),
    Case("cl-over-limit", post(b"Content-Length: 999999999999999999", body=b"hello", target=b"/echo"), [413], CLOSED),
    Case("cl-duplicate-different", post(b"Content-Length: 5", b"Content-Length: 6", body=b"hello!"), [400], CLOSED),
    Case("cl-duplicate-same", post(b"Content-Length: 5", b"Content-Length: 5", body=b"hello"), [400], CLOSED),
    Case("cl-surrounding-space-is-fine", post(b"Content-Length:  5 ", body=b"hello", target=b"/echo"), [200], KEPT),
    # A body that holds a request is data, never a second request.
    Case("cl-body-holds-a-request", post(b"Content-Length: 38", body=b"GET /../secret.txt HTTP/1.1\r\nHost: x\r\n",
                                         target=b"/echo"), [200], KEPT),
    Case("upgrade-with-chunked-body", post(b"Connection: Upgrade", b"Upgrade: h2c", b"Transfer-Encoding: chunked",
                                           body=b"20\r\nGET /../secret.txt HTTP/1.1\r\nX: \r\n0\r\n\r\n",
                                           target=b"/echo"), [200], KEPT),

    # ---- bad chunking ------------------------------------------------------------
    Case("chunk-missing-crlf-after-data", chunked(b"5\r\nhelloXX0\r\n\r\n"), [400], CLOSED),
    Case("chunk-data-longer-than-size", chunked(b"3\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-lf-only-after-data", chunked(b"5\r\nhello\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-bare-cr-after-size", chunked(b"5\rXhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-lf-only-after-size", chunked(b"5\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-negative", chunked(b"-5\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-overflow", chunked(b"ffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-size-16-digits", chunked(b"1000000000000000\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-non-hex", chunked(b"zz\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-0x-prefix", chunked(b"0x5\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-empty-size", chunked(b"\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-garbage", chunked(b"5 garbage\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-control", chunked(b"5;a=\x01\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-lf-inside", chunked(b"5;a\nb\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-unterminated-quote", chunked(b"5;a=\"b\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-too-long", chunked(b"5;" + b"e" * 9000 + b"\r\nhello\r\n0\r\n\r\n"), [400], CLOSED),
    Case("chunk-ext-valid", chunked(b"5;name=value;q=\"a b\"\r\nhello\r\n0\r\n\r\n", target=b"/echo"), [200], KEPT),
    Case("chunk-trailer-obs-fold", chunked(b"0\r\nX-T: 1\r\n folded\r\n\r\n"), [400], CLOSED),
    Case("chunk-trailer-space-before-colon", chunked(b"0\r\nX-T : 1\r\n\r\n"), [400], CLOSED),
    Case("chunk-over-limit-announced", chunked(b"ff\r\n", target=b"/small"), [413], CLOSED),
    Case("chunk-over-limit-streamed", chunked(b"6\r\n123456\r\n6\r\n123456\r\n0\r\n\r\n", target=b"/small"),
         [413], CLOSED),

    # ---- line and header limits (Apache's defaults: 8190 bytes, 100 fields) -------
    Case("request-line-too-long", req(b"GET /" + b"a" * 9000 + b" HTTP/1.1"), [414], CLOSED),
    Case("request-line-endless", b"GET /" + b"a" * 20000, [414], CLOSED),
    Case("header-too-long", req(b"GET /index.html HTTP/1.1", b"X-Long: " + b"v" * 9000), [431], CLOSED),
    Case("header-name-too-long", req(b"GET /index.html HTTP/1.1", b"X" * 9000 + b": v"), [431], CLOSED),
    Case("too-many-headers", req(b"GET /index.html HTTP/1.1", *[b"X-%d: v" % i for i in range(101)]), [431], CLOSED),
    Case("huge-number-of-headers", req(b"GET /index.html HTTP/1.1", *[b"a:" for _ in range(20000)]), [431], CLOSED),
    Case("blank-line-flood", b"\r\n" * 5000 + GOOD, [400], CLOSED),

    # ---- control characters and NUL bytes, everywhere --------------------------
    Case("nul-before-request", b"\x00" + GOOD, [400], CLOSED),
    Case("nul-in-method", b"GE\x00T /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("nul-in-target", b"GET /index.html\x00.txt HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("nul-in-version", b"GET /index.html HTTP/1.1\x00\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("nul-in-header-name", req(b"GET /index.html HTTP/1.1", b"X-A\x00B: v"), [400], CLOSED),
    Case("nul-in-header-value", req(b"GET /index.html HTTP/1.1", b"X-A: v\x00w"), [400], CLOSED),
    Case("nul-in-host", b"GET /index.html HTTP/1.1\r\nHost: x\x00y\r\n\r\n", [400], CLOSED),
    Case("ctl-in-header-value", req(b"GET /index.html HTTP/1.1", b"X-A: \x01\x02\x1b[31m"), [400], CLOSED),
    Case("del-in-target", b"GET /index\x7f.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("esc-in-method", b"G\x1bT /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("bare-cr-in-header-value", req(b"GET /index.html HTTP/1.1", b"X-A: a\rX-B: b"), [400], CLOSED),
    Case("bare-cr-ends-request-line", b"GET /index.html HTTP/1.1\rHost: x\r\n\r\n", [400], CLOSED),
    Case("bare-cr-ends-head", b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\r\n\r\n", [400], CLOSED),
    Case("obs-fold", req(b"GET /index.html HTTP/1.1", b"X-A: a", b" continued"), [400], CLOSED),
    Case("space-before-colon", req(b"GET /index.html HTTP/1.1", b"X-A : a"), [400], CLOSED),
    Case("header-without-colon", req(b"GET /index.html HTTP/1.1", b"X-A"), [400], CLOSED),
    Case("header-name-with-slash", req(b"GET /index.html HTTP/1.1", b"X/A: a"), [400], CLOSED),
    Case("raw-utf8-in-target", b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("fragment-in-target", b"GET /index.html#frag HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),

    # ---- methods and versions ---------------------------------------------------
    Case("method-with-slash", b"G/T /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("method-unknown", b"FOO /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [501], CLOSED),
    Case("method-lowercase", b"get /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [501], CLOSED),
    Case("method-connect", b"CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", [501], CLOSED),
    Case("version-2", b"GET /index.html HTTP/2.0\r\nHost: x\r\n\r\n", [505], CLOSED),
    Case("version-h2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", [505], CLOSED),
    Case("version-0.9-simple-request", b"GET /index.html\r\n\r\n", [400], CLOSED),
    Case("version-lowercase", b"GET /index.html http/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("version-malformed", b"GET /index.html HTTP/1.1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("version-three-digits", b"GET /index.html HTTP/10.0\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("request-line-tabs", b"GET\t/index.html\tHTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("request-line-double-space", b"GET  /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),
    Case("request-line-leading-space", b" GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", [400], CLOSED),

    # ---- Host ------------------------------------------------------------------------
    Case("host-missing", req(b"GET /index.html HTTP/1.1", host=False), [400], CLOSED),
    Case("host-twice", req(b"GET /index.html HTTP/1.1", b"Host: y"), [400], CLOSED),
    Case("host-with-path", b"GET /index.html HTTP/1.1\r\nHost: a/../b\r\n\r\n", [400], CLOSED),
    Case("host-with-userinfo", b"GET /index.html HTTP/1.1\r\nHost: good@evil\r\n\r\n", [400], CLOSED),
    Case("host-empty", b"GET /index.html HTTP/1.1\r\nHost: \r\n\r\n", [400], CLOSED),
    Case("host-empty-http10", b"GET /index.html HTTP/1.0\r\nHost: \r\n\r\n", [200], CLOSED),

    # ---- answered at once: no empty line follows, and none is waited for -------
    # (the server's RequestReadTimeout would answer 408 instead)
    Case("garbage-request-line-unended", b"\x01\x02\x03 / HTTP/1.1\r\n", [400], CLOSED),
    Case("binary-garbage-unended", bytes((i * 167 + 13) & 0xff for i in range(256)), [400], CLOSED),
    Case("http09-request-line-unended", b"GET /\r\n", [400], CLOSED),
    Case("bad-version-unended", b"GET / HTTP/1.1x\r\n", [400], CLOSED),
    Case("bad-header-unended", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n", [400], CLOSED),

    # ---- line ends: CRLF everywhere, a bare LF nowhere ---------------------------
    Case("bare-lf-everywhere", b"GET /index.html HTTP/1.1\nHost: x\n\n", [400], CLOSED),
    Case("bare-lf-ends-request-line", b"GET /index.html HTTP/1.1\nHost: x\r\n\r\n", [400], CLOSED),
    Case("bare-lf-ends-header", b"GET /index.html HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", [400], CLOSED),
    Case("bare-lf-ends-head", b"GET /index.html HTTP/1.1\r\nHost: x\r\n\n", [400], CLOSED),
    Case("bare-lf-blank-line-before-request", b"\n" + GOOD, [400], CLOSED),
    Case("bare-lf-in-trailer", chunked(b"0\r\nX-T: 1\n\r\n", target=b"/echo"), [400], CLOSED),

    # ---- path traversal, in every encoding --------------------------------------
    Case("traversal-plain", req(b"GET /../secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-deep", req(b"GET /sub/../../secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-encoded", req(b"GET /%2e%2e/secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-encoded-mixed-case", req(b"GET /%2E%2e/secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-half-encoded", req(b"GET /.%2e/secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-encoded-deep", req(b"GET /sub/%2e%2e/%2e%2e/secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-double-encoded", req(b"GET /%252e%252e/secret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-encoded-slash", req(b"GET /..%2fsecret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-encoded-slash-deep", req(b"GET /sub/..%2f..%2fsecret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-encoded-backslash", req(b"GET /%2e%2e%5csecret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-backslash", req(b"GET /..\\secret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-overlong-utf8", req(b"GET /%c0%ae%c0%ae/secret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-overlong-utf8-slash", req(b"GET /..%c0%afsecret.txt HTTP/1.1"), [404], KEPT),
    Case("traversal-absolute-form", req(b"GET http://x/../secret.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-encoded-nul", req(b"GET /index.html%00.txt HTTP/1.1"), [400], KEPT),
    Case("traversal-bad-escape", req(b"GET /%zz HTTP/1.1"), [400], KEPT),
    Case("path-double-slash", req(b"GET //secret.txt HTTP/1.1"), [404], KEPT),
    Case("path-dot-segments-inside", req(b"GET /./sub/./../index.html HTTP/1.1"), [200], KEPT),

    # ---- targets -------------------------------------------------------------------
    Case("absolute-form-other-host", req(b"GET http://evil.example/index.html HTTP/1.1"), [200], KEPT),
    Case("absolute-form-ftp", req(b"GET ftp://x/index.html HTTP/1.1"), [400], CLOSED),
    Case("absolute-form-userinfo", req(b"GET http://user@x/index.html HTTP/1.1"), [400], CLOSED),
    Case("authority-form-with-get", req(b"GET x:80 HTTP/1.1"), [400], CLOSED),
    Case("asterisk-with-get", req(b"GET * HTTP/1.1"), [400], CLOSED),
    Case("options-asterisk", req(b"OPTIONS * HTTP/1.1"), [200], KEPT),
    Case("expect-unknown", post(b"Expect: 100-continue-please", b"Content-Length: 1", body=b"x"), [417], CLOSED),

    # ---- pipelined garbage after good requests ------------------------------------
    Case("pipelined-garbage-after-good", GOOD + b"GARBAGE\r\n\r\n", [200, 400], CLOSED),
    Case("pipelined-404-then-bad-version", MISSING + b"GET / HTTP/9.9\r\nHost: x\r\n\r\n", [404, 505], CLOSED),
    Case("pipelined-good-good-nul", GOOD + GOOD + b"\x00\x00\x00\r\n\r\n", [200, 200, 400], CLOSED),
    Case("pipelined-good-then-smuggle-attempt", GOOD + post(b"Content-Length: 4", b"Transfer-Encoding: chunked",
                                                             body=b"0\r\n\r\nGET /../secret.txt HTTP/1.1\r\n\r\n"),
         [200, 400], CLOSED),
    Case("pipelined-after-bad-chunk", chunked(b"5\r\nhelloXX", target=b"/echo") + GOOD, [400], CLOSED),
    Case("pipelined-good-after-traversal", req(b"GET /../secret.txt HTTP/1.1") + GOOD, [400, 200], KEPT),
]
