"""mod_ssl (modules/ssl): TLS through the core's connection transport, under
each MPM. The server listens on a plain port (the harness's) and on a TLS
one (`Listen ... https` with SSLEngine on in its <VirtualHost>). Certificates
are made here with `openssl req -x509` (EC keys: fast)."""
import concurrent.futures
import hashlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import time

import pytest

import harness
from harness import free_port, wait_until
from hostile_cases import CASES, GOOD, KEPT
from test_http_hostile import read_responses, split_responses

harness.MODULES.setdefault("ssl_module", "modules/ssl/mod_ssl.so")

MPMS = ["prefork", "worker", "event"]
INDEX = b"<html>tls index</html>\n"
LOG = '%h "%r" %>s %{SSL_PROTOCOL}x %{SSL_CIPHER}x %{HTTPS}x'


def make_cert(d, name, cn):
    key, crt = d / (name + ".key"), d / (name + ".crt")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(crt), "-subj", "/CN=" + cn, "-days", "2"],
                   check=True, capture_output=True)
    return crt, key


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    if not harness.module_file("ssl_module").exists():
        pytest.skip("mod_ssl is not built")
    d = tmp_path_factory.mktemp("certs")
    return {"a": make_cert(d, "a", "a.test"), "b": make_cert(d, "b", "b.test"), "other": make_cert(d, "o", "o.test")}


def tls_server(make_server, certs, mpm, extra="", vhost_extra="", modules=("static_module",), start=True,
               global_conf=""):
    port = free_port()
    crt, key = certs["a"]
    config = """
LogFormat '%s' tls
CustomLog logs/tls_log tls
%s
<VirtualHost 127.0.0.1:%d>
    ServerName a.test
    SSLEngine on
    SSLCertificateFile %s
    SSLCertificateKeyFile %s
%s
</VirtualHost>
%s
""" % (LOG, global_conf, port, crt, key, vhost_extra, extra)
    s = make_server(start=False, mpm=mpm, modules=tuple(modules) + ("ssl_module",), config=config,
                    extra_listen=("127.0.0.1:%d https" % port,))
    s.tls_port = port
    s.write("index.html", INDEX)
    if start:
        s.start()
    return s


def curl(s, *args, path="/index.html", host="127.0.0.1"):
    return subprocess.run(["curl", "-sk", "--max-time", "10", *args, "https://%s:%d%s" % (host, s.tls_port, path)],
                          capture_output=True, timeout=20)


def s_client(s, *args, data=b"GET /index.html HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n"):
    return subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % s.tls_port, "-ign_eof", *args],
                          input=data, capture_output=True, timeout=20)


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(next(l for l in f if l.startswith("VmHWM")).split()[1])


def tls_log(s):
    p = s.root / "logs" / "tls_log"
    return p.read_text() if p.exists() else ""


def client_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


@pytest.mark.parametrize("mpm", MPMS)
def test_handshakes_protocols_and_log(make_server, certs, mpm):
    s = tls_server(make_server, certs, mpm)
    for version in ("1.2", "1.3"):
        r = curl(s, "--tlsv" + version, "--tls-max", version, "-w", "\n%{http_code}")
        assert r.returncode == 0, r.stderr
        assert r.stdout == INDEX + b"\n200"
    # Below SSLProtocol's default (TLSv1.2 and TLSv1.3): refused.
    r = curl(s, "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0")
    assert r.returncode != 0
    r = s_client(s, "-tls1_2")
    assert b"Protocol  : TLSv1.2" in r.stdout and INDEX in r.stdout
    r = s_client(s, "-tls1_3")
    assert b"TLSv1.3" in r.stdout and INDEX in r.stdout
    # ALPN: http/1.1 only.
    r = s_client(s, "-alpn", "h2,http/1.1")
    assert b"ALPN protocol: http/1.1" in r.stdout
    assert wait_until(lambda: tls_log(s).count("\n") >= 5, 5)
    lines = tls_log(s).splitlines()
    assert any(re.search(r'" 200 TLSv1\.2 ECDHE-ECDSA-\S+ on$', l) for l in lines), lines
    assert any(re.search(r'" 200 TLSv1\.3 TLS_\S+ on$', l) for l in lines), lines
    # The plain port: no TLS variables there, and HTTPS "off", as mod_ssl logs it.
    assert s.get("/index.html")[2] == INDEX
    assert wait_until(lambda: tls_log(s).rstrip().endswith("- - off"), 5)


