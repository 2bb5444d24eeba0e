"""Starts the real modhttpd binary in a throw-away ServerRoot and talks to it.

Every integration test goes through Server: it writes a configuration, links
the built modules into <root>/modules, starts `modhttpd -D FOREGROUND` on a
free port of 127.0.0.1 and stops it (and checks it is gone) afterwards.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("MODHTTPD_BUILD", SOURCE / "build")).resolve()
BINARY = BUILD / "core" / "modhttpd"

def server_sanitizers():
    """The build's b_sanitize ("address,undefined", "thread"), or None."""
    options = json.loads((BUILD / "meson-info" / "intro-buildoptions.json").read_text())
    value = next((o["value"] for o in options if o["name"] == "b_sanitize"), "none")
    return None if value == "none" else value


# LoadModule symbol -> shared object in the build tree.
MODULES = {
    "mpm_prefork_module": "mpm_prefork/mod_mpm_prefork.so",
    "mpm_worker_module": "mpm_worker/mod_mpm_worker.so",
    "mpm_event_module": "mpm_event/mod_mpm_event.so",
    "static_module": "modules/static/mod_static.so",
    "status_module": "modules/status/mod_status.so",
}
for _name in ("authz_core", "authz_host", "authz_user", "auth_basic", "authn_file", "headers", "setenvif",
              "deflate", "filter", "alias", "errordoc", "mime", "autoindex", "rewrite", "cgi", "proxy", "proxy_http",
              "proxy_fcgi", "env", "negotiation", "access_compat"):
    MODULES[_name + "_module"] = "modules/%s/mod_%s.so" % (_name, _name)
# Test-only modules (tests/modules) are found by file name.
TEST_MODULES_DIR = BUILD / "tests" / "modules"


def module_file(symbol):
    if symbol in MODULES:
        return BUILD / MODULES[symbol]
    name = "mod_" + symbol[: -len("_module")] + ".so"
    return TEST_MODULES_DIR / name


def free_port(*also_on):
    """A port free on 127.0.0.1 and on each address of `also_on` (tests
    that listen on 127.0.0.2 too: other tests use it as a client's source
    address, whose ephemeral ports come from the same range)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            try:
                for host in also_on:
                    with socket.socket() as other:
                        other.bind((host, port))
                return port
            except OSError:
                continue


def handler_locations(*handlers):
    """A <Location /name> with SetHandler name for each test handler (mod_sleep,
    mod_crash, mod_echo answer under their own name). It starts with a newline
    so that it may follow configuration text that lacks a final one."""
    return "\n" + "".join("<Location /%s>\n    SetHandler %s\n</Location>\n" % (h, h) for h in handlers)


# ---- waiting and /proc ---------------------------------------------------------

def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate until it returns something true and returns that, or,
    after timeout seconds, its last (false) value, for the assert to show.
    On time.monotonic, so that a step of the wall clock cannot cut or stretch
    the wait."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def settled(measure, timeout=5, quiet=0.3):
    """measure()'s value once it has stayed the same for `quiet` seconds (a
    connection that has just been answered may still hold a descriptor), or
    its last value after timeout seconds."""
    deadline = time.monotonic() + timeout
    value, since = measure(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = measure()
        if now != value:
            value, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
    return value


def stat_fields(pid):
    """/proc/<pid>/stat after the command name (which may hold spaces and
    parentheses): [state, ppid, ...], so field n of proc(5) is [n - 3]."""
    return Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()


def proc_status(pid):
    """/proc/<pid>/status as a dict of its words ('VmRSS' -> ['4804', 'kB']);
    empty once the process is gone (a zombie still has one)."""
    out = {}
    try:
        text = Path("/proc/%d/status" % pid).read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        out[key] = value.split()
    return out


def children_of(pid, zombies=False):
    """The running children of a process or, with zombies=True, those that
    exited and wait to be reaped: a leak the tests look for."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = stat_fields(int(d.name))
        except OSError:
            continue
        if int(fields[1]) == pid and (fields[0] == "Z") == zombies:
            out.append(int(d.name))
    return sorted(out)


