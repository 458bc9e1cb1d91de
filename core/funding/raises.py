"""When each raise lands, how much it brings and on what terms, for the plan (one path) and for every Monte Carlo
path; and the scenario those outcomes leave for the cap table.

A raise is a SAFE, note or priced round. One signed in month 0 is banked: it lands in month 0 in full on every
path. A later one can be late or fail (drawn by the Monte Carlo), and a failed raise brings nothing and issues
nothing. With an ARR multiple range in risk, a priced round's pre-money is held inside [low, high] x ARR at the
month it closes: the planned pre-money is kept when traction supports it, raised to low x ARR when traction beats it,
cut to high x ARR when traction misses (a down round when that prices a share below the round before). A cut round
raises less (new money x the same ratio, so it sells the same fraction). When traction supports less than
bridge_below of the planned pre-money, the round becomes a bridge instead: bridge_fraction of the planned money on
a post-money SAFE capped at bridge_below x the planned pre-money. A note is repaid at maturity (principal plus
simple interest) when no priced round closed first, unless it converts at maturity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.funding.model import RAISE_KINDS, Event, Note, Priced, Safe, Scenario

RATIO_STEP = 1.05  # valuation ratios are read in 5% steps when grouping Monte Carlo paths by cap table


@dataclass
class RaiseSchedule:
    """Per path (rows) and raise (columns, file order): month it lands, cash it brings (0 = failed), whether it is
    still a priced round, the valuation ratio to plan, and a note's repayment (month, amount; amount 0 = none)."""

    indices: list[int]
    months: np.ndarray
    amounts: np.ndarray
    priced: np.ndarray
    ratios: np.ndarray
    repay_months: np.ndarray
    repay_amounts: np.ndarray


def raise_indices(scenario: Scenario) -> list[int]:
    return [i for i, e in enumerate(scenario.rounds) if e.kind in RAISE_KINDS]


def traction_ratio(scenario: Scenario, event: Priced, arr: np.ndarray) -> np.ndarray:
    """Traction-backed pre-money / planned pre-money (1 without an ARR multiple range or a pre-money)."""
    risk = scenario.risk
    if not risk.traction_priced or event.pre_money is None:
        return np.ones_like(arr, dtype=float)
    backed = np.clip(event.pre_money, risk.arr_multiple_low * arr, risk.arr_multiple_high * arr)
    return backed / event.pre_money


def schedule(
    scenario: Scenario,
    revenue: np.ndarray,
    delays: np.ndarray | None = None,
    closes: np.ndarray | None = None,
    include_future: bool = True,
) -> RaiseSchedule:
    """Raise outcomes for len(revenue) paths; delays/closes are paths x raises (None: on time, all close);
    include_future False keeps only the banked month-0 raises."""
    indices = raise_indices(scenario)
    paths, months_simulated = revenue.shape
    count = len(indices)
    planned = np.array([scenario.rounds[i].month for i in indices], dtype=int).reshape(1, count)
    months = np.repeat(planned, paths, axis=0)
    closing = np.ones((paths, count), dtype=bool)
    if delays is not None:
        months = months + np.where(planned > 0, delays, 0)
    if closes is not None:
        closing = closes | (planned == 0)
    if not include_future:
        closing &= planned == 0
    amounts = np.zeros((paths, count))
    priced = np.zeros((paths, count), dtype=bool)
    ratios = np.ones((paths, count))
    rows = np.arange(paths)
    risk = scenario.risk
    for column, index in enumerate(indices):
        event = scenario.rounds[index]
        amount = np.full(paths, float(event.amount))
        priced[:, column] = isinstance(event, Priced)
        if isinstance(event, Priced) and event.month > 0:  # a round signed in month 0 keeps its terms
            arr = 12.0 * revenue[rows, np.clip(months[:, column], 0, months_simulated - 1)]
            ratio = traction_ratio(scenario, event, arr)
            bridge = ratio < risk.bridge_below
            amount = np.where(bridge, risk.bridge_fraction * event.amount, event.amount * np.minimum(ratio, 1.0))
            priced[:, column] = ~bridge
            ratios[:, column] = ratio
        amounts[:, column] = np.where(closing[:, column], amount, 0.0)
    repay_months, repay_amounts = _note_repayments(scenario, indices, months, amounts, priced)
    return RaiseSchedule(indices, months, amounts, priced, ratios, repay_months, repay_amounts)


