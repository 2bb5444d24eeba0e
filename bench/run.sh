#!/usr/bin/env bash
# The benchmark: modhttpd (prefork, worker, event) against Apache httpd
# 2.4 (prefork, worker, event) and nginx, same machine, same run, same files.
#
#     bench/run.sh [--quick] [--servers a,b,..] [--workloads x,y,..]
#                  [--duration S] [--repeat N] [--no-docs]
#
#   --quick       3 s per measurement, one warm-up per server (about 4 min)
#                 instead of 10 s with a warm-up before each workload (about
#                 12.5 min); plus the build when the tree changed
#   --servers     a subset of: mh-prefork mh-worker mh-event ap-prefork ap-worker
#                 ap-event nginx
#   --workloads   a subset of: ka-1k hello ka-64k ka-1m close-1k c1000-1k
#   --duration S  seconds per measurement; --repeat N measurements of each
#                 (median reported; at least 2)
#   --no-docs     do not rewrite the results part of docs/performance.md
#                 (a --quick or partial run never does)
#
# What it does: builds modhttpd in release mode into bench/build and installs
# it into bench/work/prefix, installs apache2, nginx, wrk and gnuplot when
# missing (their system services are not started), writes a docroot and one
# config per server under bench/work, then for each server in turn: starts it
# pinned to CPU 0, waits for its pool, samples its memory (idle, then every
# 0.2 s under load), and runs wrk pinned to CPU 1 against 127.0.0.1 for every
# workload. Output: bench/results/<timestamp>/{results.md,results.json,
# chart.png,raw/} and bench/results/latest pointing at it.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ORIG_ARGS="$*"

QUICK=0 DOCS=1 SERVERS=$ALL_SERVERS WORKLOADS="ka-1k hello ka-64k ka-1m close-1k c1000-1k"
DURATION="" REPEAT=2
while [ $# -gt 0 ]; do
    case $1 in
        --quick) QUICK=1 ;;
        --servers) SERVERS=${2//,/ }; shift ;;
        --workloads) WORKLOADS=${2//,/ }; shift ;;
        --duration) DURATION=$2; shift ;;
        --repeat) REPEAT=$2; shift ;;
        --no-docs) DOCS=0 ;;
        -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done
if [ $QUICK -eq 1 ]; then
    DURATION=${DURATION:-3} WARMUP=1 WARM_EACH=0 IDLE_S=0.6 PAUSE_S=0
else
    DURATION=${DURATION:-10} WARMUP=1 WARM_EACH=1 IDLE_S=2 PAUSE_S=1
fi
[ "$REPEAT" -ge 2 ] || die "--repeat must be at least 2 (the median of the measurements is reported)"
for s in $SERVERS; do [ -n "${PORT[$s]:-}" ] || die "unknown server $s"; done

# workload -> "connections path extra-wrk-arguments"
declare -A WL=(
    [ka-1k]="50 /1k.txt"
    [hello]="50 /hello"
    [ka-64k]="50 /64k.bin"
    [ka-1m]="50 /1m.bin"
    [close-1k]="50 /1k.txt" # + Connection: close
    [c1000-1k]="1000 /1k.txt"
)
for w in $WORKLOADS; do [ -n "${WL[$w]:-}" ] || die "unknown workload $w"; done

T_START=$(date +%s)
# This script and its helpers (memory sampler, curl, /proc readers) stay off
# the server's CPU.
taskset -cp "$CLIENT_CPU" $$ >/dev/null 2>&1 || true
ensure_packages apache2 nginx wrk gnuplot-nox curl
build_modhttpd
make_docroot
raise_nofile

TS=$(date +%Y%m%d-%H%M%S)
OUT="$BENCH_DIR/results/$TS"
RAW="$OUT/raw"
mkdir -p "$RAW"
MEAS="$RAW/measurements.jsonl"
SRVS="$RAW/servers.jsonl"
: >"$MEAS"
: >"$SRVS"
SAMPLER_PID=""

