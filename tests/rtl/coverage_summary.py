#!/usr/bin/env python3
"""Per-file, per-type (line / toggle) coverage of a verilator_coverage .dat file.

Each record is  C '<\\x01key\\x02value ...>' count ; 'f' is the file, 'page' starts with the
point type: v_toggle/... for toggle points, v_line/... (and v_branch/...) for line coverage.
A point is covered when its count is > 0. Usage: coverage_summary.py merged.dat
"""
import collections
import os
import re
import sys

REC = re.compile(r"^C '(.*)' (\d+)$")


def main(path):
    hit = collections.Counter()
    total = collections.Counter()
    for line in open(path, encoding="latin-1"):
        m = REC.match(line.rstrip("\n"))
        if not m:
            continue
        fields = dict(kv.split("\x02", 1) for kv in m.group(1).split("\x01")[1:])
        kind = "toggle" if fields.get("page", "").startswith("v_toggle") else "line"
        src = os.path.basename(fields.get("f", "?"))
        for key in ((src, kind), ("TOTAL", kind)):
            total[key] += 1
            hit[key] += int(m.group(2)) > 0
    print(f"{'file':<14} {'type':<7} {'covered':>9} {'points':>7} {'%':>7}")
    for key in sorted(total, key=lambda k: (k[0] == "TOTAL", k)):
        print(f"{key[0]:<14} {key[1]:<7} {hit[key]:>9} {total[key]:>7} "
              f"{100.0 * hit[key] / total[key]:>6.1f}%")


if __name__ == "__main__":
    main(sys.argv[1])
