"""Apache's access control modules under each MPM: mod_authz_core (Require and
its containers, AuthMerging), mod_authz_host (ip, local, host, forward-dns),
mod_authz_user (user, valid-user), mod_auth_basic and mod_authn_file with
htpasswd files made by Debian's htpasswd. The messages are Apache 2.4's,
checked against apache2 itself."""
import http.client
import socket
import subprocess

import pytest

from harness import SOURCE, module_file

AUTH = ("static_module", "authz_core_module", "authz_host_module", "authz_user_module", "auth_basic_module",
        "authn_file_module")
SECOND = "127.0.0.2"  # another loopback address, to be a different client


def get(s, path, source=None, port=None, auth=None, method="GET", host="127.0.0.1"):
    """(status, headers, body) of one request, sent from `source` when given."""
    c = http.client.HTTPConnection(host, port or s.port, timeout=10,
                                   source_address=(source, 0) if source else None)
    headers = {}
    if auth is not None:
        import base64
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    try:
        c.request(method, path, headers=headers)
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def status(s, path, **kw):
    return get(s, path, **kw)[0]


def pages(s, *dirs):
    for d in dirs:
        s.write(d.strip("/") + "/index.html", "%s\n" % d)


def htpasswd(path, flag, user, password):
    """Adds a user with Debian's htpasswd (-B bcrypt, -m apr1, -s SHA, -d crypt)."""
    args = ["htpasswd", "-b" + flag] + (["-c"] if not path.exists() else []) + [str(path), user, password]
    subprocess.run(args, check=True, capture_output=True)
    return path.read_text().splitlines()[-1]


@pytest.fixture(autouse=True)
def built():
    missing = [m for m in AUTH if not module_file(m).exists()]
    if missing:
        pytest.skip("not built: %s" % ", ".join(missing))


# ---- mod_authz_core ------------------------------------------------------------------

def test_require_all_granted_and_denied_and_the_ah01630_line(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=AUTH, log_level="warn", config="""
<Location /open>
    Require all granted
</Location>
<Location /closed>
    Require all denied
</Location>
""")
    pages(s, "open", "closed", "free")
    s.start()
    assert status(s, "/open/") == 200
    assert status(s, "/free/") == 200  # no Require in force: nothing to enforce
    st, _, body = get(s, "/closed/")
    assert st == 403 and b"Forbidden" in body
    # Apache's line, at the default LogLevel (warn): the file that was refused.
    assert "[authz_core:error]" in s.error_log()
    assert "AH01630: client denied by server configuration: %s/closed/" % s.docroot in s.error_log()


def test_not_and_the_containers_nest_as_apaches(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=AUTH, config="""
<Location /any>
    Require ip 10.9.9.9
    Require ip %(second)s
</Location>
<Location /all>
    <RequireAll>
        Require all granted
        Require not ip 127.0.0.1
    </RequireAll>
</Location>
<Location /none>
    <RequireAll>
        Require ip 127.0.0.0/8
        <RequireNone>
            Require ip %(second)s
            Require ip 10.9.9.9
        </RequireNone>
    </RequireAll>
</Location>
<Location /nested>
    <RequireAny>
        <RequireAll>
            Require ip %(second)s
            Require method GET
        </RequireAll>
        Require ip 10.9.9.9
    </RequireAny>
</Location>
""" % {"second": SECOND})
    pages(s, "any", "all", "none", "nested")
    s.start()
    # Several Require lines: any one of them (an implicit <RequireAny>).
    assert (status(s, "/any/"), status(s, "/any/", source=SECOND)) == (403, 200)
    assert (status(s, "/all/"), status(s, "/all/", source=SECOND)) == (403, 200)
    assert (status(s, "/none/"), status(s, "/none/", source=SECOND)) == (200, 403)
    assert (status(s, "/nested/"), status(s, "/nested/", source=SECOND)) == (403, 200)
    assert status(s, "/nested/", source=SECOND, method="POST") == 403


