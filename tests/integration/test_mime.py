"""mod_mime (modules/mime) and the core's AddDefaultCharset and TraceEnable,
with the answers Apache 2.4 gives: AddHandler/RemoveHandler, AddCharset,
AddLanguage, AddEncoding, DefaultLanguage, RemoveType, every extension of a
file name (file.html.en), and TRACE echoed as message/http or refused."""
import pytest

from harness import parse_responses


MIME = ("static_module", "mime_module", "hello_module")


def raw_request(s, text):
    data = s.raw(text.encode())
    return parse_responses(data)[0]


@pytest.fixture
def typed(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=MIME)
    for name in ("page.html", "page.html.en", "page.en.html", "page.fr.html", "notes.txt", "notes.txt.gz",
                 "data.bin.gz", "enc/notes.txt.gz", "prog.hi", "prog.hi.bak", "prog.es", "page.html.es", "raw.txt",
                 "sub/prog.hi", "sub/latin.txt.latin1", "sub/x.html", "plain.txt",
                 "strict/prog.hi", "lang.txt", "charset.html"):
        s.write(name, "content of %s\n" % name)
    s.write("dir.hi/index.html", "index in dir.hi\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "AddHandler hello .hi",
        "AddLanguage en .en",
        "AddLanguage fr .fr",
        "AddLanguage es .es",
        "RemoveType es",
        "AddCharset UTF-8 .html",
        "AddCharset ISO-8859-1 .latin1",
        "AddEncoding gzip .gz",
        "AddType text/html .shtml",
        "<Directory %s/htdocs/enc>" % s.root,
        "  RemoveType gz",
        "</Directory>",
        "<Directory %s/htdocs/sub>" % s.root,
        "  RemoveHandler .hi",
        "  RemoveCharset .html",
        "  DefaultLanguage de",
        "</Directory>",
        "<Location /strict>",
        "  SetHandler default-handler",
        "</Location>",
        "MultiviewsMatch Handlers Filters",
        "AddInputFilter NOSUCHFILTER .in",
        "AddOutputFilter NOSUCHOUT .out",
    ]) + "\n")
    s.start()
    return s


def test_add_handler_sets_the_handler_as_sethandler_would(typed):
    status, _, body = typed.get("/prog.hi")
    assert status == 200 and body.startswith(b"hello from /prog.hi")
    # Every extension counts: the handler's extension need not be the last.
    status, _, body = typed.get("/prog.hi.bak")
    assert status == 200 and body.startswith(b"hello from /prog.hi.bak")


def test_remove_handler_and_sethandler_win(typed):
    assert typed.get("/sub/prog.hi")[::2] == (200, b"content of sub/prog.hi\n")
    # SetHandler overrides AddHandler, as Apache's core fixup does.
    assert typed.get("/strict/prog.hi")[::2] == (200, b"content of strict/prog.hi\n")


def test_a_directory_named_like_a_handler_is_not_handled(typed):
    assert typed.get("/dir.hi/")[::2] == (200, b"index in dir.hi\n")


def test_language_and_charset_from_every_extension(typed):
    for path in ("/page.html.en", "/page.en.html"):
        status, h, _ = typed.get(path)
        assert status == 200
        assert h["content-type"] == "text/html; charset=utf-8"
        assert h["content-language"] == "en"
    status, h, _ = typed.get("/page.html")
    assert h["content-type"] == "text/html; charset=utf-8" and "content-language" not in h


def test_charset_on_a_latin1_file_and_default_language(typed):
    status, h, _ = typed.get("/sub/latin.txt.latin1")
    assert status == 200
    assert h["content-type"] == "text/plain; charset=iso-8859-1"
    assert h["content-language"] == "de"
    # RemoveCharset .html in /sub: no charset parameter there.
    status, h, _ = typed.get("/sub/x.html")
    assert h["content-type"] == "text/html" and h["content-language"] == "de"


def test_add_encoding_gives_content_encoding(typed):
    status, h, body = typed.get("/notes.txt.gz")
    assert status == 200 and body == b"content of notes.txt.gz\n"
    assert h["content-encoding"] == "gzip"
    # etc/mime.types maps .gz too (application/gzip): the last type found
    # wins, as in Apache, whose documentation suggests RemoveType .gz.
    assert h["content-type"] == "application/gzip"
    status, h, _ = typed.get("/enc/notes.txt.gz")
    assert h["content-encoding"] == "gzip" and h["content-type"] == "text/plain"


def test_remove_type_takes_the_extension_out_of_typing(typed):
    # Debian's mime.conf: RemoveType es, so that .es names a language.
    status, h, _ = typed.get("/page.html.es")
    assert h["content-type"] == "text/html; charset=utf-8" and h["content-language"] == "es"
    status, h, _ = typed.get("/prog.es")
    assert status == 200 and "content-type" not in h and h["content-language"] == "es"


def test_unknown_filters_are_logged_not_fatal(typed):
    typed.write("x.in", "in\n")
    typed.write("x.out", "out\n")
    assert typed.get("/x.in")[::2] == (200, b"in\n")
    assert typed.get("/x.out")[::2] == (200, b"out\n")
    log = typed.error_log()
    assert "AH00082: an unknown filter was not added: NOSUCHFILTER" in log
    assert "AH00082: an unknown filter was not added: NOSUCHOUT" in log


