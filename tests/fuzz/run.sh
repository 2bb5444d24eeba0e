#!/usr/bin/env bash
# Runs the libFuzzer targets for a bounded time (docs/fuzzing.md).
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]   fuzz each target SECONDS (default 20)
#   tests/fuzz/run.sh replay [TARGET...]      run each target once over tests/fuzz/crashes/<target>/
#   tests/fuzz/run.sh build [TARGET...]       only set up and build the targets
#   tests/fuzz/run.sh merge [TARGET...]       add what runs found (corpus-run) to tests/fuzz/corpus,
#                                             keeping only inputs that cover new edges
#
# Sets up the build dir with clang if it is missing and builds only the fuzz
# targets. Each target runs on a scratch copy of its corpus
# (tests/fuzz/corpus-run/<target>, git-ignored): the repo corpus never grows
# during a run. Exits 1 when a target crashed, leaked, timed out or ran out of
# memory, after printing the reproducer's path; 2 on a setup error.
#
# Environment:
#   FUZZ_BUILD_DIR    build dir (default: <repo>/build-fuzz)
#   FUZZ_SKIP_BUILD=1 do not set up or build (meson test does it)
#   FUZZ_JOBS=N       N parallel libFuzzer processes per target (-jobs=N -workers=N)
#   FUZZ_KEEP_CORPUS=1  keep corpus-run/<target> from the last run (long runs)
#   FUZZ_ARGS         more libFuzzer flags, e.g. "-use_value_profile=1"
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$repo/build-fuzz}
run_dir=$here/corpus-run
all_targets=(fuzz_request_parser fuzz_uri_path fuzz_http_date fuzz_log_format fuzz_config)

mode=fuzz
seconds=20
case "${1:-}" in
  replay|merge|build) mode=$1; shift ;;
  ''|*[!0-9]*) ;;
  *) seconds=$1; shift ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

# Per-target libFuzzer flags: dictionary and input size cap.
target_flags() {
  case "$1" in
    fuzz_request_parser) echo "-dict=$here/http.dict -max_len=4096" ;;
    fuzz_uri_path)       echo "-dict=$here/uri.dict -max_len=1024" ;;
    fuzz_http_date)      echo "-dict=$here/http_date.dict -max_len=64" ;;
    fuzz_log_format)     echo "-dict=$here/log_format.dict -max_len=1024" ;;
    fuzz_config)         echo "-dict=$here/config.dict -max_len=4096" ;;
    *) echo "unknown fuzz target: $1" >&2; exit 2 ;;
  esac
}

build_targets() {
  [ "${FUZZ_SKIP_BUILD:-0}" = 1 ] && return 0
  if [ ! -f "$build/build.ninja" ]; then
    if ! command -v clang++ >/dev/null; then
      echo "run.sh: clang is needed (apt-get install -y clang libclang-rt-14-dev)" >&2
      exit 2
    fi
    echo "== setting up $build (clang, ASan+UBSan, libFuzzer)"
    CC=clang CXX=clang++ meson setup "$build" "$repo" -Dfuzzers=true -Dtests=true \
      -Dbuildtype=debugoptimized -Db_sanitize=address,undefined -Db_lundef=false \
      "-Dcpp_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
      "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" >"$build.setup.log" 2>&1 || {
      cat "$build.setup.log" >&2
      echo "run.sh: meson setup failed" >&2
      exit 2
    }
    rm -f "$build.setup.log"
  fi
  meson compile -C "$build" "${targets[@]}" >/dev/null || {
    meson compile -C "$build" "${targets[@]}" 2>&1 | tail -40 >&2
    echo "run.sh: building the fuzz targets failed (is $build configured with clang and -Dfuzzers=true?)" >&2
    exit 2
  }
}

