#!/usr/bin/env python3
"""The processes of one server: its master PID and all its descendants.

    proctree.py pids ROOT               the pids, one a line
    proctree.py cpu ROOT                CPU seconds used so far by the tree
                                        (all threads; reaped children too)
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

# The tree and its CPU time are read as modhttpd-advise reads them.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from advise.proctree import cpu_seconds, tree  # noqa: E402

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0  # gone


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
        out.write(f"{time.time():.3f} {sum(sizes)} {alive} {sizes[0] if sizes else 0}\n")
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
