#!/bin/bash
# Long fuzzing runs of every target, one after the other (or only those named), in a build
# directory configured with -DRCSIM_FUZZ=ON (see tests/fuzz/README.md). Each target runs until
# RUNS executions (default 1 000 000) or SECONDS (default 0 = no time limit), whichever comes
# first, on one core (-workers/-jobs are not used). Findings land in
# BUILD/tests/fuzz/long/<target>/artifacts, the grown corpus in .../corpus, libFuzzer's log in
# .../log. Prints a Markdown table: executions, wall time, exec/s, libFuzzer's final cov/ft,
# corpus size, peak RSS and the findings (artifact files). Exit status 1 when any target found one.
# Usage: tests/fuzz/run_long.sh BUILD_DIR [RUNS] [SECONDS] [TARGET...]
set -uo pipefail
BUILD=$1
RUNS=${2:-1000000}
SECS=${3:-0}
shift $(($# >= 3 ? 3 : $#))
HERE=$(cd "$(dirname "$0")" && pwd)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$HERE"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $RUNS per target; time limit: ${SECS} s per target (0 = none)"
rows=()
status=0
for t in "${targets[@]}"; do
  bin="$BUILD/tests/fuzz/fuzz_$t"
  if [ ! -x "$bin" ]; then
    echo "skip $t: $bin not built (cmake --build $BUILD --target fuzz_all)"
    rows+=("| $t | not built | | | | | | |")
    status=1
    continue
  fi
  work="$BUILD/tests/fuzz/long/$t"
  rm -rf "$work/artifacts"
  mkdir -p "$work"
  echo "== $t" >&2
  start=$(date +%s.%N)
  bash "$HERE/run_fuzz.sh" "$bin" "$HERE/corpus/$t" "$work" "$SECS" -runs="$RUNS" >"$work/log" 2>&1
  rc=$?
  end=$(date +%s.%N)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log" | tail -1)
  # The last status line (#N DONE / #N pulse / INITED ...) carries cov: and ft:.
  last=$(grep -E '^#[0-9]+ ' "$work/log" | grep ' cov: ' | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
  eps=$(awk -v n="${execs:-0}" -v s="$wall" 'BEGIN { printf "%.0f", s > 0 ? n / s : 0 }')
  findings=none
  if [ "$rc" -ne 0 ] || [ -n "$(ls -A "$work/artifacts" 2>/dev/null)" ]; then
    findings="exit $rc: $(ls "$work/artifacts" 2>/dev/null | tr '\n' ' ')$(grep -m1 -E '^(SUMMARY|==[0-9]+==ERROR)' "$work/log")"
    status=1
  fi
  rows+=("| $t | ${execs:-?} | $wall | $eps | ${cov:-?} / ${ft:-?} | ${corp:-?} | ${rss:-?} | $findings |")
  echo "${rows[-1]}" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| target | executions | time (s) | exec/s | cov / ft | corpus (files/bytes) | peak RSS (MB) | findings |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $status
