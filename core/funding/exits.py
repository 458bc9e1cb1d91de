"""Who owns what after the last event, and who is paid what at an exit."""

from __future__ import annotations

import numpy as np

from core.funding.captable import COMMON, FOUNDERS, CapTable, PendingSafe, build_cap_tables, exit_classes, waterfall
from core.funding.model import Scenario

EXIT_MULTIPLES = (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10)

BuiltCapTables = tuple[list[dict], CapTable, list[PendingSafe]]


def _rounds_before(scenario: Scenario, month: int | None) -> Scenario:
    if month is None:
        return scenario
    kept = [e for e in scenario.rounds if e.kind not in ("safe", "priced") or e.month < month]
    return scenario.model_copy(update={"rounds": kept})


def _founder_name(scenario: Scenario) -> str:
    return COMMON if scenario.equity.founder_shares is None else FOUNDERS


def final_holders(scenario: Scenario, built: BuiltCapTables | None = None) -> list[dict]:
    """Everyone's fully diluted shares after the last event, unconverted capped SAFEs counted at their cap."""
    _, table, pending = built or build_cap_tables(scenario)
    classes = exit_classes(table, pending)
    total = sum(c.shares for c in classes) + table.pool
    rows = [{"name": c.name, "kind": c.kind, "shares": c.shares, "preference": c.preference} for c in classes]
    rows.append({"name": "Unissued option pool", "kind": "pool", "shares": table.pool, "preference": 0.0})
    for row in rows:
        row["percent"] = 100.0 * row["shares"] / total if total else 0.0
    return rows


def founder_ownership(scenario: Scenario, built: BuiltCapTables | None = None) -> tuple[float, float]:
    """Founders' fully diluted fraction before any event and after the last one."""
    equity = scenario.equity
    start_total = equity.common_shares + equity.unused_options
    start = equity.founders / start_total if start_total else 0.0
    rows = final_holders(scenario, built)
    total = sum(r["shares"] for r in rows)
    founders = sum(r["shares"] for r in rows if r["name"] == _founder_name(scenario))
    return start, founders / total if total else 0.0


def founder_payout_curve(
    scenario: Scenario, exit_values: np.ndarray, before_month: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Founders' payout at each exit value, counting only rounds planned before `before_month`."""
    scenario = _rounds_before(scenario, before_month)
    _, table, pending = build_cap_tables(scenario)
    classes = exit_classes(table, pending)
    name = _founder_name(scenario)
    payouts = np.array([waterfall(classes, float(v)).get(name, 0.0) for v in exit_values])  # founders may hold none
    return np.asarray(exit_values, dtype=float), payouts


def exit_payouts(
    scenario: Scenario, exit_values: list[float] | None = None, built: BuiltCapTables | None = None
) -> list[dict]:
    """Payout per holder under 1x non-participating preferences over a range of exit values."""
    entries, table, pending = built or build_cap_tables(scenario)
    classes = exit_classes(table, pending)
    if exit_values is None:
        reference = next((e["post_money"] for e in reversed(entries) if e.get("post_money")), None)
        reference = reference or max(sum(c.preference for c in classes) * 4, 10_000_000.0)
        exit_values = [reference * m for m in EXIT_MULTIPLES]
    return [{"exit_value": float(v), "payouts": waterfall(classes, float(v))} for v in exit_values]
