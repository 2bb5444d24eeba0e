"""mod_errordoc (modules/errordoc) under each MPM: ErrorDocument with a
local page, an external URL, a text and `default`, per directory, with the
answers Apache 2.4 gives (checked against apache2 2.4.71) and its
configuration errors."""
import pytest

from harness import parse_responses

LOG_FORMAT = '%s %>s %{REDIRECT_STATUS}e %{REDIRECT_QUERY_STRING}e %{REDIRECT_REQUEST_METHOD}e \\"%r\\"'


def conf_line(s, text):
    for i, line in enumerate(s.conf.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(text)


def logged(s):
    """The last line of the redirect log: [%s, %>s, REDIRECT_STATUS,
    REDIRECT_QUERY_STRING, REDIRECT_REQUEST_METHOD, request line]."""
    line = (s.root / "logs" / "redirect_log").read_text().splitlines()[-1]
    fields, _, request = line.partition(' "')
    return fields.split() + [request.rstrip('"')]


@pytest.fixture
def docs(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module", "errordoc_module"))
    s.write("errors/404.html", "<p>custom 404 page</p>\n")
    s.write("errors/show.txt", "error page with its own query\n")
    s.write("page.txt", "a page\n")
    s.write("noindex/file.txt", "listed nowhere\n")
    s.write("lit/noindex/file.txt", "listed nowhere either\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        'CustomLog logs/redirect_log "%s"' % LOG_FORMAT,
        "ErrorDocument 404 /errors/404.html",
        'ErrorDocument 403 "Forbidden, says the text"',
        'ErrorDocument 500 "<b>Oops</b>: an internal error"',
        "ErrorDocument 410 http://example.com/gone-page",
        "Redirect gone /retired",
        # A directory without index and without Options Indexes: 403.
        "<Directory %s/htdocs/noindex>" % s.root, "    Options FollowSymLinks", "</Directory>",
        "<Directory %s/htdocs/lit/noindex>" % s.root, "    Options FollowSymLinks", "</Directory>",
        "<Location /withquery>", "    ErrorDocument 404 /errors/show.txt?from=errordoc", "</Location>",
        "<Location /def>", "    ErrorDocument 404 default", "</Location>",
        "<Location /lit>", '    ErrorDocument 404 "Not here, as text"', "</Location>",
        "<Location /ext>", "    ErrorDocument 404 http://example.com/not-found", "</Location>",
        "<Location /brokendoc>", "    ErrorDocument 404 /errors/missing.html", "</Location>",
        "<Location /selfdoc>", "    ErrorDocument 404 /selfdoc/again", "</Location>",
        "<Location /forbiddendoc>", "    ErrorDocument 404 /noindex/", "</Location>",
        "<Location /nohandler>", "    SetHandler no-such-handler", "</Location>",
    ]) + "\n")
    s.start()
    return s


def test_local_page_is_served_with_the_error_status(docs):
    status, headers, body = docs.get("/missing.html?q=1")
    assert (status, body) == (404, b"<p>custom 404 page</p>\n")
    assert headers["content-type"].startswith("text/html")
    # %s and %>s, then what the error document learns of the first request.
    assert logged(docs) == ["404", "404", "404", "q=1", "GET", "GET /missing.html?q=1 HTTP/1.1"]
    status, _, body = docs.get("/withquery/x")
    assert (status, body) == (404, b"error page with its own query\n")
    assert logged(docs)[:4] == ["404", "404", "404", "-"]


def test_local_page_is_never_a_304_or_a_206(docs):
    for headers in ({"If-None-Match": "*"}, {"If-Modified-Since": "Wed, 01 Jan 2031 00:00:00 GMT"},
                    {"Range": "bytes=0-2"}):
        status, got, body = docs.get("/missing", headers=headers)
        assert (status, body) == (404, b"<p>custom 404 page</p>\n"), headers
        assert "content-range" not in got
    status, headers, body = docs.request("HEAD", "/missing")
    assert (status, body) == (404, b"")


