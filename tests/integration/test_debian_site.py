"""Debian 12's own Apache configuration, as `apt-get install apache2` leaves
it in /etc/apache2, run by modhttpd with only these changes:

  - each LoadModule line of mods-available/*.load names modhttpd's module of
    that name; dir.load's names mod_static, which serves files (Apache's
    core does), index files and the trailing-slash redirect (mod_dir's);
    Apache's modules the core does itself keep their line: loading one is
    Apache's warning for a built-in module;
  - Listen 80 and the default site's <VirtualHost *:80> take a free port;
  - the APACHE_* variables apache2ctl reads from envvars point the logs,
    PidFile and runtime directory at the test's folder.

No line is commented out. `-t` says Syntax OK, and the running server
serves Debian's default page from /var/www/html and /server-status."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import BINARY, BUILD, MODULES, Server, free_port, wait_until

APACHE_ETC = Path("/etc/apache2")
MPM_FILES = {"mpm_event_module": "mpm_event/mod_mpm_event.so", "mpm_worker_module": "mpm_worker/mod_mpm_worker.so",
             "mpm_prefork_module": "mpm_prefork/mod_mpm_prefork.so"}
LOAD_LINE = re.compile(r"^(\s*LoadModule\s+)(\w+)(\s+)(\S+)", re.M)


# Apache's module -> modhttpd's that does its work under another name.
STANDS_FOR = {"dir_module": "static_module"}


def ours(symbol):
    if symbol in MPM_FILES:
        return BUILD / MPM_FILES[symbol]
    name = symbol[: -len("_module")]
    path = BUILD / MODULES.get(symbol, "modules/%s/mod_%s.so" % (name, name))
    return path if path.exists() else None


def point_load_lines_at_ours(tree, builtin):
    """Returns the enabled modules that are neither ours nor built in."""
    kept = []
    enabled = {p.name for p in (tree / "mods-enabled").iterdir()}
    for load in sorted((tree / "mods-available").glob("*.load")):
        text = load.read_text()

        def swap(m):
            symbol = STANDS_FOR.get(m.group(2), m.group(2))
            path = ours(symbol)
            if path is None:
                if load.name in enabled and symbol not in builtin:
                    kept.append(symbol)
                return m.group(0)
            return m.group(1) + symbol + m.group(3) + str(path)
        load.write_text(LOAD_LINE.sub(swap, text))
    return kept


class DebianServer(Server):
    """Server whose configuration is a copy of /etc/apache2."""

    def __init__(self, root, mpm):
        super().__init__(root, mpm=mpm, modules=())
        self.tree = self.root / "apache2"
        shutil.copytree(APACHE_ETC, self.tree, symlinks=True)
        listed = subprocess.run(super().command("-M"), capture_output=True, text=True, check=True).stdout
        self.builtin = set(re.findall(r"^ (\w+) \(static\)$", listed, re.M))
        assert "dir_module" in self.builtin, listed
        self.kept = point_load_lines_at_ours(self.tree, self.builtin)
        if mpm != "event":  # a2dismod mpm_event && a2enmod mpm_<mpm>
            enabled = self.tree / "mods-enabled"
            for name in ("mpm_event.load", "mpm_event.conf"):
                (enabled / name).unlink()
            for name in ("mpm_%s.load" % mpm, "mpm_%s.conf" % mpm):
                (enabled / name).symlink_to("../mods-available/" + name)
        self.originals = {f: f.read_text() for f in (self.tree / "ports.conf",
                                                     self.tree / "sites-available" / "000-default.conf")}
        self.use_port(self.port)
        self.conf = self.tree / "apache2.conf"

    def use_port(self, port):
        """Debian's Listen 80 and <VirtualHost *:80>, on `port`."""
        self.port = port
        for f, text in self.originals.items():
            text = re.sub(r"^Listen 80$", "Listen %d" % port, text, flags=re.M)
            f.write_text(text.replace("<VirtualHost *:80>", "<VirtualHost *:%d>" % port))

    def start(self, *args, **kwargs):
        # Debian's Listen binds every address: a port free on 127.0.0.1 may
        # still be some other test's client port on another address (they
        # run side by side). Apache's AH00072 then; another port is tried.
        for attempt in range(3):
            try:
                return super().start(*args, **kwargs)
            except RuntimeError as e:
                if "AH00072" not in str(e) or attempt == 2:
                    raise
                self.use_port(free_port("0.0.0.0"))

    def command(self, *args):
        return [str(BINARY), "-d", str(self.tree), "-f", str(self.conf), *args]

    def env(self):
        env = super().env()
        logs = self.root / "logs"
        for d in ("run", "lock"):
            (self.root / d).mkdir(exist_ok=True)
        env.update(APACHE_RUN_USER="www-data", APACHE_RUN_GROUP="www-data", APACHE_LOG_DIR=str(logs),
                   APACHE_PID_FILE=str(self.root / "run" / "apache2.pid"), APACHE_RUN_DIR=str(self.root / "run"),
                   APACHE_LOCK_DIR=str(self.root / "lock"), LANG="C")
        return env

    def error_log(self):
        p = self.root / "logs" / "error.log"
        return p.read_text(errors="replace") if p.exists() else ""


@pytest.fixture(params=["event", "prefork"])
def debian(request, tmp_path):
    s = DebianServer(tmp_path / "root", request.param)
    yield s
    s.stop()


def test_debian_apache2_conf_passes_the_syntax_check(debian):
    assert debian.kept == [], "enabled modules modhttpd lacks: %s" % debian.kept
    r = debian.run("-t")
    assert r.returncode == 0, r.stderr
    assert r.stderr.endswith("Syntax OK\n"), r.stderr
    # Only Apache's words for the modules the core does itself, and for the
    # main server's DocumentRoot: Debian's apache2.conf sets none, and the
    # default one (ServerRoot/htdocs) is missing, as under Apache built from
    # its sources.
    for line in r.stderr.splitlines()[:-1]:
        assert (re.search(r"module (authn_core|reqtimeout)_module is built-in and can't be loaded", line) or
                re.search(r"DocumentRoot \[%s/htdocs\] does not exist" % re.escape(str(debian.tree)), line)), line


def test_debian_default_site_and_server_status_are_served(debian):
    debian.start()
    status, headers, body = debian.get("/")
    assert status == 200, body[:300]
    assert b"Apache2 Debian Default Page" in body
    assert headers["content-type"].startswith("text/html")
    status, _, body = debian.get("/server-status?auto")  # status.conf: Require local
    assert status == 200, body[:300]
    assert re.search(rb"^ServerMPM: %s$" % debian.mpm.encode(), body, re.M), body[:300]
    # Debian's security.conf and apache2.conf: no .ht* files, no /etc.
    assert debian.get("/.htaccess")[0] == 403
    # The access log is where ${APACHE_LOG_DIR} says, in the combined format.
    assert wait_until(lambda: (debian.root / "logs" / "access.log").exists() and
                      '"GET /server-status?auto HTTP/1.1" 200' in (debian.root / "logs" / "access.log").read_text(), 5)


def test_debian_vhost_report(debian):
    r = debian.run("-S")
    assert r.returncode == 0, r.stderr
    site = debian.tree / "sites-enabled" / "000-default.conf"
    assert re.search(r"^\*:%d\s+\S+ \(%s:1\)$" % (debian.port, re.escape(str(site))), r.stdout, re.M), r.stdout
