#!/bin/bash
# Bad input to sweep/merge/plot/governor: exit code 2 and exactly one line on stderr naming the
# culprit; no output file written.
# Usage: test_sweep_cli_errors.sh RCSIM WORKDIR
set -uo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
printf 'name: x\ngrid: {network: mnist_lenet, widht: [1]}\n' > bad.yaml
printf 'a,b\n1,2\n' > notsweep.csv
printf 'width,cycles,latency_s,energy_j,avg_power_w,accuracy\n1,10,1e-6,1e-6,1,0.9\n' > table.csv
printf 'time_s,deadline_s,power_budget_w,min_accuracy\n1,1,,\n0,1,,\n' > backwards.csv
fail=0
expect() {  # expected substring, command...
  local want=$1; shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  if [ $rc -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || ! grep -qF -- "$want" err.txt; then
    echo "FAIL (rc=$rc): $*"; cat err.txt; fail=1
  fi
}
expect "grid.widht: unknown axis 'widht' (did you mean 'width'?)" "$RCSIM" sweep --spec bad.yaml --out r1.csv
expect "i must satisfy 0 <= i < N" "$RCSIM" sweep --spec lenet_design_space --out r2.csv --shard 4/4
expect "notsweep.csv: not a sweep result CSV" "$RCSIM" merge --out m.csv notsweep.csv
expect "has no 'energy_j' column" "$RCSIM" plot notsweep.csv --kind pareto --out p
expect "backwards.csv: row 3: time_s decreases" "$RCSIM" governor --table table.csv --trace backwards.csv
expect "fixed:K needs a width" "$RCSIM" governor --table table.csv --trace backwards.csv --policy fixed:0
expect "--where 'a<<1': expected COLUMN OP VALUE" "$RCSIM" best notsweep.csv --where 'a<<1'
expect "no column 'c' (did you mean" "$RCSIM" best notsweep.csv --where 'c<1'
expect "--where and --objective ask for the best points: add --best" "$RCSIM" sweep --spec lenet_design_space --out r3.csv --where 'latency_s<1'
expect "'enrgy_j' is not a column of a sweep result" "$RCSIM" sweep --spec lenet_design_space --out r4.csv --best --objective enrgy_j:min
expect "--y: the CSV has no 'c' column" "$RCSIM" plot notsweep.csv --x a --y c --out p
for f in r1.csv r2.csv r3.csv r4.csv m.csv p.png p.svg; do [ ! -e "$f" ] || { echo "FAIL: $f written"; fail=1; }; done
[ $fail -eq 0 ] && echo PASS
exit $fail
