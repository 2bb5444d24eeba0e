"""mod_alias (modules/alias) under each MPM: Alias, AliasMatch, ScriptAlias,
ScriptAliasMatch, Redirect, RedirectMatch, RedirectTemp, RedirectPermanent,
with the answers Apache 2.4 gives (checked against apache2 2.4.71) and its
configuration errors."""
import pytest

from harness import parse_responses


def conf_line(s, text):
    for i, line in enumerate(s.conf.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(text)


def head(s, path, host=None):
    """(status, headers) of a GET sent as is (no client-side quoting)."""
    host = host or "127.0.0.1:%d" % s.port
    data = s.raw(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, host)).encode())
    status, headers, body = parse_responses(data)[0]
    return status, headers, body


def location(s, path, host=None):
    status, headers, _ = head(s, path, host)
    return status, headers.get("location")


# ---- Alias and AliasMatch ----------------------------------------------------------

@pytest.fixture
def aliased(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module"))
    root = s.root
    s.write("real/a.txt", "real a\n")
    s.write("real/sub/b.txt", "real b\n")
    s.write("real/index.html", "real index\n")
    s.write("other/a.txt", "other a\n")
    s.write("icons/a.txt", "DocumentRoot's\n")
    s.write("one.txt", "one file\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "Alias /icons/ %s/htdocs/real/" % root,
        "Alias /single %s/htdocs/one.txt" % root,
        "Alias /rel/ htdocs/real/",                      # relative: under ServerRoot
        "Alias /d//e/ %s/htdocs/real/" % root,           # runs of '/' match runs of '/'
        "Alias /first/ %s/htdocs/real/" % root,
        "Alias /first/sub/ %s/htdocs/other/" % root,     # hidden by the line before (AH00671)
        r"AliasMatch ^/match/(\w+)/(.*)$ %s/htdocs/$1/$2" % root,
        "AliasMatch ^/whole$ %s/htdocs/one.txt" % root,
    ]) + "\n")
    s.start()
    return s


def test_alias_maps_the_prefix_onto_the_target(aliased):
    assert aliased.get("/icons/a.txt")[::2] == (200, b"real a\n")
    assert aliased.get("/icons/sub/b.txt")[::2] == (200, b"real b\n")
    assert aliased.get("/icons/")[::2] == (200, b"real index\n")
    # "Alias /icons/" needs the slash: "/icons" is DocumentRoot's directory
    # (mod_static's 301 to the slash form, which the alias then takes).
    assert location(aliased, "/icons") == (301, "http://127.0.0.1:%d/icons/" % aliased.port)
    assert aliased.get("/iconsx/a.txt")[0] == 404


def test_alias_without_slash_matches_whole_segments_only(aliased):
    assert aliased.get("/single")[::2] == (200, b"one file\n")
    assert aliased.get("/singlex")[0] == 404
    # "/single/" maps onto "one.txt/", which is no directory.
    assert aliased.get("/single/")[0] == 404


def test_alias_details(aliased):
    assert aliased.get("/rel/a.txt")[::2] == (200, b"real a\n")
    assert aliased.get("/d/e/a.txt")[::2] == (200, b"real a\n")
    assert aliased.get("/d//e/a.txt")[::2] == (200, b"real a\n")
    # The first Alias that matches wins, in configuration order, not the longest.
    assert aliased.get("/first/sub/b.txt")[::2] == (200, b"real b\n")
    assert aliased.get("/first/sub/a.txt")[0] == 404
    # Said at startup, before the ErrorLog is open: on stderr, as Apache.
    assert "AH00671: The Alias directive in %s at line %d will probably never match because it overlaps an " \
        "earlier Alias." % (aliased.conf, conf_line(aliased, "Alias /first/sub/")) in aliased.stderr_path.read_text()


def test_alias_match_substitutes_groups(aliased):
    assert aliased.get("/match/real/sub/b.txt")[::2] == (200, b"real b\n")
    assert aliased.get("/match/other/a.txt")[::2] == (200, b"other a\n")
    assert aliased.get("/whole")[::2] == (200, b"one file\n")
    assert aliased.get("/whole/x")[0] == 404
    # Nothing else is touched.
    assert aliased.get("/icons/../one.txt")[::2] == (200, b"one file\n")


# ---- Alias outside DocumentRoot: the <Directory> walk on the mapped name -----------

@pytest.fixture
def outside(make_server, mpm, tmp_path):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module"))
    out = tmp_path / "outside"
    (out / "sub").mkdir(parents=True)
    (out / "file.txt").write_text("outside file\n")
    s.outside = out
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "Alias /out/ %s/" % out,
        "Alias /one.txt %s/file.txt" % out,
        "AliasMatch ^/m/(.*)$ %s/$1" % out,
        "<Directory %s>" % out,
        "    Options Indexes",
        "    Redirect /out/moved http://elsewhere.example/moved",
        "</Directory>",
        "<Directory %s/sub>" % out,
        "    SetHandler sub-handler",
        "</Directory>",
    ]) + "\n")
    s.start()
    return s


