#!/usr/bin/python3
"""Markdown table of a sweep result's Pareto rows (pareto = 1), as docs/results.md shows them.

Usage: tests/docs/front_table.py RESULT.csv [--width]   (rows sorted by width, then energy)
The columns: [width,] array and dataflow [, precision, gating when the sweep varies them],
weight SRAM when it varies, energy µJ, latency µs, [accuracy,] area mm².
"""
import csv
import sys


def main():
    path = sys.argv[1]
    with_width = "--width" in sys.argv[2:]
    rows = list(csv.DictReader(open(path, newline="")))
    if not rows:
        sys.exit(f"{path}: no rows")
    varies = lambda col: col in rows[0] and len({r[col] for r in rows}) > 1
    front = [r for r in rows if r.get("pareto") == "1"]
    front.sort(key=lambda r: (int(r["width"]) if with_width else 0, float(r["energy_j"])))
    head, cells = [], []
    if with_width:
        head.append("width")
    what = ["array", "dataflow"]
    if varies("precision"):
        what.append("precision")
    if varies("gating"):
        what.append("gating")
    if varies("wsram_bytes"):
        what.append("weight SRAM")
    head.append(", ".join(what))
    head += ["energy µJ", "latency µs"]
    acc = "accuracy" in rows[0] and any(r["accuracy"] for r in rows)
    if acc:
        head.append("accuracy")
    head.append("area mm²")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in front:
        c = [r["width"]] if with_width else []
        d = [f'{r["rows"]}×{r["cols"]} {r["dataflow"]}']
        if varies("precision"):
            d.append(f'int{r["precision"]}')
        if varies("gating"):
            d.append(r["gating"])
        if varies("wsram_bytes"):
            b = int(r["wsram_bytes"])
            d.append(f"{b // 1048576} MiB" if b % 1048576 == 0 else f"{b // 1024} KiB")
        c.append(" ".join(d))
        c += [f'{float(r["energy_j"]) * 1e6:.2f}', f'{float(r["latency_s"]) * 1e6:.1f}']
        if acc:
            c.append(f'{float(r["accuracy"]) * 100:.2f} %')
        c.append(f'{float(r["area_mm2"]):.2f}')
        print("| " + " | ".join(c) + " |")
    best = min(rows, key=lambda r: float(r["edap_jsmm2"]))
    print(f'\nLowest energy × delay × area: {best["rows"]}×{best["cols"]} {best["dataflow"]} '
          f'width {best["width"]}, {float(best["edap_jsmm2"]):.3g} J·s·mm² ({len(front)} of {len(rows)} points on the front)')


if __name__ == "__main__":
    main()