def process_name(pid):
    """/proc/<pid>/comm, or "" once it is gone."""
    try:
        return (Path("/proc/%d/comm" % pid)).read_text().strip()
    except OSError:
        return ""


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks."""
    fields = stat_fields(pid)
    return int(fields[11]) + int(fields[12])


def cpu_seconds(pid):
    return cpu_ticks(pid) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(self, root, mpm="prefork", modules=("static_module",), config="",
                 port=None, extra_listen=(), log_level="info", mime=True):
        self.root = Path(root)
        self.mpm = mpm
        self.port = port or free_port()
        self.proc = None
        for d in ("etc", "logs", "modules", "htdocs"):
            (self.root / d).mkdir(parents=True, exist_ok=True)
        if mime:
            shutil.copy(SOURCE / "etc" / "mime.types", self.root / "etc" / "mime.types")
        self.modules = ["mpm_%s_module" % mpm] + list(modules)
        lines = []
        for symbol in self.modules:
            src = module_file(symbol)
            dst = self.root / "modules" / src.name
            if not dst.exists():
                dst.symlink_to(src)
            lines.append("LoadModule %s modules/%s" % (symbol, src.name))
        lines += [
            "Listen 127.0.0.1:%d" % self.port,
            *["Listen %s" % l for l in extra_listen],
            "ServerName 127.0.0.1",
            "ErrorLog logs/error_log",
            "LogLevel %s" % log_level,
            "CustomLog logs/access_log combined",
            "PidFile logs/modhttpd.pid",
            config,
        ]
        self.conf = self.root / "etc" / "modhttpd.conf"
        self.conf.write_text("\n".join(lines) + "\n")

    # ---- files -------------------------------------------------------------
    @property
    def docroot(self):
        return self.root / "htdocs"

    def write(self, relpath, content, mode=None):
        p = self.docroot / relpath
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        p.write_bytes(content)
        if mode is not None:
            os.chmod(p, mode)
        return p

    def error_log(self):
        p = self.root / "logs" / "error_log"
        return p.read_text(errors="replace") if p.exists() else ""

    def access_log(self):
        p = self.root / "logs" / "access_log"
        return p.read_text(errors="replace") if p.exists() else ""

    # ---- process -----------------------------------------------------------
    def command(self, *args):
        return [str(BINARY), "-d", str(self.root), "-f", "etc/modhttpd.conf", *args]

    def env(self):
        """Sanitizer reports (when the build has them) go to files in logs/,
        which the test fixture turns into failures."""
        logs = self.root / "logs"
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = "log_path=%s/asan:detect_leaks=0:abort_on_error=0" % logs
        env["UBSAN_OPTIONS"] = "log_path=%s/ubsan:print_stacktrace=1" % logs
        env["TSAN_OPTIONS"] = "log_path=%s/tsan:halt_on_error=0:second_deadlock_stack=1" % logs
        return env

    def sanitizer_reports(self):
        logs = self.root / "logs"
        return [p for prefix in ("asan", "ubsan", "tsan") for p in logs.glob(prefix + ".*")]

    def run(self, *args, timeout=30):
        """Runs modhttpd with this root and the given flags (-t, -M, -k ...)."""
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=timeout,
                              env=self.env())

    def start(self, *args, wait=True, timeout=15):
        self.stderr_path = self.root / "logs" / "stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.command("-D", "FOREGROUND", *args),
                                     stdout=self._stderr, stderr=subprocess.STDOUT, env=self.env())
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("modhttpd exited with %s\n%s\n%s" % (
                    self.proc.returncode, self.stderr_path.read_text(errors="replace"), self.error_log()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    s.settimeout(2)
                    if s.recv(12).startswith(b"HTTP/1.1"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("modhttpd did not answer on port %d\n%s" % (self.port, self.error_log()))

    @property
    def pid(self):
        return self.proc.pid

    def signal(self, sig):
        os.kill(self.proc.pid, sig)

    def stop(self, timeout=20):
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("modhttpd did not stop within %ss" % timeout)
        return self.proc.returncode

    def children(self):
        """PIDs whose parent is the master, but for prefork's front process
        (PreforkFront), which serves no request: fronts() lists it."""
        return [p for p in children_of(self.proc.pid) if process_name(p) != "mh-front"]

    def fronts(self):
        return [p for p in children_of(self.proc.pid) if process_name(p) == "mh-front"]

    # ---- HTTP --------------------------------------------------------------
    def connect(self, timeout=10):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        return s

    def raw(self, data, timeout=5, half_close=False):
        """Sends bytes, returns everything the server sends until it closes
        (or `timeout` seconds of silence)."""
        with self.connect(timeout) as s:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
            chunks = []
            try:
                while True:
                    b = s.recv(65536)
                    if not b:
                        break
                    chunks.append(b)
            except socket.timeout:
                pass
            except ConnectionResetError:
                pass
        return b"".join(chunks)

    def request(self, method, path, body=None, headers=None, timeout=10):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)


def recv_until_close(sock):
    """Every byte the peer sends until it closes the connection."""
    data = b""
    while True:
        b = sock.recv(65536)
        if not b:
            return data
        data += b


def parse_responses(data):
    """Splits raw bytes into a list of (status, headers, body) responses,
    using Content-Length / chunked framing (a HEAD-less stream)."""
    out = []
    while data:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("incomplete head: %r" % data[:200])
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode()
        if status < 200 or status in (204, 304):
            body = b""
        elif "content-length" in headers:
            n = int(headers["content-length"])
            body, rest = rest[:n], rest[n:]
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size_line, _, rest = rest.partition(b"\r\n")
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    _, _, rest = rest.partition(b"\r\n")
                    break
                body += rest[:size]
                rest = rest[size + 2:]
        else:
            body, rest = rest, b""
        out.append((status, headers, body))
        data = rest
    return out


def status_of(data):
    """The status code of the first response in raw bytes, or None."""
    if not data.startswith(b"HTTP/"):
        return None
    return int(data.split(b" ", 2)[1])


class PidTrackingRequest(threading.Thread):
    """GET `path` on its own connection, read in a thread, for the handlers
    that send and flush "pid=N" first (mod_sleep and mod_crash with &flush=1):
    pid (pid_known set) names the serving process while the handler still
    runs, so that a test can kill, restart or watch that very process. Then
    data holds what arrived, error what cut it, and ended_at (monotonic)
    when. pid_known is set at the end too, so that no wait outlasts it."""

    def __init__(self, port, path, timeout=30):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.sendall(b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path.encode())
        self.data = b""
        self.pid = None
        self.error = None
        self.ended_at = None
        self.pid_known = threading.Event()
        self.start()

    def run(self):
        try:
            while True:
                b = self.sock.recv(65536)
                if not b:
                    break
                self.data += b
                m = re.search(rb"pid=(\d+)\n", self.data)
                if m and self.pid is None:
                    self.pid = int(m.group(1))
                    self.pid_known.set()
        except OSError as e:
            self.error = e
        finally:
            self.ended_at = time.monotonic()
            self.sock.close()
            self.pid_known.set()

    def complete(self):
        """A 200 whose chunked body reached its last chunk."""
        return status_of(self.data) == 200 and self.data.endswith(b"0\r\n\r\n")


def chromium_dom(url, timeout=60):
    """The DOM of `url` after headless Chromium loaded it and ran its scripts."""
    import pytest
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed (scripts/deps.sh test installs it)")
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", "--user-data-dir=" + profile, "--dump-dom", url],
                           capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert r.returncode == 0, r.stderr.decode(errors="replace")[-2000:]
    return r.stdout.decode("utf-8", errors="replace")
