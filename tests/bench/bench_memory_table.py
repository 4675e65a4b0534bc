#!/usr/bin/env python3
"""The memory table of docs/performance.md ("Memory of weights and prepared layers"): what a
fast-mode simulator holds for its weights and prepared layers, per shipped network, with the
default buffers and (the two ImageNet networks) the buffers of the speed tables.

    tests/bench/bench_memory_table.py build/sim/cli/rcsim

Each row is one `rcsim bench ... --no-per-cycle --json` run; the figures are heap bytes (glibc's
live heap), so they do not depend on the machine's load. Prints the markdown table with the
date and the load average.
"""
import datetime
import json
import os
import subprocess
import sys

BIG = ["--set", "act_buffer.size_bytes=4000000", "--set", "weight_sram.size_bytes=16000000"]
ROWS = [
    ("resnet18", BIG),
    ("resnet18", []),
    ("mobilenet_v2", BIG),
    ("mobilenet_v2", []),
    ("cifar10_quick", []),
    ("mnist_lenet", []),
    ("svhn", []),
]


def main(rcsim):
    print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, load average "
          f"{os.getloadavg()[0]:.1f}; command per row as shown, `--min-seconds 0.2 --json` added.\n")
    print("| command | int8 weights | prepared layers | × int8 weights | every width prepared | × int8 weights |")
    print("|---|---|---|---|---|---|")
    for net, sets in ROWS:
        args = ["bench", "--net", net, *sets, "--no-per-cycle"]
        out = subprocess.run([rcsim, *args, "--min-seconds", "0.2", "--json"], check=True,
                             capture_output=True, text=True).stdout
        j = json.loads(out)
        mb = lambda b: f"{b / 1e6:.4g} MB"
        print(f"| `rcsim {' '.join(args)}` | {mb(j['int8_weight_bytes'])} | {mb(j['fast_prepared_heap_bytes'])} | "
              f"{j['fast_memory_over_int8_weights']:.3f}× | {mb(j['fast_all_widths_prepared_heap_bytes'])} | "
              f"{j['fast_all_widths_memory_over_int8_weights']:.3f}× |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench_memory_table.py RCSIM")
    main(sys.argv[1])
