"""Piped logs and ErrorLog syslog, as Apache 2.4: CustomLog "|cmd" and
ErrorLog "|cmd" feed a logger the master starts (and starts again when it
exits: AH00106); a graceful restart keeps an unchanged logger and ends the
ones no longer configured. ErrorLog syslog[:facility] is checked through -t:
delivery is syslog(3)'s, to /dev/log, which a test cannot own."""
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest

from harness import wait_until

COMBINED = re.compile(r'^127\.0\.0\.1 - - \[[^\]]+\] "GET /n/(\d+) HTTP/1\.1" 404 \d+ "-" "t"$')


def loggers(marker):
    """PIDs of processes whose command line names `marker` (the loggers)."""
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmd and int(d.name) != os.getpid():
            pids.append(int(d.name))
    return pids


def lines_of(paths):
    """The request lines (the harness's readiness probe, OPTIONS *, left out)."""
    out = []
    for p in paths:
        if Path(p).exists():  # the logger creates it once it has started
            out += [l for l in Path(p).read_text(errors="replace").splitlines() if '"OPTIONS * ' not in l]
    return out


def hammer(s, first, count, threads=4):
    def run(t):
        for i in range(first + t, first + count, threads):
            st = s.request("GET", "/n/%d" % i, headers={"User-Agent": "t"})[0]
            assert st == 404
    ts = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def all_whole(found, first, count):
    nums = []
    for line in found:
        m = COMBINED.match(line)
        assert m, "torn or mixed line: %r" % line
        nums.append(int(m.group(1)))
    return sorted(nums) == list(range(first, first + count))


def files_like(base):
    return sorted(base.parent.glob(base.name + "*"))


@pytest.mark.parametrize("mpm", ["prefork", "worker"])
@pytest.mark.parametrize("kind", ["cat", "rotatelogs"])
def test_custom_log_pipe_gets_every_line_whole(make_server, tmp_path, mpm, kind):
    base = tmp_path / ("acc-%s-%s" % (kind, mpm))
    cmd = "/bin/cat >> %s" % base if kind == "cat" else "/usr/bin/rotatelogs %s.%%Y 86400" % base
    s = make_server(mpm=mpm, config='CustomLog "|%s" combined' % cmd)
    hammer(s, 0, 200)
    assert wait_until(lambda: len(lines_of(files_like(base))) >= 200, 10)
    assert all_whole(lines_of(files_like(base)), 0, 200)
    if kind == "rotatelogs":
        assert [p.name for p in files_like(base)] == ["%s.%s" % (base.name, time.strftime("%Y"))]
    assert len(loggers(str(base))) >= 1


def test_error_log_pipe_gets_startup_notice(make_server, tmp_path):
    out = tmp_path / "err-piped"
    make_server(config='ErrorLog "|/bin/cat >> %s"' % out)
    assert wait_until(lambda: out.exists() and "AH00163" in out.read_text(), 10)
    assert re.search(r"^\[[^\]]+\] \[core:notice\] \[pid \d+\] AH00163: ", out.read_text(), re.M)


def test_no_shell_form_runs_the_program(make_server, tmp_path):
    base = tmp_path / "acc-direct"
    s = make_server(config='CustomLog "||/usr/bin/rotatelogs %s 86400" combined' % base)
    hammer(s, 0, 8, threads=1)
    # Without a '%' in the name, rotatelogs adds ".<start time>".
    assert wait_until(lambda: len(lines_of(files_like(base))) == 8, 10)
    pids = loggers(str(base))
    assert pids and all(Path("/proc/%d/exe" % p).resolve() == Path("/usr/bin/rotatelogs") for p in pids)


@pytest.mark.parametrize("mpm", ["prefork", "worker"])
def test_killed_logger_is_started_again(make_server, tmp_path, mpm):
    base = tmp_path / "acc-killed"
    s = make_server(mpm=mpm, config='CustomLog "|/bin/cat >> %s" combined' % base)
    hammer(s, 0, 20)
    assert wait_until(lambda: len(lines_of([base])) >= 20, 10)
    old = loggers(str(base))
    assert old
    # Its own process group: the master's is not it.
    assert all(os.getpgid(p) != os.getpgid(s.pid) for p in old)
    # Nothing of the server's but the pipe on stdin (and stdout/stderr as the
    # master's, which dash may keep a copy of): no socket, no log file.
    server_logs = (str(s.root / "logs" / "error_log"), str(s.root / "logs" / "access_log"))
    for p in old:
        links = {int(f): os.readlink("/proc/%d/fd/%s" % (p, f)) for f in os.listdir("/proc/%d/fd" % p)}
        assert links[0].startswith("pipe:")
        assert not [l for fd, l in links.items() if fd > 0 and (l.startswith(("socket:", "pipe:"))
                                                                or l in server_logs)], links
    os.killpg(os.getpgid(old[0]), signal.SIGKILL)
    assert wait_until(lambda: "AH00106: piped log program '/bin/cat >> %s' failed unexpectedly" % base
                      in s.error_log(), 10)
    assert wait_until(lambda: loggers(str(base)) and not set(loggers(str(base))) & set(old), 10)
    hammer(s, 20, 40)
    assert wait_until(lambda: len(lines_of([base])) >= 60, 10)
    assert all_whole(lines_of([base]), 0, 60)


