#!/bin/bash
# `rcsim governor` measuring its per-width table with the accelerator and the energy model:
# energy and latency grow with width, and widening costs far more with power-gated banks
# (weights reloaded from DRAM) than with retention. Then a replay on the shipped example trace.
# Usage: test_governor_measured.sh RCSIM WORKDIR SOURCE_DIR
set -euo pipefail
RCSIM=$1
WORK=$2
SRC=$3
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
TRACE=$SRC/workloads/sweeps/governor_trace_example.csv
"$RCSIM" governor --net mnist_lenet --weights random --trace "$TRACE" --write-table ret.csv --out d_ret.csv > ret.log
"$RCSIM" governor --net mnist_lenet --weights random --set weight_sram.gating=off --trace "$TRACE" \
  --write-table off.csv --out d_off.csv > off.log
python3 - <<'PY'
import csv
ret = list(csv.DictReader(open('ret.csv')))
off = list(csv.DictReader(open('off.csv')))
assert [r['width'] for r in ret] == ['1', '2', '3', '4'], ret
for t in (ret, off):
    for a, b in zip(t, t[1:]):
        assert float(b['energy_j']) > float(a['energy_j']), (a, b)
        assert float(b['latency_s']) > float(a['latency_s']), (a, b)
for r, o in zip(ret[1:], off[1:]):
    assert float(o['widen_j']) > 100 * float(r['widen_j']), (r, o)   # DRAM reload vs bank wake
    assert int(o['widen_cycles']) > int(r['widen_cycles']), (r, o)
d = list(csv.DictReader(open('d_ret.csv')))
assert len(d) == 12
assert all(x['deadline_met'] in ('0', '1') for x in d)
print('PASS')
PY
grep -q "policy deadline: 12 requests" ret.log

# The bursty trace: greedy misses deadlines that fixed:1 meets; the look-ahead misses none, and
# --compare prints every policy with the cheapest fixed width at equal accuracy.
BURST=$SRC/workloads/sweeps/governor_trace_burst.csv
"$RCSIM" governor --table ret.csv --trace "$BURST" --compare fixed:1,fixed:2,deadline-greedy,deadline --out cmp.csv > cmp.log
python3 - <<'PY'
import csv
rows = {r['policy']: r for r in csv.DictReader(open('cmp.csv'))}
assert list(rows) == ['fixed:1', 'fixed:2', 'deadline-greedy', 'deadline'], list(rows)
assert rows['fixed:1']['deadline_misses'] == '0', rows['fixed:1']
assert int(rows['deadline-greedy']['deadline_misses']) > 0, rows['deadline-greedy']
assert rows['deadline']['deadline_misses'] == '0', rows['deadline']
assert rows['deadline']['best_fixed_at_equal_accuracy'] != '', rows['deadline']
assert rows['fixed:1']['best_fixed_at_equal_accuracy'] == ''
print('PASS compare')
PY
# energy without any budget: one line, exit 2.
set +e
"$RCSIM" governor --table ret.csv --trace "$TRACE" --policy energy > /dev/null 2> energy.err
rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l < energy.err)" = 1 ] && grep -q "policy energy needs a budget" energy.err
echo PASS energy budget

# Accuracy measured on real images (when the MNIST test set is on this machine): fixed:1 over the
# 40 requests classifies test images 0..39 at width 1, so its measured accuracy is `rcsim eval`'s
# int8 accuracy at width 1 on the first 40 images.
if "$RCSIM" governor --table ret.csv --trace "$BURST" --policy fixed:1 --net mnist_lenet --dataset mnist \
     --images 40 --out meas.csv > meas.log 2> meas.err; then
  "$RCSIM" eval --weights "$SRC/workloads/weights/mnist_lenet-mnist-incremental.safetensors" --dataset mnist \
    --images 40 --width 1 --int8 --json > eval.json
  python3 - <<'PY'
import csv, json, re
d = list(csv.DictReader(open('meas.csv')))
correct = sum(int(r['correct']) for r in d)
want = json.load(open('eval.json'))['accuracy_int8']
assert abs(correct / 40 - want) < 1e-12, (correct, want)
m = re.search(r'measured accuracy ([0-9.]+)', open('meas.log').read())
assert m and abs(float(m.group(1)) - want) < 1e-6, m
print('PASS measured accuracy', want)
PY
else
  grep -q "mnist" meas.err && echo "SKIP measured accuracy: $(cat meas.err)"
fi
