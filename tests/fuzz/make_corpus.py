#!/usr/bin/env python3
"""Writes the hand-made seeds of tests/fuzz/corpus/<target>/.

    tests/fuzz/make_corpus.py

Seeds are named by what they show (files with hash names were added by
`run.sh merge`); rerunning rewrites the named ones and leaves the others.
fuzz_request_parser seeds start with the two control bytes and split sizes
described at the top of fuzz_request_parser.cpp.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- fuzz_request_parser ----------------------------------------------------

def control(limits=0, override=0, space=0, splits=()):
    """The prefix: limits byte, then mode byte with the split count, then sizes."""
    assert len(splits) < 16
    return bytes([limits, override | (space << 2) | (len(splits) << 4)]) + bytes(splits)


DEFAULT_LIMITS = 0x00  # 8190 / 8190 / 100 fields / 1 GiB
SMALL_LIMITS = 0x55    # 64 / 64 / 8 fields / unlimited body
TINY_BODY = 0xC0       # default head limits, LimitRequestBody 5
BODY_64 = 0x80         # default head limits, LimitRequestBody 64

H = "Host: example.com\r\n"

GOOD = {
    "get": "GET / HTTP/1.1\r\n" + H + "\r\n",
    "get-lf-only": "GET /a HTTP/1.1\nHost: a\n\n",
    "get-leading-crlf": "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n",
    "head-close": "HEAD /index.html HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n",
    "get-headers": "GET /search?q=a+b&x=%2F HTTP/1.1\r\n" + H +
                   "User-Agent: curl/8.0\r\nAccept: */*\r\nAccept-Encoding: gzip, br\r\n"
                   "Cookie: a=1; b=2\r\nX-Obs-Text: caf\xe9\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n",
    "pipelined": "GET /1 HTTP/1.1\r\n" + H + "\r\n"
                 "POST /2 HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello"
                 "GET /3 HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n",
    "post-length": "POST /submit HTTP/1.1\r\n" + H +
                   "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nhello=world",
    "post-length-zero": "POST /empty HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n",
    "chunked-ext-trailers": "POST /up HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                            "5;name=value\r\nhello\r\n6;a;b=\"q s\"\r\n world\r\nA\r\n0123456789\r\n"
                            "0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n"
                            "GET /after HTTP/1.1\r\n" + H + "\r\n",
    "chunked-simple": "PUT /f HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    "chunked-uppercase-hex": "POST / HTTP/1.1\r\n" + H + "transfer-encoding: Chunked\r\n\r\n"
                             "1F\r\n" + "x" * 31 + "\r\n0\r\n\r\n",
    "absolute-form": "GET http://example.com:8080/a/b?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n",
    "absolute-form-https-nopath": "GET https://example.com HTTP/1.1\r\n" + H + "\r\n",
    "options-star": "OPTIONS * HTTP/1.1\r\n" + H + "\r\n",
    "http10-keepalive": "GET /index.html HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                        "GET /b HTTP/1.0\r\nConnection: Keep-Alive, foo\r\n\r\n"
                        "GET /c HTTP/1.0\r\n\r\n",
    "http10-post": "POST /form HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc",
    "expect-100": "PUT /f HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 4\r\n\r\nabcd",
    "expect-100-chunked": "POST /f HTTP/1.1\r\n" + H + "Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n"
                          "4\r\nabcd\r\n0\r\n\r\n",
    "methods": "".join(m + " /m HTTP/1.1\r\n" + H + "\r\n"
                       for m in ["DELETE", "PATCH", "PROPFIND", "MKCOL", "TRACE", "PURGE", "REPORT"]),
    "encoded-path": "GET /a%20b/./c/../d%2e%2e/%7Euser/ HTTP/1.1\r\n" + H + "\r\n",
    "host-ipv6": "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
}

BAD = {
    # RFC 9112 / smuggling: two framings, ambiguous lengths, odd codings
    "cl-and-te": "POST / HTTP/1.1\r\n" + H + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
    "te-and-cl": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
    "cl-twice-different": "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "cl-twice-same": "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    "cl-list": "POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 5\r\n\r\nhello",
    "cl-plus": "POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\nhello",
    "cl-hex": "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x5\r\n\r\nhello",
    "cl-negative": "POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n",
    "cl-huge": "POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999\r\n\r\n",
    "cl-space-inside": "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\n0123456789",
    "te-identity-chunked": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n",
    "te-chunked-identity": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
    "te-chunked-twice": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-xchunked": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
    "te-space-before-colon": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "te-vtab": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n",
    "te-obs-fold": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
    "te-empty": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \r\n\r\n",
    "te-http10": "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-gzip": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "chunk-bare-lf": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n",
    "chunk-size-overflow": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                           "ffffffffffffffff1\r\nx\r\n0\r\n\r\n",
    "chunk-size-0x": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n",
    "chunk-size-negative": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
    "chunk-size-space": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
    "chunk-ext-bare-lf": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a\nhello\r\n0\r\n\r\n",
    "chunk-ext-bare-cr": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5;a\rb\r\nhello\r\n0\r\n\r\n",
    "chunk-data-no-crlf": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
    "chunk-data-too-long": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
    "chunk-last-no-crlf": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n"
                          "GET /smuggled HTTP/1.1\r\n" + H + "\r\n",
    "chunk-trailer-bad": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer\r\n\r\n",
    "chunk-trailer-te": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                        "0\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n",
    # request line
    "bare-cr": "GET / HTTP/1.1\rHost: a\r\n\r\n",
    "bare-cr-in-value": "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
    "double-space": "GET  / HTTP/1.1\r\n" + H + "\r\n",
    "trailing-junk": "GET / HTTP/1.1 x\r\n" + H + "\r\n",
    "http2-version": "GET / HTTP/2.0\r\n" + H + "\r\n",
    "http09": "GET /\r\n\r\n",
    "lowercase-version": "GET / http/1.1\r\n" + H + "\r\n",
    "lowercase-method": "get / HTTP/1.1\r\n" + H + "\r\n",
    "unknown-method": "FOO / HTTP/1.1\r\n" + H + "\r\n",
    "connect": "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    "nul-in-target": "GET /a\x00b HTTP/1.1\r\n" + H + "\r\n",
    "fragment": "GET /a#frag HTTP/1.1\r\n" + H + "\r\n",
    "star-not-options": "GET * HTTP/1.1\r\n" + H + "\r\n",
    "absolute-ftp": "GET ftp://example.com/ HTTP/1.1\r\n" + H + "\r\n",
    "absolute-no-host": "GET http:/a HTTP/1.1\r\n" + H + "\r\n",
    # headers
    "no-host": "GET / HTTP/1.1\r\n\r\n",
    "two-hosts": "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "host-bad-chars": "GET / HTTP/1.1\r\nHost: a b|c\r\n\r\n",
    "host-userinfo": "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
    "header-space-name": "GET / HTTP/1.1\r\n" + H + "X Y: z\r\n\r\n",
    "header-empty-name": "GET / HTTP/1.1\r\n" + H + ": z\r\n\r\n",
    "header-no-colon": "GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n",
    "header-nul-value": "GET / HTTP/1.1\r\n" + H + "X: a\x00b\r\n\r\n",
    "header-del-value": "GET / HTTP/1.1\r\n" + H + "X: a\x7fb\r\n\r\n",
    "expect-other": "PUT / HTTP/1.1\r\n" + H + "Expect: 200-ok\r\nContent-Length: 1\r\n\r\nx",
    # cut short by the end of input
    "eof-in-head": "GET / HTTP/1.1\r\nHost: a\r\n",
    "eof-in-body": "POST / HTTP/1.1\r\n" + H + "Content-Length: 10\r\n\r\nhalf",
    "eof-in-chunk": "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n10\r\nabc",
    "eof-after-cr": "GET / HTTP/1.1\r\n" + H + "\r\n\r",
    "many-blank-lines": "\r\n" * 20 + "GET / HTTP/1.1\r\n" + H + "\r\n",
}

# Seeds for the limits: they need the small limits of their control byte.
LIMITS = {
    "limit-request-line": (0x02, "GET /" + "a" * 40 + " HTTP/1.1\r\n" + H + "\r\n"),
    "limit-field-size": (0x08, "GET / HTTP/1.1\r\n" + H + "X-Long: " + "b" * 40 + "\r\n\r\n"),
    "limit-fields": (0x20, "GET / HTTP/1.1\r\n" + H + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n"),
    "limit-body-length": (TINY_BODY, "POST / HTTP/1.1\r\n" + H + "Content-Length: 6\r\n\r\nabcdef"),
    "limit-body-chunked": (TINY_BODY, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                                      "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"),
    "limit-body-chunked-64": (BODY_64, "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
                                       "20\r\n" + "x" * 32 + "\r\n20\r\n" + "y" * 32 + "\r\n1\r\nz\r\n0\r\n\r\n"),
    "limit-small-all": (SMALL_LIMITS, "GET /ok HTTP/1.1\r\nHost: a\r\n\r\n"
                                      "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"),
}


def request_parser_seeds():
    t = "fuzz_request_parser"
    for name, text in {**GOOD, **BAD}.items():
        write(t, name, control() + text.encode("latin-1"))                     # one byte at a time
        write(t, name + ".split", control(splits=(7, 1, 30, 0)) + text.encode("latin-1"))
    # A few with set_body_limit() after the head and other input_space() calls.
    write(t, "override-body-limit.chunked", control(override=2, space=1, splits=(5, 9)) +
          GOOD["chunked-ext-trailers"].encode("latin-1"))
    write(t, "override-body-limit.length", control(override=3, space=2, splits=(3,)) +
          GOOD["post-length"].encode("latin-1"))
    write(t, "input-space-zero.pipelined", control(space=3, splits=(16, 0)) +
          GOOD["pipelined"].encode("latin-1"))
    for name, (limits, text) in LIMITS.items():
        write(t, name, control(limits=limits) + text.encode("latin-1"))
        write(t, name + ".split", control(limits=limits, splits=(4, 60)) + text.encode("latin-1"))


# --- fuzz_uri_path ------------------------------------------------------------

URI = {
    "root": "/",
    "plain": "/a/b/c.html",
    "dir": "/a/b/",
    "dots": "/a/./b/../c",
    "dotdot-end": "/a/b/..",
    "dot-end": "/a/b/.",
    "above-root": "/../etc/passwd",
    "above-root-late": "/a/../../b",
    "encoded-dotdot": "/a/%2e%2e/%2E%2e/b",
    "encoded-dot-mixed": "/a/.%2e/b/%2e./c",
    "encoded-slash": "/a%2fb",
    "encoded-slash-upper": "/a%2Fb/c",
    "encoded-nul": "/a%00b",
    "bad-escape": "/a%zz",
    "short-escape": "/a%4",
    "percent-end": "/a%",
    "double-encoded": "/%252e%252e/x",
    "slashes": "//a///b//",
    "utf8": "/caf%C3%A9/%E2%82%AC",
    "space": "/a%20b/c d",
    "no-slash": "a/b",
    "empty": "",
    "query": "/a/b?x=/../y&z=%2f",
    "backslash": "/a\\..\\b",
    "high-bytes": "/%ff%fe/\xff",
}


# --- fuzz_http_date -----------------------------------------------------------

DATES = {
    "imf": "Sun, 06 Nov 1994 08:49:37 GMT",
    "rfc850": "Sunday, 06-Nov-94 08:49:37 GMT",
    "asctime": "Sun Nov  6 08:49:37 1994",
    "asctime-2digit-day": "Thu Nov 27 16:21:25 2026",
    "epoch": "Thu, 01 Jan 1970 00:00:00 GMT",
    "before-epoch": "Wed, 31 Dec 1969 23:59:59 GMT",
    "year-9999": "Fri, 31 Dec 9999 23:59:59 GMT",
    "leap-day": "Sat, 29 Feb 2020 12:00:00 GMT",
    "not-leap-day": "Sun, 29 Feb 2021 12:00:00 GMT",
    "leap-second": "Tue, 30 Jun 2015 23:59:60 GMT",
    "bad-zone": "Sun, 06 Nov 1994 08:49:37 UTC",
    "one-digit-day": "Sun, 6 Nov 1994 08:49:37 GMT",
    "negative-hour": "Thu, 01 Jan 1970 -1:00:00 GMT",
    "lowercase": "sun, 06 nov 1994 08:49:37 gmt",
    "rfc850-future": "Friday, 31-Dec-99 23:59:59 GMT",
    "trailing-space": "Sun, 06 Nov 1994 08:49:37 GMT ",
    "time-max": b"\xff\xff\xff\xff\xff\xff\xff\x3f",
    "time-negative": b"\x00\x00\x00\x00\x00\x00\x00\xf0",
}


# --- fuzz_log_format ----------------------------------------------------------

FORMATS = {
    "common": "%h %l %u %t \"%r\" %>s %b",
    "combined": "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"",
    "vhost-combined": "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"",
    "nickname": "combined",
    "strftime": "[%{%Y-%m-%d %H:%M:%S %z}t]",
    "time-forms": "%{begin:%d/%b/%Y}t %{end:sec}t %{msec}t %{usec}t %{msec_frac}t %{usec_frac}t %{end}t",
    "conditions": "%400,501{User-Agent}i %!200,304r %!404s %<s %>s",
    "everything": "%a %{c}a %A %b %B %D %f %h %H %I %k %m %O %p %{remote}p %{local}p %{canonical}p "
                  "%P %{pid}P %{tid}P %{hextid}P %q %r %R %s %S %T %{ms}T %{us}T %{s}T %u %U %v %V %X",
    "headers": "%{Content-Type}o %{X-Empty}i %{Missing}i %{Cookie}C %{evil}C %{c}C %e %{HOME}e %n %{note}n",
    "escapes": "\\t\\n\\r\\\"\\\\\\q %% %%%%",
    "trailers": "%^ti %^to %{x}^ti",
    "bogus-args": "%{bogus}p %{bogus}P %{bogus}T",
    "unknown": "%Z",
    "open-brace": "%{User-Agent",
    "dangling": "abc %",
    "modifiers-only": "%!<>,123",
    "big-status": "%99999999999s",
}


# --- fuzz_config --------------------------------------------------------------

CONFIGS = {
    "basic": "ServerName www.example.com\nListen 8080\nDocumentRoot \"/srv/www\"\n",
    "sections": """<Directory "/srv/www">
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
    <Files "*.php">
        Require all denied
    </Files>
