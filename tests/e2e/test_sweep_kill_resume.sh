#!/bin/bash
# SIGKILL a running sweep, rerun the same command, and check that every design point appears
# exactly once and that the rerun evaluated only the missing points.
# Usage: test_sweep_kill_resume.sh RCSIM WORKDIR
set -euo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
cat > spec.yaml <<'YAML'
name: kill_resume
base: {network: mnist_lenet}
grid: {width: [1, 2, 3, 4], array: [4x4, 8x8, 16x16, 32x32, 8x32], dataflow: [ws, os]}
YAML
N=40
# The sleep evaluator (synthetic numbers after 100 ms) makes the sweep slow enough to kill.
"$RCSIM" sweep --spec spec.yaml --out r.csv --jobs 2 --evaluator sleep:100 > first.log 2>&1 &
PID=$!
for _ in $(seq 1 200); do
  lines=$( (wc -l < r.csv.journal) 2>/dev/null || echo 0)
  [ "$lines" -ge 6 ] && break
  sleep 0.05
done
kill -KILL "$PID"
wait "$PID" 2>/dev/null || true
done_before=$(wc -l < r.csv.journal)
echo "killed after $done_before journaled points"
[ ! -e r.csv ] || { echo "FAIL: r.csv written by a killed run"; exit 1; }
[ "$done_before" -ge 6 ] && [ "$done_before" -lt "$N" ] || { echo "FAIL: kill did not land mid-run ($done_before)"; exit 1; }
# Simulate a write torn by the kill: half a line at the end of the journal.
printf '{"point_id":"torn' >> r.csv.journal
"$RCSIM" sweep --spec spec.yaml --out r.csv --jobs 2 --evaluator sleep:1 | tee second.log
grep -q "$N points, $done_before already done, $((N - done_before)) evaluated" second.log \
  || { echo "FAIL: rerun did not resume from $done_before"; exit 1; }
rows=$(tail -n +2 r.csv | wc -l)
unique=$(tail -n +2 r.csv | cut -d, -f1 | sort -u | wc -l)
[ "$rows" -eq "$N" ] && [ "$unique" -eq "$N" ] || { echo "FAIL: $rows rows, $unique unique ids, want $N"; exit 1; }
[ ! -e r.csv.journal ] || { echo "FAIL: journal left behind"; exit 1; }
# Point indices 0..N-1, each once, in order.
diff <(tail -n +2 r.csv | cut -d, -f2) <(seq 0 $((N - 1))) || { echo "FAIL: point_index column"; exit 1; }
echo PASS
