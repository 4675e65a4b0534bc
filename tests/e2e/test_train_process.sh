#!/bin/bash
# The process boundary to libtorch: `rcsim` does not link libtorch (nor its c10 core), the trainer
# rcsim-train does, `rcsim train` runs the trainer found beside rcsim (a short real training whose
# weights file `rcsim eval` then reads, its provenance still `rcsim train ...`), and a missing
# trainer is one line on stderr with exit 2.
# Usage: test_train_process.sh RCSIM WORKDIR
set -uo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK/alone" && cd "$WORK" || exit 1
fail=0
TRAINER="$(dirname "$RCSIM")/rcsim-train"

torch_libs() { ldd "$1" | grep -E 'libtorch|libc10' ; }
if [ -n "$(torch_libs "$RCSIM")" ]; then
  echo "FAIL: rcsim links libtorch:"; torch_libs "$RCSIM"; fail=1
fi

# rcsim alone in a directory, no trainer on PATH: one line naming the trainer, exit 2.
cp "$RCSIM" alone/rcsim
err=$(PATH=/usr/bin:/bin alone/rcsim train --net mnist_lenet --out x.safetensors 2>&1 >/dev/null)
code=$?
if [ $code -ne 2 ] || [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [[ "$err" != *"needs the trainer executable rcsim-train"* ]]; then
  echo "FAIL: missing trainer: exit $code, stderr: $err"; fail=1
fi

if [ ! -x "$TRAINER" ]; then
  echo "rcsim-train not built (no libtorch): skipped the training run"
else
  # The check above can fail: the trainer itself does link libtorch.
  [ -n "$(torch_libs "$TRAINER")" ] || { echo "FAIL: ldd shows no libtorch in rcsim-train either"; fail=1; }
  # Found on PATH too when it is not beside rcsim.
  err=$(PATH="$(dirname "$TRAINER"):/usr/bin:/bin" alone/rcsim train --net mnist_lenet --groups 30 --out y.safetensors 2>&1)
  [[ "$err" == *"--groups 30 is out of range"* ]] || { echo "FAIL: trainer on PATH not used: $err"; fail=1; }
  "$RCSIM" train --net mnist_lenet --dataset mnist --epochs 1 --train-images 256 --calibration-images 64 \
    --eval-images 64 --threads 1 --out w.safetensors 2> train.log || { echo "FAIL: train exited $?"; cat train.log; fail=1; }
  grep -q "step 4 epoch 1/1" train.log || { echo "FAIL: no step 4 in the training log"; cat train.log; fail=1; }
  "$RCSIM" eval --weights w.safetensors --width 4 --images 50 --json > eval.json || { echo "FAIL: eval of the trained file"; fail=1; }
  python3 - w.safetensors "$RCSIM" <<'PY' || fail=1
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    meta = json.loads(f.read(n))["__metadata__"]
line = meta["command_line"]
assert line.startswith(sys.argv[2] + " train "), line
assert meta["command"].startswith("rcsim train --net mnist_lenet"), meta["command"]
PY
fi
[ $fail -eq 0 ] && echo PASS
exit $fail
