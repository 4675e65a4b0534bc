#!/bin/bash
# Long fuzzing runs of every target, one after the other (or only those named), in a build
# directory configured with -DRCSIM_FUZZ=ON (see tests/fuzz/README.md). Each target runs until
# RUNS executions (default 1 000 000) or SECONDS (default 0 = no time limit), whichever comes
# first, on one core (-workers/-jobs are not used). Findings land in
# BUILD/tests/fuzz/long/<target>/artifacts, the grown corpus in .../corpus, libFuzzer's log in
# .../log. Prints a Markdown table: executions, wall time, exec/s, libFuzzer's final cov/ft,
# corpus size, peak RSS and the findings (artifact files). Exit status 1 when any target found one.
# With REPORT_ONLY=1 nothing is run: the table is made from the logs of the last run.
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
  if [ "${REPORT_ONLY:-0}" != 1 ]; then
    rm -rf "$work/artifacts"
    mkdir -p "$work"
    echo "== $t" >&2
    start=$(date +%s)
    bash "$HERE/run_fuzz.sh" "$bin" "$HERE/corpus/$t" "$work" "$SECS" -runs="$RUNS" >"$work/log" 2>&1
    echo "exit $? after $(($(date +%s) - start)) s" >>"$work/log"
  fi
  rc=$(sed -n 's/^exit \([0-9]*\) after .*/\1/p' "$work/log" | tail -1)
  [ -n "$rc" ] || { grep -q '^Done [0-9]* runs' "$work/log" && rc=0 || rc=1; }
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log" | tail -1)
  # libFuzzer's own time ("Done N runs in S second(s)"); on a finding, the whole run's wall time.
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$work/log" | tail -1)
  [ -n "$secs" ] || secs=$(sed -n 's/^exit [0-9]* after \([0-9]*\) s/\1/p' "$work/log" | tail -1)
  # The last status line (#N DONE / REDUCE / pulse ...) carries cov:, ft: and corp:.
  last=$(grep -E '^#[0-9]+[[:space:]]' "$work/log" | grep ' cov: ' | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\)[[:space:]].*/\1/p' <<<"$last")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  eps=$(awk -v n="${execs:-0}" -v t="${secs:-0}" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
  findings=none
  # 72: libFuzzer's exit code when stopped by SIGINT (by hand, before RUNS); not a finding.
  if [ "${rc:-1}" -eq 72 ] && [ -z "$(ls -A "$work/artifacts" 2>/dev/null)" ]; then
    findings="none (stopped by hand)"
  elif [ "${rc:-1}" -ne 0 ] || [ -n "$(ls -A "$work/artifacts" 2>/dev/null)" ]; then
    findings="exit ${rc:-?}: $(ls "$work/artifacts" 2>/dev/null | tr '\n' ' ')$(grep -m1 -oE 'ERROR: [A-Za-z]+: [a-z-]+|ERROR: libFuzzer: [a-z][a-z -]*[a-z]|SUMMARY: .*' "$work/log")"
    status=1
  fi
  rows+=("| $t | ${execs:-?} | ${secs:-?} | $eps | ${cov:-?} / ${ft:-?} | ${corp:-?} | ${rss:-?} | $findings |")
  echo "${rows[-1]}" >&2
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| target | executions | time (s) | exec/s | cov / ft | corpus (files/bytes) | peak RSS (MB) | findings |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit $status
