"""The command line as httpd users know it: -t, -M, -V, -v, -h, -k, -D, -C/-c,
and every start-up error in Apache's words, against the real binary."""
import os
import signal
import stat
import subprocess
import time

import pytest

from harness import BINARY, Server, free_port, module_file, wait_until

INVALID = ("Invalid command '{}', perhaps misspelled or defined by a module "
           "not included in the server configuration")


def server(tmp_path, **kw):
    s = Server(tmp_path / "root", **kw)
    s.write("index.html", "ok\n")
    return s


def syntax_error(s, line, msg):
    return "modhttpd: Syntax error on line %d of %s: %s\n" % (line, s.conf, msg)


def conf_line(s, text):
    """Line number of the first line of the generated config containing text."""
    for i, l in enumerate(s.conf.read_text().splitlines(), 1):
        if text in l:
            return i
    raise AssertionError(text)


def append(s, text):
    s.conf.write_text(s.conf.read_text() + text + "\n")
    return len(s.conf.read_text().splitlines())


# ---- -t ----------------------------------------------------------------------

def test_syntax_ok(tmp_path):
    r = server(tmp_path).run("-t")
    assert (r.returncode, r.stderr, r.stdout) == (0, "Syntax OK\n", "")


def test_unknown_directive_names_file_line_and_module_hint(tmp_path):
    s = server(tmp_path)
    n = append(s, "Bogus on")
    r = s.run("-t")
    assert r.returncode == 1
    assert r.stderr == syntax_error(s, n, INVALID.format("Bogus"))


def test_module_directive_without_its_module_is_unknown(tmp_path):
    s = server(tmp_path)
    n = append(s, "HelloGreeting hi")
    r = s.run("-t")
    assert r.stderr == syntax_error(s, n, INVALID.format("HelloGreeting"))
    s2 = Server(tmp_path / "r2", modules=("hello_module",), config="HelloGreeting hi")
    assert s2.run("-t").returncode == 0


@pytest.mark.parametrize("line,message", [
    ("KeepAlive maybe", "KeepAlive must be On or Off"),
    ("Timeout", "Timeout takes one argument, timeout duration (sec)"),
    ("Timeout 1 2", "Timeout takes one argument, timeout duration (sec)"),
    ("Timeout soon", "Timeout must be a whole number from 1 to 86400, not 'soon'"),
    ("AddType text/x-foo", "AddType requires at least two arguments, a mime type followed by one or more file extensions"),
    ("LogLevel loud", "LogLevel requires level keyword: one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8"),
    ("LogFormat \"%h %Z\" broken", "Unrecognized LogFormat directive %Z"),
    ("Listen 127.0.0.1:99999", "Port must be specified"),
    ("Options +Indexes FollowSymLinks", "Either all Options must start with + or -, or no Option may."),
    ("Options Shiny", "Illegal option Shiny"),
    ("<Location /x>\nListen 9999\n</Location>", "Listen not allowed in <Location> context"),
    ("<Directory /x>\n<Location /y>\n</Location>\n</Directory>", "<Location> cannot occur within <Directory> section"),
    ("<Location /x>\nSetHandler foo", "<Location> was not closed."),
    ("</Location>", "</Location> without matching <Location> section"),
])
def test_directive_errors(tmp_path, line, message):
    s = server(tmp_path)
    first = append(s, line) - line.count("\n")
    r = s.run("-t")
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("modhttpd: Syntax error on line ")
    assert r.stderr.endswith(": %s\n" % message), r.stderr
    assert "of %s:" % s.conf in r.stderr
    lineno = int(r.stderr.split("line ")[1].split(" ")[0])
    assert first <= lineno <= first + line.count("\n")


def test_error_inside_included_file_names_the_include_chain(tmp_path):
    s = server(tmp_path)
    inc = s.root / "etc" / "extra.conf"
    inc.write_text("# extra\n\nNoSuchThing\n")
    n = append(s, "Include etc/extra.conf")
    r = s.run("-t")
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: Syntax error on line 3 of %s: %s\n" % (
        n, s.conf, inc, INVALID.format("NoSuchThing"))


