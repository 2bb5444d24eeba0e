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
#   4. a short bounded fuzzing run of every libFuzzer target.
# Longer fuzzing and soak runs: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test

# One more than the CPUs: most integration tests spend their time waiting on
# the server's timeouts, not computing.
jobs=$(( $(nproc) + 1 ))
suite() {  # suite <build dir> <meson test args...> -- <meson setup args...>
  local dir=$1; shift
  local test_args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do test_args+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@" >/dev/null
  ninja -C "$dir" >/dev/null
  echo "== tests in $dir ($SECONDS s since the start)"
  meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "${test_args[@]}"
}

# -O1: what the sanitizers' documentation recommends, and a third faster to
# compile than -O2; -g1 (line tables only) is all their reports need, and
# saves another quarter of the compile.
sanitized="-Doptimization=1 -Ddebug=false -Dc_args=-g1 -Dcpp_args=-g1"

# -O2 without debug information: a third less to compile; the sanitizer
# builds below carry line tables for their reports.
suite build --no-suite tsan -- -Ddebug=false
suite build-asan --no-suite tsan --no-suite slow-clients --no-suite tools -- $sanitized -Db_sanitize=address,undefined -Db_lundef=false
suite build-tsan --suite worker --suite event --suite tsan -- $sanitized -Db_sanitize=thread -Db_lundef=false -Dunit_tests=false
echo "== fuzzing ($SECONDS s since the start)"
bash tests/fuzz/run.sh 10
echo "== all tests passed in $SECONDS s"
