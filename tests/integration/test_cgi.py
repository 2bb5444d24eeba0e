"""mod_cgi (modules/cgi) under each MPM: CGI/1.1 scripts through ScriptAlias
and through Options ExecCGI with SetHandler cgi-script, the meta-variables,
request bodies, the CGI response headers, PATH_INFO and AcceptPathInfo,
Apache 2.4's answers and log lines for scripts that fail, hang or crash, and
no process or descriptor left behind."""
import json
import os
import time

import pytest

import harness
from harness import children_of, fd_count, parse_responses, settled, wait_until


SCRIPTS = {
    # The environment as JSON, and the body it was given.
    "env.py": """#!/usr/bin/python3
import json, os, sys
body = sys.stdin.buffer.read()
sys.stdout.write("Content-Type: application/json\\r\\n\\r\\n")
sys.stdout.write(json.dumps({"env": dict(os.environ), "body": body.decode("latin-1")}))
""",
    # The descriptors open in the script (fstat opens none of its own).
    "fds.py": """#!/usr/bin/python3
import os
fds = []
for fd in range(1024):
    try:
        os.fstat(fd)
        fds.append(str(fd))
    except OSError:
        pass
print("Content-Type: text/plain\\n\\n" + " ".join(fds))
""",
    "parent.sh": """#!/bin/sh
printf 'Content-Type: text/plain\\n\\n'
cat /proc/$PPID/comm
""",
    "hello.sh": """#!/bin/sh
echo "Content-Type: text/plain"
echo "X-Script: shell"
echo
echo "hello from $SCRIPT_NAME query=$QUERY_STRING"
""",
    "missing.sh": """#!/bin/sh
printf 'Status: 404 Not Found\\r\\nContent-Type: text/plain\\r\\n\\r\\nno such thing\\n'
""",
    "local.sh": """#!/bin/sh
printf 'Location: /target.txt\\n\\nignored body\\n'
""",
    "away.sh": """#!/bin/sh
printf 'Location: http://example.com/elsewhere\\n\\n'
""",
    "found.sh": """#!/bin/sh
printf 'Status: 301 Moved\\nLocation: http://example.com/moved\\nContent-Type: text/plain\\n\\nmoved\\n'
""",
    "noisy.sh": """#!/bin/sh
echo "first complaint" >&2
echo "second complaint" >&2
echo "Content-Type: text/plain"
echo
echo ok
""",
    "crash.sh": """#!/bin/sh
echo "about to crash" >&2
kill -SEGV $$
""",
    "malformed.sh": """#!/bin/sh
echo "this is no header"
echo
echo body
""",
    "hang.sh": """#!/bin/sh
echo $$ > "$DOCUMENT_ROOT/../logs/hang.pids"
sleep 60 &
echo $! >> "$DOCUMENT_ROOT/../logs/hang.pids"
wait
""",
}


def make_cgi_server(make_server, mpm, extra=""):
    s = make_server(start=False, mpm=mpm, modules=("static_module", "alias_module", "cgi_module"))
    root = s.root
    for name, text in SCRIPTS.items():
        for d in ("cgi-bin", "htdocs/scripts", "htdocs/noexec", "htdocs/scripts/off", "htdocs/all"):
            p = root / d / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
            os.chmod(p, 0o755)
    s.write("target.txt", "the target\n")
    s.write("page.txt", "a page\n")
    s.write("open/page.txt", "an open page\n")
    s.conf.write_text(s.conf.read_text() + "\n".join([
        "Timeout 2",
        "ScriptAlias /cgi-bin/ %s/cgi-bin/" % root,
        "<Directory %s/htdocs/scripts>" % root,
        "    Options +ExecCGI",
        "    SetHandler cgi-script",
        "</Directory>",
        "<Directory %s/htdocs/scripts/off>" % root,
        "    Options -ExecCGI",
        "</Directory>",
        "<Directory %s/htdocs/all>" % root,
        "    Options All",
        "    SetHandler cgi-script",
        "</Directory>",
        "<Directory %s/htdocs/noexec>" % root,
        "    SetHandler cgi-script",
        "</Directory>",
        "<Directory %s/htdocs/open>" % root,
        "    AcceptPathInfo On",
        "</Directory>",
        "<Location /cgi-bin/strict>",
        "    AcceptPathInfo Off",
        "</Location>",
        extra,
    ]) + "\n")
    (root / "cgi-bin" / "strict").mkdir()
    (root / "cgi-bin" / "strict" / "env.py").write_text(SCRIPTS["env.py"])
    os.chmod(root / "cgi-bin" / "strict" / "env.py", 0o755)
    s.start()
    return s


@pytest.fixture
def cgi(make_server, mpm):
    return make_cgi_server(make_server, mpm)


def env_of(s, path, method="GET", body=None, headers=None):
    status, hdrs, data = s.request(method, path, body=body, headers=headers)
    assert status == 200, (status, data)
    return json.loads(data)