def test_env_method_and_no_rules(make_server, mpm):
    modules = AUTH + (("setenvif_module",) if module_file("setenvif_module").exists() else ())
    setenv = 'SetEnvIf User-Agent "^friend" let_in\n' if "setenvif_module" in modules else ""
    s = make_server(start=False, mpm=mpm, modules=modules, config=setenv + """
<Location /env>
    Require env let_in other_var
</Location>
<Location /method>
    Require method GET
</Location>
""")
    pages(s, "env", "method")
    s.start()
    assert status(s, "/env/") == 403  # neither variable is set
    if setenv:
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        c.request("GET", "/env/", headers={"User-Agent": "friend/1"})
        assert c.getresponse().status == 200
        c.close()
    assert status(s, "/method/") == 200
    assert status(s, "/method/", method="HEAD") == 200  # HEAD is GET to Apache
    assert status(s, "/method/", method="DELETE") == 403


def test_authmerging_off_and_or(make_server, mpm):
    s = make_server(start=False, mpm=mpm, modules=AUTH, config="""
<Location /m>
    Require ip 127.0.0.1
</Location>
<Location /m/off>
    Require ip %(second)s
</Location>
<Location /m/and>
    AuthMerging And
    Require ip %(second)s
</Location>
<Location /m/or>
    AuthMerging Or
    Require ip %(second)s
</Location>
<Location /m/inherit>
    AuthzSendForbiddenOnFailure On
</Location>
""" % {"second": SECOND})
    pages(s, "m", "m/off", "m/and", "m/or", "m/inherit")
    s.start()
    both = lambda p: (status(s, p), status(s, p, source=SECOND))
    assert both("/m/") == (200, 403)
    assert both("/m/off/") == (403, 200)  # the default: the nearer Require replaces
    assert both("/m/and/") == (403, 403)
    assert both("/m/or/") == (200, 200)
    assert both("/m/inherit/") == (200, 403)  # no Require of its own: the outer one holds


# ---- mod_authz_host ------------------------------------------------------------------

def test_require_ip_in_all_its_forms(make_server, mpm):
    forms = {"exact": "127.0.0.1", "cidr": "127.0.0.0/31", "netmask": "127.0.0.0/255.255.255.254",
             "partial": "127.0", "partial_dot": "127.0.0.", "ipv6": "::1", "list": "10.0.0.0/8 127.0.0.1",
             "quoted": '"127.0.0.1"', "other": "10.1", "big_mask": "127.0.0.1/32", "second": SECOND}
    s = make_server(start=False, mpm=mpm, modules=AUTH, config="".join(
        "<Location /%s>\n    Require ip %s\n</Location>\n" % (k, v) for k, v in forms.items()))
    pages(s, *forms)
    s.start()
    got = {k: (status(s, "/%s/" % k), status(s, "/%s/" % k, source="127.0.0.3")) for k in forms}
    assert got == {"exact": (200, 403), "cidr": (200, 403), "netmask": (200, 403), "partial": (200, 200),
                   "partial_dot": (200, 200), "ipv6": (403, 403), "list": (200, 403), "quoted": (200, 403),
                   "other": (403, 403), "big_mask": (200, 403), "second": (403, 403)}
    assert status(s, "/second/", source=SECOND) == 200


def test_server_status_for_local_clients_only(make_server, mpm):
    if not module_file("status_module").exists():
        pytest.skip("mod_status not built")
    from harness import free_port
    second_port = free_port(SECOND)
    s = make_server(start=False, mpm=mpm, modules=AUTH + ("status_module",),
                    extra_listen=["%s:%d" % (SECOND, second_port)], config="""
<Location /server-status>
    SetHandler server-status
    Require local
</Location>
<Location /status-one>
    SetHandler server-status
    Require ip 127.0.0.1
</Location>
""")
    s.start()
    assert status(s, "/server-status?auto") == 200
    # Apache's "local" is all of 127.0.0.0/8 (checked with apache2 2.4):
    # 127.0.0.2 is local too, whichever address it connects to.
    assert status(s, "/server-status?auto", source=SECOND) == 200
    assert status(s, "/server-status?auto", source=SECOND, host=SECOND, port=second_port) == 200
    # To let in 127.0.0.1 alone, name it.
    assert status(s, "/status-one?auto") == 200
    st, _, body = get(s, "/status-one?auto", source=SECOND)
    assert st == 403 and b"Total Accesses" not in body