def test_include_without_match_fails_but_include_optional_does_not(tmp_path):
    s = server(tmp_path)
    (s.root / "etc" / "conf.d").mkdir()
    n = append(s, "Include etc/conf.d/*.conf")
    r = s.run("-t")
    assert r.stderr == syntax_error(
        s, n, "Include/IncludeOptional: No matches for the wildcard '*.conf' in '%s/etc/conf.d', failing" % s.root)
    s.conf.write_text(s.conf.read_text().replace("Include etc", "IncludeOptional etc"))
    assert s.run("-t").returncode == 0


def test_ifdefine_and_define_flags(tmp_path):
    s = server(tmp_path)
    append(s, "<IfDefine BROKEN>\nBogus\n</IfDefine>")
    assert s.run("-t").returncode == 0
    r = s.run("-t", "-D", "BROKEN")
    assert r.returncode == 1 and "Invalid command 'Bogus'" in r.stderr


def test_dash_C_and_dash_c(tmp_path):
    s = server(tmp_path)
    r = s.run("-t", "-c", "Bogus2")
    assert r.returncode == 1 and "Invalid command 'Bogus2'" in r.stderr
    r = s.run("-t", "-C", "Define FROM_C", "-c", "<IfDefine !FROM_C>", "-c", "Bogus3", "-c", "</IfDefine>")
    assert r.returncode == 0, r.stderr


# ---- the MPM -----------------------------------------------------------------

def test_no_mpm(tmp_path):
    s = server(tmp_path)
    s.conf.write_text("\n".join(l for l in s.conf.read_text().splitlines() if "mpm_" not in l))
    r = s.run("-t")
    assert r.returncode == 1
    assert "Configuration error: No MPM loaded." in r.stderr


def test_two_mpms_name_both_lines(tmp_path):
    s = server(tmp_path)
    worker = module_file("mpm_worker_module")
    (s.root / "modules" / worker.name).symlink_to(worker)
    n = append(s, "LoadModule mpm_worker_module modules/%s" % worker.name)
    r = s.run("-t")
    assert r.returncode == 1
    assert "More than one MPM loaded" in r.stderr
    assert "mpm_prefork_module (line 1 of %s)" % s.conf in r.stderr
    assert "mpm_worker_module (line %d of %s)" % (n, s.conf) in r.stderr


# ---- LoadModule ---------------------------------------------------------------

def test_load_missing_file(tmp_path):
    s = server(tmp_path)
    n = append(s, "LoadModule nope_module modules/mod_nope.so")
    r = s.run("-t")
    path = "%s/modules/mod_nope.so" % s.root
    assert r.stderr == syntax_error(
        s, n, "Cannot load %s into server: %s: cannot open shared object file: No such file or directory" % (path, path))


def test_load_missing_symbol(tmp_path):
    s = server(tmp_path)
    n = append(s, "LoadModule wrong_module modules/mod_static.so")
    path = "%s/modules/mod_static.so" % s.root
    r = s.run("-t")
    assert r.stderr == syntax_error(
        s, n, "Can't locate API module structure `wrong_module' in file %s: %s: undefined symbol: wrong_module" % (path, path))


def link_test_module(s, name):
    src = module_file(name)
    dst = s.root / "modules" / src.name
    dst.symlink_to(src)
    return "modules/" + src.name, str(dst)


def test_load_not_a_modhttpd_module(tmp_path):
    s = server(tmp_path)
    rel, path = link_test_module(s, "garbled_module")
    n = append(s, "LoadModule garbled_module " + rel)
    r = s.run("-t")
    assert r.stderr == syntax_error(
        s, n, "API module structure 'garbled_module' in file %s is garbled - expected signature 4d484431 "
              "but saw 41503234 - perhaps this is not a modhttpd module DSO, or was compiled for a different "
              "modhttpd version?" % path)


