"""Month-by-month cash, revenue and burn; runway on cash in hand and with every raise, cash-zero month, default
alive, lowest cash, the cushion before each raise and the burn multiple.

One engine serves both the plan and the Monte Carlo: arrays are paths x months, so the plan is a single path.
Month m (0-based) closes with cash[m] = cash[m-1] + funding[m] + revenue[m] - costs[m], cash[-1] = starting cash.
Runway is the fractional number of months the money lasts: if month m is the first to close below zero, runway =
m + (cash[m-1] + funding[m]) / net_burn[m]. So $1.2M at a steady $100k/month net burn gives exactly 12.0: the
balance is zero at the close of month 11 (the 12th month) and month 12 (the 13th) is the cash-zero month, the first
whose projected balance is negative. Funding is what raises and grants bring, less notes repaid at maturity.
Default alive: with no new money the company turns profitable before cash in hand runs out, which is exactly when
the runway without raises never ends (within the 600 months the model looks at).
"""

from __future__ import annotations

import math

import numpy as np

from core.funding.model import MAX_HORIZON_MONTHS, Credits, Grant, Scenario
from core.funding.raises import RaiseSchedule, schedule, traction_report

CUSHION_WARNING_MONTHS = 3.0


def revenue_paths(scenario: Scenario, months: int, growth: np.ndarray) -> np.ndarray:
    """Monthly revenue per path: MRR x (1 + growth)^month."""
    index = np.arange(months)
    return scenario.revenue.mrr * np.exp(np.log1p(growth).reshape(-1, 1) * index)


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


def credit_grants(scenario: Scenario, include_credits: bool = True) -> list[Credits]:
    if not include_credits:
        return []
    return sorted((e for e in scenario.rounds if isinstance(e, Credits)), key=lambda e: e.month + e.months_valid)


def project(
    scenario: Scenario,
    months: int,
    growth: np.ndarray,
    overrun: np.ndarray,
    raises: RaiseSchedule | None = None,
    include_raises: bool = True,
    include_credits: bool = True,
    include_grants: bool = True,
    detail: bool = True,
) -> dict[str, np.ndarray]:
    """Cash flows for len(growth) paths over `months` months. raises: when each raise lands and what it brings per
    path (default: the plan's, on time); include_raises False keeps only raises banked in month 0, include_grants
    False only month-0 grants. detail adds the team, compute and other cost lines (the Monte Carlo skips them)."""
    paths = growth.shape[0]
    costs = base_costs(scenario, months)
    overrun = overrun.reshape(paths, 1)
    revenue = revenue_paths(scenario, months, growth)
    if raises is None:
        raises = schedule(scenario, revenue, include_future=include_raises)
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
    for column in range(len(raises.indices)):
        _add_at(funding, rows, raises.months[:, column], raises.amounts[:, column])
        _add_at(funding, rows, raises.repay_months[:, column], -raises.repay_amounts[:, column])
    for event in scenario.rounds:
        if isinstance(event, Grant) and (include_grants or event.month == 0) and event.month < months:
            funding[:, event.month] += event.amount
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
        "raises": raises,
    }


def _add_at(target: np.ndarray, rows: np.ndarray, months: np.ndarray, amounts: np.ndarray) -> None:
    inside = (months < target.shape[1]) & (amounts != 0)
    target[rows[inside], months[inside]] += amounts[inside]  # one cell per path, so no index repeats


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
    """The month from which every month to the end is profitable (revenue covers costs); None if never."""
    profitable = flows["revenue"][0] - flows["costs"][0] >= 0
    if not profitable[-1]:
        return None
    losing = np.flatnonzero(~profitable)
    return int(losing[-1] + 1) if losing.size else 0


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


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def default_alive(no_raise_flows: dict[str, np.ndarray]) -> tuple[bool, str]:
    """Alive by definition: on cash in hand and the current trajectory, with no new money, the company reaches
    profitability before the cash runs out, so the money never runs out. It agrees with the runway without raises."""
    runway = float(runway_months(no_raise_flows)[0])
    profit = months_to_profit(no_raise_flows)
    if math.isfinite(runway):
        if profit is None:
            return False, f"cash in hand runs out after {runway:.1f} months and the plan never turns profitable"
        return False, f"cash in hand runs out after {runway:.1f} months, before profit from month {profit} on"
    if profit is None:
        return True, f"cash in hand outlasts the {MAX_HORIZON_MONTHS}-month model though the plan is not profitable"
    return True, f"profitable from month {profit} on, before cash in hand runs out"


