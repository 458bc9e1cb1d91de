"""The training CLI as a user runs it: a real process, its exit code, its output, what it leaves on disk."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

REQUIRED = (
    "id status dataset n_train n_test epochs batch_size device device_name wall_seconds samples_per_second "
    "flops_per_sample achieved_flops peak_flops mfu test_accuracy test_loss energy_kwh cost_usd model_path"
).split()


def run_cli(*args, home):
    env = {**os.environ, "MODELRUNWAY_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "core.train", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_json_run_prints_the_stored_run(data_home):
    result = run_cli("--epochs", "1", "--limit", "300", "--json", home=data_home)
    assert result.returncode == 0, result.stderr
    run = json.loads(result.stdout)
    assert set(REQUIRED) <= set(run)
    assert run["status"] == "succeeded" and run["n_train"] == 300 and run["epochs"] == 1
    assert os.path.isfile(run["model_path"])
    assert (data_home / "modelrunway.db").is_file()


@pytest.mark.parametrize(
    "args, word",
    [
        (["--epochs", "0"], "epochs"),
        (["--epochs", "-3"], "epochs"),
        (["--batch-size", "0"], "batch_size"),
        (["--epochs", "two"], "--epochs"),
        (["--data", "/no/such/mnist.npz"], "does not exist"),
        (["--limit", "-5"], "limit"),
        (["--bogus"], "unrecognized"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(data_home, args, word):
    result = run_cli(*args, home=data_home)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and word in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not data_home.exists()


def test_corrupt_data_file_exits_2_and_writes_nothing(data_home, tmp_path):
    bad = tmp_path / "mnist.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    result = run_cli("--data", str(bad), home=data_home)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "mnist.npz" in result.stderr
    assert not data_home.exists()
