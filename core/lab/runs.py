"""Stored training runs as plain data, for the CLI, the pages and the estimators that cite them. No TensorFlow.

A run records the pid, host and start time of the process training it. A process killed outright (SIGKILL, power
loss) cannot record its own end, so every start sweeps: a `running` run whose process is gone is marked
`interrupted`, and model files a dead process left half-written are removed."""

from __future__ import annotations

import os
import re
import socket
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from db.engine import session_scope
from db.models import TrainingRun

RUN_FIELDS = (
    "id",
    "status",
    "error",
    "pid",
    "host",
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


# save_model_atomically writes ".run-7.4242.tmp.keras" beside "run-7.keras"; the number in the middle is the pid.
TEMP_MODEL_PATTERN = re.compile(r"^\.(?P<stem>.+)\.(?P<pid>\d+)\.tmp\.keras$")
FINAL_MODEL_PATTERN = re.compile(r"^run-(?P<id>\d+)\.keras$")


def temp_model_path(final_path: Path, pid: int | None = None) -> Path:
    return final_path.with_name(f".{final_path.stem}.{pid or os.getpid()}.tmp.keras")


def this_host() -> str:
    return socket.gethostname()[:255]


def process_start(pid: int) -> str | None:
    """When the process started, as "boot id:clock ticks since boot" (Linux), so a pid the kernel has handed to a
    new process since is not taken for the old one. None where /proc cannot say."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
    fields = stat[stat.rfind(")") + 2 :].split()
    return f"{boot_id}:{fields[19]}" if len(fields) > 19 else None


def _process_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rfind(")") + 2 :][:1] or None


def process_alive(pid: int | None, started: str | None = None) -> bool:
    """Whether the process that recorded (pid, started) still runs on this host. A zombie (killed, not yet reaped by
    its parent) counts as gone."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: alive
    except OSError:
        return False
    if _process_state(pid) in ("Z", "X"):
        return False
    if started is not None:
        now = process_start(pid)
        if now is not None and now != started:
            return False
    return True


def process_identity() -> dict:
    """What a new run stores about the process training it."""
    pid = os.getpid()
    return {"pid": pid, "host": this_host(), "process_start": process_start(pid)}


def sweep_stale_runs(session) -> list[int]:
    """Mark `running` runs whose process is gone as interrupted and remove what they left in the models folder;
    returns the ids marked. Runs of another host are left alone (their liveness cannot be seen from here); a run
    stored before pids were recorded has no owner that could still finish it."""
    from core import config

    host = this_host()
    marked = []
    for run in session.scalars(select(TrainingRun).where(TrainingRun.status == "running")):
        if run.host is not None and run.host != host:
            continue
        if run.host is not None and process_alive(run.pid, run.process_start):
            continue
        run.status, run.finished_at = "interrupted", datetime.now(UTC)
        run.error = run.error or "interrupted: the training process ended before the run finished"
        marked.append(run.id)
    session.flush()
    _remove_orphan_model_files(config.models_dir(), marked)
    return marked


def _remove_orphan_model_files(folder: Path, interrupted_ids: list[int]) -> None:
    """Temp files whose writer is dead, and the model file of a run that died between saving and recording it."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    interrupted = set(interrupted_ids)
    for path in entries:
        temp = TEMP_MODEL_PATTERN.match(path.name)
        final = FINAL_MODEL_PATTERN.match(path.name)
        stale_temp = temp is not None and not process_alive(int(temp.group("pid")))
        if stale_temp or (final is not None and int(final.group("id")) in interrupted):
            try:
                if path.is_dir():
                    continue
                path.unlink()
            except OSError:
                pass