</Directory>
<DirectoryMatch "^/srv/(a|b)">
    Options None
</DirectoryMatch>
<Location /status>
    SetHandler server-status
</Location>
<LocationMatch "^/api/">
    Header set X-Api yes
</LocationMatch>
<FilesMatch "\\.(gif|jpe?g)$">
    ExpiresActive On
</FilesMatch>
<VirtualHost *:8080>
    ServerName a.example
    <Directory /srv/a>
        Require all granted
    </Directory>
</VirtualHost>
<If "%{HTTP_HOST} == 'example.com'">
    Require all denied
</If>
""",
    "conditions": """Define WITH_STATUS
<IfDefine WITH_STATUS>
    LoadModule status_module modules/mod_a.so
</IfDefine>
<IfDefine !FUZZ>
    NeverHere on
</IfDefine>
<IfModule status_module>
    <IfModule !mod_x.c>
        NoX on
    </IfModule>
    <IfModule mod_x.c>
        WithX on
    </IfModule>
</IfModule>
<IfFile conf.d>
    HasConfD yes
</IfFile>
<IfFile !/nonexistent>
    NoFile yes
</IfFile>
UnDefine WITH_STATUS
<IfDefine WITH_STATUS>
    Gone yes
</IfDefine>
""",
    "includes": "Include conf.d/*.conf\nIncludeOptional nothing/*.conf\nIncludeOptional conf.d/sub\n"
                "Include empty.conf\nInclude conf.d/sub/30-dir.conf\n",
    "include-dir": "Include conf.d\n",
    "include-bad": "Listen 80\nInclude bad.conf\n",
    "include-missing": "Include missing.conf\n",
    "include-self": "Include main.conf\n",
    "include-outside": "IncludeOptional /etc/*.conf\nInclude ../x.conf\n",
    "include-extra": "Define X 1\nInclude extra.conf\nAfter ${X}\n\0"
                     "<Location /extra>\n  Require all granted\n</Location>\nDefine X 2\n",
    "quotes": "Words \"double quoted\" 'single quoted' \"with \\\" escaped\" 'it\\'s' plain\\\\back \"\"\n"
              "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common\n"
              "Header set X \"a 'b' c\"\nUnmatched \"oops\n",
    "continuations": "ServerAlias a.example \\\n    b.example \\\n    c.example\n"
                     "# comment \\\nswallowed by the comment\n  \t  \nLast line\\\n",
    "crlf": "ServerName crlf.example\r\nListen 80\r\n<Location />\r\n  Require all granted\r\n</Location>\r\n",
    "variables": "Define ROOT /srv\nDefine EMPTY\nDocumentRoot ${ROOT}/www\nUnknown ${NOPE} ${ROOT\n"
                 "${EMPTY}\nDefine a:b c\n",
    "server-root": "ServerRoot conf.d\nInclude sub/30-dir.conf\nServerRoot /nonexistent\n",
    "load-module": "LoadModule status_module modules/mod_a.so\nLoadModule fail_module modules/mod_a.so\n",
    "load-module-throw": "LoadModule throw_module /x.so\n",
    "errors": "<Directory /x>\n</Location>\n",
    "unclosed": "<VirtualHost *:80>\n  ServerName x\n",
    "stray-close": "</Directory>\n",
    "no-gt": "<Directory /x\n</Directory>\n",
    "empty-section": "<>\n</>\n",
    "arity": "Include\nDefine\nDefine a b c\nUnDefine\nServerRoot\nLoadModule a\n<IfDefine>\n</IfDefine>\n",
    "nested-deep": "".join("<IfDefine FUZZ>\n" for _ in range(40)) + "Deep on\n" +
                   "".join("</IfDefine>\n" for _ in range(40)),
}


def main():
    request_parser_seeds()
    for name, text in URI.items():
        write("fuzz_uri_path", name, text)
    for name, text in DATES.items():
        write("fuzz_http_date", name, text)
    for name, text in FORMATS.items():
        write("fuzz_log_format", name, text)
    for name, text in CONFIGS.items():
        write("fuzz_config", name, text)


if __name__ == "__main__":
    main()