def test_protocol_and_cipher_directives(make_server, certs):
    s = tls_server(make_server, certs, "event",
                   vhost_extra="SSLProtocol all -SSLv3 -TLSv1 -TLSv1.1 -TLSv1.3\n"
                               "SSLCipherSuite ECDHE-ECDSA-AES128-GCM-SHA256\nSSLHonorCipherOrder on\n")
    assert curl(s, "--tlsv1.3", "--tls-max", "1.3").returncode != 0
    r = s_client(s, "-tls1_2")
    assert b"ECDHE-ECDSA-AES128-GCM-SHA256" in r.stdout and INDEX in r.stdout
    s2 = tls_server(make_server, certs, "event", vhost_extra="SSLProtocol -all +TLSv1.3\n"
                                                             "SSLCipherSuite TLSv1.3 TLS_CHACHA20_POLY1305_SHA256\n")
    assert curl(s2, "--tlsv1.2", "--tls-max", "1.2").returncode != 0
    r = s_client(s2)
    assert b"TLS_CHACHA20_POLY1305_SHA256" in r.stdout and INDEX in r.stdout


@pytest.mark.parametrize("mpm", MPMS)
def test_large_file_and_keep_alive(make_server, certs, mpm):
    s = tls_server(make_server, certs, mpm)
    big = os.urandom(8 << 20)
    s.write("big.bin", big)
    url = "https://127.0.0.1:%d" % s.tls_port
    r = subprocess.run(["curl", "-sk", "--max-time", "20", "-o", "-", "-w", "%{num_connects}", url + "/big.bin",
                        "-o", "/dev/null", url + "/index.html"], capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    body, connects = r.stdout[: len(big)], r.stdout[len(big):]
    assert hashlib.sha256(body).digest() == hashlib.sha256(big).digest()
    assert connects == b"10"  # the second request reused the connection
    # TLS cannot sendfile: a file goes through memory in bounded pieces,
    # never whole: serving 32 MiB grows no child's peak RSS by half of it.
    # (Under AddressSanitizer freed memory stays in quarantine: not measured.)
    if not harness.server_sanitizers():
        with open(s.docroot / "huge.bin", "wb") as f:
            f.truncate(32 << 20)
        peak_before = {p: peak_rss_kib(p) for p in s.children()}
        r = subprocess.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{size_download}", url + "/huge.bin"],
                           capture_output=True, timeout=30)
        assert r.stdout == b"%d" % (32 << 20)
        grown = [peak_rss_kib(p) - kib for p, kib in peak_before.items() if os.path.exists("/proc/%d" % p)]
        assert grown and max(grown) < 16 << 10, grown
    # Pipelined requests in TLS records larger than what one read takes:
    # what OpenSSL decrypted ahead is served without waiting for the socket
    # (which never becomes readable for it).
    for pad in (1000, 3000, 7000):
        padded = b"GET /index.html HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"p" * pad + b"\r\n\r\n"
        with socket.create_connection(("127.0.0.1", s.tls_port), timeout=5) as raw:
            with client_context().wrap_socket(raw) as t:
                t.sendall(padded * 30)
                assert [r[0] for r in read_responses(t, 30)] == [200] * 30


def test_session_resumption_across_children(make_server, certs, tmp_path):
    s = tls_server(make_server, certs, "prefork",
                   global_conf="SSLSessionCache shmcb:logs/ssl_scache(512000)\nSSLSessionCacheTimeout 300\n"
                               "StartServers 2\nMinSpareServers 2\nMaxSpareServers 4\nMaxConnectionsPerChild 1\n"
                               "PreforkFront off\n")
    for name, args in (("tls12-cache", ["-tls1_2", "-no_ticket"]), ("tls13-ticket", ["-tls1_3"])):
        sess = tmp_path / (name + ".pem")
        first = s_client(s, *args, "-sess_out", str(sess))
        assert INDEX in first.stdout and b"New, " in first.stdout
        assert sess.exists()
        second = s_client(s, *args, "-sess_in", str(sess))
        assert INDEX in second.stdout
        assert b"Reused, " in second.stdout, (name, second.stdout[-600:])


def test_sni_chooses_the_vhost_certificate(make_server, certs):
    crt_b, key_b = certs["b"]
    s = tls_server(make_server, certs, "worker", extra="""
<VirtualHost 127.0.0.1:%%TLS%%>
    ServerName b.test
    SSLEngine on
    SSLCertificateFile %s
    SSLCertificateKeyFile %s
    DocumentRoot %%ROOT%%/htdocs-b
</VirtualHost>
""" % (crt_b, key_b), start=False)
    s.conf.write_text(s.conf.read_text().replace("%TLS%", str(s.tls_port)).replace("%ROOT%", str(s.root)))
    (s.root / "htdocs-b").mkdir()
    (s.root / "htdocs-b" / "index.html").write_bytes(b"b site\n")
    s.start()
    a = s_client(s, "-servername", "a.test")
    b = s_client(s, "-servername", "b.test", data=b"GET /index.html HTTP/1.1\r\nHost: b.test\r\n"
                                                   b"Connection: close\r\n\r\n")
    none = s_client(s)
    assert b"subject=CN = a.test" in a.stdout and INDEX in a.stdout
    assert b"subject=CN = b.test" in b.stdout and b"b site" in b.stdout
    assert b"subject=CN = a.test" in none.stdout  # no SNI: the address's default vhost
    r = curl(s, "--resolve", "b.test:%d:127.0.0.1" % s.tls_port, host="b.test")
    assert r.stdout == b"b site\n"


