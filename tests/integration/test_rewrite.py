"""mod_rewrite (modules/rewrite): RewriteEngine, RewriteBase, RewriteCond,
RewriteRule in server context (translate_name, before mod_alias) and in
<Directory> (a fixup and an internal redirect), with the answers Apache 2.4
gives: statuses, Location, what is served, and its configuration errors."""
import pytest

from harness import wait_until

# The modules these tests load.
MODULES = ("static_module", "alias_module", "setenvif_module", "rewrite_module")


def conf_line(s, text):
    for i, line in enumerate(s.conf.read_text().splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(text)


def start(make_server, mpm, config, files):
    s = make_server(start=False, mpm=mpm, modules=MODULES)
    for path, body in files.items():
        s.write(path, body)
    s.conf.write_text(s.conf.read_text() + config.format(root=s.root, docroot=s.docroot, port=s.port) + "\n")
    s.start()
    return s


def get(s, path, **headers):
    return s.request("GET", path, headers=headers)


def where(s, path, **headers):
    status, h, _ = get(s, path, **headers)
    return status, h.get("location")


def log_has(s, *lines):
    """Whether rw_log comes to hold every line (each is written after its
    response went out)."""
    log = s.root / "logs" / "rw_log"
    return wait_until(lambda: log.exists() and all(line + "\n" in log.read_text() for line in lines), 10)


def url(s, path):
    return "http://127.0.0.1:%d%s" % (s.port, path)


# ---- server context ------------------------------------------------------------------

SERVER_RULES = r"""
RewriteEngine On
RewriteRule ^/old\.html$ /new.html [R=301,L]
RewriteRule ^/temp/(.*)$ /new.html?from=$1 [R]
RewriteRule ^/qsa/(\w+)$ /new.html?item=$1 [QSA,R=302,L]
RewriteRule ^/qsd$ /new.html [QSD,R=301,L]
RewriteRule ^/keepq$ /new.html [R=308,L]
RewriteRule ^/secret - [F]
RewriteRule ^/gone - [G]
RewriteRule ^/Case\.html$ /new.html [NC,L]
RewriteRule ^/items/(\d+)/(\w+)$ /item-$2-$1.txt [L]
RewriteCond %{{HTTP_USER_AGENT}} ^curl [OR]
RewriteCond %{{HTTP_USER_AGENT}} ^wget [NC]
RewriteRule ^/agent$ /agent-tool.txt [L]
RewriteRule ^/agent$ /agent-other.txt [L]
RewriteCond %{{QUERY_STRING}} (^|&)id=(\d+)
RewriteRule ^/byid$ /item-%2.txt? [L]
RewriteCond %{{HTTP:X-Variant}} =b
RewriteRule ^/variant$ /b.txt [L]
RewriteRule ^/env/(\w+)$ /new.html [E=REWRITTEN:$1,L]
RewriteRule ^/typed$ /data.bin [T=text/x-rewritten,L]
RewriteRule ^/space/(.*)$ /new.html?q=$1 [L]
RewriteRule ^/chain/(\d+)$ /c-$1 [C]
RewriteRule ^/c-(\d+)$ /item-$1.txt [L]
RewriteRule ^/n/a(.*)$ /n/$1 [N]
RewriteRule ^/n/(\d+)$ /item-$1.txt [L]
RewriteRule ^/grow/(.*)$ /grow/$1$1 [N]
RewriteRule ^/pt/(.*)$ /aliased/$1 [PT]
RewriteRule ^/noalias/(.*)$ /aliased/$1 [L]
RewriteRule ^/fs/(.*)$ {docroot}/sub/$1 [L]
RewriteCond %{{REQUEST_METHOD}} =POST
RewriteRule ^/form$ - [F]
RewriteRule ^/form$ /new.html [L]
SetEnvIf X-Forwarded-Proto ^https$ HTTPS=on
RewriteCond %{{HTTPS}} off
RewriteRule ^/secure/(.*)$ https://%{{SERVER_NAME}}/secure/$1 [R=301,L]
Alias /aliased/ {root}/real/
LogFormat "%r %>s %{{REWRITTEN}}e" rw
CustomLog logs/rw_log rw
"""

SERVER_FILES = {
    "new.html": "new\n", "item-abc-42.txt": "item 42\n", "item-7.txt": "item 7\n",
    "agent-tool.txt": "tool\n", "agent-other.txt": "other\n", "b.txt": "variant b\n",
    "sub/f.txt": "sub f\n", "secure/x.txt": "secure x\n", "data.bin": "data\n",
}


@pytest.fixture(params=["prefork", "worker"])
def served(request, make_server):
    s = start(make_server, request.param, SERVER_RULES, SERVER_FILES)
    (s.root / "real").mkdir()
    (s.root / "real" / "r.txt").write_text("aliased r\n")
    return s


def test_redirects_carry_status_and_absolute_location(served):
    s = served
    assert where(s, "/old.html") == (301, url(s, "/new.html"))
    # [R] alone is a 302; a query in the substitution replaces the request's.
    assert where(s, "/temp/a%20b?x=1") == (302, url(s, "/new.html?from=a%20b"))
    # [QSA] puts the substitution's query first, the request's after it.
    assert where(s, "/qsa/hat?color=red") == (302, url(s, "/new.html?item=hat&color=red"))
    assert where(s, "/qsd?drop=1") == (301, url(s, "/new.html"))
    # Without a query in the substitution the request's goes along, as it came.
    assert where(s, "/keepq?a=%41&b") == (308, url(s, "/new.html?a=%41&b"))
    status, _, body = get(s, "/old.html")
    assert b'The document has moved <a href="%s">here</a>' % url(s, "/new.html").encode() in body


def test_status_flags(served):
    assert get(served, "/secret/x")[0] == 403
    assert get(served, "/gone")[0] == 410
    assert served.request("POST", "/form", body=b"")[0] == 403
    assert get(served, "/form")[::2] == (200, b"new\n")


def test_internal_rewrites_and_back_references(served):
    s = served
    assert get(s, "/case.HTML")[::2] == (200, b"new\n")             # [NC]
    assert get(s, "/items/42/abc")[::2] == (200, b"item 42\n")      # $1, $2
    assert get(s, "/byid?x=1&id=7")[::2] == (200, b"item 7\n")      # %2 from the condition
    assert get(s, "/byid?x=1")[0] == 404                            # condition false: no rule
    assert get(s, "/agent", **{"User-Agent": "curl/8"})[2] == b"tool\n"
    assert get(s, "/agent", **{"User-Agent": "WGET/1"})[2] == b"tool\n"  # [OR], [NC]
    assert get(s, "/agent", **{"User-Agent": "browser"})[2] == b"other\n"
    status, headers, body = get(s, "/variant", **{"X-Variant": "b"})
    assert (status, body, headers.get("vary")) == (200, b"variant b\n", "X-Variant")
    assert get(s, "/variant", **{"X-Variant": "a"})[0] == 404
    # [C]: the second rule runs only when the first matched.
    assert get(s, "/chain/7")[::2] == (200, b"item 7\n")
    assert get(s, "/c-7")[0] == 404
    # A decoded space from the URL in a query: refused (Apache's AH10411).
    assert get(s, "/space/a%20b")[0] == 403
    assert get(s, "/space/ab")[::2] == (200, b"new\n")
    # [N] starts over with the result; a URL that keeps growing ends in a 500.
    assert get(s, "/n/aaa7")[::2] == (200, b"item 7\n")
    assert get(s, "/grow/x")[0] == 500
    assert "AH02770: RewriteRule '^/grow/(.*)$' and URI '/grow/xxxx" in s.error_log()


def test_results_are_files_url_paths_or_passed_through(served):
    s = served
    # The first segment exists on disk: a file name.
    assert get(s, "/fs/f.txt")[::2] == (200, b"sub f\n")
    # [PT]: the new URL-path goes on to Alias.
    assert get(s, "/pt/r.txt")[::2] == (200, b"aliased r\n")
    # Without it the result is a URL-path under DocumentRoot: no Alias.
    assert get(s, "/noalias/r.txt")[0] == 404


def test_type_flag_sets_the_content_type(served):
    status, headers, body = get(served, "/typed")
    assert (status, headers["content-type"], body) == (200, "text/x-rewritten", b"data\n")


def test_env_flag_reaches_the_access_log(served):
    assert get(served, "/env/abc")[::2] == (200, b"new\n")
    assert log_has(served, "GET /env/abc HTTP/1.1 200 abc")


def test_https_redirect_follows_the_https_variable(served):
    s = served
    assert where(s, "/secure/x.txt?q=1") == (301, "https://127.0.0.1/secure/x.txt?q=1")
    # Set by TLS, or (here) by SetEnvIf: then %{HTTPS} is "on".
    assert get(s, "/secure/x.txt", **{"X-Forwarded-Proto": "https"})[::2] == (200, b"secure x\n")


@pytest.mark.parametrize("mpm", ["prefork", "worker"])
def test_canonical_host_redirect(make_server, mpm):
    s = start(make_server, mpm, r"""
RewriteEngine On
RewriteCond %{{HTTP_HOST}} !^www\. [NC]
RewriteRule ^/(.*)$ http://www.example.com/$1 [R=301,L]
""", {"page.html": "page\n"})
    assert where(s, "/page.html?a=b", Host="example.com") == (301, "http://www.example.com/page.html?a=b")
    assert where(s, "/", Host="example.com") == (301, "http://www.example.com/")
    assert get(s, "/page.html", Host="www.example.com")[::2] == (200, b"page\n")
    assert get(s, "/page.html", Host="WWW.Example.com")[::2] == (200, b"page\n")


def test_engine_off_and_no_rules_leave_requests_alone(make_server):
    s = start(make_server, "prefork", "RewriteEngine Off\nRewriteRule ^/a\\.txt$ /b.txt [L]\n",
              {"a.txt": "a\n", "b.txt": "b\n"})
    assert get(s, "/a.txt")[::2] == (200, b"a\n")


def test_virtual_hosts_have_their_own_rules(make_server):
    s = start(make_server, "worker", r"""
RewriteEngine On
RewriteRule ^/m$ /m.txt [L]
<VirtualHost 127.0.0.1:{port}>
    ServerName a.test
    RewriteEngine On
    RewriteRule ^/x$ /a.txt [L]
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName b.test
    RewriteEngine On
    RewriteOptions Inherit
    RewriteRule ^/x$ /b.txt [L]
</VirtualHost>
<VirtualHost 127.0.0.1:{port}>
    ServerName c.test
</VirtualHost>
""", {"m.txt": "main\n", "a.txt": "a\n", "b.txt": "b\n"})
    assert get(s, "/x", Host="a.test")[::2] == (200, b"a\n")
    assert get(s, "/m", Host="a.test")[0] == 404           # the main server's rules are not inherited
    assert get(s, "/x", Host="b.test")[::2] == (200, b"b\n")
    assert get(s, "/m", Host="b.test")[::2] == (200, b"main\n")  # ... but under Inherit
    # A virtual host without rewriting directives runs no rules at all.
    assert get(s, "/m", Host="c.test")[0] == 404


# ---- per-directory context -----------------------------------------------------------

WORDPRESS = r"""
<Directory "{docroot}">
    RewriteEngine On
    RewriteBase /
    RewriteRule ^index\.php$ - [L]
    RewriteCond %{{REQUEST_FILENAME}} !-f
    RewriteCond %{{REQUEST_FILENAME}} !-d
    RewriteRule . /index.php [L]
</Directory>
<Directory "{docroot}/sub">
    RewriteEngine On
    RewriteRule ^old\.html$ new.html
    RewriteRule ^loop$ loop2 [L]
    RewriteRule ^loop2$ loop [L]
</Directory>
<Directory "{docroot}/based">
    RewriteEngine On
    RewriteBase /based/
    RewriteRule ^go$ target.html [R=301,L]
    RewriteRule ^end$ end-target.txt [END]
    RewriteRule ^end-target\.txt$ never.txt [L]
    RewriteRule ^type$ - [T=text/x-based]
</Directory>
LogFormat "%r %>s %{{REDIRECT_URL}}e %{{REDIRECT_QUERY_STRING}}e" rw
CustomLog logs/rw_log rw
"""

WP_FILES = {
    "index.php": "front controller\n", "style.css": "body{}\n", "wp-content/index.html": "content index\n",
    "sub/new.html": "sub new\n", "based/end-target.txt": "end target\n", "based/never.txt": "never\n",
    "based/target.html": "target\n", "based/type": "typed\n",
}


def wordpress(make_server, mpm):
    return start(make_server, mpm, WORDPRESS, WP_FILES)


@pytest.mark.parametrize("mpm", ["prefork", "worker", "event"])
def test_wordpress_front_controller(make_server, mpm):
    s = wordpress(make_server, mpm)
    assert get(s, "/any/pretty/url?p=5")[::2] == (200, b"front controller\n")
    assert get(s, "/index.php")[::2] == (200, b"front controller\n")
    # Existing files and directories are served as they are.
    assert get(s, "/style.css")[::2] == (200, b"body{}\n")
    assert get(s, "/wp-content/")[::2] == (200, b"content index\n")
    assert where(s, "/wp-content") == (301, url(s, "/wp-content/"))
    # index.php sees the request's URL and query (Apache's REDIRECT_*).
    assert log_has(s, "GET /any/pretty/url?p=5 HTTP/1.1 200 /any/pretty/url p=5", "GET /style.css HTTP/1.1 200 - -")


def test_directory_rules_relative_base_end_and_loops(make_server):
    s = wordpress(make_server, "worker")
    # Relative substitution without RewriteBase: DocumentRoot comes off.
    assert get(s, "/sub/old.html")[::2] == (200, b"sub new\n")
    # A redirect from a directory uses RewriteBase for the directory's path.
    assert where(s, "/based/go?x=1") == (301, url(s, "/based/target.html?x=1"))
    # [END]: the URL served in place of the request's is not rewritten again.
    assert get(s, "/based/end")[::2] == (200, b"end target\n")
    assert get(s, "/based/end-target.txt")[::2] == (200, b"never\n")
    status, headers, body = get(s, "/based/type")
    assert (status, headers["content-type"], body) == (200, "text/x-based", b"typed\n")
    # Rules that keep rewriting: Apache's limit of 10 internal redirects.
    assert get(s, "/sub/loop")[0] == 500
    assert "AH00124: Request exceeded the limit of 10 internal redirects" in s.error_log()


def test_directory_rules_need_follow_symlinks(make_server):
    s = start(make_server, "prefork", """
<Directory "{docroot}">
    Options -FollowSymLinks
    RewriteEngine On
    RewriteRule ^a\\.txt$ b.txt
</Directory>
""", {"a.txt": "a\n", "b.txt": "b\n"})
    assert get(s, "/a.txt")[0] == 403
    assert "AH00670: Options FollowSymLinks and SymLinksIfOwnerMatch are both off" in s.error_log()


# ---- configuration errors ------------------------------------------------------------

ERRORS = [
    ("RewriteRule ^/(unclosed /x", "RewriteRule: cannot compile regular expression '^/(unclosed'"),
    ("RewriteCond %{HTTP_HOST} ^(x", "RewriteCond: cannot compile regular expression '^(x'"),
    ("RewriteRule ^/a /b [L,BOGUS]", "RewriteRule: unknown flag 'BOGUS'"),
    ("RewriteCond %{HTTP_HOST} ^x [XX]", "RewriteCond: unknown flag 'XX'"),
    ("RewriteRule ^/a /b L]", "RewriteRule: bad flag delimiters"),
    ("RewriteRule ^/a", "RewriteRule: bad argument line '^/a'"),
    ("RewriteRule ^/a /b [R=399]", "RewriteRule: invalid HTTP response code '399' for flag 'R'"),
    ("RewriteBase /x", "RewriteBase: only valid in per-directory config files"),
    ("RewriteOptions Bogus", "RewriteOptions: unknown option 'Bogus'"),
    ("RewriteEngine maybe", "RewriteEngine must be On or Off"),
    ("RewriteRule ^/a http://b/ [P]", "RewriteRule: flag 'P' (proxying) is not supported by this server"),
    ("RewriteCond %{REQUEST_URI} -U", "RewriteCond: '-U' (lookahead subrequests) is not supported by this server"),
    ("RewriteMap m txt:/x", "RewriteMap is not supported by this server"),
]


def test_configuration_errors_are_apaches_with_file_and_line(make_server):
    for line, message in ERRORS:
        s = make_server(start=False, modules=MODULES, config="RewriteEngine On\n" + line)
        r = s.run("-t")
        assert r.returncode == 1, (line, r.stderr)
        assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (conf_line(s, line), s.conf, message)
    s = make_server(start=False, modules=MODULES, config="<Directory /x>\nRewriteBase x\n</Directory>")
    r = s.run("-t")
    assert r.stderr.endswith(": RewriteBase: argument is not a valid URL\n")
    good = "\n".join(["RewriteEngine On", "RewriteOptions Inherit", 'RewriteCond "%{HTTP_HOST}" "!^a b" [NC,OR]',
                      r"RewriteRule ^/a\ b /c [R=permanent,QSA,NE,E=X:1,L]", "<Directory /x>", "RewriteBase /x/",
                      "RewriteRule ^y$ z [END]", "</Directory>"])
    s = make_server(start=False, modules=MODULES, config=good)
    r = s.run("-t")
    assert (r.returncode, r.stdout + r.stderr) == (0, "Syntax OK\n")
