"""A run whose process died is marked interrupted by the next start, and what it left in the models folder goes."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from core.lab.runs import process_identity, process_start, sweep_stale_runs, this_host
from db.engine import reset_cache, session_scope
from db.models import TrainingRun
from tests.conftest import PROJECT_ROOT


def _dead_pid() -> int:
    finished = subprocess.Popen(["true"])
    finished.wait()
    return finished.pid


def _store_running(**owner) -> int:
    with session_scope() as session:
        run = TrainingRun(status="running", epochs=1, batch_size=32, seed=0, **owner)
        session.add(run)
        session.flush()
        return run.id


def _status(run_id: int) -> str:
    with session_scope() as session:
        return session.get(TrainingRun, run_id).status


def test_the_sweep_tells_live_runs_from_dead_ones(data_home):
    me = process_identity()
    live = _store_running(**me)
    dead = _store_running(pid=_dead_pid(), host=this_host(), process_start=None)
    reused = _store_running(pid=me["pid"], host=this_host(), process_start="another-boot:12345")
    elsewhere = _store_running(pid=_dead_pid(), host="some-other-machine", process_start=None)
    before_pids = _store_running()  # stored before runs recorded their process
    with session_scope() as session:
        marked = sweep_stale_runs(session)
    assert sorted(marked) == sorted([dead, reused, before_pids])
    assert [_status(i) for i in (live, dead, reused, elsewhere, before_pids)] == [
        "running", "interrupted", "interrupted", "running", "interrupted"
    ]  # fmt: skip
    with session_scope() as session:
        run = session.get(TrainingRun, dead)
        assert run.finished_at is not None and "interrupted" in run.error


def test_the_sweep_removes_temp_files_of_dead_writers_only(data_home):
    models = data_home / "models"
    models.mkdir(parents=True)
    orphan = models / f".run-3.{_dead_pid()}.tmp.keras"
    in_progress = models / f".run-4.{os.getpid()}.tmp.keras"
    finished = models / "run-2.keras"
    for path in (orphan, in_progress, finished):
        path.write_bytes(b"model")
    with session_scope() as session:
        sweep_stale_runs(session)
    assert not orphan.exists() and in_progress.exists() and finished.exists()


def test_process_start_changes_with_the_process():
    assert process_start(os.getpid()) == process_start(os.getpid())
    if process_start(os.getpid()) is None:
        pytest.skip("no /proc on this system")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert process_start(child.pid) not in (None, process_start(os.getpid()))
    finally:
        child.kill()
        child.wait()


def _wait_for_running_run(db_file, process, timeout=240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if db_file.exists():
            try:
                with sqlite3.connect(db_file, timeout=1) as raw:
                    if raw.execute("select count(*) from training_runs where status='running'").fetchone()[0]:
                        return
            except sqlite3.OperationalError:
                pass  # the schema is still being created
        time.sleep(0.2)
    raise AssertionError("the training never stored a running run")


def _start_training(data_home):
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    # Enough epochs that no machine finishes before the signal.
    args = ["-m", "core.train", "--limit", "2000", "--epochs", "1000", "--batch-size", "8"]
    return subprocess.Popen(
        [sys.executable, *args], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _runs(data_home):
    with sqlite3.connect(data_home / "modelrunway.db") as raw:
        return raw.execute("select status, error, pid, host from training_runs").fetchall()


def test_a_training_killed_with_sigkill_is_interrupted_at_the_next_start(data_home):
    process = _start_training(data_home)
    try:
        _wait_for_running_run(data_home / "modelrunway.db", process)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        process.kill()
    [(status, _, pid, host)] = _runs(data_home)
    assert status == "running" and pid == process.pid and host == this_host()

    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home)}
    started = subprocess.run([sys.executable, "-m", "db"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    [(status, error, _, _)] = _runs(data_home)
    assert status == "interrupted" and "interrupted" in error
    models = data_home / "models"
    assert not models.exists() or not list(models.glob("*.tmp.keras"))


def test_sigterm_stops_a_training_like_ctrl_c(data_home):
    process = _start_training(data_home)
    try:
        _wait_for_running_run(data_home / "modelrunway.db", process)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines() == ["error: interrupted; the run is stored as interrupted"]
    [(status, error, _, _)] = _runs(data_home)
    assert status == "interrupted" and "SIGTERM" in error
    reset_cache()
    with session_scope() as session:
        assert session.scalars(select(TrainingRun.status)).all() == ["interrupted"]
