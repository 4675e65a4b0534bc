#!/bin/bash
# Failures of the user's environment, not bugs: gnuplot missing, an output directory that cannot
# be created, a read-only directory, an output path that is a directory. Each gives exit code 2 and
# exactly one line on stderr ("rcsim: error: …", never "internal error") naming the path or tool,
# and nothing on stdout.
# Usage: test_cli_environment_errors.sh RCSIM WORKDIR
set -uo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
printf 'energy_j,accuracy,width\n1e-6,0.9,1\n2e-6,0.95,2\n' > pareto.csv
printf 'width,cycles,latency_s,energy_j,avg_power_w,accuracy\n1,10,1e-6,1e-6,1,0.9\n' > table.csv
printf 'time_s,deadline_s,power_budget_w,min_accuracy\n0,1,,\n' > trace.csv
printf 'name: tiny\npoints:\n  - {network: mnist_lenet, width: 1}\n' > tiny.yaml
touch afile      # a file where a directory is expected
mkdir adir       # a directory where a file is expected
mkdir nogp       # PATH without gnuplot
fail=0
expect() {  # expected substring, command...
  local want=$1; shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  if [ $rc -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || ! grep -qF -- "$want" err.txt ||
     ! grep -q '^rcsim: error: ' err.txt || [ -s out.txt ]; then
    echo "FAIL (rc=$rc, want '$want'): $*"; cat err.txt; head -3 out.txt; fail=1
  fi
}

# gnuplot missing: report keeps its tables and says how to skip the plot; plot fails the same way.
expect "'gnuplot' not found in PATH" env PATH="$WORK/nogp" "$RCSIM" report --out rep
grep -qF -- "--no-plot" err.txt || { echo "FAIL: report should mention --no-plot"; fail=1; }
[ -s rep/mnist_lenet-energy.csv ] && [ -s rep/mnist_lenet-energy.gp ] || { echo "FAIL: report tables not written"; fail=1; }
env PATH="$WORK/nogp" "$RCSIM" report --out rep2 --no-plot > out.txt 2> err.txt ||
  { echo "FAIL: report --no-plot without gnuplot exited $?"; cat err.txt; fail=1; }
expect "'gnuplot' not found in PATH" env PATH="$WORK/nogp" "$RCSIM" plot pareto.csv --kind pareto --out pl

# An output directory that cannot be created (a file is in the way).
expect "afile/sub: cannot create the output directory" "$RCSIM" report --out afile/sub --no-plot
expect "afile/p.dat.tmp: cannot create" "$RCSIM" plot pareto.csv --kind pareto --out afile/p
expect "afile/r.csv.journal: cannot open journal" "$RCSIM" sweep --spec tiny.yaml --evaluator sleep:0 --out afile/r.csv
expect "afile/d.csv.tmp: cannot create" "$RCSIM" governor --table table.csv --trace trace.csv --out afile/d.csv
expect "afile/x.vcd.partial" "$RCSIM" run --weights random --set array.rows=4 --set array.cols=4 --vcd afile/x.vcd

# A read-only directory: /proc takes no new files, even from root; a mode-555 directory when the
# permission bits bind (not root).
ro_dirs=(/proc)
mkdir ro && chmod 555 ro
if ! touch ro/probe 2> /dev/null; then ro_dirs+=("$WORK/ro"); else rm -f ro/probe; fi
for ro in "${ro_dirs[@]}"; do
  expect "$ro" "$RCSIM" report --out "$ro" --no-plot
  expect "$ro/p.dat.tmp: cannot create" "$RCSIM" plot pareto.csv --kind pareto --out "$ro/p"
  expect "$ro/t.csv.tmp: cannot create" "$RCSIM" governor --table table.csv --trace trace.csv --write-table "$ro/t.csv"
  expect "$ro/r.csv.journal: cannot open journal" "$RCSIM" sweep --spec tiny.yaml --evaluator sleep:0 --out "$ro/r.csv"
done
chmod 755 ro

# An output file path that is a directory.
expect "adir: cannot write" "$RCSIM" governor --table table.csv --trace trace.csv --out adir
expect "adir: cannot read: Is a directory" "$RCSIM" sweep --spec tiny.yaml --evaluator sleep:0 --out adir --no-accuracy
[ $fail -eq 0 ] && echo PASS
exit $fail
