"""Month-by-month cash, revenue and burn; runway, cash-zero month, default-alive and burn multiple.

One engine serves both the plan and the Monte Carlo: arrays are paths x months, so the plan is a single path.
Month m (0-based) closes with cash[m] = cash[m-1] + funding[m] + revenue[m] - costs[m], cash[-1] = starting cash.
Runway is the fractional number of months the money lasts: if month m is the first to close below zero, runway =
m + (cash[m-1] + funding[m]) / net_burn[m]. So $1.2M at a steady $100k/month net burn gives exactly 12.0: the
balance is zero at the close of month 11 (the 12th month) and month 12 (the 13th) is the cash-zero month, the first
whose projected balance is negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.funding.model import MAX_HORIZON_MONTHS, Credits, Grant, Priced, Safe, Scenario

EQUITY_KINDS = ("safe", "priced")


@dataclass(frozen=True)
class CashEvent:
    name: str
    kind: str
    month: int
    amount: float


def base_costs(scenario: Scenario, months: int) -> dict[str, np.ndarray]:
    """Planned team, compute and other spend per month, before overruns and before credits."""
    index = np.arange(months)
    team = np.zeros(months)
    for role in scenario.costs.team:
        end = role.end_month if role.end_month is not None else months
        active = (index >= role.start_month) & (index < end)
        team += active * role.headcount * role.monthly_cost
    compute_spec = scenario.costs.compute
    compute = np.full(months, compute_spec.monthly)
    if compute_spec.training_cost_usd > 0:
        start = compute_spec.training_start_month
        training = (index >= start) & (index < start + compute_spec.training_months)
        compute += training * (compute_spec.training_cost_usd / compute_spec.training_months)
    if compute_spec.serving_monthly_usd > 0:
        compute += (index >= compute_spec.serving_from) * compute_spec.serving_monthly_usd
    other = np.full(months, scenario.costs.other)
    return {"team": team, "compute": compute, "other": other}


def cash_events(scenario: Scenario, include_raises: bool = True, include_grants: bool = True) -> list[CashEvent]:
    events = []
    for index, event in enumerate(scenario.rounds):
        if isinstance(event, Safe | Priced) and not include_raises and event.month > 0:
            continue
        if isinstance(event, Grant) and not include_grants and event.month > 0:
            continue
        if isinstance(event, Safe | Priced | Grant):
            events.append(CashEvent(scenario.event_name(index), event.kind, event.month, event.amount))
    return events


def credit_grants(scenario: Scenario, include_credits: bool = True) -> list[Credits]:
    if not include_credits:
        return []
    return sorted((e for e in scenario.rounds if isinstance(e, Credits)), key=lambda e: e.month + e.months_valid)


def project(
    scenario: Scenario,
    months: int,
    growth: np.ndarray,
    overrun: np.ndarray,
    delays: np.ndarray | None = None,
    closes: np.ndarray | None = None,
    include_raises: bool = True,
    include_credits: bool = True,
    include_grants: bool = True,
    detail: bool = True,
) -> dict[str, np.ndarray]:
    """Cash flows for len(growth) paths over `months` months. delays/closes are paths x equity events;
    detail adds the team, compute and other cost lines (the Monte Carlo does not need them)."""
    paths = growth.shape[0]
    costs = base_costs(scenario, months)
    overrun = overrun.reshape(paths, 1)
    index = np.arange(months)
    revenue = scenario.revenue.mrr * np.exp(np.log1p(growth).reshape(paths, 1) * index)
    cost_of_revenue = revenue * (1.0 - scenario.revenue.gross_margin)
    grants = credit_grants(scenario, include_credits)
    compute = costs["compute"] * overrun if grants or detail else None
    credits_used = _spend_credits(compute, grants) if grants else np.zeros((1, months))
    total_costs = (costs["team"] + costs["other"] + costs["compute"]) * overrun
    if grants:
        total_costs -= credits_used
    if scenario.revenue.gross_margin < 1.0:
        total_costs += cost_of_revenue
    funding = np.zeros((paths, months))
    rows = np.arange(paths)
    equity_number = 0
    for event in cash_events(scenario, include_raises, include_grants):
        month = np.full(paths, event.month)
        amount = np.full(paths, event.amount)
        if event.kind in EQUITY_KINDS:
            if delays is not None:
                month = month + delays[:, equity_number]
            if closes is not None:
                amount = np.where(closes[:, equity_number], amount, 0.0)
            equity_number += 1
        inside = month < months
        funding[rows[inside], month[inside]] += amount[inside]  # one cell per path, so no index repeats
    net_flow = funding + revenue - total_costs
    cash = scenario.cash + np.cumsum(net_flow, axis=1)
    detailed = {}
    if detail:
        detailed = {"team": costs["team"] * overrun, "compute": compute, "other": costs["other"] * overrun}
    return {
        **detailed,
        "credits_used": credits_used,
        "cost_of_revenue": cost_of_revenue,
        "costs": total_costs,
        "revenue": revenue,
        "funding": funding,
        "net_flow": net_flow,
        "cash": cash,
    }


def _spend_credits(compute: np.ndarray, grants: list[Credits]) -> np.ndarray:
    """Credits pay compute only, soonest-expiring first, and lapse after months_valid."""
    used = np.zeros_like(compute)
    if not grants:
        return used
    paths, months = compute.shape
    remaining = np.tile(np.array([g.amount for g in grants], dtype=float), (paths, 1))
    for month in range(months):
        need = compute[:, month].copy()
        for number, grant in enumerate(grants):
            if not grant.month <= month < grant.month + grant.months_valid:
                continue
            take = np.minimum(remaining[:, number], need)
            remaining[:, number] -= take
            need -= take
            used[:, month] += take
    return used


def runway_months(flows: dict[str, np.ndarray]) -> np.ndarray:
    """Fractional months until cash runs out, per path; inf where it never does within the horizon."""
    cash, funding, net_flow = flows["cash"], flows["funding"], flows["net_flow"]
    below = cash < 0
    out = below.any(axis=1)
    first = np.argmax(below, axis=1)
    rows = np.arange(cash.shape[0])
    net_burn = funding[rows, first] - net_flow[rows, first]
    opening = cash[rows, first] + net_burn
    with np.errstate(divide="ignore", invalid="ignore"):
        fraction = np.where(net_burn > 0, opening / net_burn, 0.0)
    return np.where(out, first + np.clip(fraction, 0.0, 1.0), np.inf)


def _one_path(scenario: Scenario, months: int, **flags) -> dict[str, np.ndarray]:
    growth = np.array([scenario.revenue.monthly_growth + scenario.brand.growth_uplift])
    return project(scenario, months, growth, np.ones(1), **flags)


def plan_runway(scenario: Scenario, **flags) -> float:
    return float(runway_months(_one_path(scenario, MAX_HORIZON_MONTHS, **flags))[0])


def months_to_profit(flows: dict[str, np.ndarray]) -> int | None:
    profitable = flows["revenue"][0] - flows["costs"][0] >= 0
    return int(np.argmax(profitable)) if profitable.any() else None


def burn_multiple(flows: dict[str, np.ndarray], window: int = 12) -> float | None:
    """Net burn over the first `window` months / net new ARR over them (Sacks); None without new ARR."""
    revenue = flows["revenue"][0]
    if revenue.shape[0] <= window:
        return None
    net_burn = float(np.sum(flows["costs"][0, :window] - revenue[:window]))
    new_arr = 12.0 * float(revenue[window] - revenue[0])
    if new_arr <= 0:
        return None
    return net_burn / new_arr


def burn_multiple_rating(value: float | None) -> str:
    if value is None:
        return "n/a (no new ARR)"
    if value < 1:
        return "excellent"
    if value <= 1.5:
        return "great"
    if value <= 2:
        return "good"
    if value <= 3:
        return "suspect"
    return "bad"


def month_label(scenario: Scenario, month: float) -> str | None:
    """Calendar month (YYYY-MM) of a 0-based plan month, when the scenario has a start month."""
    if scenario.start_month is None or not math.isfinite(month):
        return None
    year, first = (int(part) for part in scenario.start_month.split("-"))
    total = year * 12 + first - 1 + int(month)
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def plan_summary(scenario: Scenario) -> dict:
    """The plan's deterministic numbers and its monthly table (horizon_months rows)."""
    flows = _one_path(scenario, MAX_HORIZON_MONTHS)
    runway = float(runway_months(flows)[0])
    no_raise_flows = _one_path(scenario, MAX_HORIZON_MONTHS, include_raises=False, include_grants=False)
    runway_alone = float(runway_months(no_raise_flows)[0])
    profit_month = months_to_profit(no_raise_flows)
    negative = no_raise_flows["cash"][0] < 0
    first_negative = int(np.argmax(negative)) if negative.any() else None
    alive = profit_month is not None and (first_negative is None or profit_month < first_negative)
    multiple = burn_multiple(flows)
    cash_zero = math.floor(runway) if math.isfinite(runway) else None  # the first month closing below zero
    return {
        "runway_months": runway if math.isfinite(runway) else None,
        "runway_beyond_months": None if math.isfinite(runway) else MAX_HORIZON_MONTHS,
        "cash_zero_month": cash_zero,
        "cash_zero_date": month_label(scenario, cash_zero) if cash_zero is not None else None,
        "runway_without_raises_months": runway_alone if math.isfinite(runway_alone) else None,
        "default_alive": bool(alive),
        "months_to_profit_without_raises": profit_month,
        "burn_multiple": multiple,
        "burn_multiple_rating": burn_multiple_rating(multiple),
        "monthly": monthly_table(scenario, flows, scenario.horizon_months),
    }


def monthly_table(scenario: Scenario, flows: dict[str, np.ndarray], months: int) -> list[dict]:
    rows = []
    for month in range(months):
        revenue = float(flows["revenue"][0, month])
        costs = float(flows["costs"][0, month])
        rows.append(
            {
                "month": month,
                "date": month_label(scenario, month),
                "team": float(flows["team"][0, month]),
                "compute": float(flows["compute"][0, month]),
                "credits_used": float(flows["credits_used"][0, month]),
                "other": float(flows["other"][0, month]),
                "cost_of_revenue": float(flows["cost_of_revenue"][0, month]),
                "costs": costs,
                "revenue": revenue,
                "arr": 12.0 * revenue,
                "net_burn": costs - revenue,
                "funding": float(flows["funding"][0, month]),
                "cash": float(flows["cash"][0, month]),
            }
        )
    return rows
