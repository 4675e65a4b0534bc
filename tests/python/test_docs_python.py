# docs/python.md's worked study runs as written: every ```python block of the page, in order, in
# one namespace, in a temporary directory; the plot it saves must exist.
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "python.md"


def python_blocks(text):
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_worked_study_runs(tmp_path, monkeypatch):
    blocks = python_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 2, "docs/python.md lost its worked study"
    monkeypatch.chdir(tmp_path)
    import matplotlib
    matplotlib.use("Agg")  # no display in tests
    namespace = {"__name__": "__docs__"}
    for i, code in enumerate(blocks):
        exec(compile(code, f"docs/python.md block {i + 1}", "exec"), namespace)
    png = tmp_path / "pareto.png"
    assert png.exists() and png.stat().st_size > 1000
    front = namespace["front"]
    assert len(front) >= 1 and (front["pareto"] == 1).all()
