#!/usr/bin/env python3
"""A sweep from Python into a pandas DataFrame vs the same sweep from the CLI, timed.

    PYTHONPATH=build/python /usr/bin/python3 tests/bench/bench_python_sweep.py --rcsim build/sim/cli/rcsim

runs the shipped 256-point `lenet_design_space` with --jobs 2 both ways (CLI first, then
Python, alternating for --repeat rounds), checks that both give the same CSV, and prints the
wall times, the Python/CLI ratio and the load average (timings are measurements, not tests;
quote a ratio with its load average). --shard 0/64 makes it a 4-point smoke run (ctest).
"""
import argparse
import os
import subprocess
import tempfile
import time

import rcsim


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rcsim", required=True, help="the rcsim binary")
    ap.add_argument("--spec", default="lenet_design_space")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--shard", default="0/1")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
    cli_s, py_s = [], []
    with tempfile.TemporaryDirectory() as d:
        for r in range(a.repeat):
            out = os.path.join(d, f"cli{r}.csv")
            t0 = time.perf_counter()
            subprocess.run([a.rcsim, "sweep", "--spec", a.spec, "--jobs", str(a.jobs), "--shard", a.shard,
                            "--out", out], check=True, env=env, stdout=subprocess.DEVNULL)
            cli_s.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            df = rcsim.sweep(a.spec, jobs=a.jobs, shard=a.shard).to_pandas()
            py_s.append(time.perf_counter() - t0)
            with open(out, encoding="utf-8") as f:
                cli_csv = f.read()
            import pandas
            import io
            pandas.testing.assert_frame_equal(df, pandas.read_csv(io.StringIO(cli_csv)))
    load = os.getloadavg()
    cli_best, py_best = min(cli_s), min(py_s)
    print(f"sweep {a.spec} shard {a.shard}: {len(df)} points, --jobs {a.jobs}")
    each = lambda ts: ", ".join(f"{t:.2f}" for t in ts)  # noqa: E731
    print(f"  CLI  `rcsim sweep`                   {cli_best:8.2f} s (best of {a.repeat}: {each(cli_s)})")
    print(f"  Python rcsim.sweep(...).to_pandas()  {py_best:8.2f} s (best of {a.repeat}: {each(py_s)})")
    print(f"  ratio Python/CLI {py_best / cli_best:.3f}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          f" on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
