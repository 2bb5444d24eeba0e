"""The master under systemd (Type=notify): what it sends to NOTIFY_SOCKET
when it is ready, reloading and stopping, as Apache's mod_systemd does, and
the unit file that runs it. A unix datagram socket of the test stands in
for systemd; the kernel's credentials on each message say which process
sent it."""
import os
import re
import shutil
import signal
import socket
import struct
import subprocess

import pytest

from harness import SOURCE, wait_until

UNIT = SOURCE / "etc" / "modhttpd.service"


class FakeSystemd:
    """Receives sd_notify messages: (sender pid, {field: value})."""

    def __init__(self, path):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.bind(self.path)
        self.sock.settimeout(15)

    def receive(self):
        data, ancillary, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(struct.calcsize("3i")))
        sender = None
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                sender = struct.unpack("3i", payload[:struct.calcsize("3i")])[0]
        fields = dict(line.split("=", 1) for line in data.decode().splitlines() if "=" in line)
        return sender, fields

    def pending(self):
        """Messages already queued, without waiting."""
        out = []
        self.sock.settimeout(0.2)
        try:
            while True:
                out.append(self.receive())
        except socket.timeout:
            pass
        finally:
            self.sock.settimeout(15)
        return out

    def close(self):
        self.sock.close()


@pytest.fixture
def systemd(tmp_path, monkeypatch):
    fake = FakeSystemd(tmp_path / "notify")
    monkeypatch.setenv("NOTIFY_SOCKET", fake.path)
    yield fake
    fake.close()


def expect_ready(systemd, master, generation, mpm):
    sender, f = systemd.receive()
    assert sender == master
    assert f.get("READY") == "1", f
    assert f["MAINPID"] == str(master)
    assert "generation %d" % generation in f["STATUS"] and "mpm_" + mpm in f["STATUS"], f
    return f


def expect_reload(systemd, master, generation, mpm):
    sender, f = systemd.receive()
    assert sender == master
    assert f.get("RELOADING") == "1", f
    assert int(f["MONOTONIC_USEC"]) > 0
    return expect_ready(systemd, master, generation, mpm)


def test_ready_reloading_and_stopping_from_the_master(make_server, systemd, mpm):
    s = make_server(mpm=mpm, start=False)
    s.write("index.html", "hello\n")
    s.start(wait=False)
    # READY comes once the sockets are bound and the children started: the
    # first request after it is answered.
    expect_ready(systemd, s.pid, 0, mpm)
    assert s.get("/index.html")[0] == 200

    assert s.run("-k", "graceful").returncode == 0
    expect_reload(systemd, s.pid, 1, mpm)
    assert s.get("/index.html")[0] == 200
    # (No request right after a hard restart: an old child that has not yet
    # seen its end may take it, and it is cut by design.)
    s.signal(signal.SIGHUP)
    f = expect_reload(systemd, s.pid, 2, mpm)
    assert f["STATUS"].startswith("Reloaded")

    assert s.run("-k", "graceful-stop").returncode == 0
    sender, f = systemd.receive()
    assert sender == s.pid
    assert f.get("STOPPING") == "1", f
    assert s.proc.wait(15) == 0
    # Nothing more, and nothing ever from a child (systemd would refuse it).
    assert systemd.pending() == []


def test_stop_now_says_stopping(make_server, systemd):
    s = make_server(start=False)
    s.start(wait=False)
    expect_ready(systemd, s.pid, 0, "prefork")
    assert s.run("-k", "stop").returncode == 0
    sender, f = systemd.receive()
    assert (sender, f.get("STOPPING")) == (s.pid, "1")
    assert s.proc.wait(15) == 0


def test_a_failed_reload_still_ends_in_ready(make_server, systemd):
    """A restart signal with a broken configuration keeps the server going:
    systemd hears READY again (else it would wait in "reloading"), with a
    status that says so."""
    s = make_server(start=False)
    s.start(wait=False)
    expect_ready(systemd, s.pid, 0, "prefork")
    s.conf.write_text(s.conf.read_text() + "Bogus\n")
    s.signal(signal.SIGUSR1)
    f = expect_reload(systemd, s.pid, 0, "prefork")
    assert f["STATUS"].startswith("Not reloaded")
    assert s.get("/")[0] in (200, 403, 404)


def test_detached_master_names_itself_in_mainpid(make_server, systemd):
    """Started without -D FOREGROUND the master is a forked process:
    MAINPID tells systemd which one it is (Type=notify with
    NotifyAccess=all)."""
    s = make_server(start=False)
    r = subprocess.run(s.command("-k", "start"), env=s.env(), capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr
    sender, f = systemd.receive()
    master = int(f["MAINPID"])
    try:
        assert f.get("READY") == "1" and sender == master
        assert master == int((s.root / "logs" / "modhttpd.pid").read_text())
        assert master != os.getpid()
    finally:
        s.run("-k", "stop")
        wait_until(lambda: not os.path.exists("/proc/%d" % master), 15)


def unit_settings():
    settings = {}
    for line in UNIT.read_text().splitlines():
        if re.match(r"^[A-Za-z]+=", line):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_unit_file_runs_the_master_in_the_foreground_with_notify():
    u = unit_settings()
    assert u["Type"] == ["notify"]
    assert u["ExecStart"] == ["/usr/sbin/modhttpd -D FOREGROUND"]
    assert u["ExecStartPre"] == ["/usr/sbin/modhttpd -t"]
    assert u["ExecReload"] == ["/usr/sbin/modhttpd -k graceful"]
    assert u["ExecStop"] == ["/usr/sbin/modhttpd -k graceful-stop"]
    assert u["KillMode"] == ["mixed"]
    # The signal systemd sends after ExecStop returns is the graceful one.
    assert u["KillSignal"] == ["SIGWINCH"]
    assert u["PrivateTmp"] == ["true"]
    assert u["Restart"] == ["on-abnormal"]


def test_systemd_analyze_finds_nothing_but_the_missing_install(tmp_path):
    """systemd-analyze verify on the unit as shipped: the only complaints
    allowed are that the binary and its man page are not installed on this
    machine (test_package verifies the installed unit)."""
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed")
    r = subprocess.run([tool, "verify", str(UNIT)], capture_output=True, text=True, timeout=60)
    allowed = ("is not executable: No such file or directory", "Command 'man modhttpd(8)' failed")
    problems = [l for l in (r.stdout + r.stderr).splitlines()
                if l.strip() and not any(a in l for a in allowed) and "/usr/sbin/modhttpd" not in l]
    if os.path.exists("/usr/sbin/modhttpd"):
        assert r.returncode == 0 or not problems, r.stderr
    assert problems == [], r.stdout + r.stderr
