"""The private copy of the user's configuration that each measured server
runs with.

The user's file is only read. Its Include and IncludeOptional lines are
replaced by the files they name (globs and directories expanded as the
server does, relative to the ServerRoot in force at that line), so that one
file holds everything; then only these lines change:

  LoadModule mpm_*_module ...   the MPM being measured
  Listen                        commented out; one Listen on a private
                                127.0.0.1 port is added
  PidFile, ErrorLog             commented out; ours, in the run's directory,
                                are added at the end
  CustomLog, TransferLog        the file becomes one in the run's directory

Everything else (modules, sections, <IfModule mpm_*> blocks, relative paths)
stays as the user wrote it; a ServerRoot line at the top keeps relative
paths resolving where the user's server resolves them.
"""
import fnmatch
import os
import re

MAX_INCLUDE_DEPTH = 128  # as the server's reader
MARK = "# modhttpd-advise:"


class ConfigError(Exception):
    pass


# ---- reading, as the server's lexer -------------------------------------------------

def logical_lines(text):
    """The file's lines with backslash-newline continuations joined (the
    server joins them with nothing in between, before looking for '#')."""
    out, joined = [], ""
    for physical in text.split("\n"):
        if physical.endswith("\r"):
            physical = physical[:-1]
        if physical.endswith("\\"):
            joined += physical[:-1]
            continue
        out.append(joined + physical)
        joined = ""
    if joined:
        out.append(joined)
    if out and out[-1] == "":
        out.pop()
    return out


def _word_end(text, i):
    """Index just past the word that starts at text[i], and the word."""
    n = len(text)
    word = []
    quote = text[i]
    if quote in "\"'":
        i += 1
        while i < n and text[i] != quote:
            if text[i] == "\\" and i + 1 < n and text[i + 1] in (quote, "\\"):
                i += 1
            word.append(text[i])
            i += 1
        if i == n:
            raise ConfigError("Unmatched quote in: " + text[:80])
        return i + 1, "".join(word)
    while i < n and not text[i].isspace():
        if text[i] == "\\" and i + 1 < n and text[i + 1] == "\\":
            i += 1
        word.append(text[i])
        i += 1
    return i, "".join(word)


def split_words(text):
    """The arguments of a directive, as the server splits them: a quote
    groups only at the start of a word."""
    words, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i == len(text):
            return words
        i, word = _word_end(text, i)
        words.append(word)


def split_directive(line):
    """(name, raw arguments) of a logical line; name is "" for a blank line,
    a comment or a section tag."""
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or stripped.startswith("<"):
        return "", ""
    m = re.match(r"(\S+)\s*(.*)$", stripped)
    return m.group(1), m.group(2).strip()


def quote(word):
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- Include -------------------------------------------------------------------

def _has_wildcard(s):
    nesting, i = 0, 0
    while i < len(s):
        c = s[i]
        if c in "*?":
            return True
        if c == "\\":
            i += 1
        elif c == "[":
            nesting += 1
        elif c == "]" and nesting:
            return True
        i += 1
    return False


def _files_under(path, optional, depth=0):
    """A path without wildcards: the file, or every file below a directory
    (sorted by name, as the server reads them)."""
    if not os.path.exists(path):
        if optional:
            return []
        raise ConfigError("Could not open configuration file %s" % path)
    if not os.path.isdir(path):
        return [path]
    if depth >= MAX_INCLUDE_DEPTH:
        raise ConfigError("Directory %s exceeds the include nesting level" % path)
    out = []
    for name in sorted(os.listdir(path)):
        out += _files_under(os.path.join(path, name), optional, depth + 1)
    return out


def _matches(directory, parts, optional):
    i = 0
    while not _has_wildcard(parts[i]):
        directory = os.path.join(directory, parts[i])
        if i + 1 == len(parts):
            return _files_under(directory, optional)
        i += 1
    pattern, last = parts[i], i + 1 == len(parts)
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        if optional:
            return []
        raise ConfigError("Could not open config directory %s" % directory)
    matches = [os.path.join(directory, n) for n in names
               if fnmatch.fnmatchcase(n, pattern) and (pattern.startswith(".") or not n.startswith("."))]
    if not last:
        matches = [m for m in matches if os.path.isdir(m)]  # inner components match directories
    if not matches and not optional:
        raise ConfigError("Include: No matches for the wildcard '%s' in '%s'" % (pattern, directory))
    found = []
    for m in matches:
        found += _files_under(m, optional) if last else _matches(m, parts[i + 1:], optional)
    return found