def test_load_other_abi_major_names_both_versions(tmp_path):
    s = server(tmp_path)
    rel, path = link_test_module(s, "forged_major_module")
    n = append(s, "LoadModule forged_major_module " + rel)
    r = s.run("-t")
    assert r.returncode == 1
    assert r.stderr.startswith(syntax_error(s, n, "")[:-1])
    assert 'Module "mod_forged_major.c"' in r.stderr
    assert "module built for ABI 2.0, this server has ABI 1." in r.stderr


def test_load_twice_names_first_line(tmp_path):
    s = server(tmp_path)
    first = conf_line(s, "LoadModule static_module")
    n = append(s, "LoadModule static_module modules/mod_static.so")
    r = s.run("-t")
    assert r.stderr == syntax_error(s, n, "module static_module is already loaded, at line %d of %s" % (first, s.conf))


def test_module_with_older_descriptor_layout_loads_and_serves(tmp_path):
    s = server(tmp_path, modules=("old_layout_module",), config="<Location /old>\nSetHandler old\n</Location>")
    s.start()
    try:
        status, _, body = s.get("/old")
        assert (status, body) == (200, b"old layout\n")
    finally:
        s.stop()


def test_module_directives_and_per_location_merge(tmp_path):
    s = server(tmp_path, modules=("hello_module",), config="\n".join([
        "HelloGreeting hi",
        "<Location /a>", "SetHandler hello", "</Location>",
        "<Location /a/b>", "HelloGreeting howdy", "</Location>",
    ]))
    s.start()
    try:
        assert s.get("/a/x")[2] == b"hi from /a/x\n"
        assert s.get("/a/b/y")[2] == b"howdy from /a/b/y\n"
    finally:
        s.stop()


# ---- -M -V -v -h and bad flags -----------------------------------------------

def test_dash_M_lists_modules_and_marks_the_mpm(tmp_path):
    r = server(tmp_path).run("-M")
    assert r.returncode == 0
    static = ["core_module", "so_module", "http_module", "unixd_module", "log_config_module", "logio_module",
              "dir_module", "reqtimeout_module", "authn_core_module"]
    assert r.stdout == ("Loaded Modules:\n" + "".join(" %s (static)\n" % m for m in static) +
                        " mpm_prefork_module (shared) [MPM]\n static_module (shared)\n")


def test_apache_modules_the_core_stands_for_are_built_in(tmp_path):
    """Apache's dir, reqtimeout, authn_core...: <IfModule> finds them, and
    LoadModule of one is Apache's warning, not an error."""
    s = server(tmp_path, config="LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so\n"
                                "<IfModule mod_dir.c>\nDirectoryIndex first.html\n</IfModule>\n"
                                "<IfModule !reqtimeout_module>\nNoSuchDirective\n</IfModule>\n")
    r = s.run("-t")
    assert r.returncode == 0, r.stderr
    assert "module dir_module is built-in and can't be loaded" in r.stderr
    s.write("first.html", "the index <IfModule mod_dir.c> chose\n")
    s.start()
    try:
        status, _, body = s.get("/")
        assert status == 200 and body == b"the index <IfModule mod_dir.c> chose\n"
    finally:
        s.stop()


def test_dump_modules_is_dash_M(tmp_path):
    s = server(tmp_path)
    a, b = s.run("-M"), s.run("-t", "-D", "DUMP_MODULES")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout and "Syntax OK" not in a.stderr + b.stderr


def test_dash_S_and_dump_run_cfg(tmp_path):
    s = server(tmp_path, config="Define SITE_NAME example\nUser #%d" % os.geteuid())
    r = s.run("-S")
    assert r.returncode == 0 and "Syntax OK" not in r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "VirtualHost configuration:"
    assert 'ServerRoot: "%s"' % s.root in lines
    assert 'Main DocumentRoot: "%s/htdocs"' % s.root in lines
    assert 'Main ErrorLog: "%s/logs/error_log"' % s.root in lines
    assert 'PidFile: "%s/logs/modhttpd.pid"' % s.root in lines
    assert "Define: DUMP_VHOSTS" in lines and "Define: DUMP_RUN_CFG" in lines and "Define: SITE_NAME" in lines
    assert "Define: SITE_NAME=example" in lines
    assert any(l.startswith('User: name="#%d" id=%d' % (os.geteuid(), os.geteuid())) for l in lines), lines
    assert any(l.startswith("Group: name=") for l in lines), lines
    r = s.run("-t", "-D", "DUMP_RUN_CFG")
    assert r.returncode == 0 and r.stdout.startswith('ServerRoot: "%s"\n' % s.root)
    assert "VirtualHost configuration" not in r.stdout


