#!/bin/bash
# The sweep's real evaluator (worker processes) reports what `rcsim run --json` reports (cycles,
# MACs, energy, power, area and energy-delay-area product) for the
# same point, and an invalid point becomes a status=error row with a one-line message.
# Usage: test_sweep_matches_run.sh RCSIM WORKDIR
set -euo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
cat > spec.yaml <<'YAML'
name: matches_run
base: {network: mnist_lenet}
points:
  - {width: 2, array: 8x8, dataflow: ws}
  - {width: 4, array: 16x32, dataflow: os, precision: 16}
  - {width: 1, array: 4096x4}
YAML
"$RCSIM" sweep --spec spec.yaml --out r.csv --jobs 2 > /dev/null
col() { head -1 r.csv | tr ',' '\n' | grep -nx "$1" | cut -d: -f1; }
row() { sed -n "$(( $1 + 2 ))p" r.csv; }
check() {  # point index, run args...
  local i=$1; shift
  local json; json=$("$RCSIM" run --json --weights random --mode fast "$@")
  for key in cycles macs energy_j avg_power_w area_mm2 edap_jsmm2; do
    local want; want=$(printf '%s' "$json" | python3 -c "import json,sys; print(json.load(sys.stdin)['$key'])")
    local got; got=$(row "$i" | cut -d, -f"$(col "$key")")
    [ "$want" = "$got" ] || { echo "FAIL: point $i $key: sweep $got, rcsim run $want"; exit 1; }
  done
}
check 0 --net mnist_lenet --width 2 --set array.rows=8 --set array.cols=8 --set array.dataflow=ws
check 1 --net mnist_lenet --width 4 --set array.rows=16 --set array.cols=32 --set array.dataflow=os --set precision=16
[ "$(row 2 | cut -d, -f"$(col status)")" = error ] || { echo "FAIL: 4096x4 should be an invalid point"; exit 1; }
row 2 | grep -q "array.rows" || { echo "FAIL: error message should name array.rows"; row 2; exit 1; }
[ -n "$(row 0 | cut -d, -f"$(col energy_j)")" ] || { echo "FAIL: no energy_j"; exit 1; }
echo PASS worker
# The one-process-per-point evaluator (cross-check path) agrees on cycles and energy.
"$RCSIM" sweep --spec spec.yaml --out r2.csv --jobs 2 --evaluator rcsim-run --no-accuracy > /dev/null
for key in cycles energy_j; do
  a=$(cut -d, -f"$(col "$key")" r.csv)
  b=$(cut -d, -f"$(head -1 r2.csv | tr ',' '\n' | grep -nx "$key" | cut -d: -f1)" r2.csv)
  [ "$a" = "$b" ] || { echo "FAIL: rcsim-run evaluator $key differs"; echo "$a"; echo "$b"; exit 1; }
done
echo PASS rcsim-run
