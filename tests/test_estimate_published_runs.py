"""Estimates from parameters, tokens and GPU type alone against the GPU-hours published training runs reported."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

from core.compute.estimate import TrainingInputs, estimate_training
from core.compute.gpus import find_gpu, seeded_specs
from core.compute.mfu import effective_mfu, fit_rule, generation_of, mfu_rules, published_runs, runs_of

SHARED_RUNS = Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "published_runs_public.csv"


def estimate_for(run) -> dict:
    active = run.active_params if run.active_params != run.params else None
    return estimate_training(
        TrainingInputs(
            params=run.params, active_params=active, tokens=run.tokens, gpu=find_gpu(run.gpu, seeded_specs())
        )
    )


def relative_error(run) -> float:
    return estimate_for(run)["gpu_hours"] / run.gpu_hours - 1


def test_the_table_covers_a100_h100_and_h800_dense_and_moe():
    runs = published_runs()
    assert len(runs) >= 20
    assert {generation_of(run.gpu) for run in runs} == {"ampere", "hopper"}
    assert {run.gpu for run in runs} >= {"A100 80GB", "A100 40GB", "H100", "H800"}
    assert sum(run.active_params < run.params for run in runs) >= 4
    assert all(run.source for run in runs)


@pytest.mark.parametrize(("model", "reported"), [("Llama-2-7B", 184_320), ("Llama-2-70B", 1_720_320)])
def test_llama2_runs_within_25_percent(model, reported):
    run = next(run for run in published_runs() if run.model == model)
    assert run.gpu_hours == reported
    assert abs(relative_error(run)) <= 0.25


def test_shared_reference_runs_within_25_percent():
    if not SHARED_RUNS.is_file():
        pytest.skip(f"{SHARED_RUNS} is not on this machine")
    with SHARED_RUNS.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        result = estimate_training(
            TrainingInputs(
                params=float(row["params"]), tokens=float(row["tokens"]), gpu=find_gpu(row["gpu"], seeded_specs())
            )
        )
        assert abs(result["gpu_hours"] / float(row["gpu_hours"]) - 1) <= 0.25, row["model"]


def test_whole_table_median_error_max_error_and_band_coverage():
    runs = published_runs()
    errors = [abs(relative_error(run)) for run in runs]
    assert statistics.median(errors) <= 0.20
    assert max(errors) <= 0.45
    inside = [
        estimate_for(run)["gpu_hours_low"] <= run.gpu_hours <= estimate_for(run)["gpu_hours_high"] for run in runs
    ]
    assert sum(inside) >= 0.9 * len(runs)


def test_leave_one_out_each_run_is_predicted_by_a_fit_without_it():
    """The honest check: every run estimated by a rule fitted on the other runs of its generation."""
    errors, inside = [], 0
    for generation in ("ampere", "hopper"):
        runs = runs_of(generation)
        for left_out in runs:
            rule = fit_rule(generation, [run for run in runs if run is not left_out])
            mfu = rule.point(left_out.active_params)
            predicted = left_out.gpu_hours * effective_mfu(left_out) / mfu
            errors.append(abs(predicted / left_out.gpu_hours - 1))
            inside += mfu * rule.low_ratio <= effective_mfu(left_out) <= mfu * rule.high_ratio
    assert statistics.median(errors) <= 0.20
    assert max(errors) <= 0.55
    assert inside >= 0.8 * len(errors)


def test_hopper_defaults_grow_with_model_size_and_a100_stays_flat():
    rules = mfu_rules()
    hopper, ampere = rules["hopper"], rules["ampere"]
    assert hopper.point(8e9) < hopper.point(70e9) < hopper.point(405e9)
    assert 0.15 < hopper.point(8e9) < 0.22 and 0.3 < hopper.point(405e9) < 0.42
    assert abs(ampere.slope) < 0.1 and 0.33 < ampere.point(7e9) < 0.42
    # The fit is clamped to the sizes it saw: a 100M model gets the smallest run's MFU, not an extrapolation.
    assert hopper.point(1e8) == hopper.point(hopper.min_params)


def test_deepseek_v3_with_active_parameters_lands_within_35_percent():
    run = next(run for run in published_runs() if run.model == "DeepSeek-V3")
    assert (run.params, run.active_params, run.tokens, run.gpu_hours) == (671e9, 37e9, 14.8e12, 2_788_000)
    result = estimate_for(run)
    assert abs(result["gpu_hours"] / run.gpu_hours - 1) <= 0.35
    assert result["gpu_hours_low"] <= run.gpu_hours <= result["gpu_hours_high"]