def test_dash_L_lists_every_directive_with_module_and_context(tmp_path):
    r = server(tmp_path, modules=("static_module", "status_module")).run("-L")
    assert r.returncode == 0
    out = r.stdout
    for block in [
        "Listen (core.c)\n\ta port number or a numeric IP address and a port number, and an optional protocol\n"
        "\tAllowed in *.conf only outside <Directory>, <Files>, <Location>, or <If>\n",
        "SetHandler (core.c)\n\ta handler name that overrides any other configured handler\n\tAllowed in *.conf anywhere\n",
        "<Directory (core.c)\n",
        "StartServers (mpm_prefork.cpp)\n\tNumber of child processes launched at server startup\n",
        "MaxRanges (",
        "ExtendedStatus (",
    ]:
        assert block in out, block


def test_undefined_variable_is_warned_about_with_apache_number(tmp_path):
    s = server(tmp_path, config="ServerAdmin ${NO_SUCH_VARIABLE_X}")
    r = s.run("-t")
    assert r.returncode == 0, r.stderr
    assert "[core:warn]" in r.stderr and "AH00111: Config variable ${NO_SUCH_VARIABLE_X} is not defined" in r.stderr
    assert "Syntax OK" in r.stderr


def test_loglevel_for_a_module_that_is_not_loaded_is_refused(tmp_path):
    s = server(tmp_path, config="LogLevel ssl:info")
    r = s.run("-t")
    assert r.returncode == 1
    assert r.stderr == "modhttpd: Syntax error on line %d of %s: Cannot find module ssl\n" % (
        s.conf.read_text().splitlines().index("LogLevel ssl:info") + 1, s.conf)
    for ok in ("LogLevel static:debug", "LogLevel mod_static.c:debug", "LogLevel static_module:debug",
               "LogLevel core:info mpm_prefork:debug"):
        assert server(tmp_path / ok.replace(" ", "_").replace(":", "_"), config=ok).run("-t").returncode == 0, ok


def test_dash_V(tmp_path):
    r = server(tmp_path, mpm="worker").run("-V")
    assert r.returncode == 0
    assert "Server version: modhttpd/" in r.stdout
    assert "Module ABI:     1." in r.stdout
    assert "Server MPM:     worker\n  threaded:     yes" in r.stdout
    assert '-D SERVER_CONFIG_FILE="etc/modhttpd.conf"' in r.stdout


def test_dash_v_and_h():
    v = subprocess.run([str(BINARY), "-v"], capture_output=True, text=True)
    assert v.returncode == 0 and v.stdout.startswith("Server version: modhttpd/")
    h = subprocess.run([str(BINARY), "-h"], capture_output=True, text=True)
    assert h.returncode == 0 and h.stdout.startswith("Usage: modhttpd ")


@pytest.mark.parametrize("args", [["-Z"], ["-f"], ["-k", "explode"], ["extra"]])
def test_bad_flags_print_usage_and_exit_1(args):
    r = subprocess.run([str(BINARY), *args], capture_output=True, text=True)
    assert r.returncode == 1
    assert "Usage: modhttpd " in r.stderr


# ---- start, -k, signals ----------------------------------------------------------