def expand_include(path, optional):
    """The files an Include (or IncludeOptional) of an absolute `path` reads."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return _files_under("/", optional)
    return _matches("/", parts, optional)


class Flattener:
    """Reads the configuration file and everything it includes into one list
    of lines, tracking ServerRoot and Define as the server does."""

    def __init__(self, server_root):
        self.server_root = server_root
        self.variables = {}
        self.reading = []

    def root_relative(self, path):
        return os.path.normpath(path if path.startswith("/") else os.path.join(self.server_root, path))

    def expand_vars(self, text):
        def value(m):
            name = m.group(1)
            if name in self.variables:
                return self.variables[name]
            return os.environ.get(name, m.group(0))
        return re.sub(r"\$\{([^}]*)\}", value, text)

    def read(self, path):
        try:
            st = os.stat(path)
            with open(path, encoding="utf-8", errors="surrogateescape") as f:
                text = f.read()
        except OSError as e:
            raise ConfigError("Could not open configuration file %s: %s" % (path, e.strerror))
        key = (st.st_dev, st.st_ino)
        if key in self.reading:
            raise ConfigError("Recursive Include of %s" % path)
        if len(self.reading) >= MAX_INCLUDE_DEPTH:
            raise ConfigError("Includes nested deeper than %d levels" % MAX_INCLUDE_DEPTH)
        self.reading.append(key)
        out = []
        for line in logical_lines(text):
            out += self.line(line, path)
        self.reading.pop()
        return out

    def line(self, line, path):
        name, raw = split_directive(line)
        lname = name.lower()
        if lname in ("include", "includeoptional"):
            args = split_words(self.expand_vars(raw))
            if len(args) != 1:
                return [line]
            target = self.root_relative(args[0])
            try:
                files = expand_include(target, lname == "includeoptional")
            except ConfigError:
                # As written (made absolute): the server says why, if it
                # reads this line at all (it may sit in a false <IfDefine>).
                return ["%s %s" % (name, quote(target))]
            out = ["%s %s (from %s)" % (MARK, line.strip(), path)]
            for f in files:
                out += ["%s begin %s" % (MARK, f)] + self.read(f) + ["%s end %s" % (MARK, f)]
            return out
        if lname == "serverroot":
            args = split_words(self.expand_vars(raw))
            if len(args) == 1:
                self.server_root = os.path.abspath(args[0])
        elif lname == "define":
            args = split_words(self.expand_vars(raw))
            if len(args) == 2:
                self.variables[args[0]] = args[1]
        return [line]


def flatten(config_file, server_root):
    """(lines of the configuration with every Include inlined, the ServerRoot
    in force at its end)."""
    f = Flattener(server_root)
    lines = f.read(config_file)
    return lines, f.server_root


# ---- the copy ----------------------------------------------------------------------

MPM_MODULE = re.compile(r"^mpm_(\w+)_module$")


def mpm_lines(lines):
    """[(index, mpm name, shared object as written)] of the MPM LoadModule lines."""
    out = []
    for i, line in enumerate(lines):
        name, raw = split_directive(line)
        if name.lower() != "loadmodule":
            continue
        args = split_words(raw)
        if len(args) == 2 and MPM_MODULE.match(args[0]):
            out.append((i, MPM_MODULE.match(args[0]).group(1), args[1]))
    return out


def rewrite(lines, server_root, mpm, mpm_so, port, log_dir):
    """The copy's text: the flattened lines with the MPM, Listen, PidFile and
    log lines changed as the module docstring says."""
    out = ["%s a private copy, made to measure mpm_%s on 127.0.0.1:%d" % (MARK, mpm, port),
           "ServerRoot %s" % quote(server_root)]
    logs = 0
    for line in lines:
        name, raw = split_directive(line)
        lname = name.lower()
        if lname == "loadmodule":
            args = split_words(raw)
            if len(args) == 2 and MPM_MODULE.match(args[0]):
                out += ["%s was: %s" % (MARK, line.strip()),
                        "LoadModule mpm_%s_module %s" % (mpm, quote(mpm_so))]
                continue
        if lname in ("listen", "pidfile", "errorlog"):
            out.append("%s was: %s" % (MARK, line.strip()))
            continue
        if lname in ("customlog", "transferlog"):
            end, _ = _word_end(raw, 0)
            logs += 1
            target = os.path.join(log_dir, "access_log" if logs == 1 else "access_log.%d" % logs)
            out += ["%s was: %s" % (MARK, line.strip()),
                    "%s %s%s" % (name, quote(target), raw[end:])]
            continue
        out.append(line)
    out += ["%s the run's own address, pid file and error log" % MARK,
            "Listen 127.0.0.1:%d" % port,
            "PidFile %s" % quote(os.path.join(log_dir, "modhttpd.pid")),
            "ErrorLog %s" % quote(os.path.join(log_dir, "error_log"))]
    return "\n".join(out) + "\n"


def listens(text):
    """The arguments of every Listen directive of a configuration text."""
    out = []
    for line in logical_lines(text):
        name, raw = split_directive(line)
        if name.lower() == "listen":
            out.append(" ".join(split_words(raw)))
    return out


def check_copy(text, port):
    """Raises unless the copy's one Listen is the private port."""
    found = listens(text)
    if found != ["127.0.0.1:%d" % port]:
        raise ConfigError("the rewritten configuration would listen on %s; only 127.0.0.1:%d is allowed"
                          % (", ".join(found) or "nothing", port))