def _note_repayments(
    scenario: Scenario, indices: list[int], months: np.ndarray, amounts: np.ndarray, priced: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    repay_months = np.zeros_like(months)
    repay_amounts = np.zeros_like(amounts)
    for column, index in enumerate(indices):
        note = scenario.rounds[index]
        if not isinstance(note, Note):
            continue
        maturity = months[:, column] + note.maturity_months
        converted = np.zeros(months.shape[0], dtype=bool)
        for other in range(len(indices)):
            if other == column:
                continue
            after = (months[:, other] > months[:, column]) | (
                (months[:, other] == months[:, column]) & (other > column)
            )
            closed = priced[:, other] & (amounts[:, other] > 0)
            converted |= closed & after & (months[:, other] <= maturity)
        repaid = (amounts[:, column] > 0) & ~converted & (note.on_maturity == "repay")
        repay_months[:, column] = maturity
        repay_amounts[:, column] = np.where(repaid, note.owed(note.maturity_months), 0.0)
    return repay_months, repay_amounts


def adjusted_event(scenario: Scenario, event: Event, name: str, ratio: float, priced: bool) -> Event:
    """A raise as traction left it, named: a priced round re-priced (ratio) or turned into a bridge SAFE."""
    if not isinstance(event, Priced) or (priced and ratio == 1.0):
        return event if event.name else event.model_copy(update={"name": name})
    risk = scenario.risk
    if not priced:
        amount = risk.bridge_fraction * event.amount
        cap = risk.bridge_below * event.pre_money + amount
        return Safe(kind="safe", name=f"{name} (bridge)", month=event.month, amount=amount, post_money_cap=cap)
    scale = min(ratio, 1.0)
    investors = [i.model_copy(update={"amount": i.amount * scale}) for i in event.investors]
    update = {"name": name, "pre_money": event.pre_money * ratio, "amount": event.amount * scale}
    return event.model_copy(update=update | {"investors": investors})


def scenario_after(
    scenario: Scenario, included: list[bool], ratios: list[float], priced: list[bool], before_month: int | None
) -> Scenario:
    """The scenario left for the cap table: raises that did not happen by `before_month` removed, priced rounds as
    traction priced them, every event keeping the name it has in the full scenario; other equity events kept when
    they come before `before_month`."""
    column_of = {index: column for column, index in enumerate(raise_indices(scenario))}
    kept = []
    for index, event in enumerate(scenario.rounds):
        name = scenario.event_name(index)
        if index in column_of:
            column = column_of[index]
            if included[column]:
                kept.append(adjusted_event(scenario, event, name, ratios[column], priced[column]))
        elif before_month is None or event.month < before_month or event.kind in ("grant", "credits"):
            kept.append(event if event.name else event.model_copy(update={"name": name}))
    return scenario.model_copy(update={"rounds": kept})


def ratio_bucket(ratio: np.ndarray) -> np.ndarray:
    """Valuation ratios in RATIO_STEP steps (integers), so paths with nearly the same round share one cap table."""
    return np.rint(np.log(np.maximum(ratio, 1e-12)) / math.log(RATIO_STEP)).astype(int)


def traction_report(scenario: Scenario, plan: RaiseSchedule, revenue: np.ndarray) -> list[dict]:
    """For each priced round of the plan: ARR when it closes, the range investors pay, what the plan gets."""
    risk = scenario.risk
    if not risk.traction_priced:
        return []
    rows = []
    for column, index in enumerate(plan.indices):
        event = scenario.rounds[index]
        if not isinstance(event, Priced) or event.pre_money is None:
            continue
        month = int(plan.months[0, column])
        arr = 12.0 * float(revenue[0, min(month, revenue.shape[1] - 1)])
        ratio = float(plan.ratios[0, column])
        if not plan.priced[0, column]:
            outcome = "bridge"
        elif ratio > 1:
            outcome = "priced up"
        elif ratio < 1:
            outcome = "priced down"
        else:
            outcome = "as planned"
        rows.append(
            {
                "round": scenario.event_name(index),
                "month": month,
                "arr_usd": arr,
                "pre_money_planned": event.pre_money,
                "pre_money_low": risk.arr_multiple_low * arr,
                "pre_money_high": risk.arr_multiple_high * arr,
                "pre_money_plan": event.pre_money * ratio if plan.priced[0, column] else None,
                "amount_plan": float(plan.amounts[0, column]),
                "outcome": outcome,
            }
        )
    return rows
