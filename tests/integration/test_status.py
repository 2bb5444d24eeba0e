"""mod_status against the real server under both MPMs: ?auto byte-compatible
with Apache 2.4.71 (keys, order, conditions, number formats) and read by
Debian's prometheus-apache-exporter; ?json against the schema in
docs/status.md; the HTML page rendered by headless Chromium; counters that
add up and survive (or not) restarts and child recycling as Apache's do."""
import http.client
import json
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from harness import SOURCE, Server, chromium_dom, free_port, wait_until

MODULES = ("static_module", "status_module", "sleep_module")
LOCATIONS = """<Location /server-status>
SetHandler server-status
</Location>
<Location /sleep>
SetHandler sleep
</Location>
"""
# Scoreboard slots with Apache's defaults: prefork 256 x 1, worker 16 x 25;
# event 16 x (25 workers + the event loop's row).
DEFAULT_SLOTS = {"prefork": 256, "worker": 400, "event": 416}

# Apache 2.4.71 ?auto, non-async MPM: (key, shown when, value format).
ALWAYS, EXTENDED, CPU_USED, UPTIME, ACCESSES, ASYNC = "always", "ext", "cpu", "uptime", "acc", "async"
DAY = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MON = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
TIME = DAY + r", \d\d-" + MON + r"-\d{4} \d\d:\d\d:\d\d \S+"
INT = r"\d+"
LOAD = r"-?\d+\.\d\d"
# APR's %g: no leading zero, no trailing zeros, unpadded exponent.
APR_G = r"(0|[1-9]\d*(\.\d*[1-9])?|\.\d*[1-9]|\d\.(\d*[1-9])?e[+-][1-9]\d*|inf)"
AUTO_KEYS = [
    ("ServerVersion", ALWAYS, r"modhttpd/\S+"),
    ("ServerMPM", ALWAYS, r"prefork|worker|event"),
    ("Server Built", ALWAYS, r".+"),
    ("CurrentTime", ALWAYS, TIME),
    ("RestartTime", ALWAYS, TIME),
    ("ParentServerConfigGeneration", ALWAYS, INT),
    ("ParentServerMPMGeneration", ALWAYS, INT),
    ("ServerUptimeSeconds", ALWAYS, INT),
    ("ServerUptime", ALWAYS, r"(\d+ (day|hour|minute|second)s?( \d+ (day|hour|minute|second)s?)*)?"),
    ("Load1", ALWAYS, LOAD),
    ("Load5", ALWAYS, LOAD),
    ("Load15", ALWAYS, LOAD),
    ("Total Accesses", EXTENDED, INT),
    ("Total kBytes", EXTENDED, INT),
    ("Total Duration", EXTENDED, INT),
    ("CPUUser", EXTENDED, APR_G),
    ("CPUSystem", EXTENDED, APR_G),
    ("CPUChildrenUser", EXTENDED, APR_G),
    ("CPUChildrenSystem", EXTENDED, APR_G),
    ("CPULoad", CPU_USED, APR_G),
    ("Uptime", EXTENDED, INT),
    ("ReqPerSec", UPTIME, APR_G),
    ("BytesPerSec", UPTIME, APR_G),
    ("BytesPerReq", ACCESSES, APR_G),
    ("DurationPerReq", ACCESSES, APR_G),
    ("BusyWorkers", ALWAYS, INT),
    ("GracefulWorkers", ALWAYS, INT),
    ("IdleWorkers", ALWAYS, INT),
    # An async MPM's (event), as Apache 2.4.71's.
    ("Processes", ASYNC, INT),
    ("Stopping", ASYNC, INT),
    ("ConnsTotal", ASYNC, INT),
    ("ConnsAsyncWaitIO", ASYNC, INT),
    ("ConnsAsyncWriting", ASYNC, INT),
    ("ConnsAsyncKeepAlive", ASYNC, INT),
    ("ConnsAsyncClosing", ASYNC, INT),
    ("Scoreboard", ALWAYS, r"[_SRWKDCLGI.]+"),
]


# ---- helpers -------------------------------------------------------------------

def start(make_server, mpm, config="", **kw):
    return make_server(mpm=mpm, modules=MODULES, config=LOCATIONS + config, **kw)


