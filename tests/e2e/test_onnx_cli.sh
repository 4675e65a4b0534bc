#!/bin/bash
# ONNX models on the command line: `rcsim import` writes a YAML and a weights file that reproduce
# `--net MODEL.onnx` exactly (info, eval and run give the same numbers), `rcsim eval --net
# MODEL.onnx` scores the model's own weights (float and int8), and bad models — truncated, an
# unsupported operator, dynamic shapes, a wrong input rank — end `rcsim run/info/import` with exit
# 2 and one line. Parts that need Fashion-MNIST or the Python onnx package say so and skip.
# Usage: test_onnx_cli.sh RCSIM SOURCE_DIR WORKDIR PYTHON
set -uo pipefail
RCSIM=$1
SRC=$2
WORK=$3
PY=$4
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
M="$SRC/workloads/onnx/models"
FASHION=/usr/share/datasets/fashion-mnist
fail=0
have_fashion=0
[ -e "$FASHION/t10k-images-idx3-ubyte.gz" ] && have_fashion=1
have_onnx=0
"$PY" -c "import onnx, numpy" 2> /dev/null && have_onnx=1

expect() {  # expected substring, command...
  local want=$1; shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  if [ $rc -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || [ -s out.txt ] || ! grep -qF -- "$want" err.txt ||
     ! grep -q '^rcsim: error: ' err.txt; then
    echo "FAIL (rc=$rc, want '$want'): $*"; cat err.txt; head -3 out.txt; fail=1
  fi
}
ok() {  # command... (must succeed)
  "$@" > out.txt 2> err.txt || { echo "FAIL (rc=$?): $*"; cat err.txt; fail=1; }
}

# --- import: YAML with provenance comments + weights file; the YAML is the same network --------
calib=()
[ $have_fashion -eq 1 ] && calib=(--calib-dataset fashion-mnist)
ok "$RCSIM" import "$M/fmnist_small.onnx" --out imp "${calib[@]}"
[ -s imp/fmnist_small.yaml ] && [ -s imp/fmnist_small.safetensors ] || { echo "FAIL: import wrote no files"; fail=1; }
grep -q "^# fmnist_small: imported from fmnist_small.onnx" imp/fmnist_small.yaml || { echo "FAIL: no provenance header"; fail=1; }
grep -qF "# '/stem/stem.0/Conv' + '/Relu'" imp/fmnist_small.yaml || { echo "FAIL: no per-layer origin comment"; fail=1; }
ok "$RCSIM" info --net "$M/fmnist_small.onnx" --json && cp out.txt info_onnx.json
ok "$RCSIM" info --net imp/fmnist_small.yaml --json && cp out.txt info_yaml.json
cmp -s info_onnx.json info_yaml.json || { echo "FAIL: info of the .onnx and of the imported YAML differ"; fail=1; }
ok "$RCSIM" info --net "$M/fmnist_small.onnx"
grep -q "^dwsep.dw.0 .*dwconv 3x3/2 +relu6 .*block.add .*16x7x7 .*4 .*8 .*12 .*16 " out.txt ||
  { echo "FAIL: info's node table"; cat out.txt; fail=1; }
"$PY" - info_onnx.json <<'PY' || { echo "FAIL: info --json"; fail=1; }
import json, sys
j = json.load(open(sys.argv[1]))
assert j["network"] == "fmnist_small" and j["width_groups"] == 4, j
n = {x["name"]: x for x in j["nodes"]}
assert n["block.add"]["inputs"] == ["block.conv2.0", "stem.0"], n["block.add"]
assert n["fc"]["channels"] == [10, 10, 10, 10] and not n["fc"]["narrows_with_width"]
assert j["totals"]["macs"][-1] == sum(x["macs"][-1] for x in j["nodes"]) == 963856, j["totals"]
PY

# --- eval: the model's own weights, float and int8; the import reproduces them ---------------
if [ $have_fashion -eq 1 ]; then
  ok "$RCSIM" eval --net "$M/fmnist_small.onnx" --dataset fashion-mnist --width 4 --images 1000 --json && cp out.txt ev_onnx.json
  ok "$RCSIM" eval --net imp/fmnist_small.yaml --weights imp/fmnist_small.safetensors --dataset fashion-mnist \
     --width 4 --images 1000 --json && cp out.txt ev_yaml.json
  "$PY" - ev_onnx.json ev_yaml.json "$M/fmnist_small.json" <<'PY' || { echo "FAIL: eval"; fail=1; }
import json, sys
a, b, ref = (json.load(open(p)) for p in sys.argv[1:])
assert set(a) == {"network", "dataset", "width", "groups", "accuracy_float", "accuracy_int8", "images"}, a
assert a == b, (a, b)
# PyTorch's accuracy on these 1000 images (fmnist_small.json), and int8 within one point of it.
assert a["accuracy_float"] == ref["accuracy_first_n"], (a, ref["accuracy_first_n"])
assert abs(a["accuracy_int8"] - a["accuracy_float"]) <= 0.01, a
PY
  expect "give --dataset" "$RCSIM" eval --net "$M/fmnist_small.onnx"
else
  echo "skipped the eval checks: Fashion-MNIST not in $FASHION (apt-get install dataset-fashion-mnist)"
fi
expect "give --weights FILE" "$RCSIM" eval --net cifar10_quick --dataset mnist

# --- models made here with the onnx package: a chain the accelerator runs, and bad models -------
if [ $have_onnx -eq 1 ]; then
  "$PY" - <<'PY' || { echo "FAIL: could not build the test models"; fail=1; }
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(0)
def init(name, *shape):
    return numpy_helper.from_array((0.2 * rng.standard_normal(shape)).astype(np.float32), name)
def model(nodes, inits, in_shape, out="logits", path="x.onnx"):
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("input", TensorProto.FLOAT, in_shape)],
                          [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="test_onnx_cli")
    onnx.save(m, path)