def test_directory_of_an_alias_target_applies(outside):
    # The core walks <Directory> on the mapped file name: the Redirect of the
    # target's <Directory> (a fixup) and its SetHandler take effect.
    assert location(outside, "/out/moved?k=v") == (302, "http://elsewhere.example/moved?k=v")
    status, _, _ = head(outside, "/out/sub/x")
    assert status == 500
    assert 'AH00523: handler "sub-handler" not found for: %s/sub/x' % outside.outside in outside.error_log()


def test_alias_target_outside_document_root_is_served(outside):
    assert outside.get("/out/file.txt")[::2] == (200, b"outside file\n")
    status, _, body = outside.get("/out/")  # Options Indexes of its <Directory>
    assert status == 200 and b"file.txt" in body
    assert outside.get("/one.txt")[::2] == (200, b"outside file\n")  # an Alias to a file
    assert outside.get("/m/file.txt")[::2] == (200, b"outside file\n")
    # Beneath the alias's directory only: its parent stays out of reach.
    assert outside.get("/m/%2e%2e/outside/file.txt")[0] in (400, 403, 404)
    assert outside.get("/out/%2e%2e/outside/file.txt")[0] in (400, 403, 404)


# ---- ScriptAlias -------------------------------------------------------------------

def test_script_alias_maps_and_names_the_cgi_handler(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module"))
    s.write("cgi/run.sh", "#!/bin/sh\necho hi\n")
    s.conf.write_text(s.conf.read_text() + "ScriptAlias /cgi-bin/ %s/htdocs/cgi/\n"
                      "ScriptAliasMatch ^/scripts/(.*)\\.cgi$ %s/htdocs/cgi/$1.sh\n" % (s.root, s.root))
    s.start()
    # Mapped, handler "cgi-script": with no CGI module loaded nothing answers
    # it, and the core says so (AH00523, 500). Apache 2.4.71's default handler
    # would serve the script's source instead.
    for path in ("/cgi-bin/run.sh", "/scripts/run.cgi"):
        status, _, body = s.get(path)
        assert status == 500 and b"#!/bin/sh" not in body
    log = s.error_log()
    assert 'AH00523: handler "cgi-script" not found for: %s/htdocs/cgi/run.sh' % s.root in log
    assert s.get("/cgi/run.sh")[::2] == (200, b"#!/bin/sh\necho hi\n")  # not through the alias: a file


# ---- Redirect and friends ----------------------------------------------------------

@pytest.fixture
def redirects(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module"))
    s.write("index.html", "home\n")
    s.write("here/a.txt", "a\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "Redirect /old http://example.com/new",
        "Redirect permanent /perm /target",
        "Redirect temp /tmp http://example.com/t",
        "Redirect seeother /so http://example.com/so",
        "Redirect 303 /see http://example.com/see",
        "Redirect 307 /seven http://example.com/7",
        "Redirect gone /gone",
        "Redirect 410 /gone2",
        "RedirectTemp /rt http://example.com/rt",
        "RedirectPermanent /rp http://example.com/rp",
        r"RedirectMatch ^/rm/(\w+)/(.*)$ http://example.com/x/$2?from=$1",
        "RedirectMatch 301 ^/rm2/(.*)$ http://example.com:80/y%20/$1#frag",
        "RedirectMatch ^/sp/(.*)$ http://example.com/sp/$1",
        r"RedirectMatch ^/bs/(.*)$ http://example.com/b\x\$1/$1",
        "RedirectMatch ^/unset(/x)?/(.*)$ http://example.com/u$1-$2-$9",
        "RedirectMatch ^/local/(.*)$ /here/$1",
        "RedirectMatch ^/broken/(.*)$ here/$1",
        "RedirectMatch gone ^/rmgone",
        "Redirect /multi http://example.com/first",
        "Redirect /multi/deeper http://example.com/second",
        "Alias /here/shadowed %s/htdocs/here/a.txt" % s.root,
        "Redirect /here/shadowed http://example.com/redirect-wins",
    ]) + "\n")
    s.start()
    return s


