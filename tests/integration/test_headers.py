"""mod_headers (modules/headers): Header and RequestHeader under each MPM.

Expected values were taken from Apache 2.4 (apache2 with mod_headers and
mod_setenvif) running the same configuration lines: the actions and their
order, always vs onsuccess on error pages, env= and expr= conditions,
format tags, edit with back-references, and the -t messages.

Headers are read from the raw response (http.client folds repeated ones).
What a handler saw of the request headers shows in a CustomLog line with
%{Name}i, and in a response header built from expr=%{HTTP:Name} (evaluated
when the response goes out, after the fixups).
"""
import re
import threading

import pytest

from harness import parse_responses, wait_until

MODULES = ("static_module", "setenvif_module", "headers_module", "headers_from_query_module")


def fetch(s, path, headers=(), method="GET"):
    """(status, [(name, value)] in order, body) of one request."""
    req = "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" % (method, path)
    req += "".join("%s: %s\r\n" % h for h in headers)
    data = s.raw((req + "\r\n").encode())
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    fields = [tuple(part.strip() for part in line.split(":", 1)) for line in head[1:]]
    body = b"" if method == "HEAD" else parse_responses(data)[0][2]
    return int(head[0].split()[1]), fields, body


def values(fields, name):
    return [v for k, v in fields if k.lower() == name.lower()]


def one(fields, name):
    v = values(fields, name)
    assert len(v) == 1, (name, fields)
    return v[0]


def log_lines(s, name="headers_log"):
    p = s.root / "logs" / name
    return p.read_text().splitlines() if p.exists() else []


def logged(s, marker, name="headers_log"):
    """The log line of the request whose line contains `marker` (the log is
    written after the response, so wait for it)."""
    return wait_until(lambda: next((l for l in log_lines(s, name) if marker in l), None), 10)


SITE = r"""
LogFormat "%r|%{X-Req}i|%{X-In}i|%{X-Early}i|%{X-Ed}i|%{User-Agent}i|%{seen}n" hdrs
CustomLog logs/headers_log hdrs
Header always set X-Always 1
Header set X-Success 1
Header always add X-Both always
Header add X-Both onsuccess
SetEnvIf Request_URI "^/env" FOO=bar
Header set X-Order-First server
Header append X-Order server

<Location /act>
Header set X-Set one
Header set X-Set two
Header add X-Add a1
Header add X-Add a2
Header set X-App a
Header append X-App b
Header append X-App b
Header set X-Mrg "a, \"b, c\""
Header merge X-Mrg a
Header merge X-Mrg "\"b, c\""
Header merge X-Mrg b
Header merge X-Mrg d
Header merge X-Mrg2 first
Header setifempty X-Sie first
Header setifempty X-Sie second
Header set X-Gone 1
Header unset X-Gone
Header add X-Two m1
Header add X-Two m2
Header edit* X-Two m M
Header append X-Two appended
Header merge X-Two M2
Header set X-Ed2 abcabc
Header edit* X-Ed2 "b(c)" "<$1\$>"
Header set X-Ed3 aaa
Header edit* X-Ed3 ^a b
Header set X-Ed4 abc
Header edit* X-Ed4 x* -
Header note X-Set setnote
Header set X-Note "%{setnote}e"
</Location>

<Location /hq>
SetHandler headers-from-query
Header edit X-Handler "^(a)(b)" "$2$1-"
Header edit* X-Multi m M
Header unset X-Drop
Header echo ^X-Echo
Header note X-Handler seen
</Location>

<Location /env>
Header set X-Foo-Set 1 env=FOO
Header set X-Foo-Unset 1 env=!FOO
Header set X-Bar-Set 1 env=BAR
Header set X-Value "%{FOO}e|%{NONE}e"
</Location>

<Location /fmt>
Header set X-Fmt "%t %D 100%% %{FOO}e a\tb \q\\ %"
</Location>

<Location /sec>
Header always set Strict-Transport-Security "max-age=63072000; includeSubDomains; preload"
Header always set Content-Security-Policy "default-src 'self'; img-src * data:; script-src 'self' 'unsafe-inline'"
Header always set X-Frame-Options DENY
Header set Referrer-Policy strict-origin-when-cross-origin
</Location>

<Location /req>
RequestHeader set X-Req "r1 %{FOO}e"
RequestHeader append X-In added
RequestHeader edit X-Ed "^(\w+)-(\w+)$" "$2-$1"
RequestHeader setifempty X-Ed filled
RequestHeader unset User-Agent
Header set X-Req-Seen "expr=%{HTTP:X-Req}|%{HTTP:X-In}|%{HTTP:User-Agent}"
</Location>

<Location /ct>
Header set Content-Type text/x-mine
</Location>
<Location /ctunset>
Header unset Content-Type
</Location>

<Location /order>
Header append X-Order a
</Location>
<Location /order/inner>
Header append X-Order b
</Location>

<Location /expr>
Header set X-Uri-Match "$1" "expr=%{REQUEST_URI} =~ m#^/expr/(\w+)#"
Header set X-Is-Get 1 "expr=%{REQUEST_METHOD} == 'GET' && -n %{HTTP:X-Q}"
Header set X-Not 1 "expr=!(%{REQUEST_URI} -strmatch '/expr/*')"
Header set X-In-List 1 "expr=%{HTTP:X-Q} -in {'a', 'b'}"
Header set X-Value "expr=%{REQUEST_URI} q=%{tolower:%{HTTP:X-Q}} %{resp:X-Is-Get}"
Header set X-Cond-Value "expr=tolower('X')" "expr=%{REQUEST_STATUS} -eq 200"
</Location>
"""


