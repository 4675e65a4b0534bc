#!/usr/bin/env python3
"""Waveforms of the RTL backend and of `rcsim cosim --vcd`, for the weight-stationary array and
the output-stationary one: every declared signal gets a value, every PE's registers are in them,
and the RTL's sum registers (p_reg_R_C, resp. acc_R_C) carry the same values at the same times as
the C++ systolic model's.

usage: test_vcd.py RCSIM WORKDIR ws|os
"""
import os
import subprocess
import sys

RCSIM, WORK, FAMILY = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(WORK, exist_ok=True)
ROWS, COLS = 4, 16
ARGS = ["--net", "mnist_lenet", "--weights", "random", "--set", f"array.rows={ROWS}", "--set", f"array.cols={COLS}"]
failures = []


def parse(path):
    """{scoped name: [(time, value), ...]} and the names declared but never given a value."""
    names, scope, changes, t = {}, [], {}, None
    with open(path) as f:
        for line in f:
            p = line.split()
            if not p:
                continue
            if p[0] == "$scope":
                scope.append(p[2])
            elif p[0] == "$upscope":
                scope.pop()
            elif p[0] == "$var":
                names[p[3]] = ".".join(scope + [p[4]])
            elif p[0].startswith("#"):
                t = int(p[0][1:])
            elif p[0][0] in "01xz" and len(p) == 1:
                changes.setdefault(p[0][1:], []).append((t, p[0][0]))
            elif p[0][0] == "b":
                changes.setdefault(p[1], []).append((t, p[0][1:]))
    waves = {names[i]: changes.get(i, []) for i in names}
    never = [n for n, c in waves.items() if not c]
    xs = [n for n, c in waves.items() if any("x" in v or "z" in v for _, v in c)]
    return waves, never, xs


def run(cmd, vcd):
    p = subprocess.run([RCSIM] + cmd + ["--vcd", vcd], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL {' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
    return parse(vcd)


def normalized(changes):
    """Value changes as (time, integer): the first dump and later changes, equal values merged."""
    out = []
    for t, v in changes:
        i = int(v, 2)
        if not out or out[-1][1] != i:
            out.append((t, i))
    return out


def check_family(label, extra, sum_reg, rtl_regs):
    """One array family: RTL, systolic and cosim VCDs of the same layer; returns the VCD count."""
    results = {
        "run --backend rtl": run(["run", "--backend", "rtl"] + ARGS + extra, os.path.join(WORK, f"{label}_rtl.vcd")),
        "run --backend systolic": run(["run", "--backend", "systolic"] + ARGS + extra,
                                      os.path.join(WORK, f"{label}_systolic.vcd")),
        "cosim": run(["cosim"] + ARGS + extra, os.path.join(WORK, f"{label}_cosim.vcd")),
    }
    for what, (waves, never, xs) in results.items():
        what = f"{label} {what}"
        if never:
            failures.append(f"{what}: {len(never)} declared signals never get a value, e.g. {never[:3]}")
        if xs:
            failures.append(f"{what}: x/z values in {xs[:3]}")
        sums = [n for n in waves if n.startswith(f"pe_array.state.{sum_reg}_")]
        if len(sums) != ROWS * COLS:
            failures.append(f"{what}: {len(sums)} {sum_reg} signals, expected one per PE ({ROWS * COLS})")
    for what in ("run --backend rtl", "cosim"):
        waves = results[what][0]
        for reg in rtl_regs:
            n = sum(1 for s in waves if s.startswith(f"pe_array.state.{reg}_"))
            if n != ROWS * COLS:
                failures.append(f"{label} {what}: {n} {reg} signals, expected {ROWS * COLS}")

    sys_waves = results["run --backend systolic"][0]
    for what in ("run --backend rtl", "cosim"):
        waves = results[what][0]
        compared = 0
        for name, changes in sys_waves.items():
            if not name.startswith(f"pe_array.state.{sum_reg}_"):
                continue
            compared += 1
            # 32-bit two's complement in both; the C++ model's int64 is dumped in 32 bits too.
            if normalized(changes) != normalized(waves.get(name, [])):
                failures.append(f"{label} {what}: {name} differs from the systolic model's")
                break
        if compared != ROWS * COLS:
            failures.append(f"{label} {what}: compared {compared} {sum_reg} signals")
    return len(results)


if FAMILY == "ws":
    vcds = check_family("ws", ["--vcd-layer", "conv2"], "p_reg", ("p_valid", "a_reg", "a_valid", "a_sel", "w_buf0", "w_buf1"))
else:  # conv1: many folds (576 output pixels over 4 rows), a short VCD
    vcds = check_family("os", ["--arch", "os16", "--vcd-layer", "conv1"], "acc",
                        ("sum_out", "sum_valid", "a_reg", "a_valid", "a_last", "w_reg"))

for f in failures:
    print("FAIL", f)
print(f"{vcds} VCDs, {len(failures)} failures")
sys.exit(1 if failures else 0)