def non_loopback_address():
    """An address of this host that is not loopback (192.0.2.2 in the test
    container), or None."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.connect(("198.51.100.1", 9))  # a route lookup: no packet is sent
            addr = u.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") or addr == "0.0.0.0" else addr


def test_local_is_also_the_address_the_client_connected_to(make_server, mpm):
    addr = non_loopback_address()
    if addr is None:
        pytest.skip("no non-loopback address")
    from harness import free_port
    port = free_port()
    s = make_server(start=False, mpm=mpm, modules=AUTH, extra_listen=["%s:%d" % (addr, port)], config="""
<Location /local>
    Require local
</Location>
<Location /not-local>
    <RequireAll>
        Require all granted
        Require not local
    </RequireAll>
</Location>
""")
    pages(s, "local", "not-local")
    s.start()
    assert status(s, "/local/", source=addr, host=addr, port=port) == 200
    assert status(s, "/not-local/", source=addr, host=addr, port=port) == 403


def test_require_host_and_forward_dns(make_server, mpm):
    try:
        name = socket.gethostbyaddr("127.0.0.1")[0]
        forward = socket.gethostbyname(name)
    except OSError:
        name = forward = None
    if name != "localhost" or forward != "127.0.0.1":
        pytest.skip("127.0.0.1 is not localhost both ways here")
    s = make_server(start=False, mpm=mpm, modules=AUTH, config="""
<Location /host>
    Require host localhost
</Location>
<Location /host-other>
    Require host calhost example.org
</Location>
<Location /fdns>
    Require forward-dns localhost
</Location>
""")
    pages(s, "host", "host-other", "fdns")
    s.start()
    assert status(s, "/host/") == 200
    assert status(s, "/host-other/") == 403  # whole labels only: "calhost" is not "localhost"
    assert status(s, "/fdns/") == 200
    assert status(s, "/fdns/", source=SECOND) == 403
    if not _has_reverse_name(SECOND):
        assert status(s, "/host/", source=SECOND) == 403
        assert ("AH01753: access check of 'localhost' to /host/ failed, reason: unable to get the remote host name"
                in s.error_log())


def _has_reverse_name(addr):
    try:
        socket.gethostbyaddr(addr)
        return True
    except OSError:
        return False


# ---- mod_auth_basic, mod_authn_file, mod_authz_user ----------------------------------

@pytest.fixture
def basic(make_server, mpm, tmp_path):
    """A server with /private (Require user alice bob carol dave), /valid
    (valid-user), /forbid (AuthzSendForbiddenOnFailure) and a user per
    htpasswd hash kind: alice -B, bob -m, carol -s, dave -d."""
    users = tmp_path / "users"
    hashes = {"alice": htpasswd(users, "B", "alice", "s3cret"), "bob": htpasswd(users, "m", "bob", "b0b pw"),
              "carol": htpasswd(users, "s", "carol", "carol!"), "dave": htpasswd(users, "d", "dave", "davepw"),
              "erin": htpasswd(users, "m", "erin", "erin")}
    s = make_server(start=False, mpm=mpm, modules=AUTH, log_level="warn", config="""
<Location /private>
    AuthType Basic
    AuthName "Members \\"only\\""
    AuthUserFile %(users)s
    Require user alice bob carol dave
</Location>
<Location /valid>
    AuthType basic
    AuthName "any user"
    AuthBasicProvider file
    AuthUserFile %(users)s
    Require valid-user