def wait_for(pred, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_k_stop_start_and_not_running(tmp_path):
    s = server(tmp_path).start()
    pid_file = s.root / "logs" / "modhttpd.pid"
    assert int(pid_file.read_text()) == s.pid
    assert stat.S_IMODE(pid_file.stat().st_mode) == 0o644
    assert stat.S_IMODE((s.root / "logs" / "error_log").stat().st_mode) == 0o640
    r = s.run("-k", "start")
    assert r.stdout == "modhttpd (pid %d) already running\n" % s.pid
    r = s.run("-k", "stop")
    assert r.returncode == 0
    assert s.proc.wait(15) == 0
    assert not pid_file.exists()
    assert "AH00169: caught SIGTERM, shutting down" in s.error_log()
    r = s.run("-k", "stop")
    assert r.stdout == "modhttpd (no pid file) not running\n"


def test_k_graceful_refuses_a_broken_config(tmp_path):
    s = server(tmp_path).start()
    try:
        append(s, "Bogus")
        r = s.run("-k", "graceful")
        assert r.returncode == 1
        assert "Invalid command 'Bogus'" in r.stderr
        time.sleep(0.5)
        assert "Graceful restart requested" not in s.error_log()
        assert s.get("/")[0] == 200
    finally:
        s.stop()


def test_k_graceful_and_restart_signal_the_master(tmp_path):
    s = server(tmp_path).start()
    try:
        assert s.run("-k", "graceful").returncode == 0
        assert wait_for(lambda: "AH00171: Graceful restart requested" in s.error_log())
        assert s.run("-k", "restart").returncode == 0
        assert wait_for(lambda: "AH00173: SIGHUP received" in s.error_log())
        s.wait_ready()
        assert s.proc.poll() is None
    finally:
        s.stop()


def test_raw_signal_with_broken_config_keeps_serving(tmp_path):
    """Apache's parent exits here; ours logs the error and keeps serving."""
    s = server(tmp_path).start()
    try:
        append(s, "Bogus")
        s.signal(signal.SIGUSR1)
        assert wait_for(lambda: "was not reloaded" in s.error_log())
        assert s.proc.poll() is None
        assert s.get("/")[0] == 200
    finally:
        s.stop()


def test_port_in_use_fails_to_start_with_apache_message(tmp_path):
    a = server(tmp_path).start()
    try:
        b = Server(tmp_path / "b", port=a.port)
        r = b.run()
        assert r.returncode == 1
        assert "(98)Address already in use: AH00072: make_sock: could not bind to address 127.0.0.1:%d" % a.port in r.stderr
        assert "no listening sockets available, shutting down" in r.stderr
        # In the error log too, each message on a line of its own (no
        # escaped newline inside one line).
        lines = b.error_log().splitlines()
        assert any(l.endswith("AH00072: make_sock: could not bind to address 127.0.0.1:%d" % a.port) for l in lines), lines
        assert any(l.endswith("] no listening sockets available, shutting down") for l in lines), lines
        assert "\\n" not in b.error_log()
    finally:
        a.stop()


def test_listen_forms_and_ipv6(tmp_path):
    p6 = free_port()
    s = server(tmp_path, extra_listen=["[::1]:%d" % p6])
    s.start()
    try:
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://[::1]:%d/" % p6],
                           capture_output=True, text=True, timeout=10)
        assert r.stdout == "200"
    finally:
        s.stop()


def test_listeners_stay_open_across_graceful_restart(tmp_path):
    s = server(tmp_path).start()
    try:
        before = set(os.listdir("/proc/%d/fd" % s.pid))
        inode = {os.readlink("/proc/%d/fd/%s" % (s.pid, fd)) for fd in before}
        sockets = {i for i in inode if i.startswith("socket:")}
        s.signal(signal.SIGUSR1)
        assert wait_for(lambda: s.error_log().count("resuming normal operations") >= 2)
        after = {os.readlink("/proc/%d/fd/%s" % (s.pid, fd)) for fd in os.listdir("/proc/%d/fd" % s.pid)}
        assert sockets <= after  # the same listening sockets, not new ones
    finally:
        s.stop()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch users")
