#!/usr/bin/env python3
"""N requests, one after the other, on one keep-alive HTTP/1.1 connection.

    client.py PORT PATH N [TIMEOUT_S]

Sends what wrk sends ("GET PATH HTTP/1.1" and a Host header), reads each
response whole (Content-Length) before the next request, and fails on any
status other than 200 or a connection closed early. Bounded: it gives up
after TIMEOUT_S seconds (default 120). Prints "N requests in S s".
"""
import socket
import sys
import time


def main():
    port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    limit = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    req = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    buf = b""
    t0 = time.monotonic()

    def more():
        nonlocal buf
        d = s.recv(262144)
        if not d:
            sys.exit(f"client: connection closed by the server after {i} responses")
        buf += d

    for i in range(n):
        if time.monotonic() - t0 > limit:
            sys.exit(f"client: gave up after {limit} s and {i} responses")
        s.sendall(req)
        while b"\r\n\r\n" not in buf:
            more()
        head, _, buf = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 200"):
            sys.exit(f"client: response {i + 1}: {lines[0]}")
        length = 0
        for h in lines[1:]:
            k, _, v = h.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v)
            if k.strip().lower() == "connection" and v.strip().lower() == "close":
                sys.exit(f"client: response {i + 1} closes the connection")
        while len(buf) < length:
            more()
        buf = buf[length:]
    s.close()
    print(f"{n} requests in {time.monotonic() - t0:.2f} s")


if __name__ == "__main__":
    main()