</Location>
<Location /forbid>
    AuthType Basic
    AuthName "forbid"
    AuthUserFile %(users)s
    AuthzSendForbiddenOnFailure On
    Require user alice
</Location>
""" % {"users": users})
    pages(s, "private", "valid", "forbid")
    s.start()
    s.hashes = hashes
    return s


def curl(s, path, *args):
    """(status, headers) from curl, as a user would log in."""
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-", *args, "http://127.0.0.1:%d%s" % (s.port, path)],
                       capture_output=True, text=True, timeout=30)
    lines = r.stdout.splitlines()
    headers = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), headers


@pytest.mark.parametrize("user,password,prefix", [("alice", "s3cret", "$2y$"), ("bob", "b0b pw", "$apr1$"),
                                                  ("carol", "carol!", "{SHA}"), ("dave", "davepw", "")])
def test_every_htpasswd_hash_logs_in_with_curl(basic, user, password, prefix):
    assert basic.hashes[user].startswith("%s:%s" % (user, prefix))
    if not prefix:  # crypt: 13 characters of [./0-9A-Za-z]
        assert len(basic.hashes[user].split(":")[1]) == 13
    assert curl(basic, "/private/", "-u", "%s:%s" % (user, password))[0] == 200
    st, headers = curl(basic, "/private/", "-u", "%s:%s" % (user, password + "x"))
    assert st == 401 and headers["www-authenticate"] == 'Basic realm="Members \\"only\\""'
    assert ('AH01617: user %s: authentication failure for "/private/": Password Mismatch' % user
            in basic.error_log())


def test_basic_challenge_and_failures(basic):
    st, headers, body = get(basic, "/private/")
    assert st == 401 and b"Unauthorized" in body
    assert headers["www-authenticate"] == 'Basic realm="Members \\"only\\""'
    st, headers, _ = get(basic, "/private/", auth="mallory:x")
    assert st == 401 and "www-authenticate" in headers
    assert "AH01618: user mallory not found: /private/" in basic.error_log()
    # Another scheme is no login.
    c = http.client.HTTPConnection("127.0.0.1", basic.port, timeout=10)
    c.request("GET", "/private/", headers={"Authorization": "Bearer abc"})
    r = c.getresponse()
    assert r.status == 401 and r.getheader("WWW-Authenticate")
    c.close()
    assert "AH01614: client used wrong authentication scheme: /private/" in basic.error_log()


def test_require_user_and_valid_user(basic):
    assert status(basic, "/private/", auth="alice:s3cret") == 200
    # erin's password is right but she is not on the list: 401, to try as someone else.
    st, headers, _ = get(basic, "/private/", auth="erin:erin")
    assert st == 401 and headers["www-authenticate"] == 'Basic realm="Members \\"only\\""'
    assert 'AH01631: user erin: authorization failure for "/private/": ' in basic.error_log()
    assert status(basic, "/valid/", auth="erin:erin") == 200  # AuthType in any case
    assert status(basic, "/valid/") == 401
    # AuthzSendForbiddenOnFailure: 403 instead, with no challenge.
    st, headers, _ = get(basic, "/forbid/", auth="erin:erin")
    assert st == 403 and "www-authenticate" not in headers
    assert status(basic, "/forbid/", auth="alice:s3cret") == 200


def test_the_htpasswd_file_is_read_on_each_login(basic, tmp_path):
    assert status(basic, "/valid/", auth="frank:new") == 401
    htpasswd(tmp_path / "users", "m", "frank", "new")
    assert status(basic, "/valid/", auth="frank:new") == 200


def test_rules_without_a_user_come_first(make_server, mpm, tmp_path):
    users = tmp_path / "users"
    htpasswd(users, "m", "alice", "pw")
    s = make_server(start=False, mpm=mpm, modules=AUTH, config="""
<Location /either>
    AuthType Basic
    AuthName "either"
    AuthUserFile %(users)s
    Require ip 127.0.0.1
    Require valid-user
