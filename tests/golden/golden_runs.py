#!/usr/bin/python3
"""Golden `rcsim run --json` results: cycles, every counter and the energy of the shipped networks
on every dataflow, in fast and per-cycle mode. A refactor must leave them byte-identical.

  golden_runs.py RCSIM --write FILE   record the current results (run once, before a refactor)
  golden_runs.py RCSIM --check FILE   rerun every case and fail on the first difference

Fast and per-cycle mode must agree with each other and with the stored result, so each case is
stored once and checked in both modes. Only deterministic model outputs are stored (no file
paths, no timings); the extraction below names every field kept.
"""
import json
import subprocess
import sys

NETS = [("mnist_lenet", "trained"), ("cifar10_quick", "random"), ("svhn", "random")]
ARCHS = [
    ("ws", []),
    ("os", ["array.dataflow=os"]),
    ("is", ["array.dataflow=is", "timing=scalesim"]),
    ("ws-scalesim", ["timing=scalesim"]),
    ("ws-8x8-int16", ["array.rows=8", "array.cols=8", "precision=16"]),
    ("os-4x16-off", ["array.dataflow=os", "array.rows=4", "array.cols=16", "weight_sram.gating=off"]),
    ("ws-small-sram", ["weight_sram.size_bytes=65536"]),
]
WIDTHS = [1, 4]
MODES = ["fast", "per-cycle"]
# Per-cycle runs of the larger networks on the small array take long; they are covered in fast
# mode and per-cycle on the default array.
SLOW = {("cifar10_quick", "ws-8x8-int16"), ("svhn", "ws-8x8-int16"), ("cifar10_quick", "os-4x16-off"),
        ("svhn", "os-4x16-off")}

ENERGY_KEYS = ["energy_j", "dynamic_j", "static_j", "avg_power_w", "edp_js", "energy_by_component_j"]


def extract(j):
    """The model's results in a run report (names here follow the report; a rename maps here)."""
    out = {"cycles": j["cycles"], "macs": j["macs"], "latency_s": j["latency_s"],
           "outputs_match_reference": j["outputs_match_reference"],
           "totals": j["totals"],
           "layers": [{"name": l["name"], "cycles": l["cycles"], "counters": l["counters"],
                       "energy_j": l.get("energy_j")} for l in j["layers"]]}
    for k in ENERGY_KEYS:
        out[k] = j[k]
    return out


def cases():
    for net, weights in NETS:
        for arch_name, sets in ARCHS:
            for k in WIDTHS:
                yield net, weights, arch_name, sets, k


def run(rcsim, net, weights, sets, k, mode):
    args = [rcsim, "run", "--json", "--net", net, "--width", str(k), "--mode", mode]
    # The trained weights are int8: int16 arrays run seeded random int16 weights.
    if weights == "random" or "precision=16" in sets:
        args += ["--weights", "random"]
    for s in sets:
        args += ["--set", s]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("FAIL: %s: exit %d: %s" % (" ".join(args[1:]), p.returncode, p.stderr.strip()))
    return extract(json.loads(p.stdout))


def first_difference(a, b, path=""):
    if type(a) != type(b):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return "%s.%s: only in one" % (path, key)
            d = first_difference(a[key], b[key], path + "." + key)
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: length %d != %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    return None if a == b else "%s: %r != %r" % (path, a, b)


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("--write", "--check"):
        sys.exit(__doc__)
    rcsim, action, path = sys.argv[1], sys.argv[2], sys.argv[3]
    if action == "--write":
        golden = {}
        for net, weights, arch_name, sets, k in cases():
            key = "%s/%s/w%d" % (net, arch_name, k)
            golden[key] = run(rcsim, net, weights, sets, k, "fast")
        with open(path, "w") as f:
            json.dump(golden, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %d cases to %s" % (len(golden), path))
        return
    with open(path) as f:
        golden = json.load(f)
    checked = 0
    for net, weights, arch_name, sets, k in cases():
        key = "%s/%s/w%d" % (net, arch_name, k)
        if key not in golden:
            sys.exit("FAIL: %s: not in %s (rerun --write)" % (key, path))
        for mode in MODES:
            if mode == "per-cycle" and (net, arch_name) in SLOW:
                continue
            got = run(rcsim, net, weights, sets, k, mode)
            d = first_difference(golden[key], got)
            if d:
                sys.exit("FAIL: %s %s: %s" % (key, mode, d))
            checked += 1
    print("PASS: %d runs identical to %s" % (checked, path))


if __name__ == "__main__":
    main()
