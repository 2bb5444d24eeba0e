"""mod_setenvif (modules/setenvif): SetEnvIf, SetEnvIfNoCase, BrowserMatch
and BrowserMatchNoCase under each MPM.

Expected values were taken from Apache 2.4 (apache2 with mod_setenvif and
mod_headers) running the same lines. The variables are shown by mod_headers
(Header always set X-Env-NAME %{NAME}e: "(null)" when unset), and once by
a CustomLog %{NAME}e line, without mod_headers.
"""
import pytest

from harness import wait_until

VARS = ["HDRRE", "LOCAL", "SECOND", "RHOST", "SADDR", "METH", "PROTO", "URI", "SL", "CASE", "CASE2", "MOZ",
        "CURL", "MISSING", "UNSETME", "DUP1", "DUP2", "LIT", "ESC", "INDIR", "INDIR2", "OUTSIDE", "REQ"]

CONFIG = r"""
SetEnvIf ^X-T. ^(v.*) HDRRE=$1
SetEnvIf Remote_Addr ^127\.0\.(0)\.1$ LOCAL=yes-$1 SECOND
SetEnvIf Remote_Host 127 RHOST=$0
SetEnvIf Server_Addr ^(127.*) SADDR=$1
SetEnvIf Request_Method ^(G)ET METH=$1
SetEnvIf Request_Protocol HTTP/1.1 PROTO=$0
SetEnvIf Request_URI ^/(s.)/ URI=$1
SetEnvIf URI ^s SL=from-env-$0
SetEnvIfNoCase X-Case ^abc$ CASE=ci
SetEnvIf X-Case ^abc$ CASE2=cs
BrowserMatch ^Moz(illa) MOZ=$1 !SECOND
BrowserMatchNoCase ^CURL CURL=1
SetEnvIf X-Missing ^$ MISSING=empty
SetEnvIf X-Un . UNSETME=1
SetEnvIf X-Un . UNSETME=!x
SetEnvIf X-Dup a DUP1=1
SetEnvIf X-Dup a DUP2=2 DUP1=again
SetEnvIf X-Lit abc LIT=$0
SetEnvIf X-Esc "^(.)" "ESC=\a\$1-$1"
<Location /sd>
SetEnvIf Request_URI . INDIR=1
SetEnvIf LOCAL ^yes INDIR2=$0
</Location>
<Location /other>
SetEnvIf Request_URI . OUTSIDE=1
</Location>
RequestHeader set X-Req late
SetEnvIf X-Req . REQ=1
""" + "".join("Header always set X-Env-%s %%{%s}e\n" % (v, v) for v in VARS)


@pytest.fixture
def site(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "setenvif_module", "headers_module"),
                    config=CONFIG)
    s.write("sd/x", "x\n")
    s.write("other/x", "x\n")
    s.start()
    return s


def env_of(s, path="/sd/x", headers=None):
    status, h, _ = s.get(path, headers=headers or {})
    assert status == 200
    return {v: h["x-env-" + v.lower()] for v in VARS}


def test_attributes_values_and_backreferences(site):
    env = env_of(site, headers={"User-Agent": "Mozilla/5", "X-Ta": "v1", "X-Tc": "v3", "X-Case": "ABC",
                                "X-Un": "1", "X-Dup": "a", "X-Lit": "zabcz", "X-Esc": "q"})
    assert env["HDRRE"] == "v3"  # a regex on header names: the last header it names
    assert env["LOCAL"] == "yes-0"
    assert env["SECOND"] == "(null)"  # set by the Remote_Addr line, unset by BrowserMatch's !SECOND
    assert env["RHOST"] == "$0"  # no regex syntax: a plain search, values taken literally
    assert env["SADDR"] == "127.0.0.1"
    assert env["METH"] == "G" and env["PROTO"] == "HTTP/1.1" and env["URI"] == "sd"
    assert env["SL"] == "from-env-s"  # not a header: a variable set by an earlier line
    assert env["CASE"] == "ci" and env["CASE2"] == "(null)"
    assert env["MOZ"] == "illa" and env["CURL"] == "(null)"
    assert env["MISSING"] == "empty"  # an absent header is matched as ""
    assert env["UNSETME"] == "(null)"  # a value starting with '!' unsets, as in Apache
    assert env["DUP1"] == "again" and env["DUP2"] == "2"  # the same header and regex: one entry
    assert env["LIT"] == "$0"
    assert env["ESC"] == "a$1-q"  # \c is c, then $1


