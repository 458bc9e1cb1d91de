"""Seed data applied once per data home, after migrations. A seed set that ran is not re-applied, so a row the
user deleted stays deleted; `restore_*` puts the seeded rows back on request."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.text import name_key
from db.models import AppMeta, AppScenario, Hardware, Plan

SEED_DIR = Path(__file__).resolve().parent / "seed_data"
GPU_SEED_FILE = SEED_DIR / "gpus.csv"
APP_SCENARIO_SEED_FILE = SEED_DIR / "app_scenarios.json"
EXAMPLE_PLANS_DIR = Path(__file__).resolve().parent.parent / "examples" / "plans"


def _optional_float(text: str) -> float | None:
    text = text.strip()
    return float(text) if text else None


def hardware_seed_rows() -> list[dict]:
    with GPU_SEED_FILE.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        {
            "name": row["name"].strip(),
            "vendor": row["vendor"].strip(),
            "bf16_dense_tflops": float(row["bf16_dense_tflops"]),
            "fp32_tflops": _optional_float(row["fp32_tflops"]),
            "memory_gb": float(row["memory_gb"]),
            "bandwidth_tbs": _optional_float(row["bandwidth_tbs"]),
            "tdp_w": _optional_float(row["tdp_w"]),
            "price_per_hour_usd": _optional_float(row["price_per_hour_usd"]),
            "price_note": row["price_note"].strip() or None,
            "spec_source": row["spec_source"].strip() or None,
            "nvlink_gbs": _optional_float(row["nvlink_gbs"]),
            "ib_gbs": _optional_float(row["ib_gbs"]),
            "price_reserved_per_hour_usd": _optional_float(row["price_reserved_per_hour_usd"]),
            "price_spot_per_hour_usd": _optional_float(row["price_spot_per_hour_usd"]),
            "price_tiers_note": row["price_tiers_note"].strip() or None,
            "precisions": row["precisions"].strip() or None,
        }
        for row in rows
    ]


HARDWARE_V2_FIELDS = (
    "nvlink_gbs", "ib_gbs", "price_reserved_per_hour_usd", "price_spot_per_hour_usd", "price_tiers_note", "precisions",
)  # fmt: skip


def fill_hardware_interconnect_and_prices(session: Session) -> int:
    """For a catalog seeded before these columns existed: fill each seeded GPU's interconnect, reserved and spot
    prices and formats where they are still empty; every other figure, and rows the user added, stay as they are."""
    written = 0
    for values in hardware_seed_rows():
        row = session.scalar(select(Hardware).where(Hardware.name == values["name"]))
        if row is None or not row.is_seed:
            continue
        for key in HARDWARE_V2_FIELDS:
            if getattr(row, key) is None and values[key] is not None:
                setattr(row, key, values[key])
                written += 1
    session.flush()
    return written


def _put_back(session: Session, model, seed_rows: list[dict]) -> int:
    """Write each seeded row by name with its seeded values; rows a user added are left alone."""
    for values in seed_rows:
        row = session.scalar(select(model).where(model.name_key == name_key(values["name"])))
        if row is None:
            row = model(name=values["name"])
            session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        row.is_seed = True
    session.flush()
    return len(seed_rows)


def restore_hardware(session: Session) -> int:
    """Put every seeded GPU back with its seeded figures. Returns rows written."""
    return _put_back(session, Hardware, hardware_seed_rows())


def app_scenario_seed_rows() -> list[dict]:
    return json.loads(APP_SCENARIO_SEED_FILE.read_text(encoding="utf-8"))


def restore_app_scenarios(session: Session) -> int:
    """Put every seeded application scenario back as seeded. Returns rows written."""
    return _put_back(session, AppScenario, app_scenario_seed_rows())


def add_example_plans(session: Session) -> int:
    """Store the shipped example plans (examples/plans/) whose names are free. Returns rows added."""
    added = 0
    for path in sorted(EXAMPLE_PLANS_DIR.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        if session.scalar(select(Plan).where(Plan.name == payload["name"])) is None:
            session.add(Plan(name=payload["name"], payload=payload))
            added += 1
    session.flush()
    return added


SEED_SETS: dict[str, Callable[[Session], object]] = {
    "hardware_v1": restore_hardware,
    "app_scenarios_v1": restore_app_scenarios,
    "hardware_v2_interconnect_prices": fill_hardware_interconnect_and_prices,
    "example_plans_v1": add_example_plans,
}


def seed_all(session: Session) -> list[str]:
    """Apply every seed set not yet applied to this database; returns the names applied now."""
    applied = []
    for name, apply in SEED_SETS.items():
        key = f"seed:{name}"
        if session.get(AppMeta, key) is not None:
            continue
        apply(session)
        session.add(AppMeta(key=key, value="applied"))
        applied.append(name)
    session.flush()
    return applied
