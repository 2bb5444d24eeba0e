#!/usr/bin/env python3
"""Holds N idle keep-alive connections to a server.

    idle_conns.py PORT N [PATH] [RATE]

Opens N connections to 127.0.0.1:PORT, RATE a second (default 2000), sends
"GET PATH HTTP/1.1" on each and reads its response, so that every one is a
kept-alive connection between requests. Prints "ready N" (N: the
connections still open) on stdout, then waits: a line on stdin makes it
count again, print "open N" and exit, closing them all. Connections the
server closed meanwhile are counted as closed (a poll for readability: an
idle connection has nothing to read until the server closes it).
"""
import select
import socket
import sys
import time


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "/1k.txt"
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 2000.0
    req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    socks, failed = [], 0
    t0 = time.monotonic()
    # A server that stops accepting leaves each further connect waiting for
    # its timeout: opening stops 20 s after the rate's schedule, and what was
    # not opened by then counts as failed.
    open_until = t0 + n / rate + 20
    for i in range(n):
        if time.monotonic() > open_until:
            failed += n - i
            break
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(req)
            socks.append(s)
        except OSError:
            failed += 1
        ahead = (i + 1) / rate - (time.monotonic() - t0)
        if ahead > 0:
            time.sleep(ahead)
    # Each response: the head, then Content-Length bytes; 30 s for them all
    # (a server that stops accepting leaves the rest unanswered).
    alive = []
    deadline = time.monotonic() + 30
    for s in socks:
        try:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            buf = b""
            while b"\r\n\r\n" not in buf:
                d = s.recv(65536)
                if not d:
                    raise OSError("closed")
                buf += d
            head, _, body = buf.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            while len(body) < length:
                d = s.recv(65536)
                if not d:
                    raise OSError("closed")
                body += d
            alive.append(s)
        except (OSError, ValueError):
            failed += 1
            s.close()
    print(f"ready {len(alive)} failed {failed}", flush=True)
    sys.stdin.readline()
    still = 0
    poller = select.poll()
    for s in alive:
        poller.register(s, select.POLLIN)
    readable = {fd for fd, _ in poller.poll(0)}
    still = sum(1 for s in alive if s.fileno() not in readable)
    print(f"open {still}", flush=True)
    for s in alive:
        s.close()


if __name__ == "__main__":
    main()