def test_text_is_sent_as_html(docs):
    status, headers, body = docs.get("/noindex/")
    assert (status, body) == (403, b"Forbidden, says the text")
    assert headers["content-type"] == "text/html; charset=iso-8859-1"
    assert headers["content-length"] == str(len(body))
    assert "AH01276" in docs.error_log()  # mod_static's reason stays in the log
    status, _, body = docs.get("/nohandler/x")
    assert (status, body) == (500, b"<b>Oops</b>: an internal error")
    assert logged(docs)[:3] == ["500", "500", "-"]
    status, headers, body = docs.request("HEAD", "/noindex/")
    assert (status, body) == (403, b"")


def test_external_url_is_a_302(docs):
    data = docs.raw(b"GET /ext/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
    status, headers, body = parse_responses(data)[0]
    assert status == 302 and headers["location"] == "http://example.com/not-found"
    assert b"<title>302 Found</title>" in body
    assert b'The document has moved <a href="http://example.com/not-found">here</a>.' in body
    assert headers["content-length"] == str(len(body))
    assert logged(docs)[:3] == ["302", "302", "-"]
    # A 410 from mod_alias's "Redirect gone" goes there too.
    status, headers, _ = docs.get("/retired/thing")
    assert status == 302 and headers["location"] == "http://example.com/gone-page"


def test_inner_scopes_override_outer_ones_code_by_code(docs):
    status, headers, body = docs.get("/def/x")  # "default": the built-in page again
    assert status == 404 and b"<title>404 Not Found</title>" in body
    assert docs.get("/lit/x")[::2] == (404, b"Not here, as text")
    # The Location set only 404: its 403 is still the server's.
    assert docs.get("/lit/noindex/")[::2] == (403, b"Forbidden, says the text")


def test_an_error_document_that_fails_gets_the_built_in_page(docs):
    # Apache's page for the first error, with a note of the second.
    for path in ("/brokendoc/x", "/selfdoc/x"):
        status, _, body = docs.get(path)
        assert status == 404 and b"<title>404 Not Found</title>" in body
        assert b"<p>Additionally, a 404 Not Found\nerror was encountered while trying to use an ErrorDocument " \
            b"to handle the request.</p>" in body
    assert "AH00124" not in docs.error_log()  # no redirect loop
    # Nor another error document, of any kind: the 403 of the error
    # document is noted on the built-in 404 page, not the 403 text.
    status, _, body = docs.get("/forbiddendoc/x")
    assert status == 404 and b"says the text" not in body
    assert b"<p>Additionally, a 403 Forbidden\nerror" in body
    assert docs.get("/page.txt")[::2] == (200, b"a page\n")


def test_a_failed_error_document_keeps_the_first_status(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "errordoc_module"))
    s.write("empty/.keep", "")
    s.conf.write_text(s.conf.read_text() + "ErrorDocument 403 /errors/none.html\n"
                      "<Directory %s/htdocs/empty>\n    Options FollowSymLinks\n</Directory>\n" % s.root)
    s.start()
    status, _, body = s.get("/empty/")
    assert status == 403 and b"<p>Additionally, a " in body


def test_post_gets_the_error_document(docs):
    status, _, body = docs.request("POST", "/missing", body=b"a=b")
    assert (status, body) == (404, b"<p>custom 404 page</p>\n")


def test_on_an_event_loop_the_local_page_is_served_by_a_worker(make_server, mpm):
    s = make_server(mpm=mpm, modules=("static_module", "errordoc_module"), log_level="trace1",
                    config="ErrorDocument 404 /errors/404.html\n")
    s.write("errors/404.html", "the page\n")
    assert s.get("/missing")[::2] == (404, b"the page\n")
    # internal_redirect said MH_WOULD_BLOCK on the loop; the hook ran again on
    # a worker. Under the blocking MPMs there is no loop.
    handed = "ErrorDocument 404 /errors/404.html: on an event loop, handed to a worker" in s.error_log()
    assert handed == (mpm == "event")


