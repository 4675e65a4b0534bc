#!/bin/bash
# Whole-process speed of rcsim as a user meets it (issue 13): start-up (`rcsim --version`), a
# one-image fast run, one design point and the 256-point sweep (lenet_design_space), each as a
# whole process, and the peak RSS of `run --images 10` and `--images 10000`. With two binaries
# (before and after a change) every measurement alternates them (before, after, before, after) in
# one sitting. Prints a Markdown table with machine, load average and date. A measurement, not a
# test: nothing here passes or fails.
#
# Usage: [RUNS=20] [SWEEP=1] tests/bench/bench_processes.sh RCSIM [RCSIM_BEFORE]
#   RUNS: hyperfine runs per command; SWEEP=0 leaves out the 256-point sweep (minutes on a busy machine).
#   e.g. tests/bench/bench_processes.sh build/sim/cli/rcsim build-before/sim/cli/rcsim
# Needs hyperfine and GNU time (/usr/bin/time); the --images rows need the MNIST test split
# (workloads/fetch-data.sh).
set -euo pipefail
RUNS=${RUNS:-20}
SWEEP=${SWEEP:-1}
AFTER=$(realpath "$1")
BEFORE=${2:+$(realpath "$2")}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
cat > one_point.yaml <<'YAML'
name: one_point
description: one design point
base: {network: mnist_lenet, arch: default}
grid:
  width: [4]
YAML

bins=("$AFTER")
labels=("after")
if [ -n "$BEFORE" ]; then bins=("$BEFORE" "$AFTER" "$BEFORE" "$AFTER"); labels=("before" "after" "before" "after"); fi

# CPU seconds (user+sys), wall seconds and peak RSS (MB) of one command, via GNU time.
measure() {
  /usr/bin/time -f "%U %S %e %M" -o t.txt "$@" > /dev/null 2> err.txt || { echo "FAILED: $*" >&2; cat err.txt >&2; return 1; }
  awk '{printf "%.3f s CPU, %.3f s wall, %.0f MB", $1 + $2, $3, $4 / 1024}' t.txt
}
# hyperfine: mean wall and mean user+sys over runs after a warm-up.
hf() {
  hyperfine -N --warmup 3 --runs "$1" --export-json h.json "${@:2}" > /dev/null 2>&1
  python3 -c 'import json; r = json.load(open("h.json"))["results"][0]; print("%.1f ms wall, %.1f ms CPU" % (1e3 * r["mean"], 1e3 * (r["user"] + r["system"])))'
}

echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(uname -sr)."
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'). Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Command: \`tests/bench/bench_processes.sh ${1}${2:+ $2}\`"
echo
echo "| measurement | binary | result | load |"
echo "|---|---|---|---|"
row() { echo "| $1 | $2 | $3 | $(cut -d' ' -f1 /proc/loadavg) |"; }
for i in "${!bins[@]}"; do
  b=${bins[$i]}
  row "\`rcsim --version\` (hyperfine, $RUNS runs)" "${labels[$i]}" "$(hf "$RUNS" "$b --version"), $(measure "$b" --version | sed 's/.*, //') RSS"
done
for i in "${!bins[@]}"; do
  b=${bins[$i]}
  row "one-image fast run (\`run --net mnist_lenet --weights random --mode fast\`, hyperfine $RUNS runs)" "${labels[$i]}" \
    "$(hf "$RUNS" "$b run --net mnist_lenet --weights random --mode fast")"
done
for i in "${!bins[@]}"; do
  b=${bins[$i]}
  row "one design point (\`sweep --spec one_point.yaml -j 1 --no-accuracy\`)" "${labels[$i]}" \
    "$(measure "$b" sweep --spec one_point.yaml --out p1_$i.csv -j 1 --no-accuracy)"
done
for i in "${!bins[@]}"; do
  [ "$SWEEP" = 1 ] || break
  b=${bins[$i]}
  row "256-point sweep (\`sweep --spec lenet_design_space -j 2 --no-accuracy\`)" "${labels[$i]}" \
    "$(measure "$b" sweep --spec lenet_design_space --out p256_$i.csv -j 2 --no-accuracy)"
done
for n in 10 10000; do
  for i in "${!bins[@]}"; do
    b=${bins[$i]}
    row "\`run --net mnist_lenet --dataset mnist --mode fast --images $n\`" "${labels[$i]}" \
      "$(measure "$b" run --net mnist_lenet --dataset mnist --mode fast --images $n) peak RSS"
  done
done
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