@pytest.fixture
def site(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=MODULES, config=SITE)
    for f in ("act/f", "env/f", "fmt/f", "sec/f", "req/f", "ct/f.txt", "ctunset/f.txt", "order/inner/f",
              "expr/page"):
        s.write(f, "x\n")
    s.write("index.html", "index\n")
    s.write("big.bin", bytes(range(256)) * 1024)  # sendfile-sized
    s.start()
    return s


def test_each_action_in_order(site):
    status, f, _ = fetch(site, "/act/f")
    assert status == 200
    assert values(f, "X-Set") == ["two"]
    assert values(f, "X-Add") == ["a1", "a2"]
    assert values(f, "X-App") == ["a, b, b"]  # append does not look for duplicates
    assert values(f, "X-Mrg") == ['a, "b, c", b, d']  # merge does; a quoted token holds its comma
    assert values(f, "X-Mrg2") == ["first"]
    assert values(f, "X-Sie") == ["first"]
    assert values(f, "X-Gone") == []
    # edit* on each value; append and merge go into the first one.
    assert values(f, "X-Two") == ["M1, appended, M2", "M2"]
    assert values(f, "X-Ed2") == ["a<c$>a<c$>"]  # $1, and \$ for a dollar
    assert values(f, "X-Ed3") == ["bbb"]  # ^ matches again after each match, as in Apache
    assert values(f, "X-Ed4") == ["-a-b-c-"]  # an empty match (Apache crashes on this one)
    assert values(f, "X-Note") == ["(null)"]  # note goes to notes, not to the environment


def test_handler_headers_are_edited_when_the_response_goes_out(site):
    status, f, body = fetch(site, "/hq?set=X-Handler:abc&add=X-Multi:m1&add=X-Multi:m2&add=X-Drop:1",
                            headers=[("X-Echo-A", "1"), ("X-Echo-B", "2"), ("X-Other", "3")])
    assert (status, body) == (200, b"ok\n")
    assert values(f, "X-Handler") == ["ba-c"]
    assert values(f, "X-Multi") == ["M1", "M2"]
    assert values(f, "X-Drop") == []
    assert values(f, "X-Echo-A") == ["1"] and values(f, "X-Echo-B") == ["2"] and values(f, "X-Other") == []
    assert logged(site, "GET /hq?set=X-Handler").endswith("|ba-c")  # Header note


