#!/usr/bin/env python3
"""Turns bench_int_reference's JSON output into the markdown tables of docs/int-arithmetic.md.

    build/tests/bench/bench_int_reference --benchmark_out=bench.json --benchmark_out_format=json
    tests/bench/bench_table.py bench.json

Times are CPU time per image (one thread) except torch_t2, which is wall time (2 threads).
Ratios are computed from the same run.
"""
import json
import sys


def main(path):
    with open(path) as f:
        data = json.load(f)
    t = {}  # name without variant -> variant -> (microseconds, GMAC/s)
    for b in data["benchmarks"]:
        name = b["name"].replace("/real_time", "")
        base, variant = name.rsplit("/", 1)
        unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[b["time_unit"]]
        us = (b["real_time"] if variant == "torch_t2" else b["cpu_time"]) * unit
        t.setdefault(base, {})[variant] = us

    ctx = data["context"]
    print(f"Run {ctx['date']}, {ctx['num_cpus']} CPUs @ {ctx['mhz_per_cpu']} MHz, "
          f"load average {', '.join(f'{x:.1f}' for x in ctx.get('load_avg', []))}.\n")

    def fmt(v):
        return "—" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:.1f}")

    def ratio(a, b):
        return "—" if a is None or b is None else f"{a / b:.1f}×"

    print("Per layer, one image (µs; lower is better):\n")
    print("| layer | naive | fast | torch 1 thr | torch 2 thr (wall) | naive / fast | torch 1 thr / fast |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for base, v in t.items():
        if not base.startswith("layer/"):
            continue
        n, f, t1, t2 = (v.get(k) for k in ("int_naive", "int_fast", "torch_t1", "torch_t2"))
        print(f"| {base[len('layer/'):]} | {fmt(n)} | {fmt(f)} | {fmt(t1)} | {fmt(t2)} | {ratio(n, f)} | {ratio(t1, f)} |")

    print("\nWhole network, one image (images per second = 10^6 / µs; higher is better):\n")
    print("| network / precision / width | naive | fast | torch 1 thr | torch 2 thr (wall) | fast / naive | fast / torch 1 thr |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for base, v in t.items():
        if not base.startswith("net/") or "float_ref" in v:
            continue
        ips = {k: 1e6 / us for k, us in v.items()}
        n, f, t1, t2 = (ips.get(k) for k in ("int_naive", "int_fast", "torch_t1", "torch_t2"))
        print(f"| {base[len('net/'):]} | {fmt(n)} | {fmt(f)} | {fmt(t1)} | {fmt(t2)} | {ratio(f, n)} | {ratio(f, t1)} |")

    print("\nFloat reference (`float_forward`, plain C++), images per second:\n")
    print("| network / width | float_forward |")
    print("|---|---:|")
    for base, v in t.items():
        if "float_ref" in v:
            print(f"| {base[len('net/'):].replace('/float', '')} | {fmt(1e6 / v['float_ref'])} |")


if __name__ == "__main__":
    main(sys.argv[1])
