"""The scaling lab: power-law arithmetic on exact data, a tiny real ladder (every point a stored run), its answers,
and the CLI's errors."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from core.lab.ladder import (
    LadderConfig,
    _epochs_for,
    _plan,
    fit_power_law,
    latest_ladder,
    power_law_error,
    run_ladder,
    x_for_error,
)
from tests.conftest import PROJECT_ROOT


def test_power_law_fit_recovers_an_exact_law():
    x = [1e6, 1e7, 1e8, 1e9]
    error = [2.0 * value**-0.25 for value in x]  # 0.0632, 0.0356, 0.02, 0.0112
    fit = fit_power_law(x, error)
    assert fit["a"] == pytest.approx(2.0, rel=1e-9) and fit["b"] == pytest.approx(0.25, rel=1e-9)
    assert fit["r2"] == pytest.approx(1.0) and fit["points"] == 4
    assert power_law_error(fit, 1e10) == pytest.approx(2.0 * 1e10**-0.25)
    # Where the law reaches 1 % error: 2 · x^-0.25 = 0.01 → x = 200^4 = 1.6e9.
    assert x_for_error(fit, 0.01) == pytest.approx(1.6e9, rel=1e-9)
    assert fit_power_law([5.0, 5.0], [0.1, 0.2]) is None
    flat = fit_power_law([1, 10], [0.1, 0.1])
    assert flat["b"] == pytest.approx(0.0, abs=1e-12) and x_for_error(flat, 0.05) is None


def test_the_plan_and_the_epochs_of_the_data_ladder():
    points = _plan(LadderConfig(widths=(32, 512), data_sizes=(250, 1000)), n_available=4500)
    assert [p["label"] for p in points] == ["MLP 32", "MLP 512", "CNN", "250 digits", "1,000 digits"]
    assert points[1]["axes"] == ["size", "data"]  # the reference width on all the data is on both ladders
    without_reference = _plan(LadderConfig(widths=(32,), data_sizes=(250,), include_cnn=False), n_available=4500)
    assert [p["label"] for p in without_reference] == ["MLP 32", "250 digits", "4,500 digits"]
    # About as many optimizer steps as the full set: 5 epochs × 4500 / 1000 = 22.5 → 22; capped at 40.
    assert _epochs_for(1000, 4500, 5) == 22 and _epochs_for(250, 4500, 5) == 40 and _epochs_for(4500, 4500, 5) == 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"epochs": 0}, "epochs"), ({"widths": (32, 32)}, "widths"), ({"data_sizes": (5,)}, "data_sizes")],
)
def test_bad_ladder_settings_name_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}:"):
        LadderConfig(**kwargs)


def test_a_tiny_ladder_stores_every_point_and_answers_with_numbers(data_home):
    from core.lab.data import load_mnist
    from core.lab.runs import list_runs

    data = load_mnist(limit=1000)
    events = []
    result = run_ladder(
        LadderConfig(epochs=1, widths=(16, 64), data_sizes=(250,), include_cnn=True), progress=events.append, data=data
    )
    labels = [point["label"] for point in result["points"]]
    assert labels == ["MLP 16", "MLP 64", "CNN", "250 digits", "1,000 digits"]
    stored = {run["id"]: run for run in list_runs()}
    assert len(stored) == 5 and all(run["status"] == "succeeded" for run in stored.values())
    for point in result["points"]:
        run = stored[point["run_id"]]
        assert run["ladder"]["id"] == result["ladder_id"] and run["model_path"] is None
        assert point["training_flops"] == run["flops_per_sample"] * run["n_train"] * run["epochs"]
        assert point["error"] == pytest.approx(1 - run["test_accuracy"])
        assert point["cost_usd"] > 0 and point["samples_per_second"] > 0
    assert [stored[p["run_id"]]["architecture"] for p in result["points"][:3]] == [
        "mlp-16-8-4",
        "mlp-64-32-16",
        "cnn-16-16-32-32",
    ]
    assert result["points"][3]["epochs"] == 4  # 1 epoch × 1000 / 250 digits
    mlps = [p for p in result["points"] if p["label"].startswith("MLP")]
    fit = result["fits"]["error_vs_compute"]
    slope, _ = np.polyfit(np.log10([p["training_flops"] for p in mlps]), np.log10([p["error"] for p in mlps]), 1)
    assert fit["b"] == pytest.approx(-slope, rel=1e-6)
    assert result["fits"]["error_vs_data"]["points"] == 2
    bigger, data_answer = result["answers"]["is_bigger_always_better"], result["answers"]["how_much_data"]
    assert "MLP 64" in bigger["text"] and "CNN reaches" in bigger["text"] and "%" in bigger["text"]
    assert "250 to 1,000 digits" in data_answer["text"] and "doubling" in data_answer["text"]
    json.dumps(result, allow_nan=False)
    assert events and {event["points"] for event in events} == {5}
    assert all(0 <= event["fraction"] <= 1 for event in events)
    again = latest_ladder()
    assert again["ladder_id"] == result["ladder_id"] and len(again["points"]) == 5
    assert again["fits"]["error_vs_compute"]["b"] == pytest.approx(fit["b"])
    assert math.isclose(again["total_cost_usd"], result["total_cost_usd"])


@pytest.mark.parametrize(
    ("args", "word"),
    [(["--epochs", "0"], "epochs"), (["--widths", "32,abc"], "widths"), (["--data-sizes", "3"], "data_sizes")],
)
def test_ladder_cli_bad_arguments_exit_2_with_one_line(data_home, args, word):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    result = subprocess.run(
        [sys.executable, "-m", "core.lab.ladder", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and word in lines[0]
    assert not data_home.exists()