def test_always_shows_on_error_pages_onsuccess_does_not(site):
    status, f, _ = fetch(site, "/index.html")
    assert status == 200
    assert values(f, "X-Always") == ["1"] and values(f, "X-Success") == ["1"]
    assert sorted(values(f, "X-Both")) == ["always", "onsuccess"]
    status, f, body = fetch(site, "/missing")
    assert status == 404 and b"Not Found" in body
    assert values(f, "X-Always") == ["1"] and values(f, "X-Both") == ["always"]
    assert values(f, "X-Success") == []
    # A handler's own answer with an error status is no error page: both.
    status, f, _ = fetch(site, "/hq?status=503&set=X-Handler:abc")
    assert status == 503
    assert values(f, "X-Always") == ["1"] and values(f, "X-Success") == ["1"] and values(f, "X-Handler") == ["ba-c"]


def test_env_condition_with_a_variable_from_setenvif(site):
    status, f, _ = fetch(site, "/env/f")
    assert status == 200
    assert values(f, "X-Foo-Set") == ["1"]
    assert values(f, "X-Foo-Unset") == [] and values(f, "X-Bar-Set") == []
    assert values(f, "X-Value") == ["bar|(null)"]


def test_format_tags(site):
    status, f, _ = fetch(site, "/fmt/f")
    assert status == 200
    m = re.fullmatch(r"t=(\d{16}) D=(\d+) 100% \(null\) a\tb \\q\\ %", one(f, "X-Fmt"))
    assert m, one(f, "X-Fmt")
    assert int(m.group(2)) < 10_000_000  # microseconds since the request started


def test_hsts_csp_and_friends(site):
    hsts = "max-age=63072000; includeSubDomains; preload"
    csp = "default-src 'self'; img-src * data:; script-src 'self' 'unsafe-inline'"
    status, f, _ = fetch(site, "/sec/f")
    assert status == 200
    assert one(f, "Strict-Transport-Security") == hsts and one(f, "Content-Security-Policy") == csp
    assert one(f, "X-Frame-Options") == "DENY" and one(f, "Referrer-Policy") == "strict-origin-when-cross-origin"
    status, f, _ = fetch(site, "/sec/missing")
    assert status == 404
    assert one(f, "Strict-Transport-Security") == hsts and one(f, "Content-Security-Policy") == csp
    assert values(f, "Referrer-Policy") == []


def test_request_headers_are_changed_before_the_handler(site):
    status, f, _ = fetch(site, "/req/f", headers=[("X-In", "orig"), ("X-Ed", "ab-cd"), ("User-Agent", "ua")])
    assert status == 200
    assert one(f, "X-Req-Seen") == "r1 (null)|orig, added|"
    line = logged(site, "GET /req/f")
    assert line == "GET /req/f HTTP/1.1|r1 (null)|orig, added|-|cd-ab|-|-"
    fetch(site, "/req/f?second")
    assert logged(site, "GET /req/f?second") == "GET /req/f?second HTTP/1.1|r1 (null)|added|-|filled|-|-"


def test_content_type_is_the_responses_own(site):
    status, f, _ = fetch(site, "/ct/f.txt")
    assert status == 200 and values(f, "Content-Type") == ["text/x-mine"]
    status, f, _ = fetch(site, "/ctunset/f.txt")
    assert status == 200 and values(f, "Content-Type") == []


def test_server_then_outer_then_inner_section(site):
    status, f, _ = fetch(site, "/order/inner/f")
    assert status == 200
    assert values(f, "X-Order") == ["server, a, b"]
    assert values(f, "X-Order-First") == ["server"]


