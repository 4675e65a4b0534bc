#!/usr/bin/python3
"""ImageNet-scale numbers of docs/results.md: ResNet-18 and MobileNetV2 (224x224, random weights;
timing and energy do not depend on weight values) on the default arch at every width, fast mode.

  /usr/bin/python3 docs/results/imagenet_scale.py build/sim/cli/rcsim [--set path=value]...

Prints markdown: energy per inference per width with the DRAM share, memory- vs compute-bound
layers, and the width-1 saving with and without the DRAM counted.
"""
import json
import subprocess
import sys

NETS = ["resnet18", "mobilenet_v2"]


def run(rcsim, net, k, sets):
    args = [rcsim, "run", "--net", net, "--weights", "random", "--mode", "fast", "--width", str(k), "--json"]
    for s in sets:
        args += ["--set", s]
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main():
    rcsim = sys.argv[1]
    sets = [a.split("=", 1)[1] if a.startswith("--set=") else a for a in sys.argv[2:] if a != "--set"]
    for net in NETS:
        rows = {}
        for k in (1, 2, 3, 4):
            j = run(rcsim, net, k, sets)
            assert j["outputs_match_reference"], (net, k)
            e = j["energy_j"]
            d = j["energy_by_component_j"]["dram"]
            dc = j["energy_components"]["dram"]
            layers = j["layers"]
            mem = [l for l in layers if l["bound"] == "memory"]
            weighted = [l for l in layers if l["type"] in ("conv", "fc")]
            rows[k] = dict(
                cycles=j["cycles"], e=e, d=d, d_dyn=dc["dynamic_j"], d_stat=dc["static_j"],
                mb=sum(sum(l["dram_bytes"].values()) for l in layers),
                w=sum(l["dram_bytes"]["weights"] for l in layers),
                stall=j["totals"]["dram_stall_cycles"], mem=len(mem), n=len(layers),
                mem_w=sum(1 for l in weighted if l["bound"] == "memory"), n_w=len(weighted),
                tiled=sum(1 for l in layers if l["tiling"]["row_tiles"] * l["tiling"]["weight_tiles"] > 1),
                over1=sum(1 for l in layers if l["memory_to_compute"] > 1))
        print("\n### %s (%s)\n" % (net, j["dram_type"]))
        print("| width | cycles | energy (µJ) | DRAM (µJ: commands + background) | DRAM share | DRAM MB (weights) "
              "| stall cycles | memory-bound layers (conv/fc) | layers with memory_to_compute > 1 | tiled layers |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for k, r in rows.items():
            print("| %d | %d | %.1f | %.1f (%.1f + %.1f) | %.1f %% | %.2f (%.2f) | %d (%.1f %%) | %d of %d (%d of %d) | %d | %d |" % (
                k, r["cycles"], r["e"] * 1e6, r["d"] * 1e6, r["d_dyn"] * 1e6, r["d_stat"] * 1e6,
                100 * r["d"] / r["e"], r["mb"] / 1e6, r["w"] / 1e6, r["stall"], 100 * r["stall"] / r["cycles"],
                r["mem"], r["n"], r["mem_w"], r["n_w"], r["over1"], r["tiled"]))
        s_all = 1 - rows[1]["e"] / rows[4]["e"]
        s_chip = 1 - (rows[1]["e"] - rows[1]["d"]) / (rows[4]["e"] - rows[4]["d"])
        print("\nwidth 1 vs 4: %.1f %% less energy with the DRAM counted, %.1f %% on chip only; "
              "width 1 takes %.1f %% of width 4's cycles." % (100 * s_all, 100 * s_chip,
                                                              100 * rows[1]["cycles"] / rows[4]["cycles"]))


if __name__ == "__main__":
    main()
