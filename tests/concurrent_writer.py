"""One of several processes saving named things into the same database at once (tests/test_concurrent_writers.py).

`python -m tests.concurrent_writer WORKER WORKERS MEETING_DIR ROUNDS`: saves, per kind and round, one name every
worker also saves ("shared"), one of its own ("own") and one every worker saves with overwrite ("last"). Before
each save the workers meet (a file each in MEETING_DIR), so they race on the same name at the same moment.
Prints one JSON object per save: kind, name, worker, and either "saved" or the error's message. A store error is an
expected answer; any other exception ends the process with a traceback, which the test treats as a failure.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def _scenario(worker: int) -> dict:
    # The cash identifies the worker whose payload a row holds.
    return {"cash": 1_000_000 + worker}


def save_scenario(name: str, worker: int, overwrite: bool) -> None:
    from core.funding import store

    store.save_scenario(name, _scenario(worker), overwrite=overwrite)


def save_estimate(name: str, worker: int, overwrite: bool) -> None:
    from core.compute.estimate import estimate_training, example_training_inputs
    from core.compute.store import save_estimate

    inputs = example_training_inputs()
    inputs_dict = {**inputs.as_dict(), "worker": worker}
    save_estimate(name, inputs_dict, estimate_training(inputs), overwrite=overwrite)


def save_plan(name: str, worker: int, overwrite: bool) -> None:
    import json

    from core.config import PROJECT_ROOT
    from core.plan.store import save_plan as store_plan

    plan = json.loads((PROJECT_ROOT / "examples" / "plans" / "api_wrapper.json").read_text())
    plan["funding"]["cash"] = 1_000_000 + worker
    store_plan(plan, name, overwrite=overwrite)


# Each kind of named record the team edits, with its saver; a new store adds its saver and error class here.
SAVERS = {"scenario": save_scenario, "estimate": save_estimate, "plan": save_plan}


def store_errors() -> tuple[type[Exception], ...]:
    from core.compute.store import EstimateStoreError
    from core.funding.model import ScenarioError
    from core.plan.model import PlanError

    return (ScenarioError, EstimateStoreError, PlanError)


def meet(meeting_dir: Path, step: str, worker: int, workers: int) -> None:
    """Wait until every worker has reached this step; give up when one of them failed."""
    (meeting_dir / f"{step}.{worker}").touch()
    deadline = time.monotonic() + 60
    while sum(1 for _ in meeting_dir.glob(f"{step}.*")) < workers:
        if (meeting_dir / "failed").exists():
            raise SystemExit(f"worker {worker}: another worker failed")
        if time.monotonic() > deadline:
            raise SystemExit(f"worker {worker}: the others never reached {step}")
        time.sleep(0.001)


def main(worker: int, workers: int, meeting_dir: Path, rounds: int) -> None:
    import core.compute.estimate  # noqa: F401  imports done before the first meeting, so workers collide on writes
    import core.compute.store  # noqa: F401
    import core.funding.store  # noqa: F401
    import core.plan.store  # noqa: F401

    errors = store_errors()
    for number in range(rounds):
        for kind, save in SAVERS.items():
            for group, name, overwrite in (
                ("shared", f"shared {kind} {number}", False),
                ("own", f"worker {worker} {kind} {number}", False),
                ("last", f"last {kind} {number}", True),
            ):
                meet(meeting_dir, f"{kind}-{group}-{number}", worker, workers)
                result = {"kind": kind, "group": group, "name": name, "worker": worker}
                try:
                    save(name, worker, overwrite)
                    result["saved"] = True
                except errors as error:
                    result["error"] = str(error)
                print(json.dumps(result), flush=True)


if __name__ == "__main__":
    meetings = Path(sys.argv[3])
    try:
        main(int(sys.argv[1]), int(sys.argv[2]), meetings, int(sys.argv[4]))
    except Exception:
        (meetings / "failed").touch()
        raise