# A ClientHello cut short: the record header promises more than comes.
PARTIAL_CLIENT_HELLO = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]) + b"\x00" * 20


def open_stalled_handshakes(port, n, into):
    """Opens `n` connections that stop in the middle of their handshake,
    appended to `into` (the caller closes them)."""
    for _ in range(n):
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        into.append(c)
        c.sendall(PARTIAL_CLIENT_HELLO)


def test_stalled_handshakes_hold_no_worker_under_event(make_server, certs):
    s = tls_server(make_server, certs, "event",
                   global_conf="StartServers 1\nServerLimit 1\nThreadsPerChild 2\nMinSpareThreads 1\n"
                               "MaxSpareThreads 2\nMaxRequestWorkers 2\nRequestReadTimeout header=3\n")
    stalled = []
    try:
        open_stalled_handshakes(s.tls_port, 10, stalled)
        r = curl(s, "-w", "\n%{http_code}")
        assert r.returncode == 0 and r.stdout == INDEX + b"\n200"
        # The head timeout (RequestReadTimeout header=3) ends them: closed,
        # nothing written to a client that never finished its handshake.
        for c in stalled:
            c.settimeout(6)
            try:
                assert c.recv(100) == b""
            except ConnectionResetError:
                pass
    finally:
        for c in stalled:
            c.close()


def test_prefork_front_holds_stalled_handshakes(make_server, certs):
    # PreforkFront On (the default): once no child is idle, the front waits
    # for the whole ClientHello as it waits for a request head, so partial
    # ones hold sockets in the front, not children.
    s = tls_server(make_server, certs, "prefork", global_conf="RequestReadTimeout header=5\n")
    stalled = []
    try:
        open_stalled_handshakes(s.tls_port, 40, stalled)
        began = time.monotonic()
        r = curl(s, "-w", "\n%{http_code}")
        assert r.returncode == 0 and r.stdout == INDEX + b"\n200"
        assert time.monotonic() - began < 2
        assert len(s.children()) < 20, s.children()
    finally:
        for c in stalled:
            c.close()


# A connection the server keeps after a case is told from one it closes by
# waiting PROBE_S for the close, well inside the server's KeepAliveTimeout:
# with the two equal, a kept connection's keep-alive close raced the probe.
PROBE_S = 3
HOSTILE_KEEPALIVE_S = 10