def test_nocase_and_browsermatch(site):
    env = env_of(site, headers={"User-Agent": "curl/8"})
    assert env["CURL"] == "1" and env["MOZ"] == "(null)" and env["SECOND"] == "1"
    assert env["HDRRE"] == "(null)"


def test_header_name_regex_takes_the_last_matching_header(site):
    # X-Tb is the last header whose name matches ^X-T.: its value decides.
    assert env_of(site, headers={"X-Ta": "v1", "X-Tb": "w2"})["HDRRE"] == "(null)"
    assert env_of(site, headers={"X-Tb": "w2", "X-Ta": "v1"})["HDRRE"] == "v1"


def test_sections_run_after_mapping_and_only_there(site):
    env = env_of(site)
    assert env["INDIR"] == "1" and env["OUTSIDE"] == "(null)"
    assert env["INDIR2"] == "yes"  # sees what the server-wide lines set
    env = env_of(site, "/other/x")
    assert env["INDIR"] == "(null)" and env["OUTSIDE"] == "1"


def test_server_lines_run_before_request_headers_are_changed(site):
    # RequestHeader runs in fixups, long after post_read_request.
    assert env_of(site)["REQ"] == "(null)"
    assert env_of(site, headers={"X-Req": "sent"})["REQ"] == "1"


def test_variables_reach_the_access_log_without_mod_headers(make_server, mpm):
    s = make_server(mpm=mpm, modules=("static_module", "setenvif_module"), config=r"""
LogFormat "%r %{FROM_UA}e %{IS_HEAD}e" envlog
CustomLog logs/env_log envlog
BrowserMatchNoCase "^tester/(\d+)" FROM_UA=v$1
SetEnvIf Request_Method HEAD IS_HEAD
""")
    s.write("page.txt", "x\n")
    assert s.get("/page.txt", headers={"User-Agent": "Tester/42"})[0] == 200
    assert s.request("HEAD", "/page.txt")[0] == 200
    log = s.root / "logs" / "env_log"
    lines = wait_until(lambda: log.exists() and len(log.read_text().splitlines()) >= 3 and log.read_text().splitlines(), 10)
    assert "GET /page.txt HTTP/1.1 v42 -" in lines
    assert "HEAD /page.txt HTTP/1.1 - 1" in lines


ERRORS = [
    ("SetEnvIf", "Missing header-field name for SetEnvIf"),
    ("SetEnvIf A", "Missing regular expression for SetEnvIf"),
    ('SetEnvIf A ""', "Missing regular expression for SetEnvIf"),
    ("SetEnvIf A b", "Missing envariable expression for SetEnvIf"),
    ('SetEnvIf A b "" c', "Missing envariable expression for SetEnvIf"),
    ("SetEnvIf A ( x", "SetEnvIf regex could not be compiled."),
    ("SetEnvIf ^(A b x", "SetEnvIfHeader name regex could not be compiled."),
    ("setenvifnocase A", "Missing regular expression for SetEnvIfNoCase"),
    ("BrowserMatch", "Missing regular expression for BrowserMatch"),
    ("BrowserMatch (", "BrowserMatch regex could not be compiled."),
    ("BrowserMatchNoCase a", "Missing envariable expression for BrowserMatchNoCase"),
]


@pytest.mark.parametrize("line,message", ERRORS, ids=[e[0] for e in ERRORS])
def test_directive_errors_are_apaches_with_file_and_line(make_server, mpm, line, message):
    s = make_server(start=False, mpm=mpm, modules=("setenvif_module",), config="<Location /x>\n%s\n</Location>" % line)
    r = s.run("-t")
    number = s.conf.read_text().splitlines().index(line) + 1
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (number, s.conf, message)


def test_valid_lines_pass(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=("setenvif_module",), config="""
SetEnvIf A b = c
SetEnvIf A b !
SetEnvIf Remote_User . RU
BrowserMatch "MSIE [2-5]" nokeepalive downgrade-1.0 force-response-1.0
""")
    r = s.run("-t")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n")
