"""Starting, checking and stopping the servers the advisor measures.

Every server runs `modhttpd -f <copy> -D FOREGROUND` (the real MPM, in the
foreground) in a session of its own, so that a Ctrl-C on the terminal
reaches only the advisor, which then stops it. Every process started here
is in RUNNING until stop_all() has seen its whole tree gone.
"""
import os
import re
import signal
import socket
import subprocess
import time

from . import proctree

RUNNING = []  # Server objects not yet stopped


class ServerError(Exception):
    pass


def settings(binary):
    """The binary's compiled-in settings (`modhttpd -V`): {"SERVER_ROOT": ..., ...}."""
    try:
        r = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=30)
    except OSError as e:
        raise ServerError("cannot run %s: %s" % (binary, e.strerror))
    return dict(re.findall(r'^ -D (\w+)="(.*)"$', r.stdout, re.M))


def clean_message(text, copy):
    """The server's complaint about the copy, without the copy's file and
    line (which mean nothing to the user)."""
    text = text.strip().replace("modhttpd: ", "", 1)
    text = re.sub(r"^Syntax error on line \d+ of %s:\s*" % re.escape(copy), "", text)
    return text.splitlines()[0] if text else "no message"


def check(binary, copy):
    """None when `modhttpd -t` accepts the copy, else the server's reason."""
    r = subprocess.run([binary, "-t", "-f", copy], capture_output=True, text=True, timeout=60)
    if r.returncode == 0:
        return None
    return clean_message(r.stderr or r.stdout, copy)


def run_config(binary, copy):
    """`modhttpd -S`'s report for the copy: {"ServerRoot": ..., "Main DocumentRoot": ...}."""
    r = subprocess.run([binary, "-S", "-f", copy], capture_output=True, text=True, timeout=60)
    return dict(re.findall(r'^([^:\n]+): "(.*)"$', r.stdout, re.M))


class Server:
    def __init__(self, binary, copy, port, log_dir):
        self.binary = binary
        self.copy = copy
        self.port = port
        self.log_dir = log_dir
        self.proc = None
        self.known = set()  # every pid seen in the tree, to make sure they end

    def start(self, timeout=30):
        stderr = open(os.path.join(self.log_dir, "stderr"), "wb")
        try:
            self.proc = subprocess.Popen([self.binary, "-f", self.copy, "-D", "FOREGROUND"],
                                         stdin=subprocess.DEVNULL, stdout=stderr, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        finally:
            stderr.close()
        RUNNING.append(self)
        self.wait_ready(timeout)
        return self

    @property
    def pid(self):
        return self.proc.pid

    def output(self):
        parts = []
        for name in ("stderr", "error_log"):
            try:
                with open(os.path.join(self.log_dir, name), errors="replace") as f:
                    parts.append(f.read()[-2000:])
            except OSError:
                pass
        return "\n".join(p for p in parts if p)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError("modhttpd exited with status %s:\n%s" % (self.proc.returncode, self.output()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    s.settimeout(5)
                    if s.recv(12).startswith(b"HTTP/1."):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerError("modhttpd did not answer on 127.0.0.1:%d within %d s:\n%s"
                          % (self.port, timeout, self.output()))

    def tree(self):
        pids = proctree.tree(self.proc.pid) if self.proc and self.proc.poll() is None else []
        self.known.update(pids)
        return pids

    def settle(self, quiet=1.0, timeout=8.0):
        """Waits until the pool has kept the same processes for `quiet`
        seconds (spare-server maintenance at start), at most `timeout`."""
        deadline = time.monotonic() + timeout
        last, since = self.tree(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.tree()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        """TERM to the master, then KILL to whatever of its tree is left;
        returns only once every process of the tree is gone."""
        if self.proc is None:
            return
        self.tree()
        if self.proc.poll() is None:
            try:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        for pid in set(self.tree()) | self.known:
            if _running(pid, self.copy):  # not a pid reused by another program
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            # The master's process group (it leads its session): its pid
            # cannot be reused while it is not reaped, which is just below.
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        self.proc.wait()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(_running(p, self.copy) for p in self.known):
            time.sleep(0.05)
        if self in RUNNING:
            RUNNING.remove(self)


def _running(pid, copy):
    """True while `pid` is a live modhttpd started with the copy (a pid that
    was reused by another program does not count)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmdline = f.read()
        state = proctree.stat_fields(pid)[0]
    except (OSError, ValueError):
        return False
    return state != "Z" and copy.encode() in cmdline


def stop_all():
    for server in list(RUNNING):
        server.stop()
