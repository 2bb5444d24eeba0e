#!/usr/bin/env python3
"""The processes of one server: its master PID and all its descendants.

    proctree.py pids ROOT               the pids, one a line
    proctree.py cpu ROOT                CPU seconds used so far by the live
                                        processes of the tree (all threads)
    proctree.py sample ROOT OUT [S]     every S seconds (default 0.2) appends
                                        "<unix time> <sum of VmRSS, KiB>
                                        <processes> <master VmRSS, KiB>" to OUT,
                                        until ROOT is gone or SIGTERM

VmRSS is the kernel's resident set counter; it is read from
/proc/<pid>/statm (field 2, in pages), which is the same number as the VmRSS
line of /proc/<pid>/status and cheaper to read a thousand times a second. The
tree is re-read once a second (prefork children come and go), the sizes every
sample.
"""
import os
import signal
import sys
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    return s[s.rindex(")") + 2:].split()  # fields from 3 (state) on


def tree(root):
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            ppid = int(stat_fields(d)[1])
        except (OSError, ValueError, IndexError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0  # gone


def cpu_seconds(root):
    # sum_exec_runtime (ns) of every thread of every live process of the
    # tree, from /proc/<pid>/task/<tid>/schedstat: the scheduler's exact
    # count. (utime/stime in /proc/<pid>/stat are tick samples, and on this
    # kind of load, 1,000 processes each running a few microseconds at a
    # time, they miss nearly all of it.) Processes that exited are not
    # counted: the pools here do not recycle their children.
    total = 0
    for p in tree(root):
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tids:
            try:
                with open(f"/proc/{p}/task/{t}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    return total / 1e9


def sample(root, out_path, interval):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    out = open(out_path, "a", buffering=1)
    pids, last_scan = [], 0.0
    next_t = time.monotonic()
    while not stop and os.path.exists(f"/proc/{root}"):
        now = time.monotonic()
        if now - last_scan >= 1.0:
            pids, last_scan = tree(root), now
        sizes = [rss_kib(p) for p in pids]
        alive = sum(1 for s in sizes if s)
        out.write(f"{time.time():.3f} {sum(sizes)} {alive} {sizes[0]}\n")
        next_t += interval
        delay = next_t - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            next_t = time.monotonic()


def main():
    cmd, root = sys.argv[1], int(sys.argv[2])
    if cmd == "pids":
        print("\n".join(map(str, tree(root))))
    elif cmd == "cpu":
        print(f"{cpu_seconds(root):.2f}")
    elif cmd == "sample":
        sample(root, sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.2)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
