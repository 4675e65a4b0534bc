"""rcsim from Python: the simulator's commands as functions, through the same C++ code as the CLI.

    import rcsim
    r = rcsim.run("mnist_lenet", width=1, mode="fast")     # the fields of `rcsim run --json`
    r["cycles"], r["energy_j"], r["logits"]                # logits: numpy int32 [images, classes]
    df = rcsim.sweep("lenet_design_space", jobs=2).to_pandas()   # the sweep CSV's columns

Functions: info, run, energy_table, sweep, evaluate_points, governor (docs/python.md).
Bad input raises rcsim.ConfigError / rcsim.InputError (ValueError), a problem of the machine
rcsim.EnvironmentError (OSError), each with the one-line message `rcsim` prints after
"rcsim: error: ".

Simulations run in this process (the SystemC accelerator is elaborated once and serves every
run, so `run` can be called any number of times); sweeps evaluate their points in worker
processes (this interpreter running the module's worker loop), like `rcsim sweep`.
"""
import csv as _csv
import io as _io
import json as _json
import math as _math
import os as _os
import shutil as _shutil
import sys as _sys
import tempfile as _tempfile

# An installed package (<prefix>/lib/python3/dist-packages/rcsim) finds the trained weights that
# `cmake --install` put in <prefix>/share/rcsim/weights (host/weights_source.h's lookup).
_weights = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), *[_os.pardir] * 4, "share", "rcsim", "weights")
if "RCSIM_WEIGHTS_DIR" not in _os.environ and _os.path.isdir(_weights):
    _os.environ["RCSIM_WEIGHTS_DIR"] = _os.path.normpath(_weights)

from . import _rcsim  # noqa: E402
from ._rcsim import ConfigError, EnvironmentError, InputError  # noqa: A004 (rcsim.EnvironmentError)

__all__ = ["info", "run", "energy_table", "sweep", "evaluate_points", "governor", "Table", "SweepResult",
           "ConfigError", "InputError", "EnvironmentError"]
__version__ = "0.1.0"


def _sets(overrides):
    """{"array.rows": 8, "array.dataflow": "os"} → ["array.rows=8", "array.dataflow=os"] (`--set`)."""
    out = []
    for path, value in (overrides or {}).items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        out.append(f"{path}={value}")
    return out


def info(net="mnist_lenet"):
    """`rcsim info --net NET --json`: the network's nodes, channels, MACs and weights per width."""
    return _rcsim.info(str(net))


def run(net="mnist_lenet", arch="default", width=None, mode="fast", weights=None, overrides=None, images=1,
        dataset=None, data_dir=None, seed=1, backend="systolic", outputs=False):
    """`rcsim run --json`: one network at width k on the accelerator, with energy.

    Returns a dict with the fields of `rcsim run --json` (cycles, latency_s, energy_j, layers, …)
    plus "logits" (numpy int32 array, one row per image) and, with outputs=True, "outputs": the
    first image's output of every layer (name → numpy int32 array, active-width CHW order).
    weights: None = the network's trained default, "random" = seeded random, or a file.
    overrides: architecture fields {"array.rows": 8} (as `--set array.rows=8`).
    """
    return _rcsim.run(str(net), str(arch), None if width is None else int(width), mode,
                      "" if weights is None else str(weights), _sets(overrides), int(images),
                      dataset or "", data_dir or "", int(seed), backend, bool(outputs))


def energy_table(tech="45nm"):
    """`rcsim energy --tech TECH --json`: every entry with its value and source."""
    return _rcsim.energy_table(str(tech))


def _value(text):
    if text == "":
        return None
    for conv in (int, float):
        try:
            return conv(text)
        except ValueError:
            pass
    return text


class Table:
    """A CSV table as rcsim writes it (a sweep's result, the governor's decisions).

    .columns, .rows (strings as in the CSV), .csv (the text), .records() (dicts, numbers
    converted), .to_pandas() (a DataFrame with exactly the CSV's columns).
    """

    def __init__(self, csv_text):
        self.csv = csv_text
        reader = _csv.reader(_io.StringIO(csv_text))
        self.columns = next(reader, [])
        self.rows = [row for row in reader]

    def __len__(self):
        return len(self.rows)

    def records(self):
        return [{c: _value(v) for c, v in zip(self.columns, row)} for row in self.rows]

    def to_pandas(self):
        import pandas
        return pandas.read_csv(_io.StringIO(self.csv))

    def __repr__(self):
        return f"<rcsim.{type(self).__name__}: {len(self.rows)} rows x {len(self.columns)} columns>"