# ---- 401 (the test module mod_phases asks for a user with ?auth) ---------------------

def test_401_takes_no_url_but_a_text(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "errordoc_module", "phases_module"))
    s.write("page.txt", "a page\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        'ErrorDocument 401 "Please log in"',
        "<Location /elsewhere>", "    ErrorDocument 401 http://example.com/login", "</Location>",
    ]) + "\n")
    s.start()
    # A redirect would lose the challenge: Apache ignores such a line, and says so.
    assert "AH00113: %s:%d cannot use a full URL in a 401 ErrorDocument directive --- ignoring!" % (
        s.conf, conf_line(s, "ErrorDocument 401 http:")) in s.stderr_path.read_text()
    for path in ("/page.txt?auth", "/elsewhere/page.txt?auth"):
        status, headers, body = s.get(path)
        assert (status, body) == (401, b"Please log in")
        assert headers["www-authenticate"] == 'X-User realm="phases"'  # err_headers_out stays
    assert s.get("/page.txt?auth", headers={"X-User": "alice"})[::2] == (200, b"a page\n")


# ---- configuration errors ----------------------------------------------------------

ERRORS = [
    ("ErrorDocument 404", "ErrorDocument takes two arguments, Change responses for HTTP errors"),
    ("ErrorDocument 999 /x", "Unsupported HTTP response code 999"),
    ("ErrorDocument abc /x", "Unsupported HTTP response code abc"),
    ("ErrorDocument -404 /x", "Unsupported HTTP response code -404"),
    ("ErrorDocument 418 /x", "Unsupported HTTP response code 418"),
    ("ErrorDocument 509 /x", "Unsupported HTTP response code 509"),
    ('ErrorDocument 404 "%{REQUEST_URI}"',
     "Cannot parse expression in ErrorDocument: %{...} variables are not supported: %{REQUEST_URI}"),
]


def test_directive_errors_are_apaches_with_file_and_line(make_server):
    for config, message in ERRORS:
        s = make_server(start=False, modules=("static_module", "errordoc_module"), config=config)
        r = s.run("-t")
        assert r.returncode == 1, config
        assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (conf_line(s, config), s.conf, message)


def test_codes_and_forms_apache_takes(make_server):
    # atoi as Apache: "404x" is 404. 100, 2xx and 3xx are codes too.
    config = "\n".join(["ErrorDocument 404x /x", "ErrorDocument 100 /x", "ErrorDocument 226 /x",
                        "ErrorDocument 308 /x", "ErrorDocument 451 /x", "ErrorDocument 511 /x",
                        "ErrorDocument 404 ftp:text", "ErrorDocument 404 single-word-text",
                        "<Directory /tmp>", "ErrorDocument 404 default", "</Directory>"])
    s = make_server(start=False, modules=("static_module", "errordoc_module"), config=config)
    r = s.run("-t")
    assert (r.returncode, r.stdout + r.stderr) == (0, "Syntax OK\n")


def test_kinds_as_apache_tells_them_apart(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "errordoc_module"))
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "<Location /a>", "    ErrorDocument 404 single", "</Location>",
        "<Location /b>", '    ErrorDocument 404 "/errors/x.html with a space"', "</Location>",
        "<Location /c>", '    ErrorDocument 404 "ftp:text"', "</Location>",
        "<Location /d>", "    ErrorDocument 404 Default", "</Location>",
    ]) + "\n")
    s.start()
    assert s.get("/a/x")[::2] == (404, b"single")                        # no '/', no scheme: a text
    assert s.get("/b/x")[::2] == (404, b"/errors/x.html with a space")   # a space: a text
    status, headers, _ = s.get("/c/x")                                   # a scheme: a URL
    assert status == 302 and headers["location"] == "ftp:text"
    status, _, body = s.get("/d/x")                                      # any case
    assert status == 404 and b"<title>404 Not Found</title>" in body
