#!/usr/bin/env bash
# System calls per request: modhttpd prefork, Apache prefork and nginx
# serving the same 1 KiB file over one keep-alive connection.
#
#     bench/syscalls.sh [-n N] [--path /1k.txt] [--servers mh-prefork,ap-prefork,nginx]
#                       [-c CONNS [-d SECONDS] [--close]]
#
# For each server: starts it (small pool, same settings as bench/run.sh
# otherwise), sends 200 warm-up requests, attaches `strace -c -f` to the
# master and all its children, sends N requests (default 5000) one after the
# other on one keep-alive connection (bench/lib/client.py, bounded to 120 s),
# detaches, and divides each syscall's count by N. The server's background
# activity is measured the same way with no request for as long as the burst
# took, and subtracted. Also takes `--path /hello` (mod_bench_hello on
# modhttpd, `return 200` on nginx, the static file on Apache) and
# mh-worker/mh-event/ap-worker/ap-event.
#
# With -c CONNS the burst is wrk with CONNS connections for SECONDS (default
# 3) instead, and N is the number of requests wrk got answered: the pattern
# under concurrent load (reads that find the next request already there,
# EAGAIN, accept). --close adds "Connection: close" (a new connection per
# request: accept, shutdown, ...). The small pools have 16 workers: keep
# CONNS at most 16 for the prefork and worker MPMs.
#
# Output: a table per server and a side-by-side one, printed and written to
# bench/results/syscalls-<timestamp>.md (bench/results/syscalls-latest.md).
set -euo pipefail
export BENCH_PORT_OFFSET=100 BENCH_CONFDIR
BENCH_CONFDIR="$(cd "$(dirname "$0")" && pwd)/work/conf-syscalls"
source "$(dirname "$0")/lib/common.sh"