def test_expr_conditions_and_values(site):
    status, f, _ = fetch(site, "/expr/page", headers=[("X-Q", "A")])
    assert status == 200
    assert values(f, "X-Uri-Match") == ["$1"]  # a literal value: backrefs are the condition's business
    assert values(f, "X-Is-Get") == ["1"]
    assert values(f, "X-Not") == []
    assert values(f, "X-In-List") == []  # "A" is not "a"
    assert values(f, "X-Value") == ["/expr/page q=a 1"]
    assert values(f, "X-Cond-Value") == ["tolower('X')"]  # a string expression is text with %{...}
    status, f, _ = fetch(site, "/expr/page", headers=[("X-Q", "b")])
    assert values(f, "X-In-List") == ["1"]
    status, f, _ = fetch(site, "/expr/page")
    assert values(f, "X-Is-Get") == [] and values(f, "X-Value") == ["/expr/page q="]  # the blank before an empty value is trimmed


def test_bodies_pass_the_filter_unchanged(site):
    big = bytes(range(256)) * 1024
    status, f, body = fetch(site, "/big.bin")
    assert status == 200 and body == big and one(f, "X-Success") == "1"
    assert one(f, "Content-Length") == str(len(big))
    status, f, body = fetch(site, "/big.bin", method="HEAD")
    assert status == 200 and body == b"" and one(f, "X-Success") == "1"
    # A 304 goes through the filter too (Apache sends onsuccess headers with it).
    etag = one(fetch(site, "/index.html")[1], "ETag")
    status, f, _ = fetch(site, "/index.html", headers=[("If-None-Match", etag)])
    assert status == 304 and one(f, "X-Success") == "1"


def test_many_requests_at_once(site):
    errors = []

    def worker(n):
        try:
            for i in range(20):
                status, f, _ = fetch(site, "/hq?set=X-Handler:ab%d" % i)
                if status != 200 or values(f, "X-Handler") != ["ba-%d" % i]:
                    errors.append((n, i, status, f))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_early_request_headers_come_before_setenvif(make_server, mpm):
    s = make_server(mpm=mpm, modules=MODULES, config=r"""
RequestHeader set X-Early early-value early
RequestHeader set X-Late late-value
SetEnvIf X-Early ^early SAW_EARLY=1
SetEnvIf X-Late ^late SAW_LATE=1
Header set X-Saw "%{SAW_EARLY}e %{SAW_LATE}e"
Header set X-Early-Response 1 early
<Location /sub>
SetEnvIf X-Early ^(early) IN_SECTION=$1
Header set X-Section "%{IN_SECTION}e"
</Location>
""")
    s.write("sub/f", "x\n")
    status, f, _ = fetch(s, "/sub/f")
    assert status == 200
    assert values(f, "X-Saw") == ["1 (null)"]  # RequestHeader runs in fixups, after SetEnvIf
    assert values(f, "X-Early-Response") == ["1"]
    assert values(f, "X-Section") == ["early"]


@pytest.fixture
def phases(make_server, mpm):
    """tests/modules/mod_phases.c: ?errdoc, ?deny, ?upper (see there)."""
    s = make_server(mpm=mpm, modules=("static_module", "headers_module", "phases_module"), config="""
Header always add X-Once 1
Header add X-Success 1
""")
    s.write("errpage.txt", "custom error page\n")
    s.write("page.txt", "page\n")
    return s


def test_always_is_applied_once_when_an_error_page_is_another_request(phases):
    status, f, body = fetch(phases, "/missing.txt?errdoc")
    assert (status, body) == (404, b"custom error page\n")
    assert values(f, "X-Once") == ["1"] and values(f, "X-Success") == ["1"]


def test_always_on_refusals_and_behind_other_filters(phases):
    s = phases
    # An access checker's refusal: Header always too (Apache: the same).
    status, f, _ = fetch(s, "/page.txt?deny")
    assert status == 403 and values(f, "X-Once") == ["1"] and values(f, "X-Success") == []
    # Through another output filter.
    status, f, body = fetch(s, "/page.txt?upper")
    assert (status, body) == (200, b"PAGE\n") and values(f, "X-Once") == ["1"] and values(f, "X-Upper") == ["yes"]


