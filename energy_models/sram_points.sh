#!/bin/sh
# Prints the sram.access and sram.leakage point lists of energy_models/<node>nm.yaml from the
# CACTI 7.0 sweep in cacti-sram-sweep.csv (HewlettPackard/cacti 1ffd8df; config in README.md),
# or with `area` the sram.area point list of energy_models/area/<node>nm.yaml (the same
# itrs-lstp@300K runs as the access energies, their area_mm2 column).
# Usage: energy_models/sram_points.sh 45 [area]   (node in nm: 65, 45, 28)
set -eu
node=$1
csv=$(dirname "$0")/cacti-sram-sweep.csv
if [ "${2:-}" = area ]; then
  echo "    points:   # itrs-lstp@300K, ${node} nm, 64- and 128-bit words"
  awk -F, -v n="$node" '$1=="itrs-lstp@300K" && $2==n && ($4==64||$4==128) {
    printf "      - {capacity_kb: %d, word_bits: %d, area_mm2: %s}\n", $3/1024, $4, $9}' "$csv"
  exit 0
fi
echo "    points:   # itrs-lstp@300K, ${node} nm, 64- and 128-bit words"
awk -F, -v n="$node" '$1=="itrs-lstp@300K" && $2==n && ($4==64||$4==128) {
  printf "      - {capacity_kb: %d, word_bits: %d, read_pj: %s, write_pj: %s}\n", $3/1024, $4, $5, $6}' "$csv"
echo "    points:   # itrs-lop@330K, ${node} nm, 64-bit word"
awk -F, -v n="$node" '$1=="itrs-lop@330K" && $2==n {
  printf "      - {capacity_kb: %d, uw_per_kb: %.2f}\n", $3/1024, $8}' "$csv"
