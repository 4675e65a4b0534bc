# rcsim.sweep / evaluate_points / governor against `rcsim sweep` / `rcsim governor`: the same
# CSV text, hence the same columns and rows; pandas sees the CSV's columns.
import pathlib

import pytest

import rcsim

SPEC = {"name": "py_check", "base": {"network": "mnist_lenet"},
        "grid": {"width": [1, 2, 3, 4], "array": ["8x8", "16x16"], "dataflow": ["ws"]},
        "points": [{"width": 4, "array": "4096x4", "dataflow": "ws"}]}  # invalid: array.rows out of range


@pytest.fixture(scope="module")
def cli_sweep(cli, tmp_path_factory):
    d = tmp_path_factory.mktemp("cli_sweep")
    import json
    (d / "spec.yaml").write_text(json.dumps(SPEC))
    cli("sweep", "--spec", d / "spec.yaml", "--out", d / "cli.csv", "--jobs", 2, "--accuracy-images", 200)
    return (d / "cli.csv").read_text()


@pytest.fixture(scope="module")
def py_sweep():
    return rcsim.sweep(SPEC, jobs=2, accuracy_images=200)


def test_sweep_csv_equals_cli(cli_sweep, py_sweep):
    r = py_sweep
    assert r.csv == cli_sweep
    assert r.points == 9 and r.evaluated == 9 and r.errors == 1
    bad = [row for row in r.records() if row["status"] == "error"]
    assert len(bad) == 1 and "array.rows" in bad[0]["error"]


def test_to_pandas_has_the_csv_columns(cli_sweep, py_sweep):
    df = py_sweep.to_pandas()
    assert list(df.columns) == cli_sweep.splitlines()[0].split(",")
    assert len(df) == 9
    ok = df[df["status"] == "ok"]
    assert len(ok) == 8 and (ok["cycles"] > 0).all() and (ok["cycles"] == ok["cycles"].round()).all()
    # jobs=1 (one worker) gives the same table.
    assert rcsim.sweep(SPEC, jobs=1, accuracy_images=200).csv == py_sweep.csv
    assert set(df["pareto"].dropna().unique()) <= {0, 1}


def test_sweep_out_file_and_resume(tmp_path):
    out = tmp_path / "s.csv"
    first = rcsim.sweep(SPEC, jobs=2, out=out, accuracy=False)
    assert out.read_text() == first.csv and first.path == str(out)
    again = rcsim.sweep(SPEC, jobs=2, out=out, accuracy=False)  # resumable like the CLI: nothing left to do
    assert again.evaluated == 0 and again.already_done == 9 and again.csv == first.csv


def test_shipped_spec_by_name_with_shard(cli, tmp_path):
    r = rcsim.sweep("lenet_design_space", jobs=2, shard="3/64", accuracy=False)
    cli("sweep", "--spec", "lenet_design_space", "--shard", "3/64", "--no-accuracy", "--jobs", 2,
        "--out", tmp_path / "c.csv")
    assert r.csv == (tmp_path / "c.csv").read_text()
    assert len(r) == 4


def test_evaluate_points_equal_sweep_rows(py_sweep):
    pts = [{"network": "mnist_lenet", "width": 2, "array": "8x8", "dataflow": "ws"},
           {"network": "mnist_lenet", "width": 3, "array": "16x16", "dataflow": "ws"}]
    got = {row["point_id"]: row for row in rcsim.evaluate_points(pts, jobs=2, accuracy_images=200).records()}
    full = {row["point_id"]: row for row in py_sweep.records()}
    assert len(got) == 2
    for pid, row in got.items():
        ref = dict(full[pid])
        # The index and the Pareto flag depend on the other points; "error" is a column only
        # when some row has one (the full sweep's invalid point).
        for k in ("point_index", "pareto", "error"):
            row.pop(k, None), ref.pop(k, None)
        assert row == ref


def test_bad_spec_raises_config_error_with_cli_message(cli, tmp_path):
    bad = {"name": "bad", "grid": {"widht": [1]}}
    with pytest.raises(rcsim.ConfigError) as e:
        rcsim.sweep(bad)
    import json
    (tmp_path / "bad.yaml").write_text(json.dumps(bad))
    p = cli("sweep", "--spec", tmp_path / "bad.yaml", "--out", tmp_path / "o.csv", check=False)
    assert p.returncode == 2
    # Same message up to the spec's origin (the CLI names the file, Python "<dict>").
    assert p.stderr.strip().replace(str(tmp_path / "bad.yaml"), "<dict>") == "rcsim: error: " + str(e.value)


def test_governor_equals_cli(cli, tmp_path):
    src = pathlib.Path(__file__).resolve().parents[2]
    trace = src / "workloads/sweeps/governor_trace_example.csv"
    g = rcsim.governor(trace, policy="deadline", images=100)
    cli("governor", "--trace", trace, "--policy", "deadline", "--images", 100,
        "--out", tmp_path / "d.csv", "--write-table", tmp_path / "t.csv")
    assert g["decisions"].csv == (tmp_path / "d.csv").read_text()
    assert g["width_table"].csv == (tmp_path / "t.csv").read_text()
    assert g["totals"]["requests"] == len(g["decisions"])
    # A table given as a pandas DataFrame, a trace as a list of dicts (empty cell: no constraint).
    g2 = rcsim.governor([{"time_s": 0, "deadline_s": 1e-3, "power_budget_w": None, "min_accuracy": 0.9}],
                        table=g["width_table"].to_pandas())
    assert len(g2["decisions"]) == 1