def test_add_output_filter_adds_a_known_filter(make_server):
    s = make_server(modules=("static_module", "mime_module", "deflate_module"),
                    config="AddOutputFilter DEFLATE .txt")
    s.write("big.txt", "compress me " * 200)
    s.write("big.dat", "compress me " * 200)
    status, h, _ = s.get("/big.txt", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and h.get("content-encoding") == "gzip"
    status, h, _ = s.get("/big.dat", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in h


def test_index_file_is_typed_by_mod_mime(make_server):
    s = make_server(modules=("static_module", "mime_module"),
                    config="AddCharset UTF-8 .html\nAddLanguage en .html")
    s.write("index.html", "<p>index</p>\n")
    status, h, _ = s.get("/")
    assert status == 200
    assert h["content-type"] == "text/html; charset=utf-8" and h["content-language"] == "en"


@pytest.mark.parametrize("line, message", [
    ("AddHandler hello", "AddHandler"),
    ("MultiviewsMatch Any Handlers", "Any is incompatible"),
    ("MultiviewsMatch Sometimes", "Unrecognized option Sometimes"),
    ("RemoveType", "RemoveType"),
])
def test_bad_lines_are_refused_with_file_and_line(make_server, line, message):
    s = make_server(start=False, modules=("static_module", "mime_module"), config=line)
    r = s.run("-t")
    assert r.returncode != 0
    assert message in r.stderr and "modhttpd.conf" in r.stderr


# ---- core: AddDefaultCharset ---------------------------------------------------------

def test_add_default_charset(make_server):
    s = make_server(config="\n".join([
        "AddDefaultCharset utf-8",
        "<Location /off>",
        "  AddDefaultCharset Off",
        "</Location>",
        "<Location /on>",
        "  AddDefaultCharset On",
        "</Location>",
    ]))
    s.write("a.txt", "a\n")
    s.write("a.html", "a\n")
    s.write("a.css", "a\n")
    s.write("off/a.txt", "a\n")
    s.write("on/a.txt", "a\n")
    assert s.get("/a.txt")[1]["content-type"] == "text/plain; charset=utf-8"
    assert s.get("/a.html")[1]["content-type"] == "text/html; charset=utf-8"
    assert s.get("/a.css")[1]["content-type"] == "text/css"
    assert s.get("/off/a.txt")[1]["content-type"] == "text/plain"
    assert s.get("/on/a.txt")[1]["content-type"] == "text/plain; charset=iso-8859-1"
    # An error page says its charset already.
    assert s.get("/missing")[1]["content-type"] == "text/html; charset=iso-8859-1"


# ---- core: TraceEnable -----------------------------------------------------------------

TRACE = "TRACE /x?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Probe: yes\r\nConnection: close\r\n\r\n"


@pytest.mark.parametrize("mpm", ["prefork", "event"])
def test_trace_is_echoed_by_default(make_server, mpm):
    s = make_server(mpm=mpm)
    status, h, body = raw_request(s, TRACE)
    assert status == 200
    assert h["content-type"] == "message/http"
    assert body == b"TRACE /x?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Probe: yes\r\nConnection: close\r\n\r\n"


def test_trace_with_a_body_is_413_unless_extended(make_server):
    s = make_server()
    req = "TRACE / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    assert raw_request(s, req)[0] == 413


@pytest.mark.parametrize("mpm", ["worker", "event"])
def test_trace_extended_echoes_the_body(make_server, mpm):
    s = make_server(mpm=mpm, config="TraceEnable extended")
    req = "TRACE / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    status, h, body = raw_request(s, req)
    assert status == 200 and body.endswith(b"\r\n\r\nhello")
    big = "TRACE / HTTP/1.1\r\nHost: h\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n" + "x" * 70000
    assert raw_request(s, big)[0] == 413


def test_trace_off_is_405(make_server):
    s = make_server(config="TraceEnable Off")
    status, h, body = raw_request(s, TRACE)
    assert status == 405
    assert "TRACE" in h["allow"] or "GET" in h["allow"]
    assert b"The requested method TRACE is not allowed" in body
    # Other methods are unaffected.
    assert s.get("/")[0] in (200, 403, 404)


def test_trace_enable_bad_value(make_server):
    s = make_server(start=False, config="TraceEnable sometimes")
    r = s.run("-t")
    assert r.returncode != 0 and "TraceEnable must be one of 'on', 'off', or 'extended'" in r.stderr


# ---- core: Debian's apache2.conf lines ---------------------------------------------------

def test_debian_core_lines_are_accepted(make_server):
    s = make_server(modules=("static_module", "authz_core_module"), config="\n".join([
        "DefaultRuntimeDir logs",
        "HostnameLookups Off",
        "AccessFileName .htaccess",
        "Mutex file:logs default",
        "EnableSendfile On",
        "EnableMMAP Off",
        "<Directory />",
        "  Require all granted",
        "</Directory>",
        '<FilesMatch "^\\.ht">',
        "  Require all denied",
        "</FilesMatch>",
    ]))
    s.write(".htaccess", "secret\n")
    s.write(".htpasswd", "secret\n")
    s.write("ok.txt", "ok\n")
    assert s.get("/ok.txt")[::2] == (200, b"ok\n")
    assert s.get("/.htaccess")[0] == 403
    assert s.get("/.htpasswd")[0] == 403


@pytest.mark.parametrize("line, message", [
    ("HostnameLookups On", "HostnameLookups On and Double are not supported"),
    ("HostnameLookups Maybe", "parameter must be 'on', 'off', or 'double'"),
    ("DefaultRuntimeDir /nonexistent/dir", "DefaultRuntimeDir must be a valid directory"),
])
def test_core_lines_refused(make_server, line, message):
    s = make_server(start=False, config=line)
    r = s.run("-t")
    assert r.returncode != 0 and message in r.stderr
