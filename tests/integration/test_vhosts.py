"""<VirtualHost> as Apache 2.4 has them: name-based and IP-based selection
(the connection's address first, then Host against ServerName/ServerAlias),
per-vhost DocumentRoot, logs, sections and module settings, -S, the
directives refused inside a vhost, UseCanonicalName, mod_status's vhost
column and a graceful restart that re-reads them."""
import json
import signal
import socket

import pytest

from harness import Server, free_port, parse_responses, wait_until

MODULES = ("static_module", "alias_module", "headers_module", "status_module")


def conf_line(s, text):
    for i, line in enumerate(s.conf.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(text)


def vhost_config(root, port):
    return "\n".join([
        "Alias /from-main %s/shared" % root,
        "<Location /server-status>",
        "SetHandler server-status",
        "</Location>",
        "<VirtualHost *:%d>" % port,
        "    ServerName www.one.test",
        "    ServerAlias one.test alias-one.test",
        "    DocumentRoot %s/one" % root,
        '    CustomLog logs/one_access "%v %V %>s %U"',
        "    ErrorLog logs/one_error",
        "    LogLevel info",
        "    Header set X-Vhost one",
        "    <Location /loc>",
        "        Header set X-Loc one",
        "    </Location>",
        "</VirtualHost>",
        "<VirtualHost *:%d>" % port,
        "    ServerName www.two.test",
        "    ServerAlias *.two.test",
        "    ServerAlias w?.two.example",
        "    DocumentRoot %s/two" % root,
        '    CustomLog logs/two_access "%v %V %>s %U"',
        "    ErrorLog logs/two_error",
        "    LogLevel info",
        "    Alias /aliased %s/aliased" % root,
        "    UseCanonicalName On",
        "    <Directory %s/two/sub>" % root,
        "        Header set X-Dir two",
        "    </Directory>",
        "</VirtualHost>",
        "<VirtualHost *:%d>" % port,
        "    ServerName www.three.test",
        "    DocumentRoot %s/three" % root,
        "    KeepAlive Off",
        "</VirtualHost>",
        "<VirtualHost 127.0.0.2:%d>" % port,
        "    ServerName ip.test",
        "    DocumentRoot %s/ip" % root,
        "</VirtualHost>",
    ])


def make_vhost_server(make_server, mpm, start=True):
    port = free_port("127.0.0.2")
    s = make_server(start=False, mpm=mpm, modules=MODULES, port=port, extra_listen=("127.0.0.2:%d" % port,))
    root = s.root / "sites"
    for name in ("one", "two", "three", "ip"):
        p = root / name
        (p / "sub").mkdir(parents=True)
        (p / "index.html").write_text("%s\n" % name)
        (p / "sub" / "f.txt").write_text("%s sub\n" % name)
        (p / "loc").mkdir()
        (p / "loc" / "f.txt").write_text("%s loc\n" % name)
    (root / "aliased").mkdir()
    (root / "aliased" / "a.txt").write_text("aliased\n")
    (root / "shared").mkdir()
    (root / "shared" / "s.txt").write_text("shared\n")
    s.conf.write_text(s.conf.read_text() + vhost_config(root, port) + "\n")
    if start:
        s.start()
    return s


def exchange(s, data, ip="127.0.0.1"):
    """The responses to `data`, sent on one connection to ip:port."""
    with socket.create_connection((ip, s.port), timeout=5) as c:
        c.sendall(data)
        chunks = []
        while True:
            b = c.recv(65536)
            if not b:
                break
            chunks.append(b)
    return parse_responses(b"".join(chunks))


def get(s, path, host, ip="127.0.0.1", protocol="HTTP/1.1"):
    """(status, headers, body) of one request with this Host (None: no Host)."""
    head = "GET %s %s\r\n" % (path, protocol)
    if host is not None:
        head += "Host: %s\r\n" % host
    return exchange(s, (head + "Connection: close\r\n\r\n").encode(), ip)[0]


def body(s, path, host, **kw):
    st, _, b = get(s, path, host, **kw)
    return st, b.decode()


@pytest.fixture
def vh(make_server):
    return make_vhost_server(make_server, "prefork")


# ---- choosing the vhost ---------------------------------------------------------

@pytest.mark.parametrize("mpm", ["prefork", "worker", "event"])
def test_name_based_vhosts_serve_their_own_document_root(make_server, mpm):
    s = make_vhost_server(make_server, mpm)
    assert body(s, "/", "www.one.test") == (200, "one\n")
    assert body(s, "/", "www.two.test") == (200, "two\n")
    assert body(s, "/", "www.three.test") == (200, "three\n")
    # A Host no vhost names: the first vhost of the address.
    assert body(s, "/", "nobody.test") == (200, "one\n")
    # Keep-alive: each request on one connection picks its own vhost.
    got = exchange(s, b"GET / HTTP/1.1\r\nHost: www.two.test\r\n\r\n"
                      b"GET / HTTP/1.1\r\nHost: www.three.test\r\nConnection: close\r\n\r\n")
    assert [r[2] for r in got] == [b"two\n", b"three\n"]


def test_aliases_wildcards_case_trailing_dot_and_port(vh):
    assert body(vh, "/", "one.test")[1] == "one\n"
    assert body(vh, "/", "alias-one.test")[1] == "one\n"
    assert body(vh, "/", "deep.sub.two.test")[1] == "two\n"     # * spans dots
    assert body(vh, "/", "wx.two.example")[1] == "two\n"        # ? is one character
    assert body(vh, "/", "wxx.two.example")[1] == "one\n"
    assert body(vh, "/", "two.test")[1] == "one\n"              # "*.two.test" needs the dot
    assert body(vh, "/", "WWW.Three.TEST.:%d" % vh.port)[1] == "three\n"
    assert body(vh, "/", "www.three.test:80")[1] == "three\n"
    # The absolute-form target's host wins over Host.
    assert body(vh, "http://www.two.test/", "www.three.test")[1] == "two\n"


def test_no_host_goes_to_the_default_vhost(vh):
    assert body(vh, "/", None, protocol="HTTP/1.0") == (200, "one\n")
    # HTTP/1.1 without Host stays a 400, as before.
    assert get(vh, "/", None)[0] == 400
    assert get(vh, "/", "bad host")[0] == 400


def test_ip_based_vhost_is_chosen_by_local_address_first(vh):
    # 127.0.0.2:P has a vhost of its own: the names of *:P do not reach it.
    assert body(vh, "/", "www.two.test", ip="127.0.0.2") == (200, "ip\n")
    assert body(vh, "/", "ip.test", ip="127.0.0.2") == (200, "ip\n")
    # And ip.test is not a name of the *:P set.
    assert body(vh, "/", "ip.test") == (200, "one\n")


# ---- per-vhost settings ----------------------------------------------------------

def test_sections_and_module_directives_apply_only_in_their_vhost(vh):
    st, h, b = get(vh, "/loc/f.txt", "www.one.test")
    assert (st, h.get("x-loc"), h.get("x-vhost")) == (200, "one", "one")
    st, h, b = get(vh, "/loc/f.txt", "www.two.test")
    assert (st, b, h.get("x-loc"), h.get("x-vhost")) == (200, b"two loc\n", None, None)
    assert get(vh, "/sub/f.txt", "www.two.test")[1].get("x-dir") == "two"
    assert get(vh, "/sub/f.txt", "www.one.test")[1].get("x-dir") is None
    # Alias in two only; the main server's Alias reaches every vhost (mod_alias
    # merges a vhost's rules before the main server's, as Apache).
    assert body(vh, "/aliased/a.txt", "www.two.test") == (200, "aliased\n")
    assert get(vh, "/aliased/a.txt", "www.one.test")[0] == 404
    assert body(vh, "/from-main/s.txt", "www.one.test") == (200, "shared\n")
    assert body(vh, "/from-main/s.txt", "www.two.test") == (200, "shared\n")


def test_keep_alive_is_per_vhost(vh):
    got = exchange(vh, b"GET / HTTP/1.1\r\nHost: www.one.test\r\n\r\n"
                       b"GET / HTTP/1.1\r\nHost: www.three.test\r\n\r\n"
                       b"GET / HTTP/1.1\r\nHost: www.one.test\r\n\r\n")
    # Three has KeepAlive Off: the connection ends with its answer.
    assert [r[2] for r in got] == [b"one\n", b"three\n"]
    assert got[1][1].get("connection") == "close"


def test_each_vhost_has_its_own_logs(vh):
    get(vh, "/", "One.Test.")
    get(vh, "/missing-one", "www.one.test")
    get(vh, "/", "x.two.test")
    get(vh, "/", "www.three.test")
    vh.stop()
    logs = vh.root / "logs"
    # %v the vhost's ServerName, %V the name the request used.
    # (The first line is the harness's "OPTIONS *" with Host "x", which the
    # default vhost answered.)
    assert (logs / "one_access").read_text().splitlines()[1:] == [
        "www.one.test one.test 200 /", "www.one.test www.one.test 404 /missing-one"]
    # Two has UseCanonicalName On: %V is its ServerName too.
    assert (logs / "two_access").read_text().splitlines() == ["www.two.test www.two.test 200 /"]
    # Three has no CustomLog: the main server's log has it (and only it).
    main = vh.access_log()
    assert '"GET / HTTP/1.1" 200' in main and len(main.splitlines()) == 1
    assert "AH00128: File does not exist" in (logs / "one_error").read_text()
    assert "missing-one" not in vh.error_log()
    assert (logs / "two_error").exists()


def test_use_canonical_name_on_names_the_vhost_in_redirects(vh):
    # Two has UseCanonicalName On: its ServerName and the connection's port.
    st, h, _ = get(vh, "/sub", "x.two.test")
    assert (st, h["location"]) == (301, "http://www.two.test:%d/sub/" % vh.port)
    # One keeps Off: the name the client used.
    st, h, _ = get(vh, "/sub", "one.test")
    assert (st, h["location"]) == (301, "http://one.test/sub/")


@pytest.mark.parametrize("mpm", ["prefork", "event"])
def test_status_shows_the_vhost_of_each_request(make_server, mpm):
    s = make_vhost_server(make_server, mpm)
    st, _, b = get(s, "/server-status?json", "x.two.test")
    assert st == 200
    slots = [w for w in json.loads(b)["slots"] if "server-status?json" in w.get("request", "")]
    assert [w["vhost"] for w in slots] == ["www.two.test"]
    st, _, b = get(s, "/server-status?auto", "one.test")
    assert st == 200


# ---- -S and configuration errors -------------------------------------------------

def test_dash_S_lists_vhosts_as_apache(make_server):
    s = make_vhost_server(make_server, "prefork", start=False)
    r = s.run("-S")
    assert r.returncode == 0, r.stderr
    # Each vhost is named by its <VirtualHost> line.
    one, two, three, ip = ["%s:%d" % (s.conf, i)
                           for i, line in enumerate(s.conf.read_text().splitlines(), 1) if "<VirtualHost" in line]
    p = s.port
    lines = r.stdout.splitlines()
    assert lines[:12] == [
        "VirtualHost configuration:",
        "%-22s ip.test (%s)" % ("127.0.0.2:%d" % p, ip),
        "%-22s is a NameVirtualHost" % ("*:%d" % p),
        "         default server www.one.test (%s)" % one,
        "         port %d namevhost www.one.test (%s)" % (p, one),
        "                 alias one.test",
        "                 alias alias-one.test",
        "         port %d namevhost www.two.test (%s)" % (p, two),
        "                 wild alias *.two.test",
        "                 wild alias w?.two.example",
        "         port %d namevhost www.three.test (%s)" % (p, three),
        'ServerRoot: "%s"' % s.root,
    ]
    assert lines[12:16] == [
        'Main DocumentRoot: "%s/htdocs"' % s.root,
        'Main ErrorLog: "%s/logs/error_log"' % s.root,
        'Mutex default: dir="%s/logs/" mechanism=default ' % s.root,
        'PidFile: "%s/logs/modhttpd.pid"' % s.root,
    ]
    assert lines[16:18] == ["Define: DUMP_VHOSTS", "Define: DUMP_RUN_CFG"]
    assert lines[18].startswith("User: name=") and lines[19].startswith("Group: name=")
    # -t -D DUMP_VHOSTS alone: the vhost part only.
    out = s.run("-t", "-D", "DUMP_VHOSTS").stdout
    assert out.splitlines() == lines[:11]


@pytest.mark.parametrize("directive,message", [
    ("Listen 127.0.0.1:1", "Listen cannot occur within <VirtualHost> section"),
    ("PidFile logs/other.pid", "PidFile cannot occur within <VirtualHost> section"),
    ("User nobody", "User cannot occur within <VirtualHost> section"),
    ("TypesConfig etc/mime.types", "TypesConfig cannot occur within <VirtualHost> section"),
    ("MaxRequestWorkers 10", "MaxRequestWorkers cannot occur within <VirtualHost> section"),
    ("<VirtualHost *:81>\n</VirtualHost>", "<VirtualHost> cannot occur within <VirtualHost> section"),
])
def test_process_wide_directives_are_refused_in_a_vhost(tmp_path, directive, message):
    s = Server(tmp_path / "root")
    text = s.conf.read_text() + "<VirtualHost *:80>\nServerName a.test\n" + directive + "\n</VirtualHost>\n"
    s.conf.write_text(text)
    line = conf_line(s, directive.splitlines()[0])
    r = s.run("-t")
    assert r.returncode == 1
    assert "Syntax error on line %d of %s:" % (line, s.conf) in r.stderr
    assert message in r.stderr


@pytest.mark.parametrize("text,message", [
    ("ServerAlias x.test", "ServerAlias only used in <VirtualHost>"),
    ("<VirtualHost>\n</VirtualHost>", "<VirtualHost> directive requires additional arguments"),
    ("<VirtualHost *:99999>\n</VirtualHost>", "The address or port is invalid"),
    ("<Location /x>\n<VirtualHost *:80>\n</VirtualHost>\n</Location>",
     "<VirtualHost> cannot occur within <Location> section"),
    ("UseCanonicalName maybe", "parameter must be 'on', 'off', or 'dns'"),
])
def test_vhost_syntax_errors(tmp_path, text, message):
    s = Server(tmp_path / "root")
    s.conf.write_text(s.conf.read_text() + text + "\n")
    r = s.run("-t")
    assert r.returncode == 1 and message in r.stderr, r.stderr


def test_graceful_restart_rereads_the_vhosts(vh):
    assert body(vh, "/", "wx.two.example")[1] == "two\n"
    text = vh.conf.read_text().replace("ServerAlias w?.two.example", "ServerAlias w?.two.renamed")
    vh.conf.write_text(text)
    vh.signal(signal.SIGUSR1)
    wait_until(lambda: body(vh, "/", "wx.two.renamed")[1] == "two\n", timeout=10)
    # The old alias went with the old generation: the default answers it.
    assert body(vh, "/", "wx.two.example")[1] == "one\n"
    assert body(vh, "/", "www.three.test")[1] == "three\n"
