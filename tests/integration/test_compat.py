"""The modules Debian's default apache2 configuration loads beside the
others: mod_env (SetEnv, UnsetEnv, PassEnv), mod_negotiation (its
directives, checked) and mod_access_compat (Order, Allow, Deny, Satisfy),
with Apache 2.4's behaviour and messages."""
import pytest

from harness import wait_until


@pytest.fixture(params=["prefork", "worker"])
def mpm(request):
    return request.param


def syntax_check(make_server, modules, config):
    s = make_server(start=False, modules=modules, config=config)
    return s, s.run("-t")


def line_of(s, text):
    return s.conf.read_text().splitlines().index(text) + 1


# ---- mod_env ------------------------------------------------------------------

ENV_CONFIG = """
LogFormat "%U %{ONE}e %{GONE}e %{MH_COMPAT_PASSED}e %{EMPTY}e" envlog
CustomLog logs/env_log envlog
<IfModule mod_env.c>
SetEnv ONE outer
SetEnv GONE here
SetEnv EMPTY
PassEnv MH_COMPAT_PASSED
</IfModule>
<Location /sub>
  SetEnv ONE inner
  UnsetEnv GONE
</Location>
"""


def test_setenv_unsetenv_passenv_reach_the_access_log_per_location(make_server, mpm, monkeypatch):
    monkeypatch.setenv("MH_COMPAT_PASSED", "from-startup")
    s = make_server(mpm=mpm, modules=("static_module", "env_module"), config=ENV_CONFIG)
    s.write("page.txt", "x\n")
    s.write("sub/page.txt", "y\n")
    assert s.get("/page.txt")[0] == 200
    assert s.get("/sub/page.txt")[0] == 200
    log = s.root / "logs" / "env_log"
    lines = wait_until(lambda: log.exists() and len(log.read_text().splitlines()) >= 2 and log.read_text().splitlines(), 10)
    assert "/page.txt outer here from-startup " in lines  # SetEnv without a value sets ""
    assert "/sub/page.txt inner - from-startup " in lines  # the nearer section wins; UnsetEnv removes


def test_passenv_of_an_unset_variable_warns_ah01506(make_server, monkeypatch):
    monkeypatch.delenv("MH_COMPAT_MISSING", raising=False)
    s, r = syntax_check(make_server, ("env_module",), "PassEnv MH_COMPAT_MISSING")
    assert r.returncode == 0
    assert "AH01506: PassEnv variable MH_COMPAT_MISSING was undefined" in r.stderr + s.error_log()


def test_setenv_takes_one_or_two_arguments(make_server):
    s, r = syntax_check(make_server, ("env_module",), "SetEnv A b c")
    assert r.returncode == 1
    assert r.stderr == ("modhttpd: Syntax error on line %d of %s: SetEnv takes one or two arguments, an environment "
                        "variable name and optional value to pass to CGI.\n" % (line_of(s, "SetEnv A b c"), s.conf))


# ---- mod_negotiation ------------------------------------------------------------

def test_negotiation_directives_are_accepted(make_server):
    s, r = syntax_check(make_server, ("static_module", "negotiation_module"), """
<IfModule mod_negotiation.c>
LanguagePriority en ca cs da de el eo es et fr he hr it ja ko ltz nl nn no pl pt pt-BR ru sv tr zh-CN zh-TW
ForceLanguagePriority Prefer Fallback
</IfModule>
<Directory /x>
  Options MultiViews
  ForceLanguagePriority None
</Directory>
""")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n")


NEGOTIATION_ERRORS = [
    ("ForceLanguagePriority Bogus", "Invalid ForceLanguagePriority option Bogus"),
    ("ForceLanguagePriority None Prefer", "Cannot combine ForceLanguagePriority options None and Prefer"),
    ("ForceLanguagePriority Fallback None", "Cannot combine ForceLanguagePriority options with None"),
    ("CacheNegotiatedDocs maybe", "CacheNegotiatedDocs must be On or Off"),
]


@pytest.mark.parametrize("line,message", NEGOTIATION_ERRORS, ids=[e[0] for e in NEGOTIATION_ERRORS])
def test_negotiation_errors_are_apaches_with_file_and_line(make_server, line, message):
    s, r = syntax_check(make_server, ("negotiation_module",), "LanguagePriority en fr\n" + line)
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (line_of(s, line), s.conf, message)


# ---- mod_access_compat ------------------------------------------------------------

ACCESS_CONFIG = """
SetEnvIf User-Agent ^good let_in
<Location /deny>
  Deny from 127.0.0.1
</Location>
<Location /deny/open>
  Allow from all
</Location>
<Location /allow>
  Order Deny,Allow
  Deny from all
  Allow from 127.0.0.1
</Location>
<Location /allowdeny>
  Order Allow,Deny
  Allow from all
  Deny from 127.0 10.0.0.0/255.0.0.0
</Location>
<Location /mutual>
  Order Mutual-failure
  Allow from 127.0.0.0/8
  Deny from 192.168.1
</Location>
<Location /env>
  Order Deny,Allow
  Deny from all
  Allow from env=let_in
</Location>
<Location /notenv>
  Deny from env=!let_in
</Location>
<Location /anyonly>
  Deny from all
  Satisfy Any
</Location>
"""


