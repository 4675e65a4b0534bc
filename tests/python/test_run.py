# rcsim.run / info / energy_table against the CLI's JSON, repeated runs in one process, and the
# exceptions with the CLI's one-line messages.
import time

import numpy as np
import pytest

import rcsim


def without_python_extras(d):
    return {k: v for k, v in d.items() if k not in ("logits", "outputs")}


@pytest.mark.parametrize("mode", ["fast", "per-cycle"])
def test_run_equals_cli_json(cli_json, mode):
    r = rcsim.run("mnist_lenet", width=2, mode=mode, weights="random", overrides={"array.rows": 8}, images=2)
    c = cli_json("run", "--net", "mnist_lenet", "--width", 2, "--mode", mode, "--weights", "random",
                 "--set", "array.rows=8", "--images", 2, "--json")
    assert without_python_extras(r) == c
    assert r["outputs_match_reference"] is True
    assert r["cycles"] > 0


def test_readme_command_cycles(cli_json):
    # The README's check: the same cycles as the CLI (trained default weights).
    assert rcsim.run("mnist_lenet", width=1, mode="fast")["cycles"] == \
        cli_json("run", "--net", "mnist_lenet", "--width", 1, "--mode", "fast", "--json")["cycles"]


def test_logits_and_outputs_are_numpy():
    r = rcsim.run("mnist_lenet", width=4, weights="random", images=3, outputs=True)
    assert isinstance(r["logits"], np.ndarray)
    assert r["logits"].dtype == np.int32 and r["logits"].shape == (3, 10)
    assert list(r["outputs"]) == [layer["name"] for layer in r["layers"]]
    assert all(isinstance(o, np.ndarray) and o.dtype == np.int32 for o in r["outputs"].values())
    # The last layer's output of the first image is its logits.
    assert np.array_equal(list(r["outputs"].values())[-1], r["logits"][0])


def test_thousand_fast_runs_in_one_process():
    # One SystemC elaboration serves every run: a notebook can call run() over and over.
    first = rcsim.run("mnist_lenet", width=1, mode="fast", weights="random")
    t0 = time.perf_counter()
    for i in range(1000):
        r = rcsim.run("mnist_lenet", width=1 + i % 4, mode="fast", weights="random")
        if i % 4 == 0:
            assert r["cycles"] == first["cycles"]
        assert r["outputs_match_reference"]
    print(f"1000 fast runs in {time.perf_counter() - t0:.2f} s")


def test_per_cycle_runs_repeat_and_agree_with_fast():
    fast = [rcsim.run("mnist_lenet", width=k, mode="fast", weights="random")["cycles"] for k in (1, 2, 3)]
    for _ in range(2):
        per_cycle = [rcsim.run("mnist_lenet", width=k, mode="per-cycle", weights="random")["cycles"] for k in (1, 2, 3)]
        assert per_cycle == fast


def test_info_and_energy_table_equal_cli(cli_json):
    assert rcsim.info("mnist_lenet") == cli_json("info", "--net", "mnist_lenet", "--json")
    assert rcsim.energy_table("45nm") == cli_json("energy", "--tech", "45nm", "--json")


def cli_error(cli, *args):
    p = cli(*args, check=False)
    assert p.returncode == 2, p.stderr
    line = p.stderr.strip()
    assert line.startswith("rcsim: error: ") and "\n" not in line
    return line[len("rcsim: error: "):]


def test_input_error_same_message(cli):
    with pytest.raises(rcsim.InputError) as e:
        rcsim.run("mnist_lenet", width=9)
    assert str(e.value) == cli_error(cli, "run", "--net", "mnist_lenet", "--width", 9, "--mode", "fast")
    assert isinstance(e.value, ValueError)


def test_config_error_same_message(cli):
    with pytest.raises(rcsim.ConfigError) as e:
        rcsim.run("mnist_lenet", overrides={"array.rowz": 8})
    assert str(e.value) == cli_error(cli, "run", "--set", "array.rowz=8", "--mode", "fast")


def test_missing_network_is_an_input_or_config_error(cli):
    with pytest.raises((rcsim.InputError, rcsim.ConfigError)) as e:
        rcsim.info("no_such_network")
    assert str(e.value) == cli_error(cli, "info", "--net", "no_such_network")


def test_environment_error_maps_to_oserror():
    assert issubclass(rcsim.EnvironmentError, OSError)


def test_module_still_works_after_errors():
    with pytest.raises(rcsim.InputError):
        rcsim.run("mnist_lenet", width=0)
    assert rcsim.run("mnist_lenet", width=1, weights="random")["cycles"] > 0


def test_runs_from_several_threads_are_serialized_not_corrupted():
    # The SystemC kernel is not thread-safe: the module runs one simulation at a time (and
    # releases the GIL meanwhile), so threads get the same answers as a loop.
    from concurrent.futures import ThreadPoolExecutor
    expected = {k: rcsim.run("mnist_lenet", width=k, weights="random")["cycles"] for k in (1, 2, 3, 4)}
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda i: (1 + i % 4, rcsim.run("mnist_lenet", width=1 + i % 4, weights="random")),
                            range(40)))
    for k, r in got:
        assert r["cycles"] == expected[k] and r["outputs_match_reference"]
