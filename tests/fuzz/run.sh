#!/usr/bin/env bash
# Builds the libFuzzer targets into build-fuzz/ (clang, ASan + UBSan) and runs each for a bounded
# time over a scratch corpus seeded from tests/fuzz/corpus/<target>/. Exits non-zero when a target
# finds a crash; the reproducer is left in build-fuzz/fuzz/work/<target>/artifacts/.
#   usage: tests/fuzz/run.sh [seconds per target, default 60]
#   env:   BUILD_DIR (default <repo>/build-fuzz), JOBS (build parallelism, default nproc)
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$root/build-fuzz}"
targets=(fuzz_gguf fuzz_hf_config fuzz_yaml_machine fuzz_trace_file fuzz_sweep_spec fuzz_sweep_tables fuzz_replay)

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
      -DINFERSIM_FUZZ=ON -DINFERSIM_TESTS=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-$(nproc)}" --target "${targets[@]}"

status=0
for t in "${targets[@]}"; do
  work="$build/fuzz/work/$t"
  mkdir -p "$work/corpus" "$work/artifacts"
  echo "== $t: ${seconds}s"
  # New inputs go to the scratch corpus (first directory); the checked-in seeds stay untouched.
  # Leak checks stay with the sanitizer test suite: at exit after an out-of-memory report,
  # LeakSanitizer stops the world with ptrace, which hangs in chroots and containers.
  if ! ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$build/fuzz/$t" "$work/corpus" "$root/tests/fuzz/corpus/$t" \
        $( [ -f "$root/tests/fuzz/$t.dict" ] && echo "-dict=$root/tests/fuzz/$t.dict" ) -max_total_time="$seconds" -max_len=8192 \
        -rss_limit_mb=2048 -malloc_limit_mb=256 -timeout=10 \
        -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>"$work/log.txt"; then
    echo "!! $t found a problem; see $work/log.txt and $work/artifacts/"
    tail -n 40 "$work/log.txt"
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$work/log.txt" | sed "s/^/   /" || true
done
exit "$status"
