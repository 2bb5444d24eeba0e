#!/usr/bin/env bash
# Idle keep-alive connections held, and a normal client served meanwhile:
# what a connection costs a server when it waits between requests.
#
#     bench/idle.sh [-n 10000] [--duration S] [--servers mh-event,nginx,ap-event]
#
# For each server in turn (pinned to CPU 0, the bench configuration of
# lib/common.sh with the keep-alive timeout raised to 120 s and room for the
# connections): opens N keep-alive connections (2,000 a second), each after
# one GET /1k.txt; once all are idle, samples the whole server's RSS (master
# and every child), then runs wrk with 10 connections on CPU 1 for S seconds
# (default 10) and reports its p50/p99/max latency and req/s; then counts how
# many of the N connections the server still holds. Output: a table, and
# bench/results/idle-<timestamp>.md.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

N=10000 DURATION=10 SERVERS="mh-event nginx ap-event"
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --servers) SERVERS=${2//,/ }; shift ;;
        -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
for s in $SERVERS; do [ -n "${PORT[$s]:-}" ] || die "unknown server $s"; done

taskset -cp "$CLIENT_CPU" $$ >/dev/null 2>&1 || true
ensure_packages apache2 nginx wrk curl
build_modhttpd
make_docroot
# The holder and the server each hold N descriptors, in processes of their
# own: room for 2N where the hard limit allows it, and at least N + 1024.
NOFILE=$((2 * N + 4096))
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge "$NOFILE" ] || NOFILE=$hard
[ "$NOFILE" -ge $((N + 1024)) ] || die "-n $N needs ulimit -n $((N + 1024)); the hard limit here is $hard"
ulimit -n "$NOFILE" 2>/dev/null || die "ulimit -n $NOFILE is not allowed here"

OUT="$BENCH_DIR/results/idle-$(date +%Y%m%d-%H%M%S).md"
mkdir -p "$(dirname "$OUT")"
HOLDER_PID=""
cleanup() {
    [ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null || true
    [ -n "${SERVER_PID:-}" ] && stop_server || true
}
trap cleanup EXIT

# The bench configuration, with idle connections allowed to stay.
idle_config() {
    local s=$1 conf
    conf=$(write_config "$s")
    case $s in
        nginx) sed -i -e 's/keepalive_timeout 5;/keepalive_timeout 120;/' \
            -e "s/worker_connections 4096;/worker_connections $((N + 1024));/" \
            -e "s/worker_rlimit_nofile 8192;/worker_rlimit_nofile $NOFILE;/" "$conf" ;;
        *) echo "KeepAliveTimeout 120" >>"$conf" ;;
    esac
    echo "$conf"
}

{
    echo "# Idle keep-alive connections: $N held, wrk -c10 -d${DURATION}s meanwhile"
    echo
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), server on CPU $SERVER_CPU, clients on CPU $CLIENT_CPU."
    echo
    echo "| server | connections held | RSS before | RSS with them held | per connection | req/s | p50 | p99 | max | still open after |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT"

# The whole server's resident memory, KiB: master and every descendant.
rss_total() {
    "$PY" -c 'import sys; sys.path.insert(0, sys.argv[1]); import proctree
print(sum(proctree.rss_kib(p) for p in proctree.tree(int(sys.argv[2]))))' "$BENCH_DIR/lib" "$1"
}

for s in $SERVERS; do
    conf=$(idle_config "$s")
    find "$CONFDIR/$s/logs" -type f -delete
    log "== ${LABEL[$s]}"
    start_server "$s" "$conf" "$WORK/$s.idle.stdout" || { log "   did not start"; continue; }
    wait_pool_stable 20 >/dev/null
    before=$(rss_total "$SERVER_PID")
    coproc HOLDER { taskset -c "$CLIENT_CPU" "$PY" "$BENCH_DIR/lib/idle_conns.py" "${PORT[$s]}" "$N" /1k.txt 2000; }
    HOLDER_PID=$HOLDER_PID
    read -r -t $((N / 2000 + 90)) ready held _ failed <&"${HOLDER[0]}" || die "the connection holder did not report"
    sleep 1
    with=$(rss_total "$SERVER_PID")
    log "   $held connections held ($failed failed), RSS $((before / 1024)) -> $((with / 1024)) MiB"
    j=$(timeout $((DURATION + 30)) taskset -c "$CLIENT_CPU" wrk -t1 -c10 "-d${DURATION}s" --timeout 5s --latency \
        -s "$BENCH_DIR/lib/report.lua" "http://127.0.0.1:${PORT[$s]}/1k.txt" 2>&1 | sed -n 's/^WRKJSON //p' || true)
    echo >&"${HOLDER[1]}"
    read -r _ still <&"${HOLDER[0]}" || still="?"
    wait "$HOLDER_PID" 2>/dev/null || true
    HOLDER_PID=""
    stop_server
    "$PY" - "$s" "${LABEL[$s]}" "$held" "$before" "$with" "$still" "${j:-null}" <<'EOF' | tee -a "$OUT"
import json, sys
s, label, held, before, with_, still, j = sys.argv[1:]
held, before, with_ = int(held), int(before), int(with_)
d = json.loads(j) if j != "null" else None
per = (with_ - before) / held if held else 0
if d:
    t = d["duration_us"] / 1e6
    errs = sum(d[k] for k in ("err_connect", "err_read", "err_write", "err_timeout")) + d["err_status"]
    load = (f"{d['requests'] / t:.0f} | {d['lat_p50_us'] / 1000:.2f} ms | {d['lat_p99_us'] / 1000:.2f} ms | "
            f"{d['lat_max_us'] / 1000:.1f} ms" + (f" ({errs} errors)" if errs else ""))
else:
    load = "– | – | – | –"
print(f"| {label} | {held:,} | {before / 1024:.1f} MiB | {with_ / 1024:.1f} MiB | {per:.1f} KiB | {load} | {still} |")
EOF
done
log "done: $OUT"
cat "$OUT"