def replay(port, case, tls):
    """What one hostile case gets on a fresh connection: the statuses of the
    responses (as many as the table expects, or all until the close), and
    whether the connection was then closed, kept open, or served one more
    request."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=8)
    sock = client_context().wrap_socket(raw) if tls else raw
    with sock:
        try:
            sock.sendall(case.data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass
        buf, responses, after = b"", [], "closed"
        for more in (False, True):
            want = len(case.statuses) + more
            while len(responses) < want:
                try:
                    b = sock.recv(65536)
                except (ConnectionResetError, ssl.SSLError):
                    b = b""
                except socket.timeout:
                    b, after = b"", "silent"
                if not b:
                    return [r[0] for r in responses], after
                buf += b
                got, buf = split_responses(buf)
                responses += got
            if more or case.outcome != KEPT:
                break
            sock.sendall(GOOD)  # a connection that must go on serves the next request
        if case.outcome != KEPT:
            sock.settimeout(PROBE_S)
            try:
                after = "closed" if sock.recv(65536) == b"" else "open"
            except (ConnectionResetError, ssl.SSLError):
                after = "closed"
            except socket.timeout:
                after = "open"
        else:
            after = "kept"
    return [r[0] for r in responses], after


def test_hostile_table_over_tls_matches_tcp(make_server, certs):
    # A long KeepAliveTimeout: a case that must be kept gets its next request
    # from a client thread that may wait its turn among 40 (ThreadSanitizer
    # slows the server and the handshakes: 1 s was seen to run out).
    s = tls_server(make_server, certs, "event",
                   global_conf="Timeout 10\nRequestReadTimeout header=10 body=2\n"
                               f"KeepAliveTimeout {HOSTILE_KEEPALIVE_S}\n")
    with concurrent.futures.ThreadPoolExecutor(max_workers=40) as pool:
        tcp = {c.name: pool.submit(replay, s.port, c, False) for c in CASES}
        tls = {c.name: pool.submit(replay, s.tls_port, c, True) for c in CASES}
        differ = {n: (tcp[n].result(), tls[n].result()) for n in tcp if tcp[n].result() != tls[n].result()}
    assert not differ, differ
    assert curl(s).stdout == INDEX


def test_cgi_sees_https(make_server, certs):
    s = tls_server(make_server, certs, "prefork", modules=("static_module", "alias_module", "cgi_module"),
                   start=False)
    cgi = s.root / "cgi-bin"
    cgi.mkdir()
    (cgi / "env.sh").write_text("#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n")
    os.chmod(cgi / "env.sh", 0o755)
    with open(s.conf, "a") as f:
        f.write("ScriptAlias /cgi-bin/ %s/\n" % cgi)
    s.start()
    r = curl(s, "--tlsv1.3", path="/cgi-bin/env.sh")
    env = dict(l.split("=", 1) for l in r.stdout.decode().splitlines() if "=" in l)
    assert env.get("HTTPS") == "on"
    assert env.get("REQUEST_SCHEME") == "https"
    assert env.get("SSL_PROTOCOL") == "TLSv1.3"
    assert env.get("SSL_CIPHER", "").startswith("TLS_")
    r = curl(s, "--tlsv1.2", "--tls-max", "1.2", path="/cgi-bin/env.sh", host="localhost")
    env = dict(l.split("=", 1) for l in r.stdout.decode().splitlines() if "=" in l)
    assert env.get("SSL_TLS_SNI") == "localhost" and env.get("SSL_PROTOCOL") == "TLSv1.2"
    _, _, body = s.get("/cgi-bin/env.sh")
    assert b"HTTPS=" not in body and b"REQUEST_SCHEME=http\n" in body


def test_redirect_uses_https(make_server, certs):
    s = tls_server(make_server, certs, "worker")
    (s.docroot / "dir").mkdir()
    r = curl(s, "-D", "-", "-o", "/dev/null", path="/dir")
    assert re.search(rb"(?i)location: https://127\.0\.0\.1:%d/dir/" % s.tls_port, r.stdout), r.stdout


def test_wrong_key_for_the_certificate_is_refused(make_server, certs):
    crt, _ = certs["a"]
    _, other_key = certs["other"]
    s = tls_server(make_server, certs, "event", start=False)
    s.conf.write_text(s.conf.read_text().replace("SSLCertificateKeyFile %s" % certs["a"][1],
                                                 "SSLCertificateKeyFile %s" % other_key))
    r = s.run("-t")
    assert r.returncode != 0
    assert "AH02565: Certificate and private key" in r.stderr
    assert str(crt) in r.stderr and str(other_key) in r.stderr
    # A missing file names itself and where it was written.
    s.conf.write_text(s.conf.read_text().replace("SSLCertificateKeyFile %s" % other_key,
                                                 "SSLCertificateKeyFile /nonexistent/key.pem"))
    r = s.run("-t")
    assert r.returncode != 0
    assert "SSLCertificateKeyFile: file '/nonexistent/key.pem' does not exist or is empty" in r.stderr
    assert re.search(r"line \d+ of .*modhttpd\.conf", r.stderr), r.stderr


def test_unsupported_directives_are_refused(make_server, certs):
    s = tls_server(make_server, certs, "event", vhost_extra="SSLVerifyClient require\n", start=False)
    r = s.run("-t")
    assert r.returncode != 0 and "SSLVerifyClient require is not supported" in r.stderr
    s = tls_server(make_server, certs, "event", vhost_extra="SSLProtocol all -TLSv1.4\n", start=False)
    r = s.run("-t")
    assert r.returncode != 0 and "SSLProtocol: Illegal protocol 'TLSv1.4'" in r.stderr


@pytest.mark.parametrize("mpm", ["prefork", "event"])
def test_plain_http_to_the_tls_port_gets_apaches_400(make_server, certs, mpm):
    s = tls_server(make_server, certs, mpm)
    with socket.create_connection(("127.0.0.1", s.tls_port), timeout=5) as c:
        c.sendall(b"GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")
        data = harness.recv_until_close(c)
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"speaking plain HTTP to an SSL-enabled server port" in data
    assert curl(s).stdout == INDEX


@pytest.mark.skipif(shutil.which("sslscan") is None, reason="sslscan is not installed")
def test_sslscan_sees_no_old_protocol(make_server, certs):
    s = tls_server(make_server, certs, "event")
    r = subprocess.run(["sslscan", "--no-colour", "127.0.0.1:%d" % s.tls_port], capture_output=True, text=True,
                       timeout=60)
    for proto in ("SSLv3", "TLSv1.0", "TLSv1.1"):
        assert re.search(r"%s\s+disabled" % re.escape(proto), r.stdout), r.stdout
    assert re.search(r"TLSv1\.2\s+enabled", r.stdout) and re.search(r"TLSv1\.3\s+enabled", r.stdout)