def test_directory_sections(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=MODULES)
    s.conf.write_text(s.conf.read_text() + """
<Directory "%s/dir">
Header set X-Dir yes
</Directory>
""" % s.docroot)
    s.write("dir/f", "x\n")
    s.write("other/f", "x\n")
    s.start()
    assert values(fetch(s, "/dir/f")[1], "X-Dir") == ["yes"]
    assert values(fetch(s, "/other/f")[1], "X-Dir") == []


# ---- -t: Apache's messages, with the file and line -----------------------------------

ERRORS = [
    ("Header", "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', "
               "'note', 'edit', or 'edit*'."),
    ("Header foo X 1", "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', "
                       "'note', 'edit', or 'edit*'."),
    ("Header always always set X 1", "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', "
                                     "'unset', 'echo', 'note', 'edit', or 'edit*'."),
    ("Header set X", "Header requires three arguments"),
    ("Header set X 1 2 3 4", "Header has too many arguments"),
    ("RequestHeader set X 1 2 3 4", "RequestHeader has too many arguments"),
    ("Header set X 1 2 3", "Too many arguments to directive"),
    ("Header set X 1 2", "Unknown parameter: 2"),
    ("Header set X 1 env=", "error: missing environment variable name. envclause should be in the form env=envar "),
    ("Header set X 1 env=!", "error: missing environment variable name. envclause should be in the form env=envar "),
    ("Header unset X a b", "header unset takes two arguments"),
    ("Header echo X a b", "Header echo takes two arguments"),
    ("RequestHeader echo X", "Header echo only valid on Header directives"),
    ("Header echo (", "Header echo regex could not be compiled"),
    ("Header edit X (", "Header edit requires a match and a substitution"),
    ("Header edit X ( b", "Header edit regex could not be compiled"),
    ("RequestHeader note X y", "RequestHeader does not support the 'note' action"),
    ("Header set X %z", "Unrecognized header format %z"),
    ("Header set X %{foo}", "Unrecognized header format %"),
    ('Header set X 1 "expr=%{FOO_BAR} == 1"', "Can't parse envclause/expression: Variable 'FOO_BAR' does not exist"),
    ('Header set X 1 "expr=foo(1) == 1"', "Can't parse envclause/expression: Function 'foo' does not exist"),
    ('Header set X 1 "expr=1 == 2 &&"', "Can't parse envclause/expression: syntax error, unexpected $end"),
    ('Header set X 1 "expr=%{REQUEST_URI} =~ /(/"',
     "Can't parse envclause/expression: Failed to compile regular expression"),
    ("Header set X 1 expr=%{", "Can't parse envclause/expression: syntax error, unexpected T_ERROR, expecting "
                               "T_ID: Unterminated string or variable"),
    ('Header set X "expr=%{REQUEST_URI} %{FOO}"', "Can't parse value expression : Variable 'FOO' does not exist"),
]


@pytest.mark.parametrize("line,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_directive_errors_are_apaches_with_file_and_line(make_server, mpm, line, message):
    s = make_server(start=False, mpm=mpm, modules=MODULES, config="<Location /x>\n%s\n</Location>" % line)
    r = s.run("-t")
    number = s.conf.read_text().splitlines().index(line) + 1
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (number, s.conf, message)


def test_valid_lines_pass(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=MODULES, config="""
Header set X: 1
Header ALWAYS SET X 1 EARLY
Header onsuccess set X 1 ENV=foo
Header set X "%t %D %l %i %b %{x}s %%"
Header unset
Header echo
Header set X 1 expr=true
Header set X "expr=%{HTTP:Host}"
RequestHeader edit* X a b early
""")
    r = s.run("-t")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n")
