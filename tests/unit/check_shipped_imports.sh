#!/bin/bash
# The shipped ImageNet networks workloads/networks/{resnet18,mobilenet_v2}.yaml are exactly what
# `rcsim import --no-weights` makes of the torchvision models workloads/onnx/export_models.py
# exports (ctest fixture onnx_export_large): re-import both and compare byte for byte. Exit 77
# (skipped, with the reason) when the models cannot be generated here.
# Usage: check_shipped_imports.sh RCSIM GENERATED_DIR SOURCE_DIR WORKDIR [SKIP_REASON]
set -uo pipefail
RCSIM=$1
GEN=$2
SRC=$3
WORK=$4
if [ -n "${5:-}" ]; then
  echo "skipped: the torchvision models are not generated: $5"
  exit 77
fi
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
fail=0
for m in resnet18 mobilenet_v2; do
  if ! "$RCSIM" import "$GEN/$m.onnx" --out "$WORK" --no-weights > /dev/null; then
    echo "FAIL: rcsim import $GEN/$m.onnx"; fail=1; continue
  fi
  if ! diff -u "$SRC/workloads/networks/$m.yaml" "$WORK/$m.yaml"; then
    echo "FAIL: workloads/networks/$m.yaml differs from a fresh import; regenerate it with"
    echo "  $RCSIM import $GEN/$m.onnx --out $SRC/workloads/networks --no-weights"
    fail=1
  fi
done
[ $fail -eq 0 ] && echo PASS
exit $fail