def test_redirect_appends_the_rest_of_the_path_and_the_query(redirects):
    s = redirects
    assert location(s, "/old") == (302, "http://example.com/new")
    assert location(s, "/old/a%20b/c.html?q=1&r=2") == (302, "http://example.com/new/a%20b/c.html?q=1&r=2")
    assert location(s, "/old?") == (302, "http://example.com/new?")
    # Apache's escaping of the rest: lower-case hex, '"' '<' escaped, ':' '@' kept.
    assert location(s, "/old/%C3%A9%22%3C:@x") == (302, "http://example.com/new/%c3%a9%22%3c:@x")
    assert location(s, "/oldx")[0] == 404
    status, headers, body = head(s, "/old/x")
    assert headers["content-type"] == "text/html; charset=iso-8859-1"
    assert b'The document has moved <a href="http://example.com/new/x">here</a>.' in body


def test_redirect_statuses(redirects):
    s = redirects
    port = s.port
    assert location(s, "/perm/z") == (301, "http://127.0.0.1:%d/target/z" % port)
    # A local target takes the host and port the client named; no port 80.
    assert location(s, "/perm", host="www.example.org") == (301, "http://www.example.org/target")
    assert location(s, "/perm", host="www.example.org:80") == (301, "http://www.example.org/target")
    assert location(s, "/tmp/x") == (302, "http://example.com/t/x")
    assert location(s, "/so") == (303, "http://example.com/so")
    assert location(s, "/see") == (303, "http://example.com/see")
    assert location(s, "/seven") == (307, "http://example.com/7")
    assert location(s, "/rt") == (302, "http://example.com/rt")
    assert location(s, "/rp/q") == (301, "http://example.com/rp/q")
    for path in ("/gone", "/gone/below", "/gone2", "/rmgone"):
        status, headers, body = head(s, path)
        assert status == 410 and "location" not in headers
        assert b"<title>410 Gone</title>" in body


def test_redirect_pages_are_apaches(redirects):
    _, _, body = head(redirects, "/gone")
    assert b"<p>The requested resource is no longer available on this server and there is no forwarding " \
        b"address.\nPlease remove all references to this resource.</p>" in body
    _, _, body = head(redirects, "/see")
    assert b'<p>The answer to your request is located <a href="http://example.com/see">here</a>.</p>' in body


def test_redirect_match_substitutes_and_reparses(redirects):
    s = redirects
    # The target's own query replaces the request's.
    assert location(s, "/rm/ab/c%20d?z=9") == (302, "http://example.com/x/c%20d?from=ab")
    # The URL is escaped after substitution ('%' too), a default port
    # dropped, the fragment kept.
    assert location(s, "/rm2/k%20l") == (301, "http://example.com/y%2520/k%20l#frag")
    # A decoded '?' or '#' from the path splits the new URL, as in Apache.
    assert location(s, "/sp/a%20b%3Fc%25d%23e") == (302, "http://example.com/sp/a%20b?c%d#e")
    assert location(s, "/sp/x?orig=1") == (302, "http://example.com/sp/x?orig=1")
    # A backslash takes the next character as it is; unset groups are empty.
    assert location(s, "/bs/q") == (302, "http://example.com/bx$1/q")
    assert location(s, "/unset/q") == (302, "http://example.com/u-q-")
    assert location(s, "/unset/x/q") == (302, "http://example.com/u/x-q-")
    assert location(s, "/local/k?q") == (302, "http://127.0.0.1:%d/here/k?q" % s.port)


def test_redirect_to_a_relative_path_is_an_error(redirects):
    assert head(redirects, "/broken/k")[0] == 500
    assert "AH00674: cannot redirect '/broken/k' to 'here/k'; target is not a valid absoluteURI or abs_path" \
        in redirects.error_log()


def test_first_redirect_wins_and_redirects_come_before_aliases(redirects):
    assert location(redirects, "/multi/deeper/x") == (302, "http://example.com/first/deeper/x")
    assert location(redirects, "/here/shadowed") == (302, "http://example.com/redirect-wins")
    assert redirects.get("/here/a.txt")[::2] == (200, b"a\n")
    assert redirects.request("HEAD", "/old/x")[:2][0] == 302


# ---- Redirect* in <Location> and <Directory> ---------------------------------------