binary() { echo "$build/tests/fuzz/$1"; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$run_dir"
# One run at a time per checkout: runs share corpus-run/ and the build dir.
exec 9>"$run_dir/.lock"
if ! flock -n 9; then
  echo "== waiting for another tests/fuzz/run.sh in this checkout"
  flock 9
fi

build_targets
[ "$mode" = build ] && exit 0
for t in "${targets[@]}"; do
  target_flags "$t" >/dev/null || exit 2
  [ -x "$(binary "$t")" ] || { echo "run.sh: $(binary "$t") is missing" >&2; exit 2; }
done
mkdir -p "$run_dir/artifacts" "$run_dir/logs"

if [ "$mode" = replay ]; then
  status=0
  for t in "${targets[@]}"; do
    dir=$here/crashes/$t
    files=()
    [ -d "$dir" ] && while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -type f ! -name '*.md' -print0 | sort -z)
    [ ${#files[@]} -gt 0 ] || continue
    for f in "${files[@]}"; do
      if FUZZ_ALL_CHECKS=1 "$(binary "$t")" $(target_flags "$t") "$f" >"$run_dir/logs/replay.log" 2>&1; then
        echo "fixed:       $t ${f#"$repo"/}"
      else
        echo "still fails: $t ${f#"$repo"/}"
        grep -m3 -E '==fuzz==|ERROR: |runtime error' "$run_dir/logs/replay.log" | sed 's/^/    /'
        status=1
      fi
    done
  done
  exit $status
fi

if [ "$mode" = merge ]; then
  for t in "${targets[@]}"; do
    [ -d "$run_dir/$t" ] || { echo "$t: nothing to merge (no $run_dir/$t)"; continue; }
    mkdir -p "$here/corpus/$t"
    before=$(find "$here/corpus/$t" -type f | wc -l)
    # -use_counters=0: new edges only, not new hit counts, to keep the repo corpus small.
    "$(binary "$t")" -merge=1 -use_counters=0 ${FUZZ_ARGS:-} $(target_flags "$t") "$here/corpus/$t" "$run_dir/$t" \
      >"$run_dir/logs/$t.merge.log" 2>&1 || {
      tail -20 "$run_dir/logs/$t.merge.log" >&2
      exit 1
    }
    after=$(find "$here/corpus/$t" -type f | wc -l)
    echo "$t: corpus $before -> $after files"
  done
  exit 0
fi

failed=()
for t in "${targets[@]}"; do
  work=$run_dir/$t
  [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$work"
  mkdir -p "$work"
  [ -d "$here/corpus/$t" ] && cp -n "$here/corpus/$t"/* "$work"/ 2>/dev/null
  art=$run_dir/artifacts/$t-
  rm -f "$art"*
  log=$run_dir/logs/$t.log
  parallel=()
  if [ -n "${FUZZ_JOBS:-}" ]; then parallel=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
  # -jobs writes fuzz-N.log in the current directory.
  (cd "$run_dir/logs" && exec "$(binary "$t")" $(target_flags "$t") ${FUZZ_ARGS:-} "${parallel[@]}" \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$art" "$work") >"$log" 2>&1
  rc=$?
  [ ${#parallel[@]} -gt 0 ] && cat "$run_dir"/logs/fuzz-*.log >>"$log" 2>/dev/null && rm -f "$run_dir"/logs/fuzz-*.log
  found=$(find "$run_dir/artifacts" -maxdepth 1 -type f \
            \( -name "$t-crash-*" -o -name "$t-leak-*" -o -name "$t-timeout-*" -o -name "$t-oom-*" \) | sort)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
  cov=$(grep -oE '(DONE|pulse|NEW|REDUCE|INITED) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | awk '{print "cov " $3 " ft " $5}')
  printf '%-20s %4ss  %9s execs  %6s/s  %-22s corpus %s\n' "$t" "$seconds" "$execs" "$speed" "${cov:-cov ?}" \
    "$(find "$work" -type f | wc -l)"
  if [ $rc -ne 0 ] || [ -n "$found" ]; then
    failed+=("$t")
    echo "!! $t failed (exit $rc); log: ${log#"$repo"/}"
    grep -m5 -E '==fuzz==|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" | sed 's/^/   /'
    for f in $found; do
      echo "   reproducer: ${f#"$repo"/}"
      echo "   replay:     $(binary "$t") $f"
    done
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "== fuzzing found problems in: ${failed[*]} (see docs/fuzzing.md, 'When a target fails')"
  exit 1
fi
echo "== fuzzing: no findings (${#targets[@]} targets, ${seconds}s each)"
