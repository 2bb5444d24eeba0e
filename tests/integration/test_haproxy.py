"""Three modhttpd instances (prefork, worker, event) behind Debian's HAProxy,
configured as docs/scaling.md says: a health check on /server-status?auto,
kept-alive backend connections, retries only for the failures that a
restart or a stop produces. Under load through HAProxy:

- a rolling graceful restart of the three, the second one changing its MPM
  on the way, fails no request and never fails a health check;
- a graceful stop of an instance finishes what it serves and refuses new
  connections at once, so that HAProxy goes elsewhere: no request fails;
- a hard stop of an instance fails no request either (HAProxy retries the
  refused or unanswered ones on another server), the health check takes it
  out, and once started again it is back in.
"""
import http.client
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from harness import SOURCE, PidTrackingRequest, free_port, module_file, server_sanitizers, wait_until
from reliability_tools import need_tool

MPMS = ("prefork", "worker", "event")
MODULES = ("static_module", "status_module", "authz_core_module", "authz_host_module", "sleep_module")
POOLS = (
    "<IfModule mpm_prefork_module>\nStartServers 4\nMinSpareServers 2\nMaxSpareServers 8\n"
    "MaxRequestWorkers 32\n</IfModule>\n"
    "<IfModule mpm_worker_module>\nStartServers 2\nThreadsPerChild 16\nMinSpareThreads 8\n"
    "MaxSpareThreads 32\nMaxRequestWorkers 32\nServerLimit 4\n</IfModule>\n"
    "<IfModule mpm_event_module>\nStartServers 2\nThreadsPerChild 16\nMinSpareThreads 8\n"
    "MaxSpareThreads 32\nMaxRequestWorkers 32\nServerLimit 4\n</IfModule>\n"
)
# The health check's page is for the load balancer only (it comes from
# 127.0.0.1 here); the access log keeps the client's address from
# X-Forwarded-For, %a being the balancer's.
INSTANCE_CONFIG = POOLS + """
<Location /server-status>
    SetHandler server-status
    Require local
</Location>
<Location /sleep>
    SetHandler sleep
</Location>
LogFormat "%a %{X-Forwarded-For}i %>s %U" balanced
CustomLog logs/balanced_log balanced
"""
# Exactly the configuration docs/scaling.md shows, but for the ports
# (test_the_documented_configuration_is_the_one_tested checks it).
HAPROXY_CONFIG = """\
global
    maxconn 1024
    stats socket ipv4@127.0.0.1:{stats_port} level admin
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    timeout connect 1s
    timeout check 1s
    timeout client 10s
    timeout server 10s
    timeout queue 5s
    timeout http-keep-alive 10s

frontend www
    bind 127.0.0.1:{port}
    # The client's address for the servers' logs: HAProxy's own header,
    # not one the client sent.
    http-request del-header X-Forwarded-For
    option forwardfor
    # The status page is for the health check, not for the world.
    http-request deny if {{ path_beg /server-status }}
    default_backend modhttpd

backend modhttpd
    balance roundrobin
    option httpchk GET /server-status?auto
    http-check expect string ServerUptimeSeconds
    http-reuse safe
    # A stopped instance refuses connections (conn-failure). A restart or
    # a stop closes kept-alive connections, and one may carry a request
    # at that moment: closed with no answer (empty-response). Both are
    # safe to replay for a static site; the replay goes to another server.
    retry-on conn-failure empty-response
    retries 3
    option redispatch 1
    default-server check inter 200ms fall 2 rise 1 maxconn 32
{servers}
"""
SMALL = b"<html><body>small page</body></html>\n" * 8
BIG = os.urandom(256 << 10)
PAGES = {"/index.html": SMALL, "/big.bin": BIG}


def mpm_line(mpm):
    return "LoadModule mpm_%s_module modules/mod_mpm_%s.so" % (mpm, mpm)


def status_auto(server):
    """/server-status?auto of one instance, asked directly, as a dict."""
    status, _, body = server.get("/server-status?auto")
    assert status == 200, (status, body[:200])
    return dict(line.split(": ", 1) for line in body.decode().splitlines() if ": " in line)


