"""Named GPU-budget estimates in SQLite (db.models.SavedEstimate), compared side by side and exported as CSV/JSON.

Contract with the funding page: `outputs` always has top-level `training_cost_usd`, `training_wall_days` and
`serving_monthly_cost_usd` (None when the estimate has no such part).
"""

from __future__ import annotations

import csv
import io
import json

from core.text import clean_name, defuse_csv_cell, name_key

KINDS = ("training", "serving", "training_and_serving")
COMPARE_FIELDS = (
    ("gpu", "training", "gpu"),
    ("params", "training", "params"),
    ("active_params", "training", "active_params"),
    ("tokens", "training", "tokens"),
    ("gpus", "training", "gpus"),
    ("mfu", "training", "mfu"),
    ("gpu_hours", "training", "gpu_hours"),
    ("gpu_hours_low", "training", "gpu_hours_low"),
    ("gpu_hours_high", "training", "gpu_hours_high"),
    ("training_cost_usd_low", "training", "cost_usd_low"),
    ("training_cost_usd_high", "training", "cost_usd_high"),
    ("energy_kwh", "training", "energy_kwh"),
    ("co2_kg", "training", "co2_kg"),
    ("train_memory_gb", "training", "train_memory_gb"),
    ("min_gpus", "training", "min_gpus"),
    ("serving_gpu", "serving", "gpu"),
    ("serving_gpus_needed", "serving", "gpus_needed"),
    ("decode_tokens_per_s", "serving", "decode_tokens_per_s"),
    ("cost_per_million_output_tokens", "serving", "cost_per_million_output_tokens"),
    ("usd_per_million_input_tokens", "serving", "usd_per_million_input_tokens"),
    ("ttft_ms", "serving", "ttft_ms"),
    ("tpot_ms", "serving", "tpot_ms"),
    ("serving_utilization", "serving", "utilization"),
    ("serving_monthly_cost_low", "serving", "monthly_cost_low"),
    ("serving_monthly_cost_high", "serving", "monthly_cost_high"),
)


class EstimateStoreError(ValueError):
    """Bad save/load request; the message starts with the field's name."""


def build_outputs(training: dict | None, serving: dict | None) -> dict:
    """The stored outputs: the funding contract's three keys on top, each part's full result below."""
    if training is None and serving is None:
        raise EstimateStoreError("outputs: an estimate needs a training or a serving part")
    return {
        "training_cost_usd": training["cost_usd"] if training else None,
        "training_wall_days": training["wall_days"] if training else None,
        "serving_monthly_cost_usd": serving["monthly_cost_usd"] if serving else None,
        "training": training,
        "serving": serving,
    }


def kind_of(training: dict | None, serving: dict | None) -> str:
    return "training_and_serving" if training and serving else ("training" if training else "serving")


def _clean_name(name: str) -> str:
    return clean_name(name, EstimateStoreError, "estimate")


def save_estimate(
    name: str,
    training_inputs: dict | None,
    training: dict | None,
    serving_inputs: dict | None = None,
    serving: dict | None = None,
    overwrite: bool = False,
) -> dict:
    """Store (or, with overwrite, replace) a named estimate; returns it as list_estimates shows it. Names compare
    case- and Unicode-insensitively: "ÉCOLE AI" and "école ai" are one estimate."""
    from db.engine import write_racing_for_a_name

    name = _clean_name(name)
    outputs = build_outputs(training, serving)
    inputs = {"training": training_inputs if training else None, "serving": serving_inputs if serving else None}
    # JSON columns hold plain data only; a round trip turns any stray type into an error here, not at commit.
    try:
        inputs = json.loads(json.dumps(inputs, allow_nan=False))
        outputs = json.loads(json.dumps(outputs, allow_nan=False))
    except ValueError:
        raise EstimateStoreError("outputs: a figure is not a finite number; use smaller inputs") from None
    kind = kind_of(training, serving)
    return write_racing_for_a_name(
        lambda: _write(name, kind, inputs, outputs, overwrite),
        overwrite,
        lambda: EstimateStoreError(f"name: an estimate called {name!r} exists; pick another name or overwrite it"),
    )


def _stored(session, name: str):
    """The estimate called `name` in any case or Unicode spelling."""
    from sqlalchemy import select

    from db.models import SavedEstimate

    return session.scalar(select(SavedEstimate).where(SavedEstimate.name_key == name_key(name)))


def _write(name: str, kind: str, inputs: dict, outputs: dict, overwrite: bool) -> dict:
    from db.engine import session_scope
    from db.models import SavedEstimate

    with session_scope() as session:
        row = _stored(session, name)
        if row is not None and not overwrite:
            raise EstimateStoreError(f"name: an estimate called {name!r} exists; pick another name or overwrite it")
        if row is None:
            row = SavedEstimate(name=name)
            session.add(row)
        row.name = name
        row.kind = kind
        row.inputs = inputs
        row.outputs = outputs
        session.flush()
        return _row_to_dict(row)


def _row_to_dict(row) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "kind": row.kind,
        "inputs": row.inputs,
        "outputs": row.outputs,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def list_estimates() -> list[dict]:
    from sqlalchemy import select

    from db.engine import session_scope
    from db.models import SavedEstimate

    with session_scope() as session:
        return [_row_to_dict(row) for row in session.scalars(select(SavedEstimate).order_by(SavedEstimate.name))]


def get_estimate(name: str) -> dict | None:
    from db.engine import session_scope

    with session_scope() as session:
        row = _stored(session, name)
        return _row_to_dict(row) if row else None


def delete_estimate(name: str) -> None:
    from db.engine import session_scope

    with session_scope() as session:
        row = _stored(session, name)
        if row is None:
            raise EstimateStoreError(f"name: no saved estimate called {name!r}")
        session.delete(row)


def comparison_rows(estimates: list[dict]) -> list[dict]:
    """One flat row per estimate: the funding keys first, then the figures worth comparing."""
    rows = []
    for estimate in estimates:
        outputs = estimate["outputs"]
        row = {
            "name": estimate["name"],
            "kind": estimate["kind"],
            "training_cost_usd": outputs.get("training_cost_usd"),
            "training_wall_days": outputs.get("training_wall_days"),
            "serving_monthly_cost_usd": outputs.get("serving_monthly_cost_usd"),
        }
        for column, part, key in COMPARE_FIELDS:
            row[column] = (outputs.get(part) or {}).get(key)
        rows.append(row)
    return rows


def export_json(estimates: list[dict]) -> str:
    return json.dumps(estimates, indent=2)


def export_csv(estimates: list[dict]) -> str:
    rows = comparison_rows(estimates)
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({key: defuse_csv_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()