def test_redirects_of_sections(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module"))
    s.write("dir/page.txt", "page\n")
    s.write("dir/kept.txt", "kept\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "<Location /loc>",
        "    Redirect /loc/a http://example.com/la",
        "    RedirectMatch 301 ^/loc/m/(.*)$ http://example.com/m/$1",
        "</Location>",
        "<Location /loc/inner>",
        "    Redirect /loc/inner http://example.com/inner",
        "</Location>",
        "<Location /whole>",
        "    Redirect http://example.com/fixed",
        "</Location>",
        "<Location /whole301>",
        "    Redirect 301 /elsewhere",
        "</Location>",
        "<Location /dead>",
        "    Redirect gone",
        "</Location>",
        "<Directory %s/htdocs/dir>" % s.root,
        "    RedirectPermanent /dir/page.txt http://example.com/page",
        "</Directory>",
    ]) + "\n")
    s.start()
    assert location(s, "/loc/a/b") == (302, "http://example.com/la/b")
    assert location(s, "/loc/m/x%20y") == (301, "http://example.com/m/x%20y")
    assert s.get("/loc/b")[0] == 404
    # The inner section's rules come first, then the outer ones.
    assert location(s, "/loc/inner/z") == (302, "http://example.com/inner/z")
    # The URL-path left out: the whole section goes there, query kept.
    assert location(s, "/whole/any/thing?q=1") == (302, "http://example.com/fixed?q=1")
    assert location(s, "/whole301/y") == (301, "http://127.0.0.1:%d/elsewhere" % s.port)
    assert head(s, "/dead/x")[0] == 410
    assert location(s, "/dir/page.txt") == (301, "http://example.com/page")
    assert s.get("/dir/kept.txt")[::2] == (200, b"kept\n")


# ---- configuration errors ----------------------------------------------------------

ERRORS = [
    ("Alias", "Alias takes 1-2 arguments, a fakename and a realname, or a realname in a Location"),
    ("Alias /a /b /c", "Alias takes 1-2 arguments, a fakename and a realname, or a realname in a Location"),
    ("Alias /a", "Alias must have two arguments when used globally"),
    ("ScriptAlias /a", "Alias must have two arguments when used globally"),
    ("AliasMatch ^/(x /b", "Regular expression could not be compiled."),
    ("AliasMatch /x", "AliasMatch takes two arguments, a regular expression and a filename"),
    ("ScriptAliasMatch (x /b", "Regular expression could not be compiled."),
    ("Redirect", "Redirect takes one, two or three arguments, an optional status, then document to be "
                 "redirected and destination URL"),
    ("Redirect /a", "URL to redirect to is missing"),
    ("Redirect 301 /a", "URL to redirect to is missing"),
    ("Redirect bogus /a http://x", "Redirect: invalid first argument (of three)"),
    ("Redirect /a http://x/ extra", "Redirect: invalid first argument (of three)"),
    ("Redirect /a b", "Redirect to non-URL"),
    ("Redirect gone /a http://x", "Redirect URL not valid for this status"),
    ("Redirect 200 /a http://x", "Redirect URL not valid for this status"),
    ("Redirect gone", "Redirect without a URL-path is only allowed inside <Directory> or <Location>"),
    ("RedirectMatch ^/(x http://x", "Regular expression could not be compiled."),
    ("RedirectMatch foo ^/x http://x", "Redirect: invalid first argument (of three)"),
    ("RedirectMatch ^/x", "RedirectMatch takes two or three arguments, an optional status, then a regular "
                          "expression and destination URL"),
    ("RedirectTemp /a", "RedirectTemp takes two arguments, a document to be redirected, then the destination URL"),
    ("RedirectPermanent /a b", "Redirect to non-URL"),
]

SECTION_ERRORS = [
    ("<Location /l>\nAlias /a /b\n</Location>", "Alias /a /b", "Alias cannot occur within directory context"),
    ("<Directory /tmp>\nAliasMatch a b\n</Directory>", "AliasMatch a b",
     "AliasMatch not allowed in <Directory> context"),
    ("<Location /l>\nRedirect %{REQUEST_URI}\n</Location>", "Redirect %{",
     "Cannot parse redirect expression '%{REQUEST_URI}': %{...} variables are not supported"),
    ("<Location /l>\nAlias /x\n</Location>", "Alias /x",
     "Alias with one argument (a path for the whole section) is not supported"),
]


def check(make_server, config, line_text, message):
    s = make_server(start=False, modules=("static_module", "alias_module"), config=config)
    r = s.run("-t")
    assert r.returncode == 1, (config, r.stderr)
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (conf_line(s, line_text), s.conf, message)


def test_directive_errors_are_apaches_with_file_and_line(make_server):
    for config, message in ERRORS:
        check(make_server, config, config, message)
    for config, line_text, message in SECTION_ERRORS:
        check(make_server, config, line_text, message)


def test_valid_forms_pass_the_check(make_server):
    config = "\n".join([
        "Redirect 410 /a", "RedirectMatch gone ^/x", "RedirectMatch ^/x rel/$1", "Redirect permanent /p /q",
        "<Location /l>", "Redirect /l/a", "Redirect gone /a", "RedirectMatch 301 http://x", "</Location>",
    ])
    s = make_server(start=False, modules=("static_module", "alias_module"), config=config)
    r = s.run("-t")
    assert (r.returncode, r.stdout + r.stderr) == (0, "Syntax OK\n")