N=5000 URLPATH=/1k.txt SERVERS="mh-prefork ap-prefork nginx" CONNS=1 SECS=3 CLOSE=0
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift ;;
        -c) CONNS=$2; shift ;;
        -d) SECS=$2; shift ;;
        --close) CLOSE=1 ;;
        --path) URLPATH=$2; shift ;;
        --servers) SERVERS=${2//,/ }; shift ;;
        -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
for s in $SERVERS; do [ -n "${PORT[$s]:-}" ] || die "unknown server $s"; done

ensure_packages apache2 nginx strace curl wrk
[ -x "$PREFIX/bin/modhttpd" ] && [ -f "$HELLO_SO" ] || build_modhttpd
make_docroot
raise_nofile
TS=$(date +%Y%m%d-%H%M%S)
OUTDIR="$WORK/syscalls-$TS"
mkdir -p "$OUTDIR" "$BENCH_DIR/results"
STRACE_PID=""
cleanup() {
    [ -n "$STRACE_PID" ] && kill -INT "$STRACE_PID" 2>/dev/null || true
    [ -n "${SERVER_PID:-}" ] && stop_server || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# strace_during OUTFILE CMD...: strace -c -f on the server's processes while
# CMD runs. Waits for every process to be attached first.
strace_during() {
    local out=$1
    shift
    local pids=() p args=()
    mapfile -t pids < <(tree_pids "$SERVER_PID")
    for p in "${pids[@]}"; do args+=(-p "$p"); done
    strace -c -f -o "$out" "${args[@]}" 2>"$out.log" &
    STRACE_PID=$!
    local i
    for i in $(seq 1 100); do
        [ "$(grep -c 'attached' "$out.log" 2>/dev/null || true)" -ge "${#pids[@]}" ] && break
        sleep 0.1
    done
    sleep 0.3
    "$@"
    kill -INT "$STRACE_PID" 2>/dev/null || true
    wait "$STRACE_PID" 2>/dev/null || true
    STRACE_PID=""
}

for s in $SERVERS; do
    conf=$(write_config "$s" small)
    log "== ${LABEL[$s]} (port ${PORT[$s]})"
    start_server "$s" "$conf" "$OUTDIR/$s.stdout" || { log "$s did not start"; stop_server; continue; }
    wait_pool_stable 20 >/dev/null
    "$PY" "$BENCH_DIR/lib/client.py" "${PORT[$s]}" "$URLPATH" 200 30 >/dev/null
    t0=$(date +%s.%N)
    if [ "$CONNS" -gt 1 ]; then
        wrk_args=(-t1 "-c$CONNS" "-d${SECS}s" --timeout 5s -s "$BENCH_DIR/lib/report.lua")
        [ $CLOSE -eq 1 ] && wrk_args+=(-H "Connection: close")
        strace_during "$OUTDIR/$s.burst" timeout $((SECS + 30)) taskset -c "$CLIENT_CPU" wrk "${wrk_args[@]}" \
            "http://127.0.0.1:${PORT[$s]}$URLPATH" >"$OUTDIR/$s.client"
        sed -n 's/^WRKJSON //p' "$OUTDIR/$s.client" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["requests"])' \
            >"$OUTDIR/$s.n"
        log "   wrk -c$CONNS: $(cat "$OUTDIR/$s.n") requests in $SECS s under strace"
    else
        strace_during "$OUTDIR/$s.burst" timeout 130 "$PY" "$BENCH_DIR/lib/client.py" "${PORT[$s]}" "$URLPATH" "$N" 120 |
            tee "$OUTDIR/$s.client" >&2
        echo "$N" >"$OUTDIR/$s.n"
    fi
    secs=$(fsub "$(date +%s.%N)" "$t0" %.1f)
    log "   background activity for $secs s, no request"
    strace_during "$OUTDIR/$s.idle" sleep "$secs"
    stop_server
    sleep 0.5
done

if [ "$CONNS" -gt 1 ]; then
    HOW="wrk -c$CONNS for $SECS s$([ $CLOSE -eq 1 ] && echo ', Connection: close (a new connection per request)' || echo ', keep-alive')"
else
    HOW="$N requests one after the other on one keep-alive connection"
fi
"$PY" - "$OUTDIR" "$HOW" "$URLPATH" "$SERVERS" >"$BENCH_DIR/results/syscalls-$TS.md" <<'EOF'
import os, sys
out, how, path, servers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
label = {"mh-prefork": "modhttpd prefork", "mh-worker": "modhttpd worker", "mh-event": "modhttpd event",
         "ap-prefork": "Apache prefork",
         "ap-worker": "Apache worker", "ap-event": "Apache event", "nginx": "nginx"}

def parse(p):
    calls, errs = {}, {}
    if not os.path.exists(p):
        return None
    for line in open(p):
        f = line.split()
        if len(f) < 5 or not f[0][0].isdigit() or f[-1] == "total":
            continue
        name = f[-1]
        calls[name] = int(f[3])
        errs[name] = int(f[4]) if len(f) == 6 else 0
    return calls, errs

per = {}
print(f"# System calls per request: GET {path}, {how}\n")
print("Counted with `strace -c -f` attached to the master and all its children; the same "
      "server's activity without requests over the same time is subtracted (shown apart).\n")
for s in servers:
    b, i = parse(f"{out}/{s}.burst"), parse(f"{out}/{s}.idle")
    try:
        n = int(open(f"{out}/{s}.n").read())
    except (OSError, ValueError):
        n = 0
    if b is None or n <= 0:
        print(f"## {label[s]}\n\nnot measured\n")
        continue
    i = i or ({}, {})
    net = {k: max(0, v - i[0].get(k, 0)) / n for k, v in b[0].items()}
    per[s] = net
    print(f"## {label[s]}: {n} requests\n")
    print("| syscall | per request | errors per request |")
    print("|---|---:|---:|")
    for k, v in sorted(net.items(), key=lambda kv: -kv[1]):
        if v >= 0.0005:
            print(f"| {k} | {v:.3f} | {max(0, b[1].get(k, 0) - i[1].get(k, 0)) / n:.3f} |")
    print(f"| **total** | **{sum(net.values()):.3f}** | |")
    print(f"\nBackground (no request, same duration): {sum(i[0].values())} calls: "
          + ", ".join(f"{k} {v}" for k, v in sorted(i[0].items(), key=lambda kv: -kv[1])[:6]) + "\n")
if per:
    names = sorted({k for d in per.values() for k, v in d.items() if v >= 0.0005},
                   key=lambda k: -max(d.get(k, 0) for d in per.values()))
    print("## Side by side (calls per request)\n")
    print("| syscall | " + " | ".join(label[s] for s in per) + " |")
    print("|---|" + "---:|" * len(per))
    for k in names:
        print(f"| {k} | " + " | ".join(f"{per[s].get(k, 0):.3f}" for s in per) + " |")
    print("| **total** | " + " | ".join(f"**{sum(per[s].values()):.3f}**" for s in per) + " |")
EOF
ln -sfn "syscalls-$TS.md" "$BENCH_DIR/results/syscalls-latest.md"
cat "$BENCH_DIR/results/syscalls-$TS.md"
log "raw strace output: $OUTDIR"
