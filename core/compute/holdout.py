"""The estimator scored on published runs it was not fitted to (db/seed_data/published_runs_holdout.csv).

Only this module reads that file; core.compute.mfu never does. Each run is estimated with defaults only, as a
founder would: parameters (and active parameters for a mixture of experts), tokens and the GPU. The limits are the
goal the estimator is held to, not what it happens to reach today."""

from __future__ import annotations

import statistics

from core.config import PROJECT_ROOT

HOLDOUT_FILE = PROJECT_ROOT / "db" / "seed_data" / "published_runs_holdout.csv"
GOAL = {"median_abs_error": 0.15, "max_abs_error": 0.40, "band_coverage": 0.80}


def holdout_runs():
    from core.compute.mfu import read_runs

    return read_runs(HOLDOUT_FILE)


def estimate_with_defaults(run) -> dict:
    from core.compute.gpus import find_gpu, seeded_specs
    from core.compute.training import TrainingInputs, estimate_training

    inputs = TrainingInputs(
        params=run.params,
        active_params=run.active_params if run.is_moe else None,
        tokens=run.tokens,
        gpu=find_gpu(run.gpu, seeded_specs()),
    )
    return estimate_training(inputs, memory_bands=False)


def score(runs=None) -> dict:
    """Median and worst |estimated ÷ reported GPU-hours − 1| and the share of runs inside the band."""
    runs = holdout_runs() if runs is None else runs
    rows = []
    for run in runs:
        result = estimate_with_defaults(run)
        rows.append(
            {
                "model": run.model,
                "gpu": run.gpu,
                "reported_gpu_hours": run.gpu_hours,
                "estimated_gpu_hours": result["gpu_hours"],
                "error": result["gpu_hours"] / run.gpu_hours - 1,
                "inside_band": result["gpu_hours_low"] <= run.gpu_hours <= result["gpu_hours_high"],
                "source": run.source,
            }
        )
    errors = [abs(row["error"]) for row in rows]
    return {
        "runs": rows,
        "median_abs_error": statistics.median(errors),
        "max_abs_error": max(errors),
        "band_coverage": sum(row["inside_band"] for row in rows) / len(rows),
        "goal": dict(GOAL),
    }
