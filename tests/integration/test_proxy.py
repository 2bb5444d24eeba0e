"""mod_proxy, mod_proxy_http and mod_proxy_fcgi: Apache 2.4's reverse proxy.

A small threaded HTTP/1.1 backend runs in the test process; a private
php-fpm serves PHP over TCP and over a unix socket."""
import http.client
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harness import free_port, wait_until

PROXY_MODULES = ("static_module", "authz_core_module", "proxy_module", "proxy_http_module", "proxy_fcgi_module")
PHP_FPM = shutil.which("php-fpm8.2") or shutil.which("php-fpm") or \
    next((p for p in ("/usr/sbin/php-fpm8.2", "/usr/sbin/php-fpm") if os.path.exists(p)), None)
INFO_PHP = '<?php echo $_SERVER["SCRIPT_NAME"], "|", $_SERVER["PATH_INFO"] ?? "-", "|", ' \
    '$_SERVER["REQUEST_URI"], "|", $_SERVER["SERVER_PORT"], "|", $_SERVER["HTTP_X_TEST"] ?? "-"; ?>'
SUM_PHP = '<?php echo "sum=", 2+3, " ", $_SERVER["REQUEST_METHOD"], " ", $_GET["q"] ?? ""; ?>'
POST_PHP = '<?php echo "post=", file_get_contents("php://input"), " len=", $_SERVER["CONTENT_LENGTH"] ?? "-", ' \
    '" script=", $_SERVER["SCRIPT_FILENAME"]; ?>'
# Headers as the core reads a CGI response; variables as the core sets them.
HEAD_PHP = '<?php header("X-App: yes"); setcookie("k", "v"); header("Content-Length: 999"); ' \
    'echo $_SERVER["HTTP_PROXY"] ?? "-", "|", $_SERVER["HTTP_AUTHORIZATION"] ?? "-", "|", ' \
    '$_SERVER["HTTP_X_TWICE"] ?? "-"; ?>'


# ---- the backend ------------------------------------------------------------------

class Backend(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # 20 threads connect at once under ab

    def __init__(self):
        super().__init__(("127.0.0.1", 0), BackendHandler)
        self.connections = 0
        self.aborted = 0   # responses the proxy stopped reading
        self.lock = threading.Lock()

    def process_request(self, request, client_address):
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)

    @property
    def port(self):
        return self.server_address[1]


class BackendHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_one_request(self):
        # After /arm: the next request on this connection finds it closed,
        # as a kept connection the backend dropped just then.
        if getattr(self, "drop_next", False):
            self.rfile.readline()
            self.close_connection = True
            return
        super().handle_one_request()

    def stream(self):
        self.send_response(200)
        self.send_header("Content-Length", str(1 << 30))
        self.end_headers()
        try:
            for _ in range(1 << 14):
                self.wfile.write(b"x" * 65536)
        except OSError:
            with self.server.lock:
                self.server.aborted += 1
        self.close_connection = True

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", 0)))

    def answer(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_any(self):
        body = self.read_body()
        path = self.path
        if path.startswith("/sleep"):
            time.sleep(3)
        if path.startswith("/redirect"):
            port = self.server.port
            return self.answer(302, b"", [("Location", "http://127.0.0.1:%d/app/target?x=1" % port),
                                          ("Content-Location", "http://127.0.0.1:%d/app/other" % port)])
        if path.startswith("/arm"):
            self.drop_next = True
            return self.answer(200, b"armed")
        if path.startswith("/stream"):
            return self.stream()
        if path.startswith("/fixed"):
            return self.answer(200, b"same length every time\n")
        echo = {"method": self.command, "path": path, "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("latin-1")}
        self.answer(200, json.dumps(echo).encode(), [("X-Backend", "yes"), ("Keep-Alive", "timeout=5"),
                                                     ("Connection", "X-Hop"), ("X-Hop", "drop me")])

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_any


@pytest.fixture(scope="module")
def backend():
    b = Backend()
    t = threading.Thread(target=b.serve_forever, daemon=True)
    t.start()
    yield b
    b.shutdown()
    b.server_close()


# ---- php-fpm ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def php_fpm():
    """A private php-fpm: one pool on a 127.0.0.1 port, one on a unix socket."""
    if PHP_FPM is None:
        pytest.skip("php-fpm is not installed (scripts/deps.sh test)")
    d = tempfile.mkdtemp(prefix="mhfpm")
    port = free_port()
    sock = os.path.join(d, "php.sock")
    conf = os.path.join(d, "fpm.conf")
    pools = "".join(
        "[%s]\nlisten = %s\npm = static\npm.max_children = 2\nclear_env = no\ncatch_workers_output = yes\n" % (n, l)
        for n, l in (("tcp", "127.0.0.1:%d" % port), ("sock", sock)))
    with open(conf, "w") as f:
        f.write("[global]\nerror_log = %s/fpm.log\ndaemonize = no\npid = %s/fpm.pid\n%s" % (d, d, pools))
    args = [PHP_FPM, "-n", "-y", conf, "-F"] + (["-R"] if os.geteuid() == 0 else [])
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def up():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return os.path.exists(sock)
        except OSError:
            return False
    assert wait_until(up, 10), open(os.path.join(d, "fpm.log")).read()
    yield port, sock
    proc.terminate()
    proc.wait(10)
    shutil.rmtree(d, ignore_errors=True)


# ---- helpers ----------------------------------------------------------------------

def request(server, method, path, body=None, headers=None, chunked=False):
    c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    c.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r, data


def echoed(server, method, path, **kw):
    r, data = request(server, method, path, **kw)
    assert r.status == 200, (r.status, data, server.error_log())
    return r, json.loads(data)


def header(echo, name):
    values = [v for k, v in echo["headers"] if k.lower() == name.lower()]
    return values[0] if len(values) == 1 else values or None


def proxy_config(backend, docroot, fpm=None):
    bp = backend.port
    dead = free_port()
    conf = """
ProxyRequests Off
ProxyTimeout 1
ProxyPass /app/static !
ProxyPass /app/ http://127.0.0.1:{bp}/ keepalive=On
ProxyPassReverse /app/ http://127.0.0.1:{bp}/
ProxyPass /keep/ http://127.0.0.1:{bp}/keep/
ProxyPass /down/ http://127.0.0.1:{dead}/
<Location /keep/>
    ProxyPreserveHost On
</Location>
<Location /app/private>
    Require all denied
</Location>
<Location /loc/>
    ProxyPass http://127.0.0.1:{bp}/inloc/
</Location>
""".format(bp=bp, dead=dead)
    if fpm:
        port, sock = fpm
        conf += """
ProxyPassMatch ^/fpm/(.*\\.php)$ fcgi://127.0.0.1:{port}{docroot}/$1
<FilesMatch "\\.php$">
    SetHandler "proxy:fcgi://127.0.0.1:{port}"
</FilesMatch>
<Location /sock/>
    SetHandler "proxy:unix:{sock}|fcgi://localhost"
</Location>
""".format(port=port, sock=sock, docroot=docroot)
    return conf


@pytest.fixture
def proxy_server(make_server, backend, mpm, php_fpm):
    s = make_server(mpm=mpm, modules=PROXY_MODULES, start=False)
    s.conf.write_text(s.conf.read_text() + proxy_config(backend, s.docroot, php_fpm))
    s.write("sum.php", SUM_PHP)
    s.write("post.php", POST_PHP)
    s.write("info.php", INFO_PHP)
    s.write("head.php", HEAD_PHP)
    s.write("sock/sum.php", SUM_PHP)
    s.write("app/static/local.txt", "served locally\n")
    s.start()
    return s


# ---- HTTP -------------------------------------------------------------------------

def test_get_and_headers(proxy_server, backend):
    s = proxy_server
    r, echo = echoed(s, "GET", "/app/echo/a%20b?x=1&y=%2F", headers={
        "Connection": "X-Secret", "X-Secret": "hop", "X-Kept": "end-to-end", "Proxy-Authorization": "Basic eA==",
        "X-Forwarded-For": "10.9.8.7"})
    assert echo["method"] == "GET"
    assert echo["path"] == "/echo/a%20b?x=1&y=%2F"
    assert header(echo, "Host") == "127.0.0.1:%d" % backend.port
    assert header(echo, "X-Kept") == "end-to-end"
    for hop in ("X-Secret", "Proxy-Authorization", "TE", "Upgrade"):
        assert header(echo, hop) is None, hop
    assert header(echo, "Connection") in (None, "keep-alive")
    assert header(echo, "X-Forwarded-For") == "10.9.8.7, 127.0.0.1"
    assert header(echo, "X-Forwarded-Host") == "127.0.0.1:%d" % s.port
    assert header(echo, "X-Forwarded-Server") == "127.0.0.1"
    assert header(echo, "X-Forwarded-Proto") == "http"
    # The backend's end-to-end headers come back; its hop-by-hop ones do not.
    assert r.getheader("X-Backend") == "yes"
    assert r.getheader("X-Hop") is None and r.getheader("Keep-Alive") is None
    assert r.getheader("Content-Length") == str(len(json.dumps(echo)))


def test_post_bodies(proxy_server):
    s = proxy_server
    _, echo = echoed(s, "POST", "/app/form", body=b"a=1&b=2", headers={"Content-Type": "text/plain"})
    assert (echo["method"], echo["body"]) == ("POST", "a=1&b=2")
    assert header(echo, "Content-Length") == "7"
    big = bytes(range(256)) * 400
    _, echo = echoed(s, "PUT", "/app/chunked", body=iter([big[:50000], big[50000:]]), chunked=True)
    assert echo["body"].encode("latin-1") == big
    assert header(echo, "Transfer-Encoding") == "chunked"


def test_preserve_host_and_location(proxy_server, backend):
    s = proxy_server
    _, echo = echoed(s, "GET", "/keep/x", headers={"Host": "www.example.test"})
    assert header(echo, "Host") == "www.example.test"
    _, echo = echoed(s, "GET", "/loc/deep?q=1")
    assert echo["path"] == "/inloc/deep?q=1"
    r, _ = request(s, "GET", "/app/redirect")
    assert r.status == 302
    assert r.getheader("Location") == "http://127.0.0.1:%d/app/app/target?x=1" % s.port
    assert r.getheader("Content-Location") == "http://127.0.0.1:%d/app/app/other" % s.port


def test_exclusion_and_access_control(proxy_server):
    s = proxy_server
    r, data = request(s, "GET", "/app/static/local.txt")
    assert (r.status, data) == (200, b"served locally\n")
    r, _ = request(s, "GET", "/app/private/x")
    assert r.status == 403


def test_keepalive_pool_under_ab(proxy_server, backend):
    s = proxy_server
    before = backend.connections
    out = subprocess.run(["ab", "-k", "-n", "2000", "-c", "20", "http://127.0.0.1:%d/app/fixed" % s.port],
                         capture_output=True, text=True, timeout=60)
    assert "Failed requests:        0" in out.stdout, out.stdout + out.stderr
    assert "Complete requests:      2000" in out.stdout
    used = backend.connections - before
    assert 1 <= used <= 200, used


def test_retry_on_dropped_kept_connection(proxy_server, backend):
    s = proxy_server
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    c.request("GET", "/app/arm")
    assert c.getresponse().read() == b"armed"
    # A GET may be sent again: on a new connection, unnoticed by the client.
    c.request("GET", "/app/after")
    r = c.getresponse()
    assert (r.status, json.loads(r.read())["path"]) == (200, "/after")
    c.request("GET", "/app/arm")
    assert c.getresponse().read() == b"armed"
    # A POST with a body is not sent twice.
    c.request("POST", "/app/after", body=b"once")
    r = c.getresponse()
    r.read()
    assert r.status == 502
    c.close()


def test_client_gone_closes_backend(proxy_server, backend):
    s = proxy_server
    before = backend.aborted
    with socket.create_connection(("127.0.0.1", s.port)) as c:
        c.sendall(b"GET /app/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"200 OK" in c.recv(65536)
    assert wait_until(lambda: backend.aborted > before, 10)


def test_backend_down_502(proxy_server):
    s = proxy_server
    r, data = request(s, "GET", "/down/x")
    assert r.status == 502
    assert b"Bad Gateway" in data
    log = s.error_log()
    assert "AH00957: http: attempt to connect to 127.0.0.1" in log
    assert "AH01114: HTTP: failed to make connection to backend: 127.0.0.1" in log


def test_backend_timeout_504(proxy_server):
    s = proxy_server
    t0 = time.monotonic()
    r, data = request(s, "GET", "/app/sleep")
    assert r.status == 504
    assert time.monotonic() - t0 < 2.5
    assert b"Gateway Timeout" in data
    assert "AH01102: error reading status line from remote server 127.0.0.1:%d" % proxy_server_backend_port(s) \
        in s.error_log()


def proxy_server_backend_port(s):
    return int(s.conf.read_text().split("ProxyPass /app/ http://127.0.0.1:")[1].split("/")[0])


# ---- PHP ----------------------------------------------------------------------------

def test_php_fpm(proxy_server):
    s = proxy_server
    r, data = request(s, "GET", "/fpm/sum.php?q=via-pass")
    assert (r.status, data) == (200, b"sum=5 GET via-pass"), s.error_log()
    r, data = request(s, "GET", "/sum.php?q=via-handler")
    assert (r.status, data) == (200, b"sum=5 GET via-handler"), s.error_log()
    r, data = request(s, "GET", "/sock/sum.php?q=unix")
    assert (r.status, data) == (200, b"sum=5 GET unix"), s.error_log()
    r, data = request(s, "POST", "/post.php", body=b"k=v&n=42",
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert (r.status, data) == (200, ("post=k=v&n=42 len=8 script=%s/post.php" % s.docroot).encode())
    r, data = request(s, "POST", "/fpm/post.php", body=iter([b"chunk", b"ed"]), chunked=True)
    assert data.startswith(b"post=chunked len=7 "), data
    r, data = request(s, "GET", "/info.php/extra/x?y=1", headers={"X-Test": "hdr"})
    assert (r.status, data) == (200, b"/info.php|/extra/x|/info.php/extra/x?y=1|%d|hdr" % s.port)
    r, data = request(s, "GET", "/fpm/missing.php")
    assert r.status == 404


def test_php_fpm_head_and_variables(proxy_server):
    """The core's scan_script_header and add_cgi_vars, as mod_cgi gets them."""
    s = proxy_server
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
    c.putrequest("GET", "/head.php")
    for name, value in (("Proxy", "http://evil/"), ("Authorization", "Basic eDp5"),
                        ("X-Twice", "a"), ("X-Twice", "b")):
        c.putheader(name, value)
    c.endheaders()
    r = c.getresponse()
    data = r.read()
    c.close()
    # httpoxy and credentials stay out; a repeated header is one variable.
    assert (r.status, data) == (200, b"-|-|a, b"), s.error_log()
    assert r.getheader("X-App") == "yes"
    assert r.getheader("Set-Cookie") == "k=v"
    # FastCGI frames the body itself: the application's length is not sent.
    assert r.getheader("Content-Length") != "999"


# ---- configuration -----------------------------------------------------------------

def test_missing_scheme_module_500(make_server, backend):
    s = make_server(modules=("proxy_module",), config="ProxyPass /app/ http://127.0.0.1:%d/\n" % backend.port)
    r, _ = request(s, "GET", "/app/x")
    assert r.status == 500
    assert "AH01144: No protocol handler was valid for the URL /app/x (scheme 'http'). If you are using a DSO " \
        "version of mod_proxy, make sure the proxy submodules are included in the configuration using " \
        "LoadModule." in s.error_log()


@pytest.mark.parametrize("line, message", [
    ("ProxyRequests On", "ProxyRequests On is not supported"),
    ("ProxyPass /x", "ProxyPass|ProxyPassMatch needs a path when not defined in a location"),
    ("ProxyPass /x http://h/ bogus=1", "ProxyPass unknown Worker parameter"),
    ("ProxyPass /x http://h/ timeout=0", "ProxyPass Timeout must be at least one second"),
    ("ProxyPassMatch ^/(x http://h/", "Regular expression could not be compiled."),
    ("ProxyTimeout 0", "Proxy Timeout must be at least 1 second."),
    ("<Location /l>\nProxyPass /l http://h/\n</Location>",
     "ProxyPass|ProxyPassMatch can not have a path when defined in a location."),
])
def test_config_errors(make_server, line, message):
    s = make_server(modules=("proxy_module",), config=line, start=False)
    out = s.run("-t")
    assert out.returncode != 0
    assert message in out.stderr and "modhttpd.conf" in out.stderr, out.stderr
