#!/bin/bash
# Edge coverage of each fuzz target's reader source files over its corpus (the seeds plus what
# run_long.sh grew in BUILD/tests/fuzz/long/<target>/corpus). Uses the fuzz build itself: every
# input is executed once (-runs=0) and libFuzzer's -print_coverage=1 lists, per function, the
# SanitizerCoverage edges (basic-block transitions, about branch coverage) hit out of those
# instrumented; the edges of the functions defined in the reader files are summed. Prints a
# Markdown table.
# Usage: tests/fuzz/coverage.sh BUILD_DIR [TARGET...]
set -uo pipefail
BUILD=$1
shift
HERE=$(cd "$(dirname "$0")" && pwd)
# The files that read each target's untrusted bytes (what the coverage figure is about).
declare -A readers=(
  [network_yaml]="core/network_yaml.cpp core/network.cpp core/yaml_util.cpp core/yaml_source.cpp"
  [arch_yaml]="core/arch_params.cpp core/arch_fields.cpp core/field_value.cpp core/yaml_util.cpp"
  [energy_yaml]="energy/energy_table.cpp core/yaml_util.cpp"
  [sweep_spec]="sweep/sweep_spec.cpp core/yaml_util.cpp"
  [governor_csv]="sweep/governor.cpp sweep/csv_table.cpp"
  [sweep_results]="sweep/csv_table.cpp sweep/journal.cpp"
  [safetensors]="host/safetensors.cpp"
  [idx]="host/idx_file.cpp host/datasets_fashion_mnist.cpp"
  [cifar10]="host/datasets_cifar10.cpp"
  [svhn_mat]="host/mat_file.cpp host/datasets_svhn.cpp"
  [onnx]="onnx/onnx_reader.cpp onnx/onnx_normalize.cpp onnx/onnx_import.cpp onnx/onnx_fold.cpp"
)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$HERE"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
echo "| target | inputs | reader files (sim/) | edges hit | edge coverage |"
echo "|---|---|---|---|---|"
for t in "${targets[@]}"; do
  bin="$BUILD/tests/fuzz/fuzz_$t"
  [ -x "$bin" ] || { echo "| $t | not built | | | |"; continue; }
  work="$BUILD/tests/fuzz/cov/$t"
  rm -rf "$work" && mkdir -p "$work/artifacts"
  dirs=("$HERE/corpus/$t")
  [ -d "$BUILD/tests/fuzz/long/$t/corpus" ] && dirs+=("$BUILD/tests/fuzz/long/$t/corpus")
  n=$(find "${dirs[@]}" -type f | wc -l)
  "$bin" -runs=0 -print_coverage=1 -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
    -artifact_prefix="$work/artifacts/" "${dirs[@]}" >"$work/log" 2>&1
  pattern=$(sed 's/\([^ ]*\)/\/sim\/\1:/g; s/ /|/g' <<<"${readers[$t]}")
  read -r hit total < <(grep -E '^(UN)?COVERED_FUNC: ' "$work/log" | grep -E "$pattern" |
    sed -n 's/.* edges: \([0-9]*\)\/\([0-9]*\) .*/\1 \2/p' | awk '{ h += $1; n += $2 } END { print h + 0, n + 0 }')
  pct=$(awk -v h="$hit" -v n="$total" 'BEGIN { printf "%.0f %%", (n > 0 ? 100 * h / n : 0) }')
  echo "| $t | $n | ${readers[$t]} | $hit / $total | $pct |"
done
