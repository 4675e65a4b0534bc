#!/bin/sh
# Line + toggle coverage of the RTL under the tests/rtl benches (docs/validation.md).
#   tests/rtl/coverage.sh [build-dir]      (default: build-rtl-cov; run from the repo root)
# Configures a build with -DRCSIM_RTL_COVERAGE=ON (models verilated with --coverage-line
# --coverage-toggle), runs every bench against them, merges the counts with verilator_coverage
# and prints the per-type summary (coverage_summary.py). Annotated sources: <build>/rtl-coverage/annotated.
set -eu
B=${1:-build-rtl-cov}
HERE=$(cd "$(dirname "$0")" && pwd)
cmake -S "$HERE/../.." -B "$B" -G Ninja -DRCSIM_RTL_COVERAGE=ON >/dev/null
ninja -C "$B" -j2 test_rtl_mac_cov test_rtl_requant_cov test_rtl_pe_array_cov
OUT="$B/rtl-coverage"
rm -rf "$OUT"
mkdir -p "$OUT"
for t in mac requant pe_array; do
  RCSIM_RTL_COVERAGE_DIR="$OUT" "$B/tests/rtl/test_rtl_${t}_cov" --gtest_brief=1
done
verilator_coverage --write "$OUT/merged.dat" "$OUT"/V*.dat
verilator_coverage --annotate "$OUT/annotated" --annotate-min 1 "$OUT/merged.dat"
python3 "$HERE/coverage_summary.py" "$OUT/merged.dat"