# LeNet-like chain: conv-relu-pool-conv-relu-pool-flatten-fc-relu-fc.
chain = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="/conv1/Conv", kernel_shape=[5, 5]),
    helper.make_node("Relu", ["c1"], ["r1"], name="/Relu"),
    helper.make_node("MaxPool", ["r1"], ["p1"], name="/pool1/MaxPool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="/conv2/Conv", kernel_shape=[5, 5]),
    helper.make_node("Relu", ["c2"], ["r2"], name="/Relu_1"),
    helper.make_node("MaxPool", ["r2"], ["p2"], name="/pool2/MaxPool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Flatten", ["p2"], ["f"], name="/Flatten"),
    helper.make_node("Gemm", ["f", "w3", "b3"], ["h"], name="/fc1/Gemm", transB=1),
    helper.make_node("Relu", ["h"], ["hr"], name="/Relu_2"),
    helper.make_node("Gemm", ["hr", "w4", "b4"], ["logits"], name="/fc2/Gemm", transB=1),
]
chain_inits = [init("w1", 8, 1, 5, 5), init("b1", 8), init("w2", 16, 8, 5, 5), init("b2", 16),
               init("w3", 32, 256), init("b3", 32), init("w4", 10, 32), init("b4", 10)]
model(chain, chain_inits, [1, 1, 28, 28], path="chain.onnx")
# An operator rcsim has no layer for.
model(chain + [helper.make_node("Softmax", ["logits"], ["prob"], name="head")], chain_inits, [1, 1, 28, 28],
      out="prob", path="softmax.onnx")
# A dynamic image size.
model(chain, chain_inits, [1, 1, "H", "W"], path="dynamic.onnx")
# A flat (rank 2) input.
model([helper.make_node("Gemm", ["input", "w4", "b4"], ["logits"], name="fc", transB=1)],
      [init("w4", 10, 784), init("b4", 10)], [1, 784], path="rank2.onnx")
PY
  # The chain runs on the accelerator (per-channel weight scales: per-channel post-processing
  # shifts); the imported YAML + weights file give the identical run.
  ok "$RCSIM" import chain.onnx --out imp2
  ok "$RCSIM" run --net chain.onnx --mode fast --images 3 --json && cp out.txt run_onnx.json
  ok "$RCSIM" run --net imp2/chain.yaml --weights imp2/chain.safetensors --mode fast --images 3 --json && cp out.txt run_yaml.json
  "$PY" - run_onnx.json run_yaml.json <<'PY' || { echo "FAIL: run of the .onnx vs the import"; fail=1; }
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["outputs_match_reference"] is True, a["outputs_match_reference"]
assert "chain.onnx (its own weights, int8, calibrated on random images" in a["weights"], a["weights"]
del a["weights"], b["weights"]
assert a == b, [k for k in a if a[k] != b.get(k)]
assert [l["name"] for l in a["layers"]] == ["conv1", "pool1", "conv2", "pool2", "fc1", "fc2"], a["layers"]
PY
  for cmd in run info; do
    expect "head' (Softmax): unsupported operator" "$RCSIM" $cmd --net softmax.onnx
    expect "dimension 2 is dynamic" "$RCSIM" $cmd --net dynamic.onnx
    expect "(rank 2); rcsim needs a rank-4" "$RCSIM" $cmd --net rank2.onnx
  done
  expect "head' (Softmax): unsupported operator" "$RCSIM" import softmax.onnx --out bad
  expect "dimension 2 is dynamic" "$RCSIM" import dynamic.onnx --out bad
  expect "(rank 2); rcsim needs a rank-4" "$RCSIM" import rank2.onnx --out bad
  [ ! -e bad ] || { echo "FAIL: a rejected import created its output directory"; fail=1; }
else
  echo "skipped the chain-run and bad-model checks: $PY cannot import onnx, numpy (apt-get install python3-onnx)"
fi

# --- more bad input: truncated file, no such file, a YAML to import, too many width groups -----
head -c 3000 "$M/fmnist_small.onnx" > truncated.onnx
for cmd in run info; do expect "truncated.onnx: not an ONNX model" "$RCSIM" $cmd --net truncated.onnx; done
expect "truncated.onnx: not an ONNX model" "$RCSIM" import truncated.onnx --out bad
expect "missing.onnx" "$RCSIM" info --net missing.onnx
expect "rcsim import reads ONNX models" "$RCSIM" import "$SRC/workloads/networks/mnist_lenet.yaml" --out bad
expect "--width-groups" "$RCSIM" import "$M/resblock.onnx" --width-groups 9 --out bad
# An output directory that cannot be created: the user's environment (exit 2, one line).
touch afile
expect "afile/sub: cannot create the output directory" "$RCSIM" import "$M/resblock.onnx" --out afile/sub --no-weights
[ $fail -eq 0 ] && echo PASS
exit $fail
