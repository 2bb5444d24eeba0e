"""The load: wrk replaying the workload's request lines, and a holder of
idle keep-alive connections.

wrk (Debian's wrk 4.1) runs with a Lua script that reads the request lines
from a file, builds each request once, hands them out in turn (each wrk
thread starting at its own place in the list) and, when the run ends, prints
one JSON line with what the advisor keeps.
"""
import json
import os
import resource
import selectors
import signal
import socket
import subprocess
import time

LUA_SCRIPT = r"""-- modhttpd-advise: replays request lines ("METHOD /path", one a line)
local requests = {}
local at = 1

function setup(thread)
  setup_count = (setup_count or 0) + 1
  thread:set("thread_number", setup_count)
end

function init(args)
  for line in io.lines(args[1]) do
    local method, path = line:match("^(%S+) (%S+)$")
    if method then
      requests[#requests + 1] = wrk.format(method, path)
    end
  end
  local threads = tonumber(args[2]) or 1
  at = math.floor((thread_number - 1) * #requests / threads) % #requests + 1
end

function request()
  local r = requests[at]
  at = at % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'ADVISE-JSON {"requests":%d,"bytes":%d,"duration_us":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.bytes, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean))
end
"""

RUNNING = []  # wrk processes not yet reaped


class LoadError(Exception):
    pass


def raise_nofile():
    """The open files limit up to its hard limit, for this process and the
    servers and wrk it starts (1,000 connections need 1,000 descriptors on
    each side); and no core files from the children killed on purpose."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    _, core_hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (0, core_hard))
    return hard


def write_workload(directory, paths):
    """The Lua script and the request-line file wrk reads; returns their paths."""
    script = os.path.join(directory, "replay.lua")
    lines = os.path.join(directory, "requests.txt")
    with open(script, "w") as f:
        f.write(LUA_SCRIPT)
    with open(lines, "w") as f:
        f.write("".join("GET %s\n" % p for p in paths))
    return script, lines


class Wrk:
    """One wrk run in the background; result() waits for it and parses it."""

    def __init__(self, wrk, port, connections, duration, script, lines):
        threads = max(1, min(2, connections))
        self.command = [wrk, "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency",
                        "-s", script, "http://127.0.0.1:%d/" % port, "--", lines, str(threads)]
        self.duration = duration
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True)
        RUNNING.append(self.proc)

    def result(self):
        try:
            out, err = self.proc.communicate(timeout=self.duration + 60)
        except subprocess.TimeoutExpired:
            stop_all()
            raise LoadError("wrk did not finish: %s" % " ".join(self.command))
        RUNNING.remove(self.proc)  # only once it has ended: stop_all() kills what is still here
        for line in out.splitlines():
            if line.startswith("ADVISE-JSON "):
                data = json.loads(line[len("ADVISE-JSON "):])
                data["errors"]["total"] = sum(data["errors"].values())
                return data
        raise LoadError("wrk failed (%s): %s" % (self.proc.returncode, (err or out).strip()[-500:]))


def stop_all():
    for proc in list(RUNNING):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
        proc.wait()
        RUNNING.remove(proc)


# ---- idle keep-alive connections ------------------------------------------------------

def hold_idle(port, path, count, hold, sample, answer_timeout=3.0):
    """Opens `count` connections, sends one HEAD request on each and reads
    its answer, then leaves them idle for `hold` seconds. Returns {"opened",
    "answered", "held"} (held: answered and still open at the end) and
    whatever sample() returned at the end, while they are still open."""
    sel = selectors.DefaultSelector()
    request = ("HEAD %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % (path, port)).encode()
    conns = {}
    opened = 0
    try:
        for _ in range(count):
            try:
                s = socket.socket()
            except OSError:
                break  # out of descriptors: the connections opened so far are the test
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            conns[s] = b""
            sel.register(s, selectors.EVENT_WRITE)
            opened += 1
        answered = set()
        failed = 0
        deadline = time.monotonic() + answer_timeout
        while len(answered) + failed < opened and time.monotonic() < deadline:
            for key, events in sel.select(timeout=0.1):
                s = key.fileobj
                if events & selectors.EVENT_WRITE:
                    try:
                        s.send(request)
                        sel.modify(s, selectors.EVENT_READ)
                    except OSError:
                        sel.unregister(s)
                        s.close()
                        failed += 1
                    continue
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(s)
                    s.close()
                    failed += 1
                    continue
                conns[s] += data
                if b"\r\n\r\n" in conns[s]:
                    answered.add(s)
                    sel.unregister(s)
        time.sleep(hold)
        held = sum(1 for s in answered if _still_open(s))
        measured = sample()
        return {"opened": opened, "answered": len(answered), "held": held}, measured
    finally:
        sel.close()
        for s in conns:
            s.close()


def _still_open(s):
    """True when the server has neither closed nor reset the connection."""
    if s.fileno() < 0:
        return False
    try:
        return s.recv(1, socket.MSG_PEEK) != b""  # data would be a surprise, but open
    except BlockingIOError:
        return True
    except OSError:
        return False
