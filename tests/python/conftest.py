# Shared fixtures of the Python module's tests: the module comes from PYTHONPATH (the build's
# python/ directory, set by ctest), the CLI to compare with from RCSIM_EXE.
import json
import os
import subprocess

import pytest


@pytest.fixture(scope="session")
def rcsim_exe():
    exe = os.environ.get("RCSIM_EXE")
    if not exe:
        pytest.fail("RCSIM_EXE (the rcsim binary to compare with) is not set")
    return exe


@pytest.fixture(scope="session")
def cli(rcsim_exe):
    """cli(*args) → CompletedProcess of `rcsim args…` (text)."""
    def run(*args, check=True):
        env = dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1")
        p = subprocess.run([rcsim_exe, *map(str, args)], capture_output=True, text=True, env=env)
        if check and p.returncode != 0:
            raise AssertionError(f"rcsim {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
        return p
    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    return lambda *args: json.loads(cli(*args).stdout)
