"""Saved GPU-budget estimates: the funding contract keys, names, comparison and exports."""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.compute.estimate import estimate_serving, estimate_training, example_serving_inputs, example_training_inputs
from core.compute.store import (
    EstimateStoreError,
    comparison_rows,
    delete_estimate,
    export_csv,
    export_json,
    get_estimate,
    list_estimates,
    save_estimate,
)

pytestmark = pytest.mark.usefixtures("database_url")  # each test runs on SQLite and on PostgreSQL


def save_both(name: str, overwrite: bool = False) -> dict:
    training_inputs, serving_inputs = example_training_inputs(), example_serving_inputs()
    return save_estimate(
        name,
        training_inputs.as_dict(),
        estimate_training(training_inputs),
        serving_inputs.as_dict(),
        estimate_serving(serving_inputs),
        overwrite=overwrite,
    )


def test_saved_outputs_carry_the_funding_contract_keys(session):
    from db.models import SavedEstimate

    save_both("70B plan")
    row = session.query(SavedEstimate).filter_by(name="70B plan").one()
    training = estimate_training(example_training_inputs())
    assert row.kind == "training_and_serving"
    assert row.outputs["training_cost_usd"] == pytest.approx(training["cost_usd"])
    assert row.outputs["training_wall_days"] == pytest.approx(training["wall_days"])
    assert row.outputs["serving_monthly_cost_usd"] == pytest.approx(
        estimate_serving(example_serving_inputs())["monthly_cost_usd"]
    )
    assert row.inputs["training"]["gpu"] == "A100 80GB SXM"


def test_training_only_estimate_has_null_serving_cost():
    inputs = example_training_inputs()
    saved = save_estimate("training only", inputs.as_dict(), estimate_training(inputs))
    assert saved["kind"] == "training"
    assert "serving_monthly_cost_usd" in saved["outputs"] and saved["outputs"]["serving_monthly_cost_usd"] is None


def test_names_are_unique_unless_overwriting():
    save_both("plan")
    with pytest.raises(EstimateStoreError, match="^name:"):
        save_both("plan")
    save_both("plan", overwrite=True)
    assert [estimate["name"] for estimate in list_estimates()] == ["plan"]
    with pytest.raises(EstimateStoreError, match="^name:"):
        save_both("   ")
    with pytest.raises(EstimateStoreError, match="^outputs:"):
        save_estimate("empty", None, None)
    assert get_estimate("empty") is None


def test_compare_and_export():
    save_both("a")
    inputs = example_training_inputs()
    save_estimate("b", inputs.as_dict(), estimate_training(inputs))
    estimates = list_estimates()
    rows = comparison_rows(estimates)
    assert [row["name"] for row in rows] == ["a", "b"]
    assert rows[1]["serving_monthly_cost_usd"] is None and rows[0]["gpu"] == "A100 80GB SXM"
    parsed = list(csv.DictReader(io.StringIO(export_csv(estimates))))
    assert [row["name"] for row in parsed] == ["a", "b"]
    assert float(parsed[0]["training_cost_usd"]) == pytest.approx(rows[0]["training_cost_usd"])
    assert json.loads(export_json(estimates))[0]["outputs"]["training"]["gpu"] == "A100 80GB SXM"


def test_delete():
    save_both("gone")
    delete_estimate("gone")
    assert get_estimate("gone") is None
    with pytest.raises(EstimateStoreError, match="^name:"):
        delete_estimate("gone")
