#!/bin/bash
# `rcsim eval` on the shipped weights: JSON keys and values, the shipped LeNet's accuracy, and
# one-line errors (exit 2, nothing on stdout) for a wrong network, a non-weights file, a width out
# of range, a missing dataset; `rcsim train` rejects impossible width groups the same way.
# Usage: test_eval_cli.sh RCSIM SOURCE_DIR WORKDIR
set -uo pipefail
RCSIM=$1
SRC=$2
WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
W="$SRC/workloads/weights/mnist_lenet-mnist-incremental.safetensors"
fail=0

"$RCSIM" eval --weights "$W" --dataset mnist --width 4 --images 500 --json > one.json || { echo "FAIL: eval exited $?"; fail=1; }
python3 - one.json <<'PY' || fail=1
import json, sys
r = json.load(open(sys.argv[1]))
keys = {"network", "dataset", "width", "groups", "accuracy_float", "accuracy_int8", "images"}
assert set(r) == keys, f"keys {sorted(r)}"
assert (r["network"], r["dataset"], r["width"], r["groups"], r["images"]) == ("mnist_lenet", "mnist", 4, 4, 500), r
# The shipped weights are trained: ~98 % on MNIST (docs/host-model.md); chance would be 10 %.
assert 0.95 <= r["accuracy_int8"] <= 1 and 0.95 <= r["accuracy_float"] <= 1, r
assert abs(r["accuracy_int8"] - r["accuracy_float"]) <= 0.01, r
PY
"$RCSIM" eval --weights "$W" --dataset mnist --images 200 --json > all.json || { echo "FAIL: eval (all widths) exited $?"; fail=1; }
python3 -c "import json,sys; a=json.load(open('all.json')); assert [r['width'] for r in a]==[1,2,3,4], a" || { echo "FAIL: all widths"; fail=1; }

expect() {  # expected substring, command...
  local want=$1; shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  if [ $rc -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || [ -s out.txt ] || ! grep -qF -- "$want" err.txt; then
    echo "FAIL (rc=$rc): $*"; cat err.txt; fail=1
  fi
}
printf 'not a weights file\n' > junk.safetensors
expect "weights are for network 'mnist_lenet', not 'cifar10_quick'" "$RCSIM" eval --weights "$W" --net cifar10_quick --dataset mnist
expect "junk.safetensors: not a valid safetensors file" "$RCSIM" eval --weights junk.safetensors --dataset mnist
expect "width 5 is out of range" "$RCSIM" eval --weights "$W" --dataset mnist --width 5
expect "fetch-data.sh" env RCSIM_DATA_DIR="$WORK/none" "$RCSIM" eval --weights "$W" --dataset mnist
# Only where the trainer rcsim-train is built (libtorch); without it the command says so instead.
train_err=$("$RCSIM" train --net mnist_lenet --dataset mnist --groups 30 --epochs 1 --out "$WORK/x.safetensors" 2>&1)
if [[ "$train_err" == *"needs the trainer executable rcsim-train"* ]]; then
  echo "skipped the train check: rcsim-train was not built (no libtorch)"
else
  expect "--groups 30 is out of range" "$RCSIM" train --net mnist_lenet --dataset mnist --groups 30 --epochs 1 --out "$WORK/x.safetensors"
  [ ! -e "$WORK/x.safetensors" ] || { echo "FAIL: train wrote a file"; fail=1; }
fi

# Progress: nothing on stderr when it is not a terminal; on a terminal (script(1) gives a pty) a
# line with the images done and an ETA, erased before the table.
"$RCSIM" eval --weights "$W" --dataset mnist --images 300 --threads 1 > quiet.out 2> quiet.err || fail=1
[ ! -s quiet.err ] || { echo "FAIL: eval wrote to stderr without a terminal:"; cat quiet.err; fail=1; }
if command -v script > /dev/null; then
  script -qec "$RCSIM eval --weights $W --dataset mnist --images 300 --threads 1" /dev/null > tty.out 2>&1 || fail=1
  grep -qE "eval [0-9]+/300" tty.out || { echo "FAIL: no progress line on a terminal"; cat tty.out; fail=1; }
  grep -q "98" tty.out || { echo "FAIL: no accuracy table on a terminal"; fail=1; }
fi

# report --weights FILE: any path (no magic directory or name); its accuracy column is eval's.
mkdir -p elsewhere && cp "$W" elsewhere/my_lenet.safetensors
"$RCSIM" report --net mnist_lenet --weights elsewhere/my_lenet.safetensors --images 100 --no-plot --out rep \
  > report.out 2> report.err || { echo "FAIL: report --weights exited $?"; cat report.err; fail=1; }
"$RCSIM" eval --weights elsewhere/my_lenet.safetensors --dataset mnist --images 100 --int8 --json > e100.json || fail=1
python3 - <<'PY' || fail=1
import csv, json
rows = list(csv.DictReader(open('rep/mnist_lenet-mnist.csv')))
ev = {r['width']: r['accuracy_int8'] for r in json.load(open('e100.json'))}
for r in rows:
    assert abs(float(r['accuracy_incremental']) - ev[int(r['width'])]) < 0.00006, (r, ev)
    assert r['accuracy_joint'] == '', r  # one file, incremental by its metadata
print('PASS report --weights')
PY
grep -q -- "--weights elsewhere/my_lenet.safetensors" rep/mnist_lenet-mnist.md || { echo "FAIL: report command line"; fail=1; }

[ $fail -eq 0 ] && echo PASS
exit $fail
