"""Running modhttpd as operators do: the Debian package that
scripts/package.sh makes of the build under test (what it holds and where,
then, as root, installed, started, serving, stopped and purged), the
manual pages, and the logrotate configuration's reopening of the logs."""
import fcntl
import gzip
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from harness import BINARY, BUILD, SOURCE, free_port, wait_until

LOGROTATE = SOURCE / "etc" / "logrotate.d" / "modhttpd"


@pytest.fixture(scope="module")
def deb(tmp_path_factory):
    out = tmp_path_factory.mktemp("deb")
    r = subprocess.run(["bash", str(SOURCE / "scripts" / "package.sh"), str(BUILD), str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    path = Path(r.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent == out
    return path


def contents(deb):
    r = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True)
    return {line.split()[-1].lstrip(".").rstrip("/") or "/": line.split()[0]
            for line in r.stdout.splitlines()}


def control(deb, field):
    return subprocess.run(["dpkg-deb", "-f", str(deb), field], capture_output=True, text=True,
                          check=True).stdout.strip()


def built_modules():
    return sorted(p.name for d in ("modules", "mpm_prefork", "mpm_worker", "mpm_event")
                  for p in (BUILD / d).rglob("mod_*.so") if "tests" not in p.relative_to(BUILD).parts)


def test_package_lays_the_server_out_as_debian_does(deb):
    files = contents(deb)
    for path in ["/usr/sbin/modhttpd", "/usr/bin/modhttpd-module", "/usr/bin/modhttpd-advise",
                 "/etc/modhttpd/modhttpd.conf", "/etc/modhttpd/mime.types", "/etc/modhttpd/conf.d",
                 "/lib/systemd/system/modhttpd.service", "/etc/logrotate.d/modhttpd",
                 "/usr/share/man/man8/modhttpd.8.gz", "/usr/share/man/man1/modhttpd-module.1.gz",
                 "/usr/include/modhttpd/api.h", "/usr/include/modhttpd/version.h",
                 "/usr/share/pkgconfig/modhttpd.pc", "/usr/share/modhttpd/htdocs/index.html",
                 "/usr/share/doc/modhttpd/copyright"]:
        assert path in files, path
    assert files["/usr/sbin/modhttpd"].startswith("-rwxr-xr-x")
    modules = sorted(p.rsplit("/", 1)[1] for p in files if p.startswith("/usr/lib/modhttpd/modules/"))
    assert modules == built_modules()
    # Nothing of the build's own layout, nothing a package must not ship.
    assert not [p for p in files if p.startswith(("/usr/local", "/var/log", "/run", "/usr/logs"))]
    assert "libuv1" in control(deb, "Depends") and "libsystemd0" in control(deb, "Depends")
    conffiles = subprocess.run(["sh", "-c", "dpkg-deb --ctrl-tarfile '%s' | tar -xOf - ./conffiles" % deb],
                               capture_output=True, text=True, check=True).stdout.split()
    assert sorted(conffiles) == ["/etc/logrotate.d/modhttpd", "/etc/modhttpd/mime.types",
                                 "/etc/modhttpd/modhttpd.conf"]


def test_packaged_files_name_the_packaged_paths(deb, tmp_path):
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    conf = (tmp_path / "etc/modhttpd/modhttpd.conf").read_text()
    loads = re.findall(r"^LoadModule \S+ (\S+)$", conf, re.M)
    assert loads and all(p.startswith("/usr/lib/modhttpd/modules/") and (tmp_path / p[1:]).is_file()
                         for p in loads), loads
    assert 'DocumentRoot "/usr/share/modhttpd/htdocs"' in conf
    assert re.search(r'^ErrorLog "/var/log/modhttpd/error_log"$', conf, re.M)
    assert re.search(r'^CustomLog "/var/log/modhttpd/access_log" combined$', conf, re.M)
    assert re.search(r'^PidFile "/run/modhttpd/modhttpd.pid"$', conf, re.M)
    assert re.search(r"^User www-data$", conf, re.M) and re.search(r"^Listen 80$", conf, re.M)
    settings = subprocess.run([str(tmp_path / "usr/sbin/modhttpd"), "-V"], capture_output=True, text=True).stdout
    assert ' -D SERVER_CONFIG_FILE="/etc/modhttpd/modhttpd.conf"' in settings
    assert ' -D MODULES_DIR="/usr/lib/modhttpd/modules"' in settings
    kit = (tmp_path / "usr/bin/modhttpd-module").read_text()
    assert "configured_modulesdir='/usr/lib/modhttpd/modules'" in kit
    assert "configured_sysconfdir='/etc/modhttpd'" in kit
    pc = (tmp_path / "usr/share/pkgconfig/modhttpd.pc").read_text()
    assert "prefix=/usr\n" in pc and "modulesdir=/usr/lib/modhttpd/modules\n" in pc
    page = gzip.decompress((tmp_path / "usr/share/man/man8/modhttpd.8.gz").read_bytes()).decode()
    assert "/etc/modhttpd/modhttpd.conf" in page and "@" not in page


@pytest.mark.parametrize("page", ["modhttpd.8", "modhttpd-module.1"])
def test_man_pages_render_without_warnings(page):
    # The build's own, and the package's when the build makes one.
    places = [d for d in (BUILD / "man", BUILD / "package") if (d / page).exists()]
    assert BUILD / "man" in places
    for where in places:
        r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(where / page)],
                           capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
        assert (r.returncode, r.stderr) == (0, ""), where / page


def test_man_page_lists_every_option_of_dash_h():
    page = (BUILD / "man" / "modhttpd.8").read_text()
    usage = subprocess.run([str(BINARY), "-h"], capture_output=True, text=True).stdout
    flags = set(re.findall(r"^  (-[A-Za-z])", usage, re.M))
    assert flags and all(".BI \\" + f + " " in page or ".B \\" + f + "\n" in page or ".BR \\" + f + " " in page
                         for f in flags), sorted(flags)


def postrotate_script():
    text = LOGROTATE.read_text()
    m = re.search(r"^\s*postrotate\n(.*?)^\s*endscript", text, re.M | re.S)
    assert m, text
    return m.group(1)


def test_logrotate_rotates_daily_and_restarts_gracefully():
    text = LOGROTATE.read_text()
    for word in ("daily", "rotate 14", "compress", "delaycompress", "sharedscripts", "missingok"):
        assert re.search(r"^\s*%s$" % word, text, re.M), word
    assert "-k graceful" in postrotate_script()


def test_postrotate_makes_the_server_write_new_log_files(make_server):
    """Rename the logs as logrotate does, run the postrotate script (its
    paths pointed at this server), and the next request lands in a new
    access_log, the restart's notice in a new error_log."""
    s = make_server(log_level="notice")
    s.write("index.html", "hi\n")
    logs = s.root / "logs"
    assert s.get("/index.html?before")[0] == 200
    wait_until(lambda: "before" in s.access_log(), 10)
    os.rename(logs / "access_log", logs / "access_log.1")
    os.rename(logs / "error_log", logs / "error_log.1")
    script = postrotate_script().replace("/run/modhttpd/modhttpd.pid", str(logs / "modhttpd.pid"))
    script = script.replace("/usr/sbin/modhttpd", " ".join(s.command()))
    r = subprocess.run(["sh", "-ec", script], capture_output=True, text=True, timeout=30, env=s.env())
    assert r.returncode == 0, r.stderr
    # The restart was asked for in the old error_log; the master says it
    # resumed in the one it opened again.
    assert wait_until(lambda: "AH00171" in (logs / "error_log.1").read_text(), 10)
    assert wait_until(lambda: "AH00163" in s.error_log(), 10), s.error_log()
    # Children of before the restart may still take a request while they
    # finish: the new file gets the requests once the new children serve.
    n = [0]

    def served_into_new_log():
        n[0] += 1
        assert s.get("/index.html?after%d" % n[0])[0] == 200
        return "after" in s.access_log()
    assert wait_until(served_into_new_log, 15)
    assert "before" in (logs / "access_log.1").read_text()
    assert "before" not in s.access_log()
    assert s.proc.poll() is None


def test_postrotate_does_not_start_a_stopped_server(tmp_path):
    """-k graceful starts a server that does not run; the postrotate
    script runs it only when the PidFile names a live process."""
    script = postrotate_script().replace("/run/modhttpd/modhttpd.pid", str(tmp_path / "none.pid"))
    script = script.replace("/usr/sbin/modhttpd", "touch %s/started; :" % tmp_path)
    r = subprocess.run(["sh", "-ec", script], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0
    assert not (tmp_path / "started").exists()


# ---- installed, as root ---------------------------------------------------------

def http_get(port, path="/"):
    with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=5) as r:
        return r.status, r.read()


def dpkg(*args):
    return subprocess.run(["dpkg", *args], capture_output=True, text=True, timeout=120)


def test_install_serve_rotate_stop_purge(deb, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("installing a package (dpkg -i) needs root")
    if shutil.which("dpkg") is None:
        pytest.skip("not a Debian system")
    # One install at a time on this machine (another build's run of this test).
    with open("/tmp/modhttpd-package-test.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        installed = dpkg("-i", str(deb))
        assert installed.returncode == 0, installed.stderr
        proc = None
        try:
            proc = installed_server_checks(tmp_path)
        finally:
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
            purged = dpkg("--purge", "modhttpd")
        assert purged.returncode == 0, purged.stderr
        for gone in ("/usr/sbin/modhttpd", "/etc/modhttpd", "/usr/lib/modhttpd", "/var/log/modhttpd",
                     "/lib/systemd/system/modhttpd.service",
                     "/etc/systemd/system/multi-user.target.wants/modhttpd.service"):
            assert not os.path.exists(gone), gone


def installed_server_checks(tmp_path):
    # Installing starts nothing where systemd does not run (no init script).
    if not os.path.isdir("/run/systemd/system"):
        assert not os.path.exists("/run/modhttpd/modhttpd.pid")
    r = subprocess.run(["/usr/sbin/modhttpd", "-t"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and "Syntax OK" in r.stderr, r.stderr
    assert os.stat("/var/log/modhttpd").st_mode & 0o777 == 0o750
    if shutil.which("systemd-analyze"):
        v = subprocess.run(["systemd-analyze", "verify", "/lib/systemd/system/modhttpd.service"],
                           capture_output=True, text=True, timeout=60)
        assert v.returncode == 0 and v.stderr.strip() == "", v.stderr
    # The packaged configuration, on a free port of 127.0.0.1 instead of 80.
    port = free_port()
    conf = tmp_path / "modhttpd.conf"
    conf.write_text(re.sub(r"^Listen 80$", "Listen 127.0.0.1:%d" % port,
                           Path("/etc/modhttpd/modhttpd.conf").read_text(), flags=re.M))
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    env.pop("NOTIFY_SOCKET", None)
    proc = subprocess.Popen(["/usr/sbin/modhttpd", "-f", str(conf), "-D", "FOREGROUND"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)

    def answers():
        assert proc.poll() is None, proc.stderr.read().decode(errors="replace")
        try:
            return http_get(port)
        except OSError:
            return None
    status, body = wait_until(answers, 15)
    assert status == 200 and body == Path("/usr/share/modhttpd/htdocs/index.html").read_bytes()
    assert int(Path("/run/modhttpd/modhttpd.pid").read_text()) == proc.pid
    # Each child switches to www-data just after its fork.
    def child_uids():
        return {uid_of(p) for p in os.listdir("/proc") if p.isdigit() and stat_ppid(p) == proc.pid} - {None}
    assert wait_until(lambda: child_uids() == {33}, 10), child_uids()  # www-data
    # The installed logrotate's postrotate, as it is: a graceful restart of
    # the server that the PidFile names; the next request goes to a new log.
    log = Path("/var/log/modhttpd/access_log")
    assert wait_until(lambda: log.exists() and "GET / " in log.read_text(), 10)
    os.rename(log, "/var/log/modhttpd/access_log.1")
    script = re.search(r"^\s*postrotate\n(.*?)^\s*endscript",
                       Path("/etc/logrotate.d/modhttpd").read_text(), re.M | re.S).group(1)
    assert subprocess.run(["sh", "-ec", script], timeout=30, env=env).returncode == 0

    def new_log_has_a_request():
        assert http_get(port, "/index.html?rotated")[0] == 200
        return log.exists() and "rotated" in log.read_text()
    assert wait_until(new_log_has_a_request, 15)
    stop = subprocess.run(["/usr/sbin/modhttpd", "-f", str(conf), "-k", "graceful-stop"],
                          capture_output=True, text=True, timeout=30, env=env)
    assert stop.returncode == 0, stop.stderr
    assert proc.wait(20) == 0
    assert "AH00170" in Path("/var/log/modhttpd/error_log").read_text()
    return proc


def stat_ppid(pid):
    try:
        return int(Path("/proc/%s/stat" % pid).read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError):
        return -1


def uid_of(pid):
    try:
        for line in Path("/proc/%s/status" % pid).read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None
