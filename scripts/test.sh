#!/usr/bin/env bash
# Builds and runs every test:
#   1. unit (doctest) and integration tests (pytest: the real binary on
#      127.0.0.1, every MPM) in a normal build;
#   2. the same suites under AddressSanitizer + UndefinedBehaviorSanitizer,
#      but for the slow-client attacks (minutes of waiting on timeouts whose
#      code test_http_engine's timeout tests drive under the sanitizers) and
#      the MPM advisor (a load test of the normal build's servers; what it
#      makes them do, the other suites do under the sanitizers);
#   3. the threaded MPMs' suites (worker, event) under ThreadSanitizer;
#   4. a short bounded fuzzing run of every libFuzzer target (beside 3).
# The builds for 2-4 compile, at low priority, while 1 runs.
# Longer fuzzing and soak runs: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test

# One more than the CPUs: most integration tests spend their time waiting on
# the server's timeouts, not computing.
jobs=$(( $(nproc) + 1 ))
configure() {  # configure <build dir> <meson setup args...>
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
}
run_suite() {  # run_suite <build dir> <meson test args...>
  local dir=$1; shift
  ninja -C "$dir" >/dev/null
  echo "== tests in $dir ($SECONDS s since the start)"
  meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@"
}

# -O1: what the sanitizers' documentation recommends, and a third faster to
# compile than -O2; -g1 (line tables only) is all their reports need, and
# saves another quarter of the compile.
sanitized="-Doptimization=1 -Ddebug=false -Dc_args=-g1 -Dcpp_args=-g1"

# -O2 without debug information: a third less to compile; the sanitizer
# builds below carry line tables for their reports.
configure build -Ddebug=false
configure build-asan $sanitized -Db_sanitize=address,undefined -Db_lundef=false
configure build-tsan $sanitized -Db_sanitize=thread -Db_lundef=false -Dunit_tests=false
ninja -C build >/dev/null

# The sanitizer and fuzzing builds compile while the normal build's tests
# run: those tests mostly wait on the server's timeouts. One compiler at a
# time, at nice 19, leaves them a CPU of their own (about 6 minutes saved on
# 2 cores). Its output goes to a log that is shown if it fails.
background_log=$(mktemp)
( nice -n 19 ninja -j1 -C build-asan && nice -n 19 ninja -j1 -C build-tsan &&
  nice -n 19 bash tests/fuzz/run.sh build ) >"$background_log" 2>&1 &
background=$!
trap 'kill $background 2>/dev/null || true' EXIT
run_suite build --no-suite tsan
echo "== waiting for the sanitizer builds ($SECONDS s since the start)"
wait $background || { tail -60 "$background_log" >&2; echo "the sanitizer or fuzzing build failed" >&2; exit 1; }
rm -f "$background_log"

run_suite build-asan --no-suite tsan --no-suite slow-clients --no-suite tools
# The short fuzzing run beside the ThreadSanitizer suites: it keeps one CPU
# busy, they mostly wait on the server's timeouts (about 40 s saved).
fuzz_log=$(mktemp)
FUZZ_SKIP_BUILD=1 bash tests/fuzz/run.sh 5 >"$fuzz_log" 2>&1 &
fuzzing=$!
trap 'kill $background $fuzzing 2>/dev/null || true' EXIT
run_suite build-tsan --suite worker --suite event --suite tsan
echo "== fuzzing, beside the last stage ($SECONDS s since the start)"
fuzz_ok=0
wait $fuzzing && fuzz_ok=1
cat "$fuzz_log"
rm -f "$fuzz_log"
[ $fuzz_ok = 1 ] || { echo "fuzzing found a crash or failed" >&2; exit 1; }
echo "== all tests passed in $SECONDS s"
