"""What a server costs, read from /proc: its process tree (the master and
every descendant), their memory and CPU time, and which process holds which
client connections.

Memory is the sum over the tree of each process's Rss and Pss lines in
/proc/<pid>/smaps_rollup: RSS counts a page shared by N processes N times,
PSS counts 1/N of it in each, so the PSS sum is what the server really
takes from the machine. CPU is user + system time, every thread of the live
processes (the scheduler's count), plus the master's cutime + cstime: the
children that exited and were reaped (see cpu_seconds).
"""
import os
import socket
import struct
import threading
import time

CLOCK_TICK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid):
    """/proc/<pid>/stat after the command name (which may hold blanks and
    parentheses): [state, ppid, ...], so field n of proc(5) is [n - 3]."""
    with open("/proc/%d/stat" % pid) as f:
        text = f.read()
    return text[text.rindex(")") + 2:].split()


def tree(root):
    """The root's pid and those of all its live descendants, root first."""
    children = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = stat_fields(int(name))
        except (OSError, ValueError):
            continue
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(name))
    if not os.path.exists("/proc/%d" % root):
        return []
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def comm(pid):
    """The process's name (/proc/<pid>/comm), or "" once it is gone."""
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return ""


def memory_kib(pids):
    """(RSS, PSS) in KiB, summed over the processes (those gone count 0)."""
    rss = pss = 0
    for pid in pids:
        try:
            with open("/proc/%d/smaps_rollup" % pid) as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError):
            pass
    return rss, pss


def _thread_cpu_ns(pid):
    """CPU time of every live thread of a process, in nanoseconds: the
    scheduler's own count (/proc/<pid>/task/<tid>/schedstat), or None where
    the kernel does not keep it."""
    total = 0
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return 0
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:
            if not os.path.exists("/proc/%d/task/%s" % (pid, tid)):
                continue  # the thread has just ended
            return None
        except (OSError, ValueError, IndexError):
            pass
    return total


def cpu_seconds(root):
    """CPU time (user + system) used so far by the tree: that of the live
    processes, and, through the master's cutime + cstime, that of the
    children it has reaped. A live process's time is read from the
    scheduler's per-thread nanoseconds where the kernel has them: its
    utime + stime in /proc/<pid>/stat are whole clock ticks, and dropping
    the fraction of a tick in each of hundreds of short-lived prefork
    children loses a fifth of the total."""
    seconds = 0.0
    for pid in tree(root):
        try:
            fields = stat_fields(pid)
        except (OSError, ValueError):
            continue
        ns = _thread_cpu_ns(pid)
        seconds += ns / 1e9 if ns is not None else (int(fields[11]) + int(fields[12])) / CLOCK_TICK
        if pid == root:
            seconds += (int(fields[13]) + int(fields[14])) / CLOCK_TICK
    return seconds


class MemorySampler:
    """Samples the tree's memory in a thread while a load runs; peak() is the
    highest RSS and the highest PSS seen. The interval stretches when a
    sample is slow (a thousand prefork children), so that sampling takes at
    most about a tenth of one CPU."""

    def __init__(self, root, interval=0.25):
        self.root = root
        self.interval = interval
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while not self._stop.is_set():
            began = time.monotonic()
            pids = tree(self.root)
            if not pids:
                return
            rss, pss = memory_kib(pids)
            self.samples.append((time.monotonic(), rss, pss, len(pids)))
            cost = time.monotonic() - began
            self._stop.wait(max(self.interval, 10 * cost))

    def peak(self):
        """{"rss_kib", "pss_kib", "processes"}: the highest of each seen."""
        if not self.samples:
            return {"rss_kib": 0, "pss_kib": 0, "processes": 0}
        return {"rss_kib": max(s[1] for s in self.samples), "pss_kib": max(s[2] for s in self.samples),
                "processes": max(s[3] for s in self.samples)}


# ---- connections -------------------------------------------------------------------

TCP_ESTABLISHED = 1
NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
INET_DIAG_MSG = struct.Struct("=BBBB2s2s16s16sI8sIIIII")  # struct inet_diag_msg


def _established_inodes_diag(port):
    """Inodes of the established IPv4 TCP sockets whose local port is
    `port`, from the kernel's sock_diag netlink interface: a dump of the
    established sockets only, taken in a moment (reading /proc/net/tcp,
    thousands of TIME_WAIT lines under load, takes long enough for
    connections of a few milliseconds to come and go unseen)."""
    sockid = struct.pack("!HH16s16s", port, 0, bytes(16), bytes(16)) + struct.pack("=III", 0, 0xFFFFFFFF, 0xFFFFFFFF)
    request = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 1 << TCP_ESTABLISHED) + sockid
    header = struct.pack("=IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    out = set()
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as nl:
        nl.settimeout(5)
        nl.send(header + request)
        while True:
            data = nl.recv(65536)
            at = 0
            while at + 16 <= len(data):
                length, kind = struct.unpack_from("=IH", data, at)
                if kind == NLMSG_DONE:
                    return out
                if kind == NLMSG_ERROR or length < 16:
                    raise OSError("sock_diag refused the request")
                msg = INET_DIAG_MSG.unpack_from(data, at + 16)
                if int.from_bytes(msg[4], "big") == port:
                    out.add(str(msg[-1]))
                at += (length + 3) & ~3


def _established_inodes_proc(port):
    """The same from /proc/net/tcp, where sock_diag is not available."""
    out = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if int(fields[1].split(":")[1], 16) == port and int(fields[3], 16) == TCP_ESTABLISHED:
                out.add(fields[9])
    return out


def _established_inodes(port):
    try:
        return _established_inodes_diag(port)
    except OSError:
        return _established_inodes_proc(port)


def _socket_inodes(pid):
    out = set()
    try:
        names = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return out
    for name in names:
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, name))
        except OSError:
            continue
        if target.startswith("socket:["):
            out.add(target[8:-1])
    return out


def connections_by_process(pids, port):
    """{pid: number of established client connections on `port` it holds}."""
    established = _established_inodes(port)
    return {pid: len(_socket_inodes(pid) & established) for pid in pids}


def free_port():
    """A port of 127.0.0.1 nobody holds right now (the kernel's choice)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
