#!/bin/bash
# Runs one libFuzzer target on its seed corpus plus SECONDS of fuzzing; new inputs go to WORKDIR
# (the seed corpus in the repository is never written). Exit code: libFuzzer's (0 = clean).
# Usage: run_fuzz.sh FUZZER SEED_CORPUS WORKDIR SECONDS [extra libFuzzer flags...]
set -uo pipefail
FUZZER=$1 SEEDS=$2 WORK=$3 SECONDS_=$4
shift 4
mkdir -p "$WORK/corpus" "$WORK/artifacts"
# -rss_limit_mb: a reader that allocates more than this on a small input is a finding (OOM);
# -timeout: one input taking longer is a finding (hang); -max_len: seeds are small, inputs too.
exec "$FUZZER" "$WORK/corpus" "$SEEDS" -max_total_time="$SECONDS_" -rss_limit_mb=2048 -timeout=10 \
  -max_len=65536 -artifact_prefix="$WORK/artifacts/" -print_final_stats=1 "$@"
