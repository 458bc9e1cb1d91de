"""Saved funding scenarios (db.models.FundingScenario: unique name, validated payload) and saved GPU-budget
estimates read as compute costs. Every write validates first, so a bad scenario or file changes nothing. Names
compare case- and Unicode-insensitively (core.text.name_key): "ÉCOLE AI" is found, edited and deleted as "école ai"."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.funding.model import (
    Compute,
    Scenario,
    ScenarioError,
    compute_from_estimate,
    parse_scenario,
    scenario_from_json,
    scenario_to_dict,
)
from core.text import clean_name, name_key
from db.engine import is_unique_violation, session_scope, write_racing_for_a_name
from db.models import FundingScenario, SavedEstimate

MAX_NAME_LENGTH = 200


def _clean_name(name: str) -> str:
    return clean_name(name, ScenarioError, "scenario", MAX_NAME_LENGTH)


def _row(session, name: str) -> FundingScenario | None:
    return session.scalar(select(FundingScenario).where(FundingScenario.name_key == name_key(name)))


def _exists(name: str) -> ScenarioError:
    return ScenarioError(f"name: a scenario called {name!r} already exists")


def _require(session, name: str) -> FundingScenario:
    row = _row(session, name)
    if row is None:
        raise ScenarioError(f"name: no saved scenario called {name!r}")
    return row


def list_scenarios() -> list[dict]:
    with session_scope() as session:
        rows = session.scalars(select(FundingScenario).order_by(FundingScenario.name)).all()
        return [{"id": r.id, "name": r.name, "updated_at": r.updated_at, "payload": dict(r.payload)} for r in rows]


def scenario_names() -> list[str]:
    with session_scope() as session:
        return list(session.scalars(select(FundingScenario.name).order_by(FundingScenario.name)))


def load_scenario(name: str) -> Scenario:
    with session_scope() as session:
        row = _require(session, name)
        payload, name = dict(row.payload), row.name
    scenario = parse_scenario(payload)
    return scenario.model_copy(update={"name": name})


def save_scenario(name: str, scenario: Scenario | dict, overwrite: bool = True) -> Scenario:
    """Create, or replace when overwrite is set; the stored payload carries the row's name."""
    name = _clean_name(name)
    scenario = parse_scenario(scenario).model_copy(update={"name": name})
    payload = scenario_to_dict(scenario)
    write_racing_for_a_name(lambda: _write(name, payload, overwrite), overwrite, lambda: _exists(name))
    return scenario


def _write(name: str, payload: dict, overwrite: bool) -> None:
    with session_scope() as session:
        row = _row(session, name)
        if row is not None and not overwrite:
            raise _exists(name)
        if row is None:
            session.add(FundingScenario(name=name, payload=payload))
        else:
            row.name, row.payload = name, payload


def create_scenario(name: str, scenario: Scenario | dict) -> Scenario:
    return save_scenario(name, scenario, overwrite=False)


def rename_scenario(old: str, new: str) -> None:
    new = _clean_name(new)
    try:
        _rename(old, new)
    except IntegrityError as error:  # another writer took the new name between our look-up and our update
        if not is_unique_violation(error):
            raise
        raise _exists(new) from None


def _rename(old: str, new: str) -> None:
    with session_scope() as session:
        row = _require(session, old)
        clash = _row(session, new)
        if clash is not None and clash.id != row.id:
            raise _exists(new)
        row.name = new
        row.payload = {**dict(row.payload), "name": new}


def duplicate_scenario(name: str, new_name: str | None = None) -> str:
    """A copy under new_name, or under 'name (copy)', 'name (copy 2)', … when none is given."""
    with session_scope() as session:
        row = _require(session, name)
        payload, name = dict(row.payload), row.name
        taken = set(session.scalars(select(FundingScenario.name_key)))
    if new_name is None:
        new_name, number = f"{name} (copy)", 2
        while name_key(new_name) in taken:
            new_name, number = f"{name} (copy {number})", number + 1
    create_scenario(new_name, payload)
    return _clean_name(new_name)


def delete_scenario(name: str) -> None:
    with session_scope() as session:
        session.delete(_require(session, name))


def export_scenario_json(name: str) -> str:
    return json.dumps(scenario_to_dict(load_scenario(name)), indent=2)


def import_scenario_json(text: str | bytes, name: str | None = None, overwrite: bool = False) -> Scenario:
    """Validate the whole file first; a bad file raises ScenarioError naming the field and stores nothing."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScenarioError("file: not UTF-8 text; save it as UTF-8 and try again") from None
    scenario = scenario_from_json(text)
    return save_scenario(name or scenario.name, scenario, overwrite=overwrite)


def list_estimates() -> list[dict]:
    """Saved GPU-budget estimates, read generically: name, kind and whatever outputs they carry."""
    with session_scope() as session:
        rows = session.scalars(select(SavedEstimate).order_by(SavedEstimate.name)).all()
        return [{"name": r.name, "kind": r.kind, "outputs": dict(r.outputs or {})} for r in rows]


def compute_from_saved_estimate(name: str, start_month: int = 0) -> Compute:
    with session_scope() as session:
        row = session.scalar(select(SavedEstimate).where(SavedEstimate.name_key == name_key(name)))
        if row is None:
            raise ScenarioError(f"estimate: no saved GPU-budget estimate called {name!r}")
        outputs, name = dict(row.outputs or {}), row.name
    return compute_from_estimate(outputs, name=name, start_month=start_month)