def test_graceful_restart_keeps_one_logger_and_ends_removed_ones(make_server, tmp_path):
    kept, dropped = tmp_path / "acc-kept", tmp_path / "acc-dropped"
    s = make_server(config='CustomLog "|/bin/cat >> %s" combined\nCustomLog "|/bin/cat >> %s" combined'
                    % (kept, dropped))
    hammer(s, 0, 4, threads=1)
    assert wait_until(lambda: kept.exists() and len(lines_of([kept])) == 4, 10)
    before = loggers(str(kept))
    assert before and loggers(str(dropped))
    s.conf.write_text(s.conf.read_text().replace('CustomLog "|/bin/cat >> %s" combined' % dropped, ""))
    for _ in range(2):
        s.signal(signal.SIGUSR1)
        assert wait_until(lambda: s.error_log().count("AH00171") >= 1, 10)
    assert wait_until(lambda: s.error_log().count("AH00163") >= 3, 10)
    assert wait_until(lambda: not loggers(str(dropped)), 10)
    assert sorted(loggers(str(kept))) == sorted(before)
    hammer(s, 4, 8, threads=1)
    assert wait_until(lambda: len(lines_of([kept])) == 12, 10)
    assert all_whole(lines_of([kept]), 0, 12)
    # At stop the logger reads the last lines, sees the pipe's end and exits.
    s.stop()
    assert wait_until(lambda: not loggers(str(kept)), 10)


def test_vhost_logs_to_its_own_pipes(make_server, tmp_path):
    acc, err = tmp_path / "vh-acc", tmp_path / "vh-err"
    s = make_server(config="""
<VirtualHost *>
    ServerName v.example
    ErrorLog "|/bin/cat >> %s"
    CustomLog "|/bin/cat >> %s" combined
</VirtualHost>
""" % (err, acc))
    st = s.request("GET", "/n/0", headers={"User-Agent": "t", "Host": "v.example"})[0]
    assert st == 404
    assert wait_until(lambda: acc.exists() and len(lines_of([acc])) == 1, 10)
    assert all_whole(lines_of([acc]), 0, 1)
    assert wait_until(lambda: err.exists() and "AH00128: File does not exist" in err.read_text(), 10)
    assert "AH00128" not in s.error_log()


def test_syslog_error_log_is_accepted(make_server, tmp_path):
    s = make_server(start=False, config="ErrorLog syslog:local7\n<VirtualHost *>\nErrorLog syslog:daemon\n</VirtualHost>")
    r = s.run("-t")
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n")
    s2 = make_server(start=False, config="ErrorLog syslog")
    assert s2.run("-t").returncode == 0


def test_syslog_bad_facility_is_refused(make_server, tmp_path):
    s = make_server(start=False, config="ErrorLog syslog:nosuch")
    r = s.run("-t")
    line = s.conf.read_text().splitlines().index("ErrorLog syslog:nosuch") + 1
    assert r.returncode == 1
    assert r.stderr.startswith("modhttpd: Syntax error on line %d of %s: AH10036: modhttpd: could not open "
                               "syslog error log nosuch.\n" % (line, s.conf))


def test_piped_logs_are_not_started_by_config_test(make_server, tmp_path):
    base = tmp_path / "acc-t"
    s = make_server(start=False, config='CustomLog "|/bin/cat >> %s" combined' % base)
    assert s.run("-t").returncode == 0
    assert not loggers(str(base)) and not base.exists()


def test_server_with_syslog_error_log_serves(make_server):
    # Lines go to syslog(3) (and nowhere when /dev/log has no listener):
    # the file is not written, and the server serves as usual.
    s = make_server(config="ErrorLog syslog:local7\n<VirtualHost *>\nServerName v.example\n"
                           "ErrorLog syslog:daemon\n</VirtualHost>")
    assert s.request("GET", "/n/0", headers={"User-Agent": "t", "Host": "v.example"})[0] == 404
    assert s.request("GET", "/n/0", headers={"User-Agent": "t"})[0] == 404
    assert "AH00163" not in s.error_log()


def test_logger_that_cannot_run_is_retried_not_forked_in_a_loop(make_server, tmp_path):
    s = make_server(config='CustomLog "|/nonexistent/logger %s" combined' % tmp_path)
    assert s.request("GET", "/n/0", headers={"User-Agent": "t"})[0] == 404
    assert wait_until(lambda: s.error_log().count("AH00106: piped log program '/nonexistent/logger") >= 2, 10)
    # Started again about once a second, not as fast as fork allows.
    assert s.error_log().count("AH00106") < 5
