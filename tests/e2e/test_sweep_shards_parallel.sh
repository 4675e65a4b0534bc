#!/bin/bash
# Shards run by GNU parallel, joined by `rcsim merge`, equal the unsharded sweep byte for byte.
# Usage: test_sweep_shards_parallel.sh RCSIM WORKDIR EVALUATOR
set -euo pipefail
RCSIM=$1
WORK=$2
EVAL=${3:-sleep:0}
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK"
cat > spec.yaml <<'YAML'
name: shards
base: {network: mnist_lenet}
grid: {width: [1, 2, 3, 4], array: [4x4, 8x8, 16x16], dataflow: [ws, os]}
points: [{width: 4, rows: 64, cols: 64}]
YAML
"$RCSIM" sweep --spec spec.yaml --out all.csv --jobs 2 --evaluator "$EVAL" > /dev/null
# 4 shards, 2 at a time; {} is the shard index (ssh hosts: add -S host1,host2 --workdir .).
parallel -j 2 --halt now,fail=1 "$RCSIM" sweep --spec spec.yaml --out shard{}.csv --shard {}/4 --jobs 1 \
  --evaluator "$EVAL" ::: 0 1 2 3 > /dev/null
"$RCSIM" merge --out merged.csv shard0.csv shard1.csv shard2.csv shard3.csv
# A shard given twice (e.g. a rerun's copy) must not duplicate rows.
"$RCSIM" merge --out merged_dup.csv shard0.csv shard1.csv shard2.csv shard3.csv shard2.csv > /dev/null
for f in merged.csv merged_dup.csv; do
  cmp all.csv "$f" || { echo "FAIL: $f differs from the unsharded sweep"; diff all.csv "$f" | head; exit 1; }
done
[ "$(tail -n +2 merged.csv | wc -l)" -eq 25 ] || { echo "FAIL: expected 25 points"; exit 1; }
echo PASS