cleanup() {
    [ -n "$SAMPLER_PID" ] && kill -TERM "$SAMPLER_PID" 2>/dev/null || true
    [ -n "${SERVER_PID:-}" ] && stop_server || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- what ran, and on what ------------------------------------------------
{
    echo "run_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    mode=$([ $QUICK -eq 1 ] && echo quick || echo full)
    if [ "$SERVERS" != "$ALL_SERVERS" ] || [ "$WORKLOADS" != "ka-1k hello ka-64k ka-1m close-1k c1000-1k" ]; then
        mode="$mode, partial"
    fi
    echo "mode=$mode"
    echo "duration_s=$DURATION"
    echo "warmup_s=$WARMUP"
    echo "warmup_each=$WARM_EACH"
    echo "repeat=$REPEAT"
    echo "command=bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}"
    echo "cpu_model=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
    echo "cpus=$(grep -c '^processor' /proc/cpuinfo)"
    echo "mem_total=$(grep MemTotal /proc/meminfo | awk '{print $2 " kB"}')"
    echo "kernel=$(uname -sr)"
    echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "apache=$($APACHE_BIN -v | sed -n 's/^Server version: //p')"
    echo "nginx=$($NGINX_BIN -v 2>&1 | sed 's/^nginx version: //')"
    echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
    echo "modhttpd=$("$PREFIX/bin/modhttpd" -v | sed -n 's/^Server version: //p') ($(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo ', with uncommitted changes'))"
    echo "compiler=$(cc --version | head -1)"
    echo "server_cpu=$SERVER_CPU"
    echo "client_cpu=$CLIENT_CPU"
    echo "nice=$BENCH_NICE"
    echo "nofile=$(ulimit -n)"
} >"$RAW/machine.txt"

# One wrk run; prints its WRKJSON object (or nothing if wrk failed).
# run_wrk SERVER WORKLOAD SECONDS
run_wrk() {
    local s=$1 w=$2 secs=$3
    local spec=${WL[$w]} conns path
    conns=${spec%% *}
    path=${spec#* }
    local args=(-t1 "-c$conns" "-d${secs}s" --timeout 5s --latency -s "$BENCH_DIR/lib/report.lua")
    case $w in close-1k) args+=(-H "Connection: close") ;; esac
    timeout $((secs + 60)) "${OWN_GROUP[@]}" taskset -c "$CLIENT_CPU" $(nice_prefix) wrk "${args[@]}" \
        "http://127.0.0.1:${PORT[$s]}$path" 2>&1 | tee -a "$RAW/$s.wrk.txt" | sed -n 's/^WRKJSON //p' || true
}

# cpu_stat N: "idle elapsed" of CPU N so far, in the same unit. Exact from
# cpuidle (idle microseconds, against the clock) where the kernel has it,
# else /proc/stat's tick samples (idle + iowait jiffies, against all jiffies).
cpu_stat() {
    local d=/sys/devices/system/cpu/cpu$1/cpuidle
    if [ -r "$d/state0/time" ]; then
        echo "$(cat "$d"/state*/time | awk '{ s += $1 } END { printf "%d", s }') $(date +%s%6N)"
    else
        awk -v c="cpu$1" '$1 == c { i = $5 + $6; print i, $2 + $3 + $4 + $7 + $8 + $9 + i }' /proc/stat
    fi
}

n_meas=0
for s in $SERVERS; do
    conf=$(write_config "$s")
    cp "$conf" "$RAW/$s.$(basename "$conf")"
    find "$CONFDIR/$s/logs" -type f -delete # raw/ gets this run's log lines only
    log "== ${LABEL[$s]}: starting (port ${PORT[$s]}, CPU $SERVER_CPU)"
    t_start=$(date +%s.%N)
    if ! start_server "$s" "$conf" "$RAW/$s.stdout"; then
        echo "{\"server\":\"$s\",\"started\":false}" >>"$SRVS"
        stop_server
        continue
    fi
    procs=$(wait_pool_stable 40)
    t_ready=$(date +%s.%N)
    log "   $procs processes, ready after $(fsub "$t_ready" "$t_start" %.1f) s"
    "$PY" "$BENCH_DIR/lib/proctree.py" sample "$SERVER_PID" "$RAW/$s.rss" 0.2 &
    SAMPLER_PID=$!
    sleep "$IDLE_S"
    t_idle_end=$(date +%s.%N)
    echo "{\"server\":\"$s\",\"started\":true,\"start_s\":$(fsub "$t_ready" "$t_start"),\"idle_t0\":$t_ready,\"idle_t1\":$t_idle_end,\"procs\":$procs}" >>"$SRVS"
    first=1
    for w in $WORKLOADS; do
        if [ "$w" = hello ] && [[ $s == ap-* ]]; then
            continue # Apache: no in-memory handler; its row is ka-1k's (a static file)
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "   ${LABEL[$s]} is gone: $w not measured"
            echo "{\"server\":\"$s\",\"workload\":\"$w\",\"rep\":0,\"error\":\"server not running\"}" >>"$MEAS"
            continue
        fi
        tw=$(date +%s.%N)
        if [ $WARM_EACH -eq 1 ] || [ $first -eq 1 ]; then
            run_wrk "$s" "$w" "$WARMUP" >/dev/null
        fi
        first=0
        # The server's CPU time and its CPU's busy time, before and after
        # each measurement (one snapshot ends a measurement and starts the next).
        c1=$(tree_cpu "$SERVER_PID")
        read -r b1 a1 < <(cpu_stat "$SERVER_CPU")
        for r in $(seq 1 "$REPEAT"); do
            load=$(cut -d' ' -f1 /proc/loadavg)
            c0=$c1 b0=$b1 a0=$a1
            t0=$(date +%s.%N)
            j=$(run_wrk "$s" "$w" "$DURATION")
            t1=$(date +%s.%N)
            read -r b1 a1 < <(cpu_stat "$SERVER_CPU")
            c1=$(tree_cpu "$SERVER_PID" 2>/dev/null || echo "$c0")
            busy=$(awk -v i=$((b1 - b0)) -v a=$((a1 - a0)) 'BEGIN { x = a ? 1 - i / a : 0; printf "%.3f", x < 0 ? 0 : x }')
            [ -n "$j" ] || j='null'
            echo "{\"server\":\"$s\",\"workload\":\"$w\",\"rep\":$r,\"t_warm\":$tw,\"t0\":$t0,\"t1\":$t1,\"cpu_s\":$(fsub "$c1" "$c0"),\"load1\":$load,\"cpu_busy\":$busy,\"wrk\":$j}" >>"$MEAS"
            n_meas=$((n_meas + 1))
            "$PY" - "$j" "$s" "$w" "$r" <<'EOF' >&2
import json, sys
j, s, w, r = sys.argv[1:]
d = json.loads(j)
if not d:
    print(f"   {s} {w} #{r}: wrk gave no result"); sys.exit()
t = d["duration_us"] / 1e6
errs = sum(d[k] for k in ("err_connect", "err_read", "err_write", "err_timeout"))
print(f"   {s:10} {w:8} #{r}: {d['requests']/t:9.0f} req/s {d['bytes']/t/1048576:8.1f} MiB/s "
      f"p50 {d['lat_p50_us']/1000:.2f} ms p99 {d['lat_p99_us']/1000:.2f} ms, socket errors {errs}, non-2xx {d['err_status']}")
EOF
        done
    done
    kill -TERM "$SAMPLER_PID" 2>/dev/null || true
    wait "$SAMPLER_PID" 2>/dev/null || true
    SAMPLER_PID=""
    alive=1
    kill -0 "$SERVER_PID" 2>/dev/null || alive=0
    stop_server
    [ $alive -eq 1 ] || log "   warning: ${LABEL[$s]} was not running any more at the end"
    for f in "$CONFDIR/$s/logs/"*; do
        case $f in *.pid) ;; *) [ -f "$f" ] && cp "$f" "$RAW/$s.$(basename "$f")" ;; esac
    done
    sleep "$PAUSE_S"
done

log "report"
"$PY" "$BENCH_DIR/lib/report.py" "$OUT"
if command -v gnuplot >/dev/null && [ -f "$OUT/chart.gp" ]; then
    (cd "$OUT" && gnuplot chart.gp) || log "warning: gnuplot failed"
fi
ln -sfn "$TS" "$BENCH_DIR/results/latest"
if [ $QUICK -eq 0 ] && [ $DOCS -eq 1 ] && [ "$SERVERS" = "$ALL_SERVERS" ] &&
    [ "$WORKLOADS" = "ka-1k hello ka-64k ka-1m close-1k c1000-1k" ]; then
    "$PY" "$BENCH_DIR/lib/report.py" --docs "$OUT" "$REPO_DIR/docs/performance.md"
    log "docs/performance.md updated"
fi
log "done in $(($(date +%s) - T_START)) s: $OUT/results.md"
cat "$OUT/results.md"
