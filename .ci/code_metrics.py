#!/usr/bin/python3
"""Size metrics of the simulator source (sim/), for refactoring issues that quote them.

  /usr/bin/python3 .ci/code_metrics.py [--top N] [ROOT]

Prints
  - the largest source files (lines of *.h / *.cpp under sim/),
  - the largest functions (definition line to closing brace, from Universal Ctags' `end` field;
    lambdas are counted inside their enclosing function),
  - the files that name a specific dataflow — an enumerator `Dataflow::WS|OS|IS` or a dataflow
    name as a string literal ("ws", "os", "is") — outside the dataflow plug-ins themselves
    (sim/accel/dataflow/): the places that must change when a dataflow is added.
Needs universal-ctags (Debian package `universal-ctags`).
"""
import json
import os
import re
import shutil
import subprocess
import sys

DATAFLOW_MENTION = re.compile(r'\bDataflow::(WS|OS|IS)\b|"(ws|os|is)"')
PLUGIN_DIR = os.path.join("sim", "accel", "dataflow") + os.sep


def sources(root):
    out = []
    for d, _, files in os.walk(os.path.join(root, "sim")):
        for f in files:
            if f.endswith((".h", ".cpp")):
                out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def functions(root, files):
    if not shutil.which("ctags"):
        sys.exit("code_metrics: universal-ctags not found (apt install universal-ctags)")
    cmd = ["ctags", "--languages=C++", "--map-C++=+.h", "--c++-kinds=f", "--fields=+ne",
           "--output-format=json", "-o", "-"] + files
    res = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True)
    out = []
    for line in res.stdout.splitlines():
        t = json.loads(line)
        if t.get("_type") != "tag" or t.get("kind") != "function" or "end" not in t:
            continue
        if t["name"].startswith("__anon"):  # lambdas: part of the enclosing function
            continue
        scope = t.get("scope", "")
        name = (scope.split("::")[-1] + "::" if t.get("scopeKind") in ("class", "struct") else "") + t["name"]
        out.append((t["end"] - t["line"] + 1, t["path"], t["line"], name))
    return sorted(out, reverse=True)


def main():
    args = sys.argv[1:]
    top = 5
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    root = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    files = sources(root)
    sizes = []
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            sizes.append((sum(1 for _ in fh), f))
    sizes.sort(reverse=True)
    print(f"largest source files (lines), of {len(files)} under sim/:")
    for n, f in sizes[:top]:
        print(f"  {n:5d}  {f}")
    print("largest functions (lines):")
    for n, path, line, name in functions(root, files)[:top]:
        print(f"  {n:5d}  {name}  ({path}:{line})")
    naming = []
    for f in files:
        if f.startswith(PLUGIN_DIR):
            continue
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            if DATAFLOW_MENTION.search(fh.read()):
                naming.append(f)
    print(f"files outside {PLUGIN_DIR} naming a specific dataflow: {len(naming)}")
    for f in naming:
        print(f"  {f}")


if __name__ == "__main__":
    main()
