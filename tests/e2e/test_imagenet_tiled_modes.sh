#!/bin/bash
# torchvision resnet18 and mobilenet_v2 (224x224, random weights) on the default arch, no buffer
# override, every width: fast and per-cycle mode report identical JSON (cycles, every counter,
# tiling, DRAM bytes, energy) apart from the mode/backend echo, both match the integer reference,
# and the runs do tile through DRAM (issue 11's must-show, for the whole networks).
# Usage: test_imagenet_tiled_modes.sh RCSIM WORKDIR
set -euo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
for net in resnet18 mobilenet_v2; do
  for k in 1 2 3 4; do
    "$RCSIM" run --net "$net" --weights random --width "$k" --mode fast --json > fast.json
    start=$(date +%s.%N)
    "$RCSIM" run --net "$net" --weights random --width "$k" --mode per-cycle --json > per_cycle.json
    end=$(date +%s.%N)
    /usr/bin/python3 - "$net" "$k" "$start" "$end" <<'PY'
import json, sys
net, k, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
a, b = json.load(open('fast.json')), json.load(open('per_cycle.json'))
assert a['outputs_match_reference'] and b['outputs_match_reference'], (net, k, 'outputs differ from the reference')
for j in (a, b):
    j.pop('mode'), j.pop('backend')
assert a == b, (net, k, 'fast and per-cycle reports differ')
tiled = [l['name'] for l in a['layers'] if l['tiling']['row_tiles'] > 1 or l['tiling']['weight_tiles'] > 1]
assert tiled, (net, k, 'no tiled layer')
print(f"{net} width {k}: {a['cycles']} cycles, {len(tiled)} tiled layers, fast == per-cycle "
      f"(per-cycle run {t1 - t0:.1f} s wall)")
PY
  done
done
