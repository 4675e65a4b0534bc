#!/usr/bin/python3
"""docs/sweeps.md, "Asking a question": runs the command under `<!-- sweep_question: command -->`
and checks that its `--best` report (stdout after the one-line sweep summary) equals the block under
`<!-- sweep_question: output -->`; then the plot command quoted on that page writes a PNG.

Usage: test_sweep_question.py RCSIM DOCS_SWEEPS_MD WORKDIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys


def block_after(text, marker):
    m = re.search(re.escape(marker) + r"\s*\n```[a-z]*\n(.*?)```", text, re.S)
    if not m:
        raise SystemExit(f"no fenced block after {marker}")
    return m.group(1)


def main(rcsim, doc, work):
    text = open(doc, encoding="utf-8").read()
    command = block_after(text, "<!-- sweep_question: command -->").strip()
    want = block_after(text, "<!-- sweep_question: output -->")
    args = shlex.split(command)
    if args[0] != "rcsim" or "--best" not in args or "--where" not in args:
        raise SystemExit(f"unexpected command: {command}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    r = subprocess.run([rcsim] + args[1:] + ["--jobs", "2"], cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        return 1
    lines = r.stdout.splitlines(True)
    if not lines or not lines[0].startswith("sweep "):
        print("no sweep summary line:\n" + r.stdout)
        return 1
    have = "".join(lines[1:])
    if have != want:
        print("the --best report differs from docs/sweeps.md:\n--- docs\n" + want + "--- rcsim\n" + have)
        return 1
    # The plot command as quoted on the page (output redirected into the work directory).
    m = re.search(r"\(`(rcsim plot cq\.csv [^`]*)`\)", text.replace("\n", " "))
    if not m:
        print("no `rcsim plot cq.csv …` command on the page")
        return 1
    plot = shlex.split(m.group(1))
    plot[plot.index("--out") + 1] = "question"
    r = subprocess.run([rcsim] + plot[1:], cwd=work, capture_output=True, text=True)
    png = os.path.join(work, "question.png")
    if shutil.which("gnuplot") is None:
        print("gnuplot not installed: plot not checked")
    elif r.returncode != 0 or not os.path.getsize(png) > 1000:
        print("plot failed: " + r.stderr)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