def get_status(s, query):
    st, headers, body = s.get("/server-status" + ("?" + query if query else ""))
    assert st == 200, body
    return headers, body


def parse_auto(text):
    """(bare first line, [(key, value)...]) of an ?auto page."""
    assert text.endswith("\n")
    lines = text[:-1].split("\n")
    pairs = []
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        assert sep, "line without a colon: %r" % line
        assert value == "" or value.startswith(" "), line
        pairs.append((key, value[1:]))
    return lines[0], pairs


def check_auto(text, mpm, extended=True):
    """Checks an ?auto page key by key against Apache's list, order, conditions
    and formats; returns {key: value}."""
    name, pairs = parse_auto(text)
    assert name == "127.0.0.1"
    got = dict(pairs)
    assert len(got) == len(pairs), "a key appears twice"
    cpu = sum(float(got[k]) for k in ("CPUUser", "CPUSystem", "CPUChildrenUser", "CPUChildrenSystem")
              if k in got)
    shown = {
        ALWAYS: True,
        EXTENDED: extended,
        CPU_USED: extended and cpu > 0,
        UPTIME: extended and int(got["ServerUptimeSeconds"]) > 0,
        ACCESSES: extended and int(got.get("Total Accesses", "0")) > 0,
        ASYNC: mpm == "event",
    }
    expected = [k for k, when, _ in AUTO_KEYS if shown[when]]
    assert [k for k, _ in pairs] == expected
    formats = {k: f for k, _, f in AUTO_KEYS}
    for key, value in pairs:
        assert re.fullmatch(formats[key], value), "%s: %r" % (key, value)

    assert got["ServerMPM"] == mpm
    up = int(got["ServerUptimeSeconds"])
    parts = dict((unit, int(n)) for n, unit in re.findall(r"(\d+) (day|hour|minute|second)s?", got["ServerUptime"]))
    assert parts.get("day", 0) * 86400 + parts.get("hour", 0) * 3600 + parts.get("minute", 0) * 60 + \
        parts.get("second", 0) == up
    sb = got["Scoreboard"]
    assert len(sb) >= DEFAULT_SLOTS[mpm]
    busy, idle, graceful = int(got["BusyWorkers"]), int(got["IdleWorkers"]), int(got["GracefulWorkers"])
    assert "W" in sb  # this request
    assert sb.count("_") >= idle and sb.count("G") >= graceful
    assert busy <= sum(sb.count(c) for c in "RWKLDC")
    if extended:
        assert got["Uptime"] == got["ServerUptimeSeconds"]
        acc, kb, dur = int(got["Total Accesses"]), int(got["Total kBytes"]), int(got["Total Duration"])
        if up > 0:
            assert float(got["ReqPerSec"]) == pytest.approx(acc / up, rel=1e-5)
            assert float(got["BytesPerSec"]) == pytest.approx(kb * 1024 / up, rel=1e-5)
        if acc > 0:
            assert float(got["BytesPerReq"]) == pytest.approx(kb * 1024 / acc, rel=1e-5)
            assert float(got["DurationPerReq"]) == pytest.approx(dur / acc, rel=1e-5, abs=1e-9)
        if "CPULoad" in got and up > 0:
            assert float(got["CPULoad"]) == pytest.approx(cpu / up * 100, rel=0.05, abs=0.01)
    return got


def auto(s, mpm, extended=True):
    headers, body = get_status(s, "auto")
    assert headers["content-type"] == "text/plain; charset=ISO-8859-1"
    return check_auto(body.decode("latin-1"), mpm, extended)


def status_json(s):
    headers, body = get_status(s, "json")
    assert headers["content-type"] == "application/json"
    return json.loads(body), len(body)


def log_lines(s):
    return len(s.access_log().splitlines())


def wait_for(predicate, timeout=15, step=0.1):
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("condition not met within %ss" % timeout)
        time.sleep(step)


def documented_schema():
    text = (SOURCE / "docs" / "status.md").read_text()
    block = re.search(r"```json schema\n(.*?)\n```", text, re.S)
    assert block, "docs/status.md has no ```json schema block"
    return json.loads(block.group(1)), text