def test_children_drop_privileges_to_user_and_group(tmp_path):
    s = server(tmp_path, config="User nobody\nGroup nogroup")
    os.chmod(s.root, 0o755)
    s.start()
    try:
        kids = s.children()
        assert kids

        def uid(pid):  # None once the process is gone
            try:
                status = open("/proc/%d/status" % pid).read()
            except FileNotFoundError:
                return None
            return next(l for l in status.splitlines() if l.startswith("Uid:")).split()[1]

        # A child the pool maintenance has just forked is root for the
        # moment before its setuid: each one must leave root at once.
        for pid in kids:
            wait_until(lambda: uid(pid) != "0", 5)
            assert uid(pid) in ("65534", None), "child %d is still uid %s" % (pid, uid(pid))
        master = open("/proc/%d/status" % s.pid).read()
        assert next(l for l in master.splitlines() if l.startswith("Uid:")).split()[1] == "0"
    finally:
        s.stop()


def test_goaccess_reads_our_combined_log(tmp_path):
    s = server(tmp_path).start()
    log = s.root / "logs" / "access_log"
    os.truncate(log, 0)  # drop the harness's readiness probe
    try:
        s.write("index.html", "<h1>x</h1>")
        for i in range(7):
            s.request("GET", "/?n=%d" % i, headers={"User-Agent": "Mozilla/5.0 (X11) test", "Referer": "http://r/"})
        s.request("GET", "/missing")
    finally:
        s.stop()
    assert log.read_text().count("\n") == 8
    out = tmp_path / "report.json"
    r = subprocess.run(["goaccess", str(log), "--log-format=COMBINED", "--no-global-config", "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    import json
    report = json.loads(out.read_text())
    general = report["general"]
    assert general["total_requests"] == 8
    assert general["failed_requests"] == 0


def build_greeter(src_dir, out, text):
    """Compiles a one-handler module answering `text`, the way a module author would."""
    from harness import SOURCE
    src = src_dir / "mod_greeter.c"
    src.write_text(r'''
#include <modhttpd/modhttpd.h>
#include <string.h>
static const mh_api *api;
static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "greeter") != 0) return MH_DECLINED;
    api->set_content_type(r, "text/plain");
    api->puts(r, "%s\n");
    return MH_OK;
}
static void hooks(const mh_api *a, const mh_module *self) { api = a; a->hook_handler(self, handler, MH_HOOK_MIDDLE); }
MH_DECLARE_MODULE(greeter_module) = {MH_MODULE_HEADER, 0, NULL, NULL, NULL, NULL, hooks, NULL};
''' % text)
    tmp = out.with_suffix(".tmp")
    subprocess.run(["cc", "-shared", "-fPIC", "-std=c99", "-I", str(SOURCE / "include"), str(src), "-o", str(tmp)],
                   check=True, timeout=60)
    os.replace(tmp, out)  # as make install does: a new file, never rewritten in place


@pytest.mark.parametrize("sig,kind", [(signal.SIGUSR1, "graceful"), (signal.SIGHUP, "restart")])
def test_a_rebuilt_module_is_picked_up_by_a_restart(tmp_path, sig, kind):
    s = server(tmp_path, config="LoadModule greeter_module modules/mod_greeter.so\n"
                                "<Location /greet>\nSetHandler greeter\n</Location>")
    so = s.root / "modules" / "mod_greeter.so"
    build_greeter(tmp_path, so, "version one")
    s.start()
    try:
        assert s.get("/greet")[2] == b"version one\n"
        build_greeter(tmp_path, so, "version two")
        s.signal(sig)
        assert wait_for(lambda: s.error_log().count("resuming normal operations") >= 2)
        assert wait_for(lambda: greeting(s) == b"version two\n", timeout=15), kind
    finally:
        s.stop()


def greeting(s):
    """The greeter's answer; None for a connection that a restart ended
    (SIGHUP ends the old children's connections at once, as Apache's)."""
    try:
        return s.get("/greet")[2]
    except ConnectionError:
        return None


def test_k_start_detaches_and_k_stop_ends_it(tmp_path):
    s = server(tmp_path)
    r = s.run("-k", "start")
    assert r.returncode == 0, r.stderr
    pid_file = s.root / "logs" / "modhttpd.pid"
    assert wait_for(pid_file.exists)
    pid = int(pid_file.read_text())
    try:
        # The master left the session of the command that started it.
        stat_fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        assert int(stat_fields[3]) == pid  # its own session (setsid)
        assert wait_for(lambda: _answers(s))
        assert s.get("/")[2] == b"ok\n"
    finally:
        assert s.run("-k", "stop").returncode == 0
    assert wait_for(lambda: not os.path.exists("/proc/%d" % pid))
    assert not pid_file.exists()


def test_k_start_from_a_terminal_that_closes_at_once_leaves_the_server_up(tmp_path):
    # script(1) runs the command on a new pseudo-terminal and closes it as
    # soon as the command returns: the kernel hangs up whatever is still in
    # that terminal's session. The server must have left it by then, every
    # time (the same holds for ssh host 'modhttpd -k start').
    s = server(tmp_path)
    pid_file = s.root / "logs" / "modhttpd.pid"
    for attempt in range(4):
        r = subprocess.run(["script", "-qc", " ".join(s.command("-k", "start")), "/dev/null"],
                           capture_output=True, text=True, timeout=30, env=s.env())
        assert r.returncode == 0, r.stdout + r.stderr
        assert wait_for(pid_file.exists)
        pid = int(pid_file.read_text())
        time.sleep(0.5)  # the hangup, if any, has come by now
        assert os.path.exists("/proc/%d" % pid), "attempt %d: the server died with its terminal" % attempt
        assert wait_for(lambda: _answers(s)), attempt
        assert s.run("-k", "stop").returncode == 0
        assert wait_for(lambda: not os.path.exists("/proc/%d" % pid))


def test_k_graceful_when_not_running_says_so_also_into_a_file(tmp_path):
    # stdout to a file is fully buffered: the message must be written before
    # the server detaches, not lost with the process that exits.
    s = server(tmp_path)
    out = tmp_path / "out.txt"
    with open(out, "w") as f:
        r = subprocess.run(s.command("-k", "graceful"), stdout=f, stderr=subprocess.PIPE, text=True,
                           timeout=30, env=s.env())
    try:
        assert r.returncode == 0, r.stderr
        assert out.read_text() == "modhttpd not running, trying to start\n"
        assert wait_for(lambda: _answers(s))
    finally:
        assert s.run("-k", "stop").returncode == 0
        pid_file = s.root / "logs" / "modhttpd.pid"
        assert wait_for(lambda: not pid_file.exists())


def _answers(s):
    try:
        return s.get("/")[0] == 200
    except OSError:
        return False


def test_terminal_resize_does_not_stop_the_server_but_kill_winch_does(tmp_path):
    """Apache stops gracefully on any SIGWINCH, so a container running it in
    the foreground of a terminal dies when the window is resized. Here only a
    WINCH sent by a process (kill, -k graceful-stop) stops the server."""
    import fcntl
    import pty
    import struct
    import termios
    s = server(tmp_path)
    master_fd, slave_fd = pty.openpty()

    def take_terminal():
        os.setsid()
        fcntl.ioctl(slave_fd, termios.TIOCSCTTY, 0)  # the pty becomes our controlling terminal

    s.proc = subprocess.Popen(s.command("-D", "FOREGROUND"), stdin=slave_fd, stdout=slave_fd, stderr=slave_fd,
                              preexec_fn=take_terminal, env=s.env())
    s.stderr_path = s.root / "logs" / "error_log"
    try:
        s.wait_ready()
        for rows in (30, 40, 50):  # resize: the kernel sends SIGWINCH to the foreground group
            fcntl.ioctl(master_fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 100, 0, 0))
            time.sleep(0.3)
        assert s.proc.poll() is None
        assert s.get("/")[0] == 200
        assert "SIGWINCH" not in s.error_log()
        os.kill(s.pid, signal.SIGWINCH)  # what -k graceful-stop sends
        assert s.proc.wait(15) == 0
        assert "AH00170: caught SIGWINCH, shutting down gracefully" in s.error_log()
    finally:
        s.stop()
        os.close(master_fd)
        os.close(slave_fd)
