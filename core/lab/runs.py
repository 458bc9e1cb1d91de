"""Stored training runs as plain data, for the CLI, the pages and the estimators that cite them. No TensorFlow."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import session_scope
from db.models import TrainingRun

RUN_FIELDS = (
    "id",
    "status",
    "error",
    "variant",
    "architecture",
    "ladder",
    "backend",
    "device",
    "device_name",
    "device_count",
    "dataset",
    "dataset_origin",
    "dataset_hash",
    "n_train",
    "n_test",
    "epochs",
    "batch_size",
    "seed",
    "params",
    "wall_seconds",
    "samples_per_second",
    "flops_per_sample",
    "achieved_flops",
    "peak_flops",
    "peak_flops_spec",
    "mfu",
    "power_watts",
    "energy_kwh",
    "price_per_hour",
    "cost_usd",
    "test_accuracy",
    "test_loss",
    "model_path",
    "framework_versions",
    "confusion_matrix",
)


def run_to_dict(run: TrainingRun, with_details: bool = True) -> dict:
    data = {field: getattr(run, field) for field in RUN_FIELDS}
    data["started_at"] = run.started_at.isoformat() if run.started_at else None
    data["finished_at"] = run.finished_at.isoformat() if run.finished_at else None
    if with_details:
        data["history"] = [
            {"epoch": e.epoch, "loss": e.loss, "accuracy": e.accuracy, "seconds": e.seconds} for e in run.epochs_history
        ]
        data["class_metrics"] = [
            {"digit": c.digit, "precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
            for c in run.class_metrics
        ]
    return data


def get_run(run_id: int) -> dict | None:
    with session_scope() as session:
        run = session.get(TrainingRun, run_id)
        return run_to_dict(run) if run else None


def list_runs(limit: int | None = None) -> list[dict]:
    """Newest first, without per-epoch and per-class detail."""
    with session_scope() as session:
        query = select(TrainingRun).order_by(TrainingRun.id.desc())
        if limit:
            query = query.limit(limit)
        return [run_to_dict(run, with_details=False) for run in session.scalars(query)]


def latest_successful_run(with_model: bool = False) -> dict | None:
    """The newest run that succeeded (and, if asked, whose saved model file still exists)."""
    from pathlib import Path

    with session_scope() as session:
        query = select(TrainingRun).where(TrainingRun.status == "succeeded").order_by(TrainingRun.id.desc())
        for run in session.scalars(query):
            if not with_model or (run.model_path and Path(run.model_path).is_file()):
                return run_to_dict(run)
    return None


def best_successful_run() -> dict | None:
    """The stored model the demo uses by default: the succeeded run with the highest test accuracy whose model
    file still exists (the newest of equals). Scaling-lab runs keep no model file, so they never compete."""
    from pathlib import Path

    with session_scope() as session:
        query = (
            select(TrainingRun)
            .where(TrainingRun.status == "succeeded", TrainingRun.model_path.is_not(None))
            .order_by(TrainingRun.test_accuracy.desc().nulls_last(), TrainingRun.id.desc())
        )
        for run in session.scalars(query):
            if Path(run.model_path).is_file():
                return run_to_dict(run)
    return None


def runs_with_models() -> list[dict]:
    """Succeeded runs whose model file exists, best test accuracy first, without per-epoch detail."""
    from pathlib import Path

    with session_scope() as session:
        query = (
            select(TrainingRun)
            .where(TrainingRun.status == "succeeded", TrainingRun.model_path.is_not(None))
            .order_by(TrainingRun.test_accuracy.desc().nulls_last(), TrainingRun.id.desc())
        )
        return [
            run_to_dict(run, with_details=False) for run in session.scalars(query) if Path(run.model_path).is_file()
        ]