</Location>
<Location /both>
    AuthType Basic
    AuthName "both"
    AuthUserFile %(users)s
    <RequireAll>
        Require ip 127.0.0.1
        Require valid-user
    </RequireAll>
</Location>
<Location /denied>
    AuthType Basic
    AuthName "denied"
    AuthUserFile %(users)s
    Require all denied
</Location>
<Location /typeonly>
    AuthType Basic
    AuthName "t"
    AuthMerging Off
</Location>
<Location /noauth>
    Require valid-user
</Location>
""" % {"users": users})
    pages(s, "either", "both", "denied", "typeonly", "noauth")
    s.start()
    assert status(s, "/either/") == 200  # the address suffices: no login asked
    assert status(s, "/either/", source=SECOND) == 401
    assert status(s, "/either/", source=SECOND, auth="alice:pw") == 200
    assert status(s, "/both/") == 401
    assert status(s, "/both/", auth="alice:pw") == 200
    assert status(s, "/both/", source=SECOND) == 403  # no user could change that
    assert status(s, "/denied/", auth="alice:pw") == 403
    # Apache's answers to half a configuration: 500, and why.
    assert status(s, "/typeonly/") == 500
    assert "AH01627: AuthType configured with no corresponding authorization directives" in s.error_log()
    assert status(s, "/noauth/") == 500
    assert "AH00027: No authentication done but request not allowed without authentication" in s.error_log()


# ---- configuration errors ------------------------------------------------------------

USAGE_MERGING = ("controls how a <Directory>, <Location>, or similar directive's authorization directives are "
                 "combined with those of its predecessor")

# (the section's body, the line the error is on, Apache's message)
ERRORS = [
    ("Require", "Require", "Unknown Authz provider: "),
    ("Require foo bar", "Require foo", "Unknown Authz provider: foo"),
    ("Require all", "Require all", "Argument for 'Require all' must be 'granted' or 'denied'"),
    ("Require all granted please", "Require all", "Argument for 'Require all' must be 'granted' or 'denied'"),
    ("Require not all granted", "Require not",
     "negative Require directive has no effect in <RequireAny> directive"),
    ("<RequireAll foo>\nRequire all granted\n</RequireAll>", "<RequireAll foo>",
     "<RequireAll> directive doesn't take additional arguments"),
    ("<RequireAll>\n</RequireAll>", "<RequireAll>", "<RequireAll> directive contains no authorization directives"),
    ("<RequireNone>\nRequire ip 10.1\n</RequireNone>", "<RequireNone>",
     "<RequireNone> directive has no effect in <RequireAny> directive"),
    ("<RequireAny>\nRequire not ip 10.1\n</RequireAny>", "Require not",
     "negative Require directive has no effect in <RequireAny> directive"),
    ("<RequireAll>\n<RequireNone>\nRequire not ip 10.1\n</RequireNone>\n</RequireAll>", "Require not",
     "negative Require directive has no effect in <RequireNone> directive"),
    # Apache reports this one after reading the file, without a line.
    ("<RequireAll>\n<RequireNone>\nRequire ip 10.1\n</RequireNone>\n</RequireAll>", "<RequireAll>",
     "AH01624: <RequireAll> directive contains only negative authorization directives"),
    ("Require ip", "Require ip", "'require ip' requires an argument"),
    ("Require ip 10.1/16", "Require ip",
     "ip address '10.1/16' appears to be invalid: The specified IP address is invalid."),
    ("Require ip 10.0.0.0/33", "Require ip",
     "ip address '10.0.0.0/33' appears to be invalid: The specified network mask is invalid."),
    ("Require ip ::1/64 fe80::1/ffff::", "Require ip",
     "ip address 'fe80::1/ffff::' appears to be invalid: The specified network mask is invalid."),
    ("Require ip ::ffff:1.2.3.4", "Require ip",
     "ip address '::ffff:1.2.3.4' appears to be invalid: The specified IP address is invalid."),
    ("Require ip example.com", "Require ip", "ip address 'example.com' appears to be invalid"),
    ("Require method GET BREW", "Require method", "Invalid Method 'BREW'"),
    ("AuthMerging", "AuthMerging", "AuthMerging takes one argument, " + USAGE_MERGING),
    ("AuthMerging sometimes", "AuthMerging", "AuthMerging must be one of: Off | And | Or"),
    ("AuthzSendForbiddenOnFailure maybe", "AuthzSendForbiddenOnFailure",
     "AuthzSendForbiddenOnFailure must be On or Off"),
    ("AuthBasicProvider", "AuthBasicProvider",
     "AuthBasicProvider requires at least one argument, specify the auth providers for a directory or location"),
    ("AuthBasicProvider file ldap", "AuthBasicProvider", "Unknown Authn provider: ldap"),
    ("AuthBasicAuthoritative perhaps", "AuthBasicAuthoritative", "AuthBasicAuthoritative must be On or Off"),
    ("AuthUserFile", "AuthUserFile", "AuthUserFile takes one argument, text file containing user IDs and passwords"),
    ("AuthUserFile a b", "AuthUserFile",
     "AuthUserFile takes one argument, text file containing user IDs and passwords"),
]


def conf_line(s, text):
    for i, l in enumerate(s.conf.read_text().splitlines(), 1):
        if l.strip().startswith(text):
            return i
    raise AssertionError(text)


@pytest.mark.parametrize("body,where,message", ERRORS, ids=[e[0].split("\n")[0] for e in ERRORS])
def test_directive_errors_name_file_and_line(make_server, body, where, message):
    s = make_server(start=False, modules=AUTH, config="<Location /x>\n%s\n</Location>\n" % body)
    r = s.run("-t")
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (conf_line(s, where), s.conf, message)


@pytest.mark.parametrize("line", ["Require all granted", "AuthBasicProvider file", "AuthUserFile users"])
def test_directory_only_directives_outside_a_section(make_server, line):
    s = make_server(start=False, modules=AUTH, config=line)
    r = s.run("-t")
    name = line.split()[0]
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s not allowed here\n" % (
        conf_line(s, line), s.conf, name)


def test_a_valid_configuration_checks(make_server):
    s = make_server(start=False, modules=AUTH, config="""
