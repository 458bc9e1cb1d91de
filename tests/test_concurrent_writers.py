"""A team edits at once: four processes save funding scenarios and GPU estimates into one fresh database together.
Every save either lands or gets the store's own "already exists" answer; nothing is lost, nothing is doubled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict

import pytest

from tests.concurrent_writer import SAVERS
from tests.conftest import PROJECT_ROOT, database_env

pytestmark = pytest.mark.usefixtures("database_url")
WORKERS = 4
ROUNDS = 6


def stored_names(kind: str) -> dict[str, int]:
    """Each stored name of a kind and the worker whose payload its row holds."""
    if kind == "scenario":
        from core.funding import store

        return {s["name"]: int(s["payload"]["cash"]) - 1_000_000 for s in store.list_scenarios()}
    if kind == "estimate":
        from core.compute.store import list_estimates

        return {e["name"]: e["inputs"]["training"]["worker"] for e in list_estimates()}
    if kind == "plan":
        from core.plan.store import load_plan, plan_names

        written = [name for name in plan_names() if name.startswith(("shared plan", "worker ", "last plan"))]
        return {name: int(load_plan(name).funding["cash"]) - 1_000_000 for name in written}  # not the seeded plans
    raise AssertionError(f"no reader for {kind}: add one next to its saver in tests/concurrent_writer.py")


def run_workers(data_home, tmp_path) -> list[dict]:
    meeting_dir = tmp_path / "meetings"
    meeting_dir.mkdir()
    env = {**os.environ, "MODELRUNWAY_HOME": str(data_home), **database_env()}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.concurrent_writer", str(worker), str(WORKERS), str(meeting_dir), str(ROUNDS)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WORKERS)
    ]
    outputs = [worker.communicate(timeout=240) for worker in workers]
    tracebacks = [stderr[-3000:] for _stdout, stderr in outputs if "Traceback" in stderr]
    assert not tracebacks, tracebacks[0]
    assert [worker.returncode for worker in workers] == [0] * WORKERS, [stderr for _stdout, stderr in outputs]
    return [json.loads(line) for stdout, _stderr in outputs for line in stdout.splitlines()]


def test_four_writers_lose_nothing_and_get_clean_already_exists_answers(data_home, tmp_path):
    results = run_workers(data_home, tmp_path)
    assert len(results) == WORKERS * ROUNDS * len(SAVERS) * 3
    by_name = defaultdict(list)
    for result in results:
        by_name[(result["kind"], result["group"], result["name"])].append(result)

    for kind in SAVERS:
        stored = stored_names(kind)
        expected = {name for (k, _group, name) in by_name if k == kind}
        assert set(stored) == expected, f"{kind}: rows lost or invented"
        for (k, group, name), attempts in by_name.items():
            if k != kind:
                continue
            winners = [a["worker"] for a in attempts if a.get("saved")]
            refusals = [a["error"] for a in attempts if "error" in a]
            if group == "own":
                assert winners == [attempts[0]["worker"]], name
            elif group == "shared":
                assert len(winners) == 1, f"{name}: saved by {winners}"
                assert stored[name] == winners[0], f"{name}: the row holds another worker's payload"
                assert len(refusals) == WORKERS - 1
                assert all(r.startswith("name: ") and "exists" in r and name in r for r in refusals), refusals
            else:  # overwrite: every save lands, the row holds one of them
                assert len(winners) == WORKERS and not refusals, refusals
                assert stored[name] in winners
