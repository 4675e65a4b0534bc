#!/usr/bin/env python3
"""`rcsim run --json` reports what actually ran, for every option combination the CLI takes.

For each backend × mode × dataflow × precision on a tiny network (on the verilated 4x16 array,
and on an unverilated 8x8 one for the RTL backends), the run either
exits 2 with one line naming what is covered (fast mode with a non-default backend, an array
shape with no verilated model of the dataflow's array family) or succeeds
and its JSON echoes the backend that was built ("closed-form" in fast mode), the mode, dataflow,
precision and array shape. The expectations below are written from the coverage rules, not read
from rcsim: a silent fallback (e.g. fast mode reported as "rtl") fails the test.

usage: test_run_echo.py RCSIM WORKDIR
"""
import concurrent.futures
import itertools
import json
import os
import subprocess
import sys

RCSIM, WORK = sys.argv[1], sys.argv[2]
os.makedirs(WORK, exist_ok=True)
NET = os.path.join(WORK, "tiny.yaml")
with open(NET, "w") as f:
    f.write("""name: tiny
input: {channels: 1, height: 6, width: 6}
width_groups: 2
layers:
  - {name: conv1, type: conv, out_channels: 4, kernel: 3, stride: 1, pad: 0, relu: true}
  - {name: fc1, type: fc, out_features: 4, relu: false}
""")

# rtl/CMakeLists.txt's default RCSIM_RTL_ARRAYS: the shapes sim/cosim links, each as the
# weight-stationary (ws, is) and the output-stationary (os) array, int8 and int16.
VERILATED = {(16, 16), (4, 16)}
CASES = list(itertools.product(["systolic", "rtl", "lockstep"], ["per-cycle", "fast"], ["ws", "os", "is"], [8, 16],
                               [(4, 16)]))
CASES += list(itertools.product(["rtl", "lockstep"], ["per-cycle"], ["ws", "os"], [8, 16], [(8, 8)]))


def check(case):
    """The failures of one combination (empty when it behaves)."""
    backend, mode, dataflow, precision, shape = case
    failures = []
    rows, cols = shape
    cmd = [RCSIM, "run", "--net", NET, "--weights", "random", "--json", "--backend", backend, "--mode", mode,
           "--set", f"array.dataflow={dataflow}", "--set", f"precision={precision}",
           "--set", f"array.rows={rows}", "--set", f"array.cols={cols}"]
    if dataflow == "is":
        cmd += ["--set", "timing=scalesim"]  # the input-stationary dataflow's rule (docs/dataflows.md)
    # Expected outcome.
    reason = None
    if mode == "fast" and backend != "systolic":
        reason = "per-cycle"
    elif backend != "systolic" and shape not in VERILATED:
        # names the array family that was asked for and the shapes that exist
        reason = ("output-stationary" if dataflow == "os" else "weight-stationary") + " array of 8x8 in this build (available: 16x16, 4x16"
    p = subprocess.run(cmd, capture_output=True, text=True)
    what = " ".join(cmd[1:])
    if reason:
        lines = p.stderr.strip().splitlines()
        if p.returncode != 2 or len(lines) != 1 or reason not in lines[0] or p.stdout.strip():
            failures.append(f"{what}: expected exit 2 with one line naming '{reason}', got exit {p.returncode}, "
                            f"stderr {p.stderr.strip()!r}, stdout {len(p.stdout)} chars")
        return failures
    if p.returncode != 0:
        return [f"{what}: exit {p.returncode}: {p.stderr.strip()}"]
    j = json.loads(p.stdout)
    expect = {"backend": backend if mode == "per-cycle" else "closed-form", "mode": mode, "dataflow": dataflow,
              "precision": precision, "rows": rows, "cols": cols}
    for k, v in expect.items():
        if j.get(k) != v:
            failures.append(f"{what}: JSON {k} = {j.get(k)!r}, expected {v!r}")
    if not j.get("outputs_match_reference"):
        failures.append(f"{what}: outputs do not match the integer reference")
    return failures


with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    failures = [f for fs in pool.map(check, CASES) for f in fs]
for f in failures:
    print("FAIL", f)
print(f"{len(CASES)} combinations, {len(failures)} failures")
sys.exit(1 if failures else 0)