def schema_errors(value, schema, path="$"):
    """The subset of JSON Schema that docs/status.md uses: type, const, enum,
    pattern, minimum, required, properties, additionalProperties, items."""
    errors = []
    types = schema.get("type")
    if types is not None:
        types = [types] if isinstance(types, str) else types
        kinds = {
            "object": isinstance(value, dict), "array": isinstance(value, list),
            "string": isinstance(value, str), "boolean": isinstance(value, bool), "null": value is None,
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        }
        if not any(kinds[t] for t in types):
            return ["%s: %r is not %s" % (path, value, types)]
    if "const" in schema and value != schema["const"]:
        errors.append("%s: %r != %r" % (path, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in %r" % (path, value, schema["enum"]))
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "minimum" in schema:
        if value < schema["minimum"]:
            errors.append("%s: %r < %r" % (path, value, schema["minimum"]))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append("%s: missing %s" % (path, key))
        props = schema.get("properties", {})
        for key, v in value.items():
            if key in props:
                errors += schema_errors(v, props[key], path + "." + key)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: unexpected %s" % (path, key))
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            errors += schema_errors(v, schema["items"], "%s[%d]" % (path, i))
    return errors


def schema_paths(schema, prefix=""):
    out = []
    for key, sub in schema.get("properties", {}).items():
        path = prefix + key
        out.append(path)
        out += schema_paths(sub, path + ".")
        if "items" in sub:
            out += schema_paths(sub["items"], path + "[].")
    return out


def slot_with_request(doc, request_line):
    for slot in doc["slots"]:
        if slot["request"] == request_line:
            return slot
    return None


def auto_keys(s):
    return dict(parse_auto(get_status(s, "auto")[1].decode("latin-1"))[1])


class HeldRequest:
    """Sends one request on a kept-alive connection and keeps the connection
    open, so that its worker stays in 'K' with that request line in its slot
    (no other request can take the slot over meanwhile)."""

    held = 0  # open at once: the event MPM counts them, with our own probes

    def __init__(self, s, raw):
        self.sock = s.connect()
        self.sock.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            data += self.sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
        while len(body) < length:
            body += self.sock.recv(65536)
        assert b"Connection: close" not in head, head
        # The worker logs ('L') and flushes before it waits ('K'): let it get there.
        line = raw.split(b"\r\n")[0].decode("latin-1").replace("\\", "\\\\").replace('"', '\\"')
        try:
            if s.mpm == "event":  # it waits on the event loop, in no worker's slot
                # A count taken before would include a status probe whose
                # close the loop has not seen yet: count what we hold.
                wait_for(lambda: int(auto_keys(s)["ConnsAsyncKeepAlive"]) >= HeldRequest.held + 1, timeout=5,
                         step=0.05)
            else:
                wait_for(lambda: any(sl["state"] == "K" and sl["request"] == line
                                     for sl in status_json(s)[0]["slots"]), timeout=5, step=0.05)
        except BaseException:
            self.sock.close()
            raise
        HeldRequest.held += 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sock.close()
        HeldRequest.held -= 1


def background_get(s, path):
    t = threading.Thread(target=lambda: s.request("GET", path, timeout=30), daemon=True)
    t.start()
    return t


# ---- ?auto -----------------------------------------------------------------------

def test_auto_is_apaches_text_key_by_key(make_server, mpm):
    s = start(make_server, mpm)
    s.write("index.html", "hello\n")
    first = auto(s, mpm)  # right after start: ReqPerSec etc. only if uptime > 0
    assert first["ParentServerConfigGeneration"] == "1"
    assert first["ParentServerMPMGeneration"] == "0"
    for _ in range(3):
        assert s.get("/index.html")[0] == 200
    wait_for(lambda: int(auto(s, mpm)["ServerUptimeSeconds"]) >= 1, timeout=5, step=0.3)
    got = auto(s, mpm)
    assert "ReqPerSec" in got and "BytesPerReq" in got  # uptime > 0, accesses > 0
    assert len(got["Scoreboard"]) == DEFAULT_SLOTS[mpm]
    assert got["ServerVersion"] == "modhttpd/0.1.0"
    assert int(got["Total Accesses"]) >= 5


def test_single_process_mode_names_its_mpm_and_writes_its_pid_file(make_server, mpm):
    # -X serves from the master alone; mod_status still names the MPM of the
    # configuration, and the PidFile says which process to signal.
    s = start(make_server, mpm, start=False)
    s.start("-X")
    pid_file = s.root / "logs" / "modhttpd.pid"
    assert int(pid_file.read_text()) == s.pid
    headers, body = get_status(s, "auto")
    got = dict(parse_auto(body.decode("latin-1"))[1])
    assert got["ServerMPM"] == mpm
    assert got["BusyWorkers"] == "1" and got["Scoreboard"][0] == "W"
    assert status_json(s)[0]["server"]["mpm"] == mpm
    s.stop()
    assert not pid_file.exists()


def test_auto_without_extended_status(make_server, mpm):
    s = start(make_server, mpm, config="ExtendedStatus Off\n")
    s.write("index.html", "hello\n")
    s.get("/index.html")
    got = auto(s, mpm, extended=False)
    assert "Total Accesses" not in got and "CPULoad" not in got
    doc, _ = status_json(s)
    assert doc["extended_status"] is False and doc["totals"] is None and doc["slots"] is None
    assert schema_errors(doc, documented_schema()[0]) == []
    _, page = get_status(s, "")
    page = page.decode("latin-1")
    assert 'id="pid-key"' in page and 'id="workers"' not in page
    assert "in state: W" in page


def test_extended_status_directive(tmp_path):
    base = dict(modules=("status_module",), mpm="prefork")
    ok = Server(tmp_path / "a", config="ExtendedStatus Off", **base).run("-t")
    assert (ok.returncode, ok.stderr) == (0, "Syntax OK\n")
    bad = Server(tmp_path / "b", config="ExtendedStatus maybe", **base).run("-t")
    assert bad.returncode == 1 and "ExtendedStatus must be On or Off" in bad.stderr
    nested = Server(tmp_path / "c", config="<Location /x>\nExtendedStatus On\n</Location>", **base).run("-t")
    assert nested.returncode == 1 and "ExtendedStatus not allowed in <Location" in nested.stderr
    # Without mod_status the directive is unknown, as in Apache.
    unknown = Server(tmp_path / "d", config="ExtendedStatus On", modules=(), mpm="prefork").run("-t")
    assert unknown.returncode == 1 and "Invalid command 'ExtendedStatus'" in unknown.stderr


def test_busy_request_shows_as_W_while_it_runs(make_server, mpm):
    s = start(make_server, mpm)
    line = "GET /sleep?ms=2500 HTTP/1.1"
    t = background_get(s, "/sleep?ms=2500")

    def sleeping_slot():
        return slot_with_request(status_json(s)[0], line)

    slot = wait_for(lambda: (sleeping_slot() or {}).get("state") == "W" and sleeping_slot(), timeout=2)
    assert slot["state_name"] == "write" and slot["pid"]
    got = auto(s, mpm)
    assert int(got["BusyWorkers"]) >= 2  # the sleeper and this request
    assert got["Scoreboard"].count("W") >= 2
    t.join(10)
    assert not t.is_alive()
    got = wait_for(lambda: (lambda g: g if int(g["BusyWorkers"]) == 1 else None)(auto(s, mpm)), timeout=5)
    assert int(got["Total Duration"]) >= 2400  # the sleep, once it was logged


# ---- counters --------------------------------------------------------------------

def test_counters_add_up(make_server, mpm):
    s = start(make_server, mpm)
    body = b"x" * 3000
    s.write("file.bin", body)
    before, before_len = status_json(s)
    n_keepalive, n_separate = 10, 15
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    for _ in range(n_keepalive):
        c.request("GET", "/file.bin")
        r = c.getresponse()
        assert (r.status, r.read()) == (200, body)
    c.close()
    for _ in range(n_separate):
        assert s.get("/file.bin")[2] == body
    after, after_len = status_json(s)
    n = n_keepalive + n_separate
    a, b = before["totals"], after["totals"]
    # Every request counts once it is logged: the N files and the first status request.
    assert b["accesses"] - a["accesses"] == n + 1
    assert b["bytes"] - a["bytes"] == n * len(body) + before_len
    assert b["kbytes"] == b["bytes"] // 1024
    assert b["duration_ms"] >= a["duration_ms"]
    assert sum(sl["slot_accesses"] for sl in after["slots"]) == b["accesses"]
    # One access-log line per counted request, and one for the status
    # request that read them (logged just after its response went out).
    assert wait_until(lambda: log_lines(s) == b["accesses"] + 1, 5), (b["accesses"], log_lines(s))
    got = auto(s, mpm)
    assert int(got["Total Accesses"]) == b["accesses"] + 1
    assert int(got["Total kBytes"]) == (b["bytes"] + after_len) // 1024


def test_counters_survive_graceful_restart(make_server, mpm):
    s = start(make_server, mpm)
    s.write("index.html", "hello\n")
    for _ in range(10):
        s.get("/index.html")
    before = auto(s, mpm)
    s.signal(signal.SIGUSR1)

    def restarted():
        try:
            got = auto(s, mpm)
        except (OSError, http.client.HTTPException):
            return None
        return got if got["ParentServerMPMGeneration"] == "1" else None

    after = wait_for(restarted)
    assert after["ParentServerConfigGeneration"] == "2"
    assert after["RestartTime"] == before["RestartTime"]  # graceful: the uptime goes on
    assert int(after["ServerUptimeSeconds"]) >= int(before["ServerUptimeSeconds"])
    assert int(after["Total Accesses"]) > int(before["Total Accesses"]) >= 11
    doc, _ = status_json(s)
    # Nothing lost, nothing counted twice: the log has one line more, that of
    # the JSON request itself, once the server has written it (it may come
    # just after the response).
    assert wait_until(lambda: log_lines(s) == doc["totals"]["accesses"] + 1, 5), (doc["totals"], log_lines(s))
    assert doc["totals"]["kbytes"] >= int(before["Total kBytes"])
    wait_for(lambda: any(p["generation"] == 1 for p in status_json(s)[0]["processes"]))


def test_counters_survive_child_recycling(make_server, mpm):
    s = start(make_server, mpm, config="MaxConnectionsPerChild 3\n")
    pids = set()
    for _ in range(21):
        st, headers, _ = s.get("/sleep?ms=0")
        assert st == 200
        pids.add(headers["x-pid"])
    assert len(pids) >= 7  # at most 3 connections per child
    # A request is logged, then counted, after its response left: the last
    # one (and each status request) may still be on its way to both.
    asked = []

    def settled():
        doc, _ = status_json(s)
        asked.append(doc)
        wait_until(lambda: log_lines(s) >= 22 + len(asked), 5)  # the probe, 21 requests, our status requests
        return doc if doc["totals"]["accesses"] == log_lines(s) - 1 else None

    doc = wait_until(settled, 5)
    assert doc, [d["totals"]["accesses"] for d in asked]
    assert doc["totals"]["accesses"] >= 22
    # Slots outlive their processes: some slot has served more than its current child.
    assert any(sl["slot_accesses"] > sl["child_accesses"] for sl in doc["slots"])
    assert doc["server"]["mpm_generation"] == 0


def test_hard_restart_resets_counters(make_server, mpm):
    s = start(make_server, mpm)
    s.write("index.html", "hello\n")
    for _ in range(10):
        s.get("/index.html")
    before = auto(s, mpm)
    assert int(before["Total Accesses"]) >= 11
    lines_before = log_lines(s)
    time.sleep(1.1)  # so that a new RestartTime is a different second
    s.signal(signal.SIGHUP)

    def restarted():
        try:
            got = auto(s, mpm)
        except (OSError, http.client.HTTPException):
            return None
        return got if got["ParentServerMPMGeneration"] == "1" else None

    after = wait_for(restarted)
    # Apache: SIGHUP gives a fresh scoreboard, counters and restart time reset.
    assert after["ParentServerConfigGeneration"] == "2"
    assert after["RestartTime"] != before["RestartTime"]
    assert int(after["Total Accesses"]) <= log_lines(s) - lines_before - 1
    assert int(after["Total Accesses"]) < int(before["Total Accesses"])
    assert int(after["ServerUptimeSeconds"]) <= 2


# ---- ?json -----------------------------------------------------------------------

def test_json_matches_documented_schema(make_server, mpm):
    schema, doc_text = documented_schema()
    # Every field of the schema is described in the field table.
    for path in schema_paths(schema):
        parent, _, leaf = path.rpartition(".")
        assert "`%s`" % path in doc_text or ("`%s`" % parent in doc_text and "`%s`" % leaf in doc_text), \
            "%s is not documented" % path
    s = start(make_server, mpm)
    s.write("index.html", "hello\n")
    s.get("/index.html")
    # Client-supplied bytes come out escaped, ASCII only: a refused request
    # (its line may still be in a slot) and one held in its slot.
    s.raw(b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    with HeldRequest(s, b'GET /a\\"b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'):
        doc, _ = status_json(s)
    assert schema_errors(doc, schema) == []
    assert doc["server"]["mpm"] == mpm and doc["server"]["threaded"] == (mpm != "prefork")
    assert doc["server"]["async"] == (mpm == "event")
    for p in doc["processes"]:
        assert (p["connections"] is None) == (mpm != "event")
    assert doc["server"]["name"] == "127.0.0.1"
    assert len(doc["scoreboard"]["map"]) == DEFAULT_SLOTS[mpm]
    assert sum(doc["scoreboard"]["counts"].values()) == len(doc["scoreboard"]["map"])
    lim = doc["limits"]
    assert lim["max_processes"] * lim["threads_per_child"] == DEFAULT_SLOTS[mpm]
    assert doc["saturation"]["max_workers_episodes"] == 0
    held = [sl for sl in doc["slots"] if sl["request"] == r'GET /a\\\"b HTTP/1.1']
    # Under event the connection idles on the loop, whose row is ready again.
    assert held and held[0]["state"] == ("_" if mpm == "event" else "K"), [sl["request"] for sl in doc["slots"]]
    me = [sl for sl in doc["slots"] if sl["request"] == "GET /server-status?json HTTP/1.1"]
    assert [sl["state"] for sl in me].count("W") == 1  # this very request
    # The same figures as ?auto (one request later).
    got = auto(s, mpm)
    assert int(got["Total Accesses"]) == doc["totals"]["accesses"] + 1
    assert got["ParentServerMPMGeneration"] == str(doc["server"]["mpm_generation"])
    assert len(got["Scoreboard"]) == len(doc["scoreboard"]["map"])


# ---- the HTML page ---------------------------------------------------------------

def test_refresh_header_and_methods(make_server, mpm):
    s = start(make_server, mpm)
    for query, refresh in [("refresh=5", "5"), ("refresh", "10"), ("refresh=0", "10"),
                           ("refresh=99999", "3600"), ("auto&refresh=7", "7"), ("json&refresh=2", "2")]:
        headers, _ = get_status(s, query)
        assert headers.get("refresh") == refresh, query
    headers, _ = get_status(s, "")
    assert "refresh" not in headers
    assert headers["content-type"] == "text/html; charset=ISO-8859-1"
    st, headers, body = s.request("HEAD", "/server-status?auto")
    assert st == 200 and body == b"" and int(headers["content-length"]) > 0
    st, headers, _ = s.request("POST", "/server-status", body=b"x")
    assert st == 405 and headers.get("allow") == "GET, HEAD"


def test_notable_drops_the_table(make_server, mpm):
    s = start(make_server, mpm)
    _, page = get_status(s, "notable")
    page = page.decode("latin-1")
    assert 'id="workers"' not in page and 'id="workers-list"' in page
    assert "GET /server-status?notable HTTP/1.1" in page
    _, page = get_status(s, "")
    assert b'<table id="workers">' in page


def test_html_page_in_chromium(make_server, mpm):
    s = start(make_server, mpm, config="KeepAliveTimeout 90\n")
    s.write("index.html", "hello\n")
    # Request lines that would be markup if they were not escaped, held in
    # their slots while the browser looks.
    with HeldRequest(s, b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), \
            HeldRequest(s, b"GET /<script>alert(1)</script> HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"):
        dom = chromium_dom("http://127.0.0.1:%d/server-status" % s.port)
    assert "<title>modhttpd Status</title>" in dom
    assert "Server MPM: %s" % mpm in dom
    board = re.search(r'<pre id="scoreboard">(.*?)</pre>', dom, re.S)
    assert board, dom[:2000]
    letters = re.sub(r"<[^>]+>|\s", "", board.group(1))
    assert len(letters) == DEFAULT_SLOTS[mpm] and re.fullmatch(r"[_SRWKDCLGI.]+", letters)
    assert "W" in letters  # the browser's own request
    assert "Scoreboard Key" in dom and "Gracefully finishing" in dom
    table = re.search(r'<table id="workers">(.*?)</table>', dom, re.S)
    assert table, "no per-worker table"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    header = re.findall(r"<th>(.*?)</th>", rows[0])
    assert header == ["Srv", "PID", "Acc", "M", "SS", "Req", "Dur", "Conn", "Child", "Slot",
                      "Client", "Protocol", "VHost", "Request"]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows[1:]]
    if mpm == "event":
        # Idle connections hold no worker: the async table counts them.
        total = re.search(r'<table id="async".*?<tr><td>Sum</td>(.*?)</tr>', dom, re.S)
        assert total, dom[:3000]
        assert int(re.findall(r"<td>(.*?)</td>", total.group(1))[9]) >= 2  # keep-alive
    else:
        assert any(c[-1] == "GET /index.html HTTP/1.1" and "K" in c[3] for c in cells), cells
        assert any(c[-1] == "GET /&lt;script&gt;alert(1)&lt;/script&gt; HTTP/1.1" for c in cells), cells
    assert "<script" not in dom  # escaped: no element was made of it
    assert re.search(r"\d+ requests currently being processed, \d+ workers gracefully restarting, "
                     r"\d+ idle workers", dom)
    assert re.search(r'id="saturation">MaxRequestWorkers \d+', dom)


# ---- Debian's prometheus-apache-exporter -------------------------------------------

def scrape_exporter(status_port):
    exporter = shutil.which("prometheus-apache-exporter")
    if exporter is None:
        pytest.skip("prometheus-apache-exporter is not installed (apt-get install -y prometheus-apache-exporter)")
    port = free_port()
    p = subprocess.Popen([exporter, "--scrape_uri=http://127.0.0.1:%d/server-status?auto" % status_port,
                          "--telemetry.address=127.0.0.1:%d" % port],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def scrape():
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
                    return r.read().decode()
            except OSError:
                return None
        text = wait_for(scrape, timeout=15, step=0.2)
    finally:
        p.kill()
        p.wait(10)
    metrics = {}
    for line in text.splitlines():
        m = re.fullmatch(r"(apache_\w+(?:\{[^}]*\})?) (\S+)", line)
        if m:
            metrics[m.group(1)] = float(m.group(2))
    return metrics


def test_prometheus_apache_exporter_reads_auto(make_server, mpm):
    s = start(make_server, mpm)
    s.write("index.html", "x" * 5000)
    for _ in range(5):
        s.get("/index.html")
    before = auto(s, mpm)
    m = scrape_exporter(s.port)
    after = auto(s, mpm)
    assert m["apache_up"] == 1
    assert int(before["Total Accesses"]) <= m["apache_accesses_total"] < int(after["Total Accesses"])
    assert m["apache_sent_kilobytes_total"] >= int(before["Total kBytes"]) >= 24
    assert m["apache_uptime_seconds_total"] >= int(before["ServerUptimeSeconds"])
    assert m['apache_workers{state="busy"}'] >= 1  # the exporter's own request
    assert m['apache_workers{state="idle"}'] >= 1
    board = {k: v for k, v in m.items() if k.startswith("apache_scoreboard{")}
    assert sum(board.values()) == DEFAULT_SLOTS[mpm]
    assert board['apache_scoreboard{state="reply"}'] >= 1
    assert board['apache_scoreboard{state="open_slot"}'] >= DEFAULT_SLOTS[mpm] - len(s.children()) * (
        {"worker": 25, "event": 26}.get(mpm, 1))
    assert m['apache_info{mpm="%s",version="modhttpd/0.1.0"}' % mpm] == 1
    assert m['apache_generation{type="mpm"}'] == 0 and m['apache_generation{type="config"}'] == 1
    # CPU ticks are summed over the live processes: a child that left, or
    # 10 ms not yet spent, make the load 0 at the scrape's moment.
    if "CPULoad" in after:
        assert "apache_cpuload" in m and m["apache_cpuload"] >= 0