# ---- running scripts ---------------------------------------------------------------

def test_shell_and_python_scripts_via_script_alias_and_exec_cgi(cgi):
    for prefix in ("/cgi-bin", "/scripts"):
        status, headers, body = cgi.get(prefix + "/hello.sh?a=1&b=2")
        assert status == 200
        assert headers["content-type"] == "text/plain"
        assert headers["x-script"] == "shell"
        assert body == ("hello from %s/hello.sh query=a=1&b=2\n" % prefix).encode()
        got = env_of(cgi, prefix + "/env.py?x=%20y")
        assert got["env"]["QUERY_STRING"] == "x=%20y"
        assert got["env"]["SCRIPT_NAME"] == prefix + "/env.py"


def test_meta_variables(cgi):
    port = cgi.port
    e = env_of(cgi, "/cgi-bin/env.py/extra/path?q=1",
               headers={"X-Custom-Thing": "v1", "Authorization": "Basic Zm9vOmJhcg==", "Proxy": "http://evil/",
                        "User-Agent": "pytest-cgi"})["env"]
    root = str(cgi.root)
    expect = {
        "GATEWAY_INTERFACE": "CGI/1.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REQUEST_METHOD": "GET",
        "REQUEST_URI": "/cgi-bin/env.py/extra/path?q=1",
        "REQUEST_SCHEME": "http",
        "QUERY_STRING": "q=1",
        "SCRIPT_NAME": "/cgi-bin/env.py",
        "SCRIPT_FILENAME": root + "/cgi-bin/env.py",
        "PATH_INFO": "/extra/path",
        "PATH_TRANSLATED": root + "/htdocs/extra/path",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_ADDR": "127.0.0.1",
        "SERVER_PORT": str(port),
        "REMOTE_ADDR": "127.0.0.1",
        "DOCUMENT_ROOT": root + "/htdocs",
        "CONTEXT_PREFIX": "/cgi-bin/",
        "CONTEXT_DOCUMENT_ROOT": root + "/cgi-bin/",
        "SERVER_ADMIN": "[no address given]",
        "HTTP_X_CUSTOM_THING": "v1",
        "HTTP_USER_AGENT": "pytest-cgi",
        "HTTP_HOST": "127.0.0.1:%d" % port,
    }
    for k, v in expect.items():
        assert e.get(k) == v, (k, e.get(k))
    assert e["SERVER_SOFTWARE"].startswith("modhttpd/")
    assert e["REMOTE_PORT"].isdigit()
    assert e["PATH"]
    # Credentials stay with the server; Proxy would be HTTP_PROXY (httpoxy).
    assert "HTTP_AUTHORIZATION" not in e and "HTTP_PROXY" not in e
    assert "CONTENT_LENGTH" not in e and "REMOTE_USER" not in e