class SweepResult(Table):
    """A sweep's result table (the columns of `rcsim sweep`'s CSV) and its summary:
    .name, .points, .evaluated, .errors (invalid points), .seconds, .path (the CSV when kept)."""

    def __init__(self, csv_text, summary, path=None):
        super().__init__(csv_text)
        self.path = path
        for k, v in summary.items():
            setattr(self, k, v)


def _worker_command():
    # Worker processes are this interpreter running _rcsim._sweep_worker, with this package's
    # directory on its path whatever the parent's PYTHONPATH.
    if not _sys.executable:
        raise EnvironmentError("sys.executable is empty: cannot start sweep worker processes")
    parent = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
    code = ("import sys; sys.path.insert(0, %r); from rcsim import _rcsim; _rcsim._sweep_worker(sys.argv[1:])"
            % parent)
    return [_sys.executable, "-c", code]


def sweep(spec, jobs=2, out=None, mode="fast", shard="0/1", weights=None, accuracy=True, accuracy_images=0,
          pareto=None, evaluator="rcsim"):
    """`rcsim sweep --spec SPEC --jobs JOBS`: every design point of a sweep spec.

    spec: a shipped spec name, a YAML path, or a dict with the YAML's structure
    ({"name": …, "base": {…}, "grid": {…}, "points": […]}). out: the result CSV (resumable like
    the CLI's: OUT.journal holds progress); None = a temporary file. Returns a SweepResult.
    """
    if isinstance(spec, dict):
        spec_name, spec_text = "<dict>", _json.dumps(spec)  # JSON is YAML
    else:
        spec_name, spec_text = _os.fspath(spec), ""
    tmp = None
    if out is None:
        tmp = _tempfile.mkdtemp(prefix="rcsim-sweep-")
        path = _os.path.join(tmp, "sweep.csv")
    else:
        path = _os.fspath(out)
    try:
        summary = _rcsim.sweep(spec_name, spec_text, path, int(jobs), str(shard), mode,
                               "" if weights is None else str(weights), bool(accuracy), int(accuracy_images),
                               list(pareto or []), evaluator, _worker_command())
        with open(path, encoding="utf-8") as f:
            text = f.read()
    finally:
        if tmp:
            _shutil.rmtree(tmp, ignore_errors=True)
    return SweepResult(text, summary, None if tmp else path)


def evaluate_points(points, jobs=1, mode="fast", **kwargs):
    """Evaluates explicit design points, each a dict over the sweep axes
    ({"network": "mnist_lenet", "width": 2, "array": "8x8"}, "set.<arch.path>": value, …),
    as a sweep of those points; returns a SweepResult (the same columns)."""
    spec = {"name": kwargs.pop("name", "points"), "points": [dict(p) for p in points]}
    return sweep(spec, jobs=jobs, mode=mode, **kwargs)


def _csv_file(data, tmpdir, name):
    """A path for `data`: a path as is; a Table, a pandas DataFrame or a list of dicts as a CSV."""
    if data is None or isinstance(data, (str, _os.PathLike)):
        return "" if data is None else _os.fspath(data)
    path = _os.path.join(tmpdir, name)
    if isinstance(data, Table):
        text = data.csv
    elif hasattr(data, "to_csv"):
        text = data.to_csv(index=False)
    else:
        rows = list(data)
        buf = _io.StringIO()
        w = _csv.DictWriter(buf, fieldnames=list(rows[0].keys()) if rows else [])
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if v is None else v for k, v in r.items()})
        text = buf.getvalue()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def governor(trace, policy="deadline", table=None, net="mnist_lenet", arch="default", overrides=None,
             weights=None, dataset=None, images=0, initial_width=0, energy_budget_j=_math.inf, idle="none"):
    """`rcsim governor`: replays a request trace, choosing a width per request.

    trace: a CSV path, a DataFrame or a list of dicts (time_s, deadline_s, power_budget_w,
    min_accuracy[, energy_budget_j]). table: a per-width CSV (path/DataFrame/Table) or None to
    measure it with the accelerator and energy model (net, arch, overrides, weights, dataset,
    images). Returns {"decisions": Table, "width_table": Table, "totals": dict}.
    """
    tmp = _tempfile.mkdtemp(prefix="rcsim-governor-")
    try:
        r = _rcsim.governor(_csv_file(trace, tmp, "trace.csv"), policy, _csv_file(table, tmp, "table.csv"),
                            str(net), str(arch), _sets(overrides), "" if weights is None else str(weights),
                            dataset or "", int(images), int(initial_width), float(energy_budget_j), idle)
    finally:
        _shutil.rmtree(tmp, ignore_errors=True)
    return {"decisions": Table(r["decisions_csv"]), "width_table": Table(r["width_table_csv"]),
            "totals": r["totals"]}