def lowest_cash(scenario: Scenario, flows: dict[str, np.ndarray], runway: float) -> tuple[float, int]:
    """Lowest closing balance within the horizon, before cash runs out (month 0 when it never had any)."""
    cash = flows["cash"][0, : scenario.horizon_months]
    if math.isfinite(runway):
        cash = cash[: max(math.floor(runway), 1)]
    month = int(np.argmin(cash))
    return float(cash[month]), month


def cushions(scenario: Scenario, flows: dict[str, np.ndarray]) -> list[dict]:
    """For each raise after month 0 in the plan: the cash just before it lands and how many months the company
    could wait for it (runway with only the raises before it, less its month). Under 3 months is flagged."""
    raises = flows["raises"]
    rows = []
    for column in np.argsort(raises.months[0], kind="stable"):
        month = int(raises.months[0, column])
        amount = float(raises.amounts[0, column])
        if month <= 0 or amount <= 0 or month >= MAX_HORIZON_MONTHS:
            continue
        earlier = raises.months[0] < month
        without = RaiseSchedule(
            raises.indices,
            raises.months,
            np.where(earlier, raises.amounts[0], 0.0).reshape(1, -1),
            raises.priced,
            raises.ratios,
            raises.repay_months,
            np.where(earlier, raises.repay_amounts[0], 0.0).reshape(1, -1),
        )
        runway = plan_runway(scenario, raises=without)
        wait = runway - month if math.isfinite(runway) else None
        index = raises.indices[column]
        rows.append(
            {
                "round": scenario.event_name(index),
                "kind": scenario.rounds[index].kind,
                "month": month,
                "amount": amount,
                "cash_before_usd": float(flows["cash"][0, month - 1]),
                "cushion_months": wait,
                "warning": wait is not None and wait < CUSHION_WARNING_MONTHS,
            }
        )
    return rows


def plan_summary(scenario: Scenario) -> dict:
    """The plan's deterministic numbers and its monthly table (horizon_months rows)."""
    flows = _one_path(scenario, MAX_HORIZON_MONTHS)
    runway = float(runway_months(flows)[0])
    no_raise_flows = _one_path(scenario, MAX_HORIZON_MONTHS, include_raises=False, include_grants=False)
    runway_alone = float(runway_months(no_raise_flows)[0])
    alive, reason = default_alive(no_raise_flows)
    multiple = burn_multiple(flows)
    cash_zero = math.floor(runway) if math.isfinite(runway) else None  # the first month closing below zero
    low, low_month = lowest_cash(scenario, flows, runway)
    return {
        "runway_months": _finite(runway),
        "runway_beyond_months": None if math.isfinite(runway) else MAX_HORIZON_MONTHS,
        "cash_zero_month": cash_zero,
        "cash_zero_date": month_label(scenario, cash_zero) if cash_zero is not None else None,
        "runway_without_raises_months": _finite(runway_alone),
        "default_alive": alive,
        "default_alive_reason": reason,
        "months_to_profit_without_raises": months_to_profit(no_raise_flows),
        "burn_multiple": multiple,
        "burn_multiple_rating": burn_multiple_rating(multiple),
        "lowest_cash_usd": low,
        "lowest_cash_month": low_month,
        "lowest_cash_date": month_label(scenario, low_month),
        "cushion_before_raises": cushions(scenario, flows),
        "traction": traction_report(scenario, flows["raises"], flows["revenue"]),
        "monthly": monthly_table(scenario, flows, scenario.horizon_months),
        "plan_raises": flows["raises"],
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