def test_post_bodies_reach_stdin(cgi):
    payload = b"name=value&" + b"x" * 200000
    got = env_of(cgi, "/cgi-bin/env.py", method="POST", body=payload,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert got["body"].encode("latin-1") == payload
    assert got["env"]["CONTENT_LENGTH"] == str(len(payload))
    assert got["env"]["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert got["env"]["REQUEST_METHOD"] == "POST"
    # Chunked: the script reads to the end of its stdin.
    raw = (b"POST /scripts/env.py HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
    status, headers, body = parse_responses(cgi.raw(raw))[0]
    assert status == 200
    assert json.loads(body)["body"] == "hello, world"


def test_limit_request_body_is_enforced(make_server, mpm):
    s = make_cgi_server(make_server, mpm, extra="LimitRequestBody 1000")
    status, _, _ = s.request("POST", "/cgi-bin/env.py", body=b"y" * 5000)
    assert status == 413
    assert s.request("POST", "/cgi-bin/env.py", body=b"y" * 500)[0] == 200


# ---- the script's headers -------------------------------------------------------------

def test_status_and_location(cgi):
    status, headers, body = cgi.get("/cgi-bin/missing.sh")
    assert (status, body) == (404, b"no such thing\n")
    # A local path: served in its place, the script's body dropped.
    status, headers, body = cgi.get("/cgi-bin/local.sh")
    assert (status, body) == (200, b"the target\n")
    # An absolute URL: a 302 with Apache's page.
    status, headers, body = cgi.get("/cgi-bin/away.sh")
    assert status == 302
    assert headers["location"] == "http://example.com/elsewhere"
    assert b"The document has moved" in body
    # A status of its own keeps the script's body.
    status, headers, body = cgi.get("/cgi-bin/found.sh")
    assert (status, headers["location"], body) == (301, "http://example.com/moved", b"moved\n")


def test_bad_scripts_are_500_with_apaches_log_lines(cgi):
    assert cgi.get("/cgi-bin/malformed.sh")[0] == 500
    assert cgi.get("/cgi-bin/crash.sh")[0] == 500
    assert cgi.get("/cgi-bin/noisy.sh")[::2] == (200, b"ok\n")
    log = wait_until(lambda: "second complaint" in cgi.error_log() and cgi.error_log() or "", 5)
    assert "AH01221: malformed header from script 'malformed.sh': Bad header: this is no header" in log
    assert "AH01215: End of script output before headers: crash.sh" in log
    assert "AH01215: about to crash: %s/cgi-bin/crash.sh" % cgi.root in log
    assert "exit signal 11" in log
    assert "AH01215: first complaint: %s/cgi-bin/noisy.sh" % cgi.root in log


# ---- where scripts may run -------------------------------------------------------------

def test_exec_cgi_is_needed_outside_script_alias(cgi):
    status, _, body = cgi.get("/noexec/hello.sh")
    assert status == 403
    assert b"hello" not in body
    assert "AH02809: Options ExecCGI is off in this directory: %s/htdocs/noexec/hello.sh" % cgi.root in \
        wait_until(cgi.error_log, 5)
    # Options: -ExecCGI below a directory that has it, and All, which includes it.
    assert cgi.get("/scripts/off/hello.sh")[0] == 403
    assert cgi.get("/all/hello.sh")[0] == 200
    assert cgi.get("/cgi-bin/nosuch.sh")[0] == 404
    assert "AH02811: script not found or unable to stat" in cgi.error_log()


def test_path_info_and_accept_path_info(cgi):
    e = env_of(cgi, "/scripts/env.py/a/b%20c/")["env"]
    assert (e["SCRIPT_NAME"], e["PATH_INFO"]) == ("/scripts/env.py", "/a/b c/")
    assert "PATH_INFO" not in env_of(cgi, "/scripts/env.py")["env"]
    # AcceptPathInfo Off: a script refuses it too (AH02813).
    assert cgi.get("/cgi-bin/strict/env.py/more")[0] == 404
    assert cgi.get("/cgi-bin/strict/env.py")[0] == 200
    assert "AH02813: AcceptPathInfo off disallows user's path" in cgi.error_log()
    # A file's handler refuses extra path unless AcceptPathInfo On.
    assert cgi.get("/page.txt")[::2] == (200, b"a page\n")
    assert cgi.get("/page.txt/more")[0] == 404
    assert cgi.get("/page.txt/")[0] == 404
    assert cgi.get("/open/page.txt/more")[::2] == (200, b"an open page\n")


def test_bad_accept_path_info_is_a_config_error(make_server):
    s = make_server(start=False, config="AcceptPathInfo maybe")
    r = s.run("-t")
    assert r.returncode != 0
    assert "AcceptPathInfo must be set to on, off or default" in r.stderr


# ---- timeouts and processes -------------------------------------------------------------

def alive(pid):
    try:
        return harness.stat_fields(pid)[0] != "Z"
    except OSError:
        return False


def test_hanging_script_is_killed_with_504(cgi):
    started = time.monotonic()
    status, _, _ = cgi.get("/cgi-bin/hang.sh")
    assert status == 504
    assert time.monotonic() - started < 10
    script, started_by_it = [int(p) for p in (cgi.root / "logs" / "hang.pids").read_text().split()]
    # Killed with its process group, and reaped. What the script started is
    # an orphan by then: dead, but reaped by init, whenever it gets to it.
    assert wait_until(lambda: not os.path.exists("/proc/%d" % script), 5)
    assert wait_until(lambda: not alive(started_by_it), 5)
    assert "AH01220: Timeout waiting for output from CGI script %s/cgi-bin/hang.sh" % cgi.root in cgi.error_log()


def server_processes(s):
    """The master's children and theirs (a threaded child's helper)."""
    out = []
    for c in s.children():
        out.append(c)
        out += children_of(c)
    return out


def test_no_zombies_and_no_descriptor_leaks(cgi):
    for _ in range(5):
        assert cgi.get("/cgi-bin/hello.sh")[0] == 200

    def counts():
        out = {}
        for p in server_processes(cgi):
            try:
                out[p] = fd_count(p)
            except OSError:
                pass
        return out

    before = settled(counts)
    for i in range(50):
        path = ("/cgi-bin/hello.sh", "/scripts/hello.sh", "/cgi-bin/crash.sh", "/cgi-bin/local.sh",
                "/cgi-bin/missing.sh")[i % 5]
        assert cgi.get(path)[0] in (200, 404, 500)
    after = settled(counts)
    common = set(before) & set(after)
    assert common
    assert {p: after[p] for p in common} == {p: before[p] for p in common}
    for p in server_processes(cgi):
        assert children_of(p, zombies=True) == []
    # Nothing but its own three descriptors reaches a script.
    assert cgi.get("/cgi-bin/fds.py")[::2] == (200, b"0 1 2\n")
    # A threaded child's scripts are forked by its helper, never by a worker thread.
    parent = cgi.get("/cgi-bin/parent.sh")[2].strip()
    assert (parent == b"modhttpd-cgi") == (cgi.mpm != "prefork"), parent
