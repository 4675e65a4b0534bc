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
