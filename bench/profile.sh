#!/usr/bin/env bash
# Where a modhttpd request spends its instructions: one `modhttpd -X`
# process (single process, no fork) serving N requests on one keep-alive
# connection, profiled with perf when the machine has hardware counters
# (`perf stat -e instructions true` counts), with valgrind's callgrind
# otherwise. Prints the instructions per request and the top functions (self
# cost, then inclusive).
#
#     bench/profile.sh [-n N] [--path /1k.txt] [--mpm prefork|worker] [--tool callgrind|perf]
#
# `-X` serves in the core's single-process loop whatever the MPM: the
# per-request path (parser, pipeline, handler, response, connection I/O) is
# the one both MPMs run, but the MPMs' own accept/queue code is not in the
# profile (--mpm only changes which MPM module is loaded). The release build
# of bench/run.sh is profiled (symbols, no debug info). Counting starts after
# 100 warm-up requests (callgrind: instrumentation switched on then), so
# start-up is not in the figures. N defaults to 2000 (callgrind runs the
# server ~50x slower; the burst is bounded to 300 s). Output kept in
# bench/work/profile-<timestamp>/.
set -euo pipefail
export BENCH_PORT_OFFSET=200 BENCH_CONFDIR
BENCH_CONFDIR="$(cd "$(dirname "$0")" && pwd)/work/conf-profile"
source "$(dirname "$0")/lib/common.sh"

N=2000 URLPATH=/1k.txt MPM=prefork TOOL="" TOP=${BENCH_TOP:-25}
while [ $# -gt 0 ]; do
    case $1 in
        -n) N=$2; shift ;;
        --path) URLPATH=$2; shift ;;
        --mpm) MPM=$2; shift ;;
        --tool) TOOL=$2; shift ;;
        -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
case $MPM in prefork | worker) ;; *) die "--mpm prefork or worker" ;; esac
s="mh-$MPM"

if [ -z "$TOOL" ]; then
    TOOL=callgrind
    if command -v perf >/dev/null && perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]'; then
        TOOL=perf
    fi
fi
case $TOOL in
    callgrind) ensure_packages valgrind curl ;;
    perf) command -v perf >/dev/null || die "perf is not installed (apt-get install linux-perf)" ;;
    *) die "--tool callgrind or perf" ;;
esac
[ -x "$PREFIX/bin/modhttpd" ] && [ -f "$HELLO_SO" ] || build_modhttpd
make_docroot
TS=$(date +%Y%m%d-%H%M%S)
OUTDIR="$WORK/profile-$TS"
mkdir -p "$OUTDIR"
PERF_PID=""
cleanup() {
    [ -n "$PERF_PID" ] && kill -INT "$PERF_PID" 2>/dev/null || true
    [ -n "${SERVER_PID:-}" ] && stop_server || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

top_functions() { "$PY" "$BENCH_DIR/lib/cg_top.py" "$N" "$TOP"; }

conf=$(write_config "$s" small)
log "profiling modhttpd -X ($MPM) with $TOOL: $N x GET $URLPATH (port ${PORT[$s]})"
# No User switch in a single process under a profiler: it stays root.
sed -i 's/^User .*//; s/^Group .*//' "$conf"
BENCH_NICE=0
if [ "$TOOL" = callgrind ]; then
    START_TIMEOUT_TENTHS=1200
    # start_server runs "$@" before the binary: valgrind, then modhttpd -X.
    start_server_x() {
        local port=${PORT[$s]}
        port_busy "$port" && die "port $port is already in use"
        setsid valgrind --tool=callgrind --callgrind-out-file="$OUTDIR/callgrind.out" \
            --instr-atstart=no \
            "$PREFIX/bin/modhttpd" -X -f "$conf" >"$OUTDIR/server.out" 2>&1 </dev/null &
        SERVER_PID=$!
    }
else
    start_server_x() {
        local port=${PORT[$s]}
        port_busy "$port" && die "port $port is already in use"
        setsid "$PREFIX/bin/modhttpd" -X -f "$conf" >"$OUTDIR/server.out" 2>&1 </dev/null &
        SERVER_PID=$!
    }
fi
start_server_x
for i in $(seq 1 1200); do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUTDIR/server.out" >&2; die "modhttpd -X exited"; }
    curl -s -o /dev/null -m 5 "http://127.0.0.1:${PORT[$s]}$URLPATH" && break
    sleep 0.1
done
"$PY" "$BENCH_DIR/lib/client.py" "${PORT[$s]}" "$URLPATH" 100 120 >/dev/null

if [ "$TOOL" = callgrind ]; then
    # Instrumentation was off since the start: on for the burst only.
    callgrind_control -i on "$SERVER_PID" >/dev/null
    timeout 310 "$PY" "$BENCH_DIR/lib/client.py" "${PORT[$s]}" "$URLPATH" "$N" 300 >&2
    callgrind_control -i off "$SERVER_PID" >/dev/null
    stop_server
    dump="$OUTDIR/callgrind.out"
    total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ && !t {gsub(",", "", $1); t = $1} END {print t}')
    echo
    echo "# modhttpd -X ($MPM), GET $URLPATH x $N, callgrind (release build)"
    echo
    [ -n "$total" ] && echo "Instructions per request: $((total / N)) (total $total)"
    echo
    echo "## Top $TOP functions, self cost (Ir)"
    callgrind_annotate --threshold=99.9 "$dump" 2>/dev/null | top_functions
    echo
    echo "## Top $TOP functions, inclusive cost (Ir)"
    callgrind_annotate --inclusive=yes --threshold=99.9 "$dump" 2>/dev/null | top_functions
    echo
    echo "callgrind output: $dump (callgrind_annotate, or kcachegrind, reads it)"
else
    perf record -g -o "$OUTDIR/perf.data" -p "$SERVER_PID" 2>"$OUTDIR/perf.log" &
    PERF_PID=$!
    sleep 0.5
    perf stat -e instructions -p "$SERVER_PID" -o "$OUTDIR/perf.stat" -- \
        timeout 310 "$PY" "$BENCH_DIR/lib/client.py" "${PORT[$s]}" "$URLPATH" "$N" 300 >&2 || true
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
    PERF_PID=""
    stop_server
    ins=$(awk '/instructions/ {gsub(",", "", $1); print $1; exit}' "$OUTDIR/perf.stat")
    echo
    echo "# modhttpd -X ($MPM), GET $URLPATH x $N, perf (release build)"
    echo
    [ -n "$ins" ] && echo "Instructions per request: $((ins / N))"
    echo
    echo "## Top $TOP functions, self"
    perf report -i "$OUTDIR/perf.data" --stdio --no-children --sort symbol 2>/dev/null |
        grep -E '^ +[0-9]' | head -n "$TOP" || true
    echo
    echo "## Top $TOP functions, inclusive"
    perf report -i "$OUTDIR/perf.data" --stdio --children --sort symbol 2>/dev/null |
        grep -E '^ +[0-9]' | head -n "$TOP" || true
fi