class HAProxy:
    def __init__(self, root, servers):
        self.binary = need_tool("haproxy")
        self.port, self.stats_port = free_port(), free_port()
        self.names = ["s%d" % (i + 1) for i in range(len(servers))]
        lines = "\n".join("    server %s 127.0.0.1:%d" % (n, s.port) for n, s in zip(self.names, servers))
        self.conf = root / "haproxy.cfg"
        self.conf.write_text(HAPROXY_CONFIG.format(port=self.port, stats_port=self.stats_port, servers=lines))
        check = subprocess.run([self.binary, "-c", "-f", str(self.conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        self.log_path = root / "haproxy.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([self.binary, "-f", str(self.conf), "-db"],
                                     stdout=self._log, stderr=subprocess.STDOUT)

    def command(self, line):
        with socket.create_connection(("127.0.0.1", self.stats_port), timeout=5) as s:
            s.sendall(line.encode() + b"\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return data.decode()
                data += chunk

    def stats(self):
        """`show stat` for the backend's servers: name -> {column: value}."""
        try:
            text = self.command("show stat")
        except OSError:
            return {}
        lines = [l for l in text.splitlines() if l]
        if not lines or not lines[0].startswith("# "):
            return {}
        header = lines[0][2:].split(",")
        rows = (dict(zip(header, l.split(","))) for l in lines[1:])
        return {r["svname"]: r for r in rows if r["pxname"] == "modhttpd" and r["svname"] in self.names}

    def statuses(self):
        return {name: row["status"] for name, row in self.stats().items()}

    def served(self, name):
        row = self.stats().get(name)
        return int(row["hrsp_2xx"]) if row else 0

    def all_up(self):
        st = self.statuses()
        return len(st) == len(self.names) and all(v == "UP" for v in st.values())

    def log(self):
        return self.log_path.read_text(errors="replace")

    def slowest_answers(self, n=3):
        """The n longest waits for a response head (Tr, ms) in HAProxy's
        log, with their log lines."""
        waits = []
        for line in self.log().splitlines():
            fields = line.split()
            if len(fields) > 10 and fields[0].startswith("127.0.0.1:") and fields[4].count("/") == 4:
                waits.append((int(fields[4].split("/")[3]), line))
        return sorted(waits, reverse=True)[:n]

    def transitions(self):
        """HAProxy's lines about servers going DOWN or UP, with the reason."""
        return [l for l in self.log().splitlines() if l.startswith("Server modhttpd/")]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


class Clients:
    """`n` clients of HAProxy, each on one kept-alive connection, GETting the
    pages in turn and checking every byte. Nothing is retried: a non-200, a
    wrong body, a connection closed or refused is a failure."""

    def __init__(self, port, n=3, paths=("/index.html",)):
        self.port, self.paths = port, paths
        self.ok = 0
        self.failures = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(n)]
        for t in self.threads:
            t.start()

    def _run(self, index):
        conn = None
        turn = index
        while not self.stopping.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                with self.lock:
                    if r.status == 200 and body == PAGES[path]:
                        self.ok += 1
                    else:
                        self.failures.append("%s: status %d, %d bytes" % (path, r.status, len(body)))
                if r.will_close:
                    conn.close()
                    conn = None
            except Exception as e:  # noqa: BLE001 - every failure counts
                with self.lock:
                    self.failures.append("%s: %r" % (path, e))
                if conn is not None:
                    conn.close()
                conn = None
            time.sleep(0.002)  # pacing: the machine is shared with the servers and HAProxy
        if conn is not None:
            conn.close()

    def count(self):
        with self.lock:
            return self.ok

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(30)
        return self


class Farm:
    def __init__(self, make_server, root):
        self.servers = [self._instance(make_server, mpm) for mpm in MPMS]
        self.lb = HAProxy(root, self.servers)
        assert wait_until(self.lb.all_up, 10), (self.lb.statuses(), self.lb.log()[-2000:])

    @staticmethod
    def _instance(make_server, mpm):
        s = make_server(start=False, mpm=mpm, modules=MODULES, config=INSTANCE_CONFIG)
        for other in MPMS:  # every MPM's library, for a change of MPM
            src = module_file("mpm_%s_module" % other)
            dst = s.root / "modules" / src.name
            if not dst.exists():
                dst.symlink_to(src)
        for path, data in PAGES.items():
            s.write(path.lstrip("/"), data)
        s.start()
        return s

    def name(self, server):
        return self.lb.names[self.servers.index(server)]

    def serves_again(self, server, clients, requests=30):
        """HAProxy shows the instance UP and sends it traffic: `requests`
        more answered, and the clients got answers meanwhile."""
        name = self.name(server)
        before, answered = self.lb.served(name), clients.count()
        assert wait_until(lambda: self.lb.statuses().get(name) == "UP", 10), \
            (self.lb.statuses(), self.lb.log()[-2000:])
        assert wait_until(lambda: self.lb.served(name) >= before + requests, 10), \
            (name, before, self.lb.stats().get(name))
        assert wait_until(lambda: clients.count() >= answered + requests, 10), clients.failures[:5]


@pytest.fixture
def farm(make_server, tmp_path):
    f = Farm(make_server, tmp_path)
    yield f
    f.lb.stop()


def graceful(server, new_mpm=None):
    """`modhttpd -k graceful`, after editing the MPM's LoadModule line when
    new_mpm is given; returns once the instance answers from the new
    configuration generation."""
    before = int(status_auto(server)["ParentServerConfigGeneration"])
    if new_mpm:
        conf = server.conf.read_text()
        server.conf.write_text(re.sub(r"^LoadModule mpm_\w+ modules/mod_mpm_\w+\.so$", mpm_line(new_mpm),
                                      conf, flags=re.M))
    r = server.run("-k", "graceful")
    assert r.returncode == 0, r.stderr
    assert wait_until(lambda: int(status_auto(server)["ParentServerConfigGeneration"]) > before, 10), \
        server.error_log()[-2000:]


def test_rolling_graceful_restart_with_an_mpm_change_fails_no_request(farm):
    lb = farm.lb
    clients = Clients(lb.port, n=3, paths=("/index.html", "/big.bin"))
    try:
        assert wait_until(lambda: clients.count() >= 50, 10), clients.failures[:5]
        first, second, third = farm.servers
        graceful(first)
        farm.serves_again(first, clients)
        graceful(second, new_mpm="event")
        farm.serves_again(second, clients)
        graceful(third)
        farm.serves_again(third, clients)
    finally:
        clients.stop()
    stats = lb.stats()
    print("answered %d; per server %s; retries %s, redispatches %s" % (
        clients.ok, {n: r["hrsp_2xx"] for n, r in stats.items()},
        {n: r["wretr"] for n, r in stats.items()}, {n: r["wredis"] for n, r in stats.items()}))
    assert clients.failures == [], clients.failures[:10]
    assert clients.ok > 200, clients.ok
    # The health check never failed, so no instance ever left the pool.
    assert all(r["status"] == "UP" and r["chkdown"] == "0" for r in stats.values()), lb.transitions()
    # No instance stopped accepting on the way: on a change of MPM the new
    # one's processes take each scoreboard row as soon as the old one's
    # process leaves it, not on the next one-second tick. Sanitizers have
    # timings of their own.
    slowest = lb.slowest_answers()
    if not server_sanitizers():
        assert slowest[0][0] < 800, slowest
    assert all(int(r["hrsp_2xx"]) > 0 and r["hrsp_5xx"] == "0" for r in stats.values()), stats
    # The second instance runs event now; the others kept theirs.
    assert [status_auto(s)["ServerMPM"] for s in farm.servers] == ["prefork", "event", "event"]
    assert "MPM changed from worker to event on graceful restart" in farm.servers[1].error_log()
    for s in farm.servers:
        # Each wrote its share to its access log, with the client's address
        # from X-Forwarded-For beside the balancer's.
        lines = (s.root / "logs" / "balanced_log").read_text().splitlines()
        assert sum(l.startswith("127.0.0.1 127.0.0.1 200 ") for l in lines) > 30, lines[-5:]


def test_the_status_page_is_for_the_balancer_only_and_the_logs_get_the_client(farm):
    status, body = http_get(farm.lb.port, "/server-status?auto")
    assert status == 403, body[:200]
    # A client's own X-Forwarded-For does not reach the logs.
    for _ in farm.servers:
        assert http_get(farm.lb.port, "/index.html?forged", {"X-Forwarded-For": "203.0.113.9"}) == (200, SMALL)
    for s in farm.servers:
        lines = (s.root / "logs" / "balanced_log").read_text().splitlines()
        assert "127.0.0.1 127.0.0.1 200 /index.html" in lines, lines[-5:]
        assert not any("203.0.113.9" in l for l in lines), lines[-5:]


def test_the_documented_configuration_is_the_one_tested():
    doc = (SOURCE / "docs" / "scaling.md").read_text()
    block = re.search(r"```haproxy\n(.*?)```", doc, re.S)
    assert block, "no ```haproxy block in docs/scaling.md"
    servers = "\n".join("    server s%d 127.0.0.1:%d" % (i, 8080 + i) for i in (1, 2, 3))
    assert block.group(1) == HAPROXY_CONFIG.format(port=80, stats_port=9999, servers=servers)


def http_get(port, path, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def test_a_hard_stop_fails_no_request_and_the_instance_comes_back(farm):
    lb = farm.lb
    clients = Clients(lb.port, n=3)
    try:
        assert wait_until(lambda: clients.count() >= 50, 10), clients.failures[:5]
        for server in farm.servers:  # each MPM in turn
            name = farm.name(server)
            r = server.run("-k", "stop")
            assert r.returncode == 0, r.stderr
            server.proc.wait(10)
            assert wait_until(lambda: lb.statuses().get(name, "").startswith("DOWN"), 5), lb.statuses()
            answered = clients.count()
            assert wait_until(lambda: clients.count() >= answered + 30, 10), clients.failures[:5]
            server.start()
            farm.serves_again(server, clients)
    finally:
        clients.stop()
    stats = lb.stats()
    print("answered %d; retries %s, redispatches %s" % (
        clients.ok, {n: r["wretr"] for n, r in stats.items()}, {n: r["wredis"] for n, r in stats.items()}))
    assert clients.failures == [], clients.failures[:10]
    assert all(r["status"] == "UP" and r["chkdown"] == "1" for r in stats.values()), stats


def refused(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return False
    except ConnectionRefusedError:
        return True


def test_a_graceful_stop_drains_the_instance_and_refuses_new_connections(farm):
    lb = farm.lb
    clients = Clients(lb.port, n=3)
    try:
        assert wait_until(lambda: clients.count() >= 50, 10), clients.failures[:5]
        for server in farm.servers:  # each MPM in turn
            name = farm.name(server)
            in_flight = PidTrackingRequest(server.port, "/sleep?ms=1500&flush=1")
            assert in_flight.pid_known.wait(10) and in_flight.pid, in_flight.data
            r = server.run("-k", "graceful-stop")
            assert r.returncode == 0, r.stderr
            # Refused while the master still waits for the request in flight:
            # no connection waits in a backlog that no process will accept from.
            assert wait_until(lambda: refused(server.port), 1), name
            assert server.proc.poll() is None and in_flight.is_alive(), name
            in_flight.join(10)
            assert in_flight.complete(), (name, in_flight.error, in_flight.data[-200:])
            server.proc.wait(10)
            assert wait_until(lambda: lb.statuses().get(name, "").startswith("DOWN"), 5), lb.statuses()
            server.start()
            farm.serves_again(server, clients)
    finally:
        clients.stop()
    assert clients.failures == [], clients.failures[:10]
    assert all(r["status"] == "UP" and r["chkdown"] == "1" for r in lb.stats().values()), lb.transitions()
