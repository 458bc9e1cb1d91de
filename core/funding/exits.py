"""Who owns what after the last event, and who is paid what at an exit."""

from __future__ import annotations

import numpy as np

from core.funding.captable import COMMON, FOUNDERS, POOL, CapTable, PendingSafe, as_converted, build_cap_tables
from core.funding.model import EQUITY_KINDS, Scenario
from core.funding.waterfall import class_payouts, exit_classes, waterfall

EXIT_MULTIPLES = (0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10)
PAYOUT_GRID_POINTS = 33
KINK_TOLERANCE = 1e-7

BuiltCapTables = tuple[list[dict], CapTable, list[PendingSafe]]


def rounds_before(scenario: Scenario, month: int | None) -> Scenario:
    """The scenario with only the equity events before `month` (all of them when month is None)."""
    if month is None:
        return scenario
    kept = [e for e in scenario.rounds if e.kind not in EQUITY_KINDS or e.month < month]
    return scenario.model_copy(update={"rounds": kept})


def founder_name(scenario: Scenario) -> str:
    return COMMON if scenario.equity.founder_shares is None else FOUNDERS


def final_holders(scenario: Scenario, built: BuiltCapTables | None = None) -> list[dict]:
    """Everyone's fully diluted shares after the last event; unconverted capped SAFEs and notes at their cap,
    uncapped ones without a share count until a priced round sets it."""
    _, table, pending = built or build_cap_tables(scenario)
    converted, _ = as_converted(table, pending, scenario.horizon_months)
    rows = [
        {"name": h.name, "kind": h.kind, "shares": h.shares, "preference": h.preference, "series": h.series}
        for h in table.holders
    ]
    for safe in pending:
        rows.append(
            {
                "name": safe.name,
                "kind": safe.kind,
                "shares": converted[safe.name] or 0,
                "preference": float(safe.amount),
            }
        )
        rows[-1]["series"] = None
    rows.append({"name": POOL, "kind": "pool", "shares": table.pool, "preference": 0.0, "series": None})
    total = sum(r["shares"] for r in rows)
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
    founders = sum(r["shares"] for r in rows if r["name"] == founder_name(scenario))
    return start, founders / total if total else 0.0


def payout_curve(classes, name: str, top: float, kinks: list[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`name`'s payout on exit values from 0 to `top`, for np.interp. The waterfall is linear wherever no class
    changes its decision and no tier or cap starts to bind, so an interval whose midpoint lies on its chord is kept
    as it is and any other is halved, down to KINK_TOLERANCE x top."""
    start = np.linspace(0.0, top, PAYOUT_GRID_POINTS)
    values = sorted(set(start.tolist()) | {k for k in kinks or [] if 0 < k < top})
    payout = {v: waterfall(classes, v).get(name, 0.0) for v in values}
    pending = list(zip(values[:-1], values[1:], strict=True))
    while pending:
        low, high = pending.pop()
        if high - low <= KINK_TOLERANCE * top:
            continue
        middle = 0.5 * (low + high)
        payout[middle] = waterfall(classes, middle).get(name, 0.0)
        if abs(payout[middle] - 0.5 * (payout[low] + payout[high])) > 1e-9 * max(1.0, abs(payout[high])):
            pending += [(low, middle), (middle, high)]
    grid = np.array(sorted(payout))
    return grid, np.array([payout[v] for v in grid])


def founder_payout_curve(
    scenario: Scenario, exit_values: np.ndarray, before_month: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Founders' payout at each exit value, counting only equity events before `before_month`."""
    scenario = rounds_before(scenario, before_month)
    _, table, pending = build_cap_tables(scenario, as_of=before_month)
    classes = exit_classes(table, pending, before_month)
    name = founder_name(scenario)
    payouts = np.array([waterfall(classes, float(v)).get(name, 0.0) for v in exit_values])
    return np.asarray(exit_values, dtype=float), payouts


def exit_payouts(
    scenario: Scenario, exit_values: list[float] | None = None, built: BuiltCapTables | None = None
) -> list[dict]:
    """Payout per holder and per class over a range of exit values (by default multiples of the last post-money)."""
    entries, table, pending = built or build_cap_tables(scenario)
    classes = exit_classes(table, pending, scenario.horizon_months)
    if exit_values is None:
        reference = next((e["post_money"] for e in reversed(entries) if e.get("post_money")), None)
        reference = reference or max(sum(c.preference for c in classes) * 4, 10_000_000.0)
        exit_values = [reference * m for m in EXIT_MULTIPLES]
    rows = []
    for value in exit_values:
        payouts = waterfall(classes, float(value))
        rows.append({"exit_value": float(value), "payouts": payouts, "class_payouts": class_payouts(classes, payouts)})
    return rows
