#!/bin/bash
# `rcsim dram`: JSON keys and values (bandwidth below the preset's peak, energy components adding
# up), a DRAMsim3 trace with one line per request, `--show` naming a source for every value, and
# one-line errors (exit 2, nothing on stdout) for a wrong preset, size, pattern or trace format.
# Usage: test_dram_cli.sh RCSIM WORKDIR
set -uo pipefail
RCSIM=$1
WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK" && cd "$WORK" || exit 1
fail=0

"$RCSIM" dram --preset ddr4-3200 --pattern stream --bytes 256K --json --trace t.trace --trace-format dramsim3 > s.json \
  || { echo "FAIL: rcsim dram exited $?"; fail=1; }
/usr/bin/python3 - s.json t.trace <<'PY' || fail=1
import json, re, sys
r = json.load(open(sys.argv[1]))
assert r["preset"] == "ddr4-3200" and r["requests"] == 4096 and r["bytes"] == 256 * 1024, r
assert r["peak_gb_s"] == 25.6, r
assert 0.5 * r["peak_gb_s"] < r["bandwidth_gb_s"] < r["peak_gb_s"], r
s, e = r["stats"], r["energy"]
assert s["reads"] == 4096 and s["writes"] == 0, s
assert s["row_hits"] + s["row_misses"] + s["row_conflicts"] == 4096, s
parts = [k for k in e if k.endswith("_j") and k not in ("total_j", "command_j", "background_j")]
assert len(parts) == 10 and abs(sum(e[k] for k in parts) - e["total_j"]) <= 1e-12 * e["total_j"], e
lines = open(sys.argv[2]).read().splitlines()
assert len(lines) == 4096 == r["trace_lines"], len(lines)
assert all(re.fullmatch(r"0x[0-9A-F]+ READ 0", l) for l in lines), lines[:3]
assert lines[1] == "0x40 READ 0", lines[1]
PY
"$RCSIM" dram --preset lpddr4-3200 --pattern random --bytes 64K --write --trace r.trace --trace-format ramulator2 > /dev/null \
  || { echo "FAIL: lpddr4 random writes"; fail=1; }
[ "$(grep -c '^ST 0x[0-9A-F]*$' r.trace)" = 2048 ] || { echo "FAIL: ramulator2 trace"; head -3 r.trace; fail=1; }
"$RCSIM" dram --preset ddr4-3200 --show > show.txt || { echo "FAIL: --show"; fail=1; }
# 9 organization + 23 timing + 2 rails x 10 + 6 controller values, each with a tagged source.
[ "$(grep -cE '^(organization|timing|power|controller)\.[a-z0-9_.]+ +[a-z0-9.]+ +\[[PDRJ]' show.txt)" = 58 ] \
  || { echo "FAIL: --show sources"; cat show.txt; fail=1; }
grep -qE '^timing\.trcd_ck +22 +\[P\] tRCD 13.75 ns' show.txt || { echo "FAIL: --show trcd"; fail=1; }

expect() {  # expected substring, command...
  local want=$1; shift
  "$@" > out.txt 2> err.txt
  local rc=$?
  if [ $rc -ne 2 ] || [ "$(wc -l < err.txt)" -ne 1 ] || [ -s out.txt ] || ! grep -qF -- "$want" err.txt; then
    echo "FAIL (rc=$rc): $*"; cat err.txt; fail=1
  fi
}
expect "unknown DRAM preset 'ddr5'" "$RCSIM" dram --preset ddr5
expect "--bytes: 0 is out of range" "$RCSIM" dram --bytes 0
expect "--bytes: unknown suffix 'X'" "$RCSIM" dram --bytes 4X
expect "unknown pattern 'zigzag'" "$RCSIM" dram --pattern zigzag
expect "unknown trace format 'ramulator'" "$RCSIM" dram --trace x.trace --trace-format ramulator
printf 'name: x\nstandard: DDR4\ntiming: {}\n' > bad.yaml
expect "bad.yaml: organization: missing required section" "$RCSIM" dram --preset bad.yaml
expect "controller.address_mapping" "$RCSIM" dram --mapping rorabacobg
[ $fail -eq 0 ] && echo PASS
exit $fail