<Directory "htdocs">
    AuthType Basic
    AuthName "x"
    AuthUserFile etc/users
    AuthBasicAuthoritative Off
    AuthMerging And
    <RequireAll>
        Require ip 10.1 127.0.0.0/8 ::1 fe80::/10 "192.168.0.0/255.255.0.0"
        <RequireAny>
            Require valid-user
            Require env A B
            Require host example.org
            Require forward-dns example.net
        </RequireAny>
        <RequireNone>
            Require user mallory
            Require method PUT DELETE
        </RequireNone>
        Require not local
    </RequireAll>
</Directory>
""")
    r = s.run("-t")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n")


# ---- the shipped configuration -------------------------------------------------------

def test_the_shipped_configuration_enforces_its_require_lines(make_server, mpm):
    if not module_file("status_module").exists():
        pytest.skip("mod_status not built")
    s = make_server(start=False, mpm=mpm, modules=AUTH + ("status_module",))
    shipped = (SOURCE / "etc" / "modhttpd.conf").read_text()
    assert "<IfModule mod_authz_core.c>" not in shipped
    text = shipped.replace("Listen 8080", "Listen 127.0.0.1:%d" % s.port)
    mpm_line = "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so"
    assert mpm_line in text
    text = text.replace(mpm_line, "LoadModule mpm_%s_module modules/%s" % (mpm, module_file("mpm_%s_module" % mpm).name))
    s.conf.write_text(text)
    s.write("index.html", "home\n")
    r = s.run("-t")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n"), r.stderr
    s.start()
    st, _, body = get(s, "/")
    assert (st, body) == (200, b"home\n")
    assert status(s, "/server-status?auto") == 200
    assert status(s, "/server-status?auto", source=SECOND) == 200  # local: 127.0.0.0/8
