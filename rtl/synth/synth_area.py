#!/usr/bin/env python3
"""Logic area of the project's RTL, in NAND2 equivalents, from Debian's Yosys.

For each (module, precision) below: Yosys `synth -flatten`, flip-flops mapped with `dfflibmap`
and logic with `abc` onto a small gate library whose cell areas are Nangate 45 nm Open Cell
Library X1 sizes divided by the NAND2_X1 size (so Yosys' `stat -liberty` chip area is directly
NAND2 equivalents). Writes energy_models/synthesis/rtl_gates.yaml, which the area model
(sim/area) reads; `--check` regenerates it in memory and fails if the checked-in file differs,
so an RTL change that grows the PE shows up (ctest `area_rtl_synthesis`).

Usage: /usr/bin/python3 rtl/synth/synth_area.py [--check] [--out PATH] [--yosys PATH]
Exit: 0 ok, 1 --check found a difference, 2 Yosys failed, 77 Yosys not installed (--check only).
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RTL = os.path.join(ROOT, "rtl")
DEFAULT_OUT = os.path.join(ROOT, "energy_models", "synthesis", "rtl_gates.yaml")

# Nangate 45 nm Open Cell Library (FreePDK45) X1 cell widths in um; every cell is 1.4 um high,
# the site 0.19 um wide. Read in NangateOpenCellLibrary.macro.mod.lef (SIZE lines), as shipped in
# The-OpenROAD-Project/OpenROAD-flow-scripts flow/platforms/nangate45/lef. Only cells whose size
# was read there are used; OR2, OAI21 and the multi-output adders are left out on purpose (ABC
# builds them from the others), BUF is counted as two inverters because ABC needs a buffer cell.
NAND2_WIDTH_UM = 0.57
CELLS = {
    # name: (width_um, inputs, liberty function)
    "INV":   (0.38, "A",     "A'"),
    "BUF":   (0.76, "A",     "A"),          # = 2 x INV_X1 (not a library size, see above)
    "NAND2": (0.57, "A B",   "(A*B)'"),
    "NOR2":  (0.57, "A B",   "(A+B)'"),
    "AND2":  (0.76, "A B",   "(A*B)"),
    "XOR2":  (1.14, "A B",   "(A^B)"),
    "XNOR2": (1.14, "A B",   "(A^B)'"),
    "AOI21": (0.76, "A B C", "((A*B)+C)'"),
    "MUX2":  (1.33, "A B S", "(A*S')+(B*S)"),
}
DFF_WIDTH_UM = 3.23  # DFF_X1 (D, CK -> Q): registers with sync reset/enable get logic in front

# Post-processing needs one requantizer lane per array column; the controller has no RTL, so a
# proxy of its datapath (the composition the energy table charges: four 32-bit loop counters with
# bound compares and a 32-bit instruction register) is synthesized the same way.
CONTROLLER_PROXY = """
module controller_proxy (
    input  logic         clk, rst, step, load,
    input  logic [31:0]  instr_in,
    input  logic [127:0] bounds,  // four 32-bit loop bounds
    output logic [31:0]  instr,
    output logic [3:0]   wrap
);
  logic [127:0] counts;
  always_ff @(posedge clk) begin
    if (rst) instr <= '0; else if (load) instr <= instr_in;
  end
  genvar i;
  for (i = 0; i < 4; i = i + 1) begin : g_loop
    assign wrap[i] = counts[32*i +: 32] == bounds[32*i +: 32];
    always_ff @(posedge clk) begin
      if (rst) counts[32*i +: 32] <= '0;
      else if (step) counts[32*i +: 32] <= wrap[i] ? 32'd0 : counts[32*i +: 32] + 32'd1;
    end
  end
