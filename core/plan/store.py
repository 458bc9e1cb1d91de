"""Saved plans (db.models.Plan: unique name, validated payload): create, duplicate, rename, delete, export and import
as JSON. Every write validates first, so a bad plan or file changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from core.config import PROJECT_ROOT
from core.plan.model import MAX_NAME_LENGTH, Plan, PlanError, parse_plan, plan_from_json, plan_to_dict, plan_to_json
from core.text import clean_name
from db.engine import session_scope, write_racing_for_a_name
from db.models import Plan as PlanRow

EXAMPLE_PLANS_DIR = PROJECT_ROOT / "examples" / "plans"


def _clean_name(name: str) -> str:
    return clean_name(name, PlanError, "plan", MAX_NAME_LENGTH)


def _row(session, name: str) -> PlanRow | None:
    return session.scalar(select(PlanRow).where(PlanRow.name == name))


def _require(session, name: str) -> PlanRow:
    row = _row(session, name)
    if row is None:
        raise PlanError(f"name: no saved plan called {name!r}")
    return row


def plan_names() -> list[str]:
    with session_scope() as session:
        return list(session.scalars(select(PlanRow.name).order_by(PlanRow.name)))


def load_plan(name: str) -> Plan:
    with session_scope() as session:
        payload = dict(_require(session, name).payload)
    return parse_plan({**payload, "name": name})


def save_plan(plan: Plan | dict, name: str | None = None, overwrite: bool = True) -> Plan:
    """Create, or replace when overwrite is set; the stored payload carries the row's name."""
    plan = parse_plan(plan)
    name = _clean_name(name or plan.name)
    plan = plan.model_copy(update={"name": name})
    payload = plan_to_dict(plan)
    write_racing_for_a_name(lambda: _write(name, payload, overwrite), overwrite, lambda: _exists(name))
    return plan


def _exists(name: str) -> PlanError:
    return PlanError(f"name: a plan called {name!r} already exists")


def _write(name: str, payload: dict, overwrite: bool) -> None:
    with session_scope() as session:
        row = _row(session, name)
        if row is not None and not overwrite:
            raise _exists(name)
        if row is None:
            session.add(PlanRow(name=name, payload=payload))
        else:
            row.payload = payload


def create_plan(plan: Plan | dict, name: str | None = None) -> Plan:
    return save_plan(plan, name, overwrite=False)


def rename_plan(old: str, new: str) -> str:
    new = _clean_name(new)
    with session_scope() as session:
        row = _require(session, old)
        if new != old and _row(session, new) is not None:
            raise PlanError(f"name: a plan called {new!r} already exists")
        row.name = new
        row.payload = {**dict(row.payload), "name": new}
    return new


def duplicate_plan(name: str, new_name: str | None = None) -> str:
    """A copy under new_name, or under 'name (copy)', 'name (copy 2)', … when none is given."""
    with session_scope() as session:
        payload = dict(_require(session, name).payload)
        taken = set(session.scalars(select(PlanRow.name)))
    if new_name is None:
        new_name, number = f"{name} (copy)", 2
        while new_name in taken:
            new_name, number = f"{name} (copy {number})", number + 1
    return create_plan(payload, new_name).name


def delete_plan(name: str) -> None:
    with session_scope() as session:
        session.delete(_require(session, name))


def export_plan_json(name: str) -> str:
    return plan_to_json(load_plan(name))


def import_plan_json(text: str | bytes, name: str | None = None, overwrite: bool = False) -> Plan:
    """Validate the whole file first; a bad file raises PlanError naming the field and stores nothing."""
    return save_plan(plan_from_json(text), name, overwrite=overwrite)


def load_plan_file(path: str | Path) -> Plan:
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        raise PlanError(f"file: cannot read {path}: {exc.strerror or exc}") from None
    return plan_from_json(text)


def example_plans() -> dict[str, Plan]:
    """The plans shipped in examples/plans/ (seeded into every new database), by file stem."""
    return {path.stem: load_plan_file(path) for path in sorted(EXAMPLE_PLANS_DIR.glob("*.json"))}


def restore_example_plans() -> int:
    """Store the shipped example plans whose names are free (a user's edited plan keeps its edits)."""
    from db.seed import add_example_plans

    with session_scope() as session:
        return add_example_plans(session)