@pytest.fixture
def guarded(make_server, mpm):
    s = make_server(mpm=mpm, modules=("static_module", "setenvif_module", "access_compat_module"),
                    config=ACCESS_CONFIG)
    for d in ("", "deny/", "deny/open/", "allow/", "allowdeny/", "mutual/", "env/", "notenv/", "anyonly/"):
        s.write(d + "page.txt", "in %s\n" % d)
    return s


def test_deny_from_the_client_is_403_with_ah01797(guarded):
    assert guarded.get("/deny/page.txt")[0] == 403
    assert guarded.get("/page.txt")[0] == 200
    expected = "AH01797: client denied by server configuration: %s/deny/page.txt" % guarded.docroot
    assert wait_until(lambda: expected in guarded.error_log(), 10)


def test_orders_and_address_forms(guarded):
    assert guarded.get("/allow/page.txt")[0] == 200  # Deny,Allow: the Allow has the last word
    assert guarded.get("/allowdeny/page.txt")[0] == 403  # Allow,Deny: the partial 127.0 denies
    assert guarded.get("/mutual/page.txt")[0] == 200  # allowed and not denied
    assert guarded.get("/deny/open/page.txt")[0] == 200  # a section with its own lines replaces the outer ones
    # Satisfy Any, a refused address and no authentication configured: nothing else can let it in.
    assert guarded.get("/anyonly/page.txt")[0] == 403


def test_allow_and_deny_by_environment_variable(guarded):
    assert guarded.get("/env/page.txt", headers={"User-Agent": "good/1"})[0] == 200
    assert guarded.get("/env/page.txt", headers={"User-Agent": "bad/1"})[0] == 403
    assert guarded.get("/notenv/page.txt", headers={"User-Agent": "good/1"})[0] == 200
    assert guarded.get("/notenv/page.txt", headers={"User-Agent": "bad/1"})[0] == 403


def test_satisfy_any_lets_an_allowed_client_skip_authentication(make_server, mpm):
    s = make_server(mpm=mpm, modules=("static_module", "authz_core_module", "authz_user_module", "auth_basic_module",
                                      "authn_file_module", "access_compat_module"), config="""
<Location />
  AuthType Basic
  AuthName realm
  AuthUserFile %s/etc/users
  Require valid-user
  Order Deny,Allow
  Deny from all
  Allow from 127.0.0.1
</Location>
<Location /any>
  Order Deny,Allow
  Deny from all
  Allow from 127.0.0.1
  Satisfy Any
</Location>
<Location /any-refused>
  Deny from 127.0.0.1
  Satisfy Any
</Location>
""" % "ROOT")
    s.stop()
    s.conf.write_text(s.conf.read_text().replace("ROOT/", str(s.root) + "/"))
    (s.root / "etc" / "users").write_text("")
    s.write("page.txt", "x\n")
    for d in ("any", "any-refused"):
        s.write(d + "/page.txt", "x\n")
    s.start()
    assert s.get("/page.txt")[0] == 401  # Satisfy All: the address passes, then a user is needed
    assert s.get("/any/page.txt")[0] == 200  # Satisfy Any: the address is enough
    assert s.get("/any-refused/page.txt")[0] == 401  # Satisfy Any: a refused address may still log in


ACCESS_ERRORS = [
    ("Order Deny", "unknown order"),
    ("Allow by 127.0.0.1", "allow and deny must be followed by 'from'"),
    ("Deny from 10.0.0.0/33", "The specified network mask is invalid."),
    ("Allow from 300.1.1.1/8", "The specified IP address is invalid."),
    ("Satisfy some", "Satisfy either 'any' or 'all'."),
    ("Deny from example/8", "An IP address was expected"),
    ("Allow from .example.org", "Allow from .example.org: host names are matched by mod_authz_host, which is not loaded"),
]


@pytest.mark.parametrize("line,message", ACCESS_ERRORS, ids=[e[0] for e in ACCESS_ERRORS])
def test_access_errors_are_apaches_with_file_and_line(make_server, line, message):
    s, r = syntax_check(make_server, ("access_compat_module",), "<Location /x>\n%s\n</Location>" % line)
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (line_of(s, line), s.conf, message)


def test_access_directives_belong_in_sections(make_server):
    s, r = syntax_check(make_server, ("access_compat_module",), "Deny from all")
    assert r.returncode == 1
    assert "line %d of %s: " % (line_of(s, "Deny from all"), s.conf) in r.stderr
    assert "not allowed here" in r.stderr
