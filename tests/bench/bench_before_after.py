#!/usr/bin/python3
"""Before/after table of `rcsim bench --all` for two rcsim binaries, run alternately.

Usage: tests/bench/bench_before_after.py BEFORE AFTER [--rounds N] [--min-seconds S]
Runs `BIN bench --all --json --min-seconds S` as before, after, before, after, … (N rounds; the
machine's load changes over a sitting, so alternating keeps the comparison fair) and prints a
Markdown table, per network and array: per-cycle simulated cycles per CPU second, fast and
timing-only CPU ms per inference and fast / per-cycle, each as "round 1 / round 2 / …", with the
machine, date and the load average around every run. A measurement, not a test.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess


def run(binary, min_seconds):
    load = os.getloadavg()[0]
    out = subprocess.run([binary, "bench", "--all", "--json", "--min-seconds", str(min_seconds)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out), load, os.getloadavg()[0]


def key(r):
    arch = "" if r.get("arch", "default") == "default" else f' {r["arch"]}'
    return f'{r["network"]} {r["rows"]}×{r["cols"]}{arch}'


def fmt(v, f):
    return "–" if v is None else f(v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    a = ap.parse_args()
    start = datetime.datetime.now(datetime.timezone.utc)
    res = {"before": [], "after": []}
    loads = []
    for _ in range(a.rounds):
        for side in ("before", "after"):
            rows, l0, l1 = run(getattr(a, side), a.min_seconds)
            res[side].append({key(r): r for r in rows})
            loads.append(f"{side} {l0:.1f}→{l1:.1f}")
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Linux {platform.release()}. Date: {start:%Y-%m-%d %H:%M} UTC. "
          f"Load average (1 min) around each run: {', '.join(loads)}.")
    print(f"Command: `tests/bench/bench_before_after.py BEFORE AFTER --rounds {a.rounds} "
          f"--min-seconds {a.min_seconds:g}` (each run: `rcsim bench --all --json`). CPU time.\n")
    metrics = [
        ("per-cycle simulated cycles / CPU s", lambda r: r.get("per_cycle_simulated_cycles_per_cpu_s"),
         lambda v: f"{v / 1e6:.2f} M"),
        ("fast CPU ms / inference", lambda r: r["fast"]["cpu_s_per_inference"], lambda v: f"{v * 1e3:.3f}"),
        ("fast / per-cycle", lambda r: r.get("fast_over_per_cycle_cpu"), lambda v: f"{v:.0f}×"),
        ("timing-only CPU ms / inference", lambda r: r["fast_timing_only"]["cpu_s_per_inference"],
         lambda v: f"{v * 1e3:.4f}"),
    ]
    print("| network, array | measurement | before | after |")
    print("|---|---|---|---|")
    for k in res["after"][0]:
        for name, get, f in metrics:
            cells = []
            for side in ("before", "after"):
                vals = []
                for rnd in res[side]:
                    r = rnd.get(k)
                    try:
                        vals.append(fmt(get(r) if r else None, f))
                    except (KeyError, TypeError):
                        vals.append("–")
                cells.append(" / ".join(vals))
            if all(c.replace(" / ", "").replace("–", "") == "" for c in cells):
                continue
            print(f"| {k} | {name} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