endmodule
"""

# id: (top module, sources, parameter, value, what it is)
DESIGNS = [
    ("mac_int8", "mac", ["mul_add.sv", "mac.sv"], "DATA_W", 8, "stand-alone MAC (rtl/mac.sv), 8-bit operands"),
    ("mac_int16", "mac", ["mul_add.sv", "mac.sv"], "DATA_W", 16, "stand-alone MAC (rtl/mac.sv), 16-bit operands"),
    ("pe_int8", "pe", ["mul_add.sv", "pe.sv"], "DATA_W", 8, "weight-stationary PE (rtl/pe.sv), 8-bit"),
    ("pe_int16", "pe", ["mul_add.sv", "pe.sv"], "DATA_W", 16, "weight-stationary PE (rtl/pe.sv), 16-bit"),
    ("pe_os_int8", "pe_os", ["mul_add.sv", "pe_os.sv"], "DATA_W", 8, "output-stationary PE (rtl/pe_os.sv), 8-bit"),
    ("pe_os_int16", "pe_os", ["mul_add.sv", "pe_os.sv"], "DATA_W", 16, "output-stationary PE (rtl/pe_os.sv), 16-bit"),
    ("requant_int8", "requant", ["requant.sv"], "OUT_W", 8, "post-processing lane (rtl/requant.sv), 8-bit out"),
    ("requant_int16", "requant", ["requant.sv"], "OUT_W", 16, "post-processing lane (rtl/requant.sv), 16-bit out"),
    ("controller_proxy", "controller_proxy", None, None, None,
     "controller datapath proxy (in this script): 4 x 32-bit loop counters + compares, 32-bit instruction register"),
]


def nand2_eq(width_um):
    return round(width_um / NAND2_WIDTH_UM, 4)


def liberty():
    lines = ["library(rcsim_nand2_eq) {"]
    for name, (width, inputs, func) in CELLS.items():
        pins = " ".join(f"pin({p}) {{ direction: input; }}" for p in inputs.split())
        lines.append(f"  cell({name}) {{ area: {nand2_eq(width)}; {pins} "
                     f"pin(Y) {{ direction: output; function: \"{func}\"; }} }}")
    lines.append(f"  cell(DFF) {{ area: {nand2_eq(DFF_WIDTH_UM)}; ff(IQ, IQN) {{ clocked_on: C; next_state: D; }} "
                 "pin(C) { direction: input; clock: true; } pin(D) { direction: input; } "
                 "pin(Q) { direction: output; function: \"IQ\"; } }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def yosys_version(yosys):
    out = subprocess.run([yosys, "-V"], capture_output=True, text=True, check=True).stdout.strip()
    return out


def synthesize(yosys, lib, tmp, design):
    ident, top, sources, param, value, _ = design
    if sources is None:
        src = os.path.join(tmp, top + ".sv")
        with open(src, "w") as f:
            f.write(CONTROLLER_PROXY)
        files = [src]
    else:
        files = [os.path.join(RTL, s) for s in sources]
    stat = os.path.join(tmp, ident + ".stat")
    chparam = f"chparam -set {param} {value} {top}; " if param else ""
    script = (f"read_verilog -sv {' '.join(files)}; {chparam}synth -flatten -top {top}; "
              f"dfflibmap -liberty {lib}; abc -liberty {lib}; opt_clean; tee -q -o {stat} stat -liberty {lib}")
    r = subprocess.run([yosys, "-q", "-p", script], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(f"synth_area: yosys failed on {ident}:\n{r.stdout}{r.stderr}")
        sys.exit(2)
    text = open(stat).read()
    area = re.search(r"Chip area for module '\\?%s':\s*([0-9.]+)" % re.escape(top), text)
    cells = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^\s+(\w+)\s+(\d+)\s*$", text, re.M)
                 if m.group(1) in CELLS or m.group(1) == "DFF")
    if not area:
        sys.stderr.write(f"synth_area: no chip area in the Yosys report for {ident}\n")
        sys.exit(2)
    return float(area.group(1)), cells


def table(yosys):
    version = yosys_version(yosys)
    out = ["# Logic area of rcsim's RTL in NAND2 equivalents. GENERATED by rtl/synth/synth_area.py from",
           "# rtl/*.sv with Debian's Yosys; do not edit: rerun the script after changing the RTL",
           "# (ctest area_rtl_synthesis fails while this file and the RTL disagree). Method: docs/area.md.",
           f"tool: \"{version}\"",
           "flow: \"read_verilog -sv; chparam; synth -flatten -top T; dfflibmap -liberty L; abc -liberty L; opt_clean; stat -liberty L\"",
           "cells_source: \"[P] Nangate 45 nm Open Cell Library X1 cell sizes (NangateOpenCellLibrary.macro.mod.lef, OpenROAD-flow-scripts platforms/nangate45) / NAND2_X1 (0.57 x 1.4 um); BUF = 2 x INV_X1\"",
           "cells_nand2:   # NAND2 equivalents per cell (the liberty areas Yosys maps with)"]
    for name, (width, _, _) in CELLS.items():
        out.append(f"  {name}: {nand2_eq(width)}")
    out.append(f"  DFF: {nand2_eq(DFF_WIDTH_UM)}")
    out.append("modules:")
    with tempfile.TemporaryDirectory(prefix="rcsim-synth-") as tmp:
        lib = os.path.join(tmp, "cells.lib")
        with open(lib, "w") as f:
            f.write(liberty())
        # Two Yosys processes at a time (CI has 2 cores); results are written in DESIGNS order.
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda d: synthesize(yosys, lib, tmp, d), DESIGNS))
        for d, (area, cells) in zip(DESIGNS, results):
            cell_text = ", ".join(f"{k}: {v}" for k, v in sorted(cells.items()))
            out.append(f"  {d[0]}: {{nand2: {area:.3f}, what: \"{d[5]}\", cells: {{{cell_text}}}}}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the checked-in table instead of writing it")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--yosys", default=shutil.which("yosys") or "yosys")
    a = ap.parse_args()
    if not shutil.which(a.yosys) and not os.path.exists(a.yosys):
        print(f"SKIP: yosys not found ('{a.yosys}'): cannot check {os.path.relpath(a.out, ROOT)} against the RTL "
              "(install Debian's yosys, .ci/install-deps.sh)")
        return 77 if a.check else 2
    text = table(a.yosys)
    if a.check:
        old = open(a.out).read() if os.path.exists(a.out) else ""
        if old != text:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       os.path.relpath(a.out, ROOT), "synthesized now"))
            print(f"FAIL: {os.path.relpath(a.out, ROOT)} does not match the RTL; rerun "
                  "/usr/bin/python3 rtl/synth/synth_area.py and commit the table")
            return 1
        print(f"PASS: {os.path.relpath(a.out, ROOT)} matches a fresh synthesis ({text.splitlines()[3]})")
        return 0
    with open(a.out, "w") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(a.out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
