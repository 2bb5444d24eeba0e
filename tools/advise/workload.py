"""The requests to replay: from the user's access log, from a list of URLs,
or from the files under the site's DocumentRoot.

Only GET and HEAD are replayed; other methods are counted and left out.
Debian's wrk cannot time a HEAD (it waits for the body the response
announces), so HEAD lines are replayed as GET of the same path. Before the
load, each distinct path is requested once: those that do not answer 2xx or
3xx are left out (and listed), so that an error under load means a request
the server failed.
"""
import http.client
import os
import re
import urllib.parse

MAX_LINES = 100000    # request lines kept from a log or a list
MAX_PROBED = 2000     # distinct paths checked before the load
MAX_CRAWLED = 500     # files taken from the DocumentRoot

# %h %l %u %t "%r" ... (common and combined start alike)
LOG_LINE = re.compile(r'^\S+ \S+ .*?\[[^\]]*\] "((?:[^"\\]|\\.)*)"')


class WorkloadError(Exception):
    pass


def _target_path(target):
    """The origin-form path of a request target, or None."""
    if target.startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(target)
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    if not target.startswith("/") or any(ord(c) <= 32 or ord(c) == 127 for c in target):
        return None
    return target


def _new(source):
    return {"source": source, "lines": 0, "get": 0, "head": 0, "ignored_methods": {}, "unparsed": 0,
            "paths": []}


def _add(w, method, target):
    path = _target_path(target)
    if path is None:
        w["unparsed"] += 1
    elif method in ("GET", "HEAD"):
        w[method.lower()] += 1
        if len(w["paths"]) < MAX_LINES:
            w["paths"].append(path)
    else:
        w["ignored_methods"][method] = w["ignored_methods"].get(method, 0) + 1


def from_access_log(path):
    """GET and HEAD request lines of a common or combined log."""
    w = _new("access log " + path)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            w["lines"] += 1
            m = LOG_LINE.match(line)
            words = m.group(1).split() if m else []
            if len(words) in (2, 3):
                _add(w, words[0], words[1])
            else:
                w["unparsed"] += 1
    return w


def from_url_list(path):
    """One URL or path a line, optionally after its method (GET, HEAD);
    '#' starts a comment."""
    w = _new("URL list " + path)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split("#", 1)[0].split() if not line.lstrip().startswith("#") else []
            if not words:
                continue
            w["lines"] += 1
            if len(words) == 1:
                _add(w, "GET", words[0])
            elif len(words) == 2:
                _add(w, words[0].upper(), words[1])
            else:
                w["unparsed"] += 1
    return w


def from_document_root(docroot):
    """"/" and every file and directory under the DocumentRoot (hidden ones
    excepted), at most MAX_CRAWLED, in name order."""
    w = _new("files under DocumentRoot " + docroot)
    _add(w, "GET", "/")
    for top, dirs, files in os.walk(docroot):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(top, docroot)
        base = "/" if rel == "." else "/" + rel + "/"
        if base != "/":
            _add(w, "GET", urllib.parse.quote(base))
        for name in sorted(files):
            if not name.startswith(".") and len(w["paths"]) < MAX_CRAWLED:
                _add(w, "GET", urllib.parse.quote(base + name))
    w["lines"] = len(w["paths"])
    return w


def probe(w, port):
    """Requests each distinct path once on 127.0.0.1:port; keeps those
    answering below 400, records the others in w["left_out"]."""
    status = {}
    for path in w["paths"]:
        if path in status:
            continue
        if len(status) >= MAX_PROBED:
            break
        status[path] = _status_of(port, path)
    ok = {p for p, s in status.items() if isinstance(s, int) and s < 400}
    w["left_out"] = sorted(("%s %s" % (p, s) for p, s in status.items() if p not in ok))
    w["paths"] = [p for p in w["paths"] if p in ok]
    w["distinct"] = len(ok)
    if not w["paths"]:
        raise WorkloadError("no request of the workload (%s) answered 2xx or 3xx: %s"
                            % (w["source"], ", ".join(w["left_out"][:5])))
    return w


def _status_of(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        return r.status
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__
    finally:
        c.close()


def summary(w):
    """The workload for the JSON report (without the long path list)."""
    out = {k: v for k, v in w.items() if k != "paths"}
    out["replayed"] = len(w["paths"])
    out["left_out"] = w.get("left_out", [])[:50]
    return out
