"""Monte Carlo over growth, cost overrun, and the timing, success and terms of every future raise, vectorized over
paths with numpy.

What is random, per path: monthly growth ~ Normal(plan growth + brand uplift, growth_sd), floored at -50%; one cost
multiplier ~ LogNormal with mean 1 + cost_overrun_mean and spread cost_overrun_sd; for each raise after month 0 a
Poisson(delay_mean_months) delay and a raise_fail_probability chance that it never closes. A raise signed in month
0 is banked. With an ARR multiple range, each priced round's valuation and size follow the path's ARR when it
closes (core/funding/raises.py). Everything else is the plan: starting cash, when costs start, grants and credits.

A path that runs out of cash is dead: its cash shows as 0 from then on. Founder payout at the survival month:
surviving paths exit at ARR x exit_arr_multiple, paid through the cap table of that path's raises: only those that
closed before the survival month, priced as traction priced them (ratios read in 5% steps), notes repaid when the
path repaid them. Paths that share a cap table share one exact payout curve (core/funding/exits.py).
"""

from __future__ import annotations

import time

import numpy as np

from core.funding.captable import build_cap_tables
from core.funding.cashflow import project, revenue_paths, runway_months
from core.funding.exits import founder_name, payout_curve
from core.funding.model import Scenario, ScenarioError, parse_scenario
from core.funding.raises import RATIO_STEP, RaiseSchedule, raise_indices, ratio_bucket, scenario_after, schedule
from core.funding.text import money, percent
from core.funding.waterfall import exit_classes, waterfall

# Paths × months simulated at once; each array of that many floats is 160 MB at the limit.
MAX_PATHS = 1_000_000
MAX_PATH_MONTHS = 20_000_000
DIRECT_PAYOUT_PATHS = 24  # a cap table shared by fewer paths is paid out path by path


def _draws(scenario: Scenario, paths: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    risk = scenario.risk
    growth = scenario.revenue.monthly_growth + scenario.brand.growth_uplift
    growth = np.maximum(growth + risk.growth_sd * rng.standard_normal(paths), -0.5)
    sigma = risk.cost_overrun_sd / max(1.0 + risk.cost_overrun_mean, 1e-9)
    overrun = (1.0 + risk.cost_overrun_mean) * np.exp(sigma * rng.standard_normal(paths) - 0.5 * sigma**2)
    count = len(raise_indices(scenario))
    delays = rng.poisson(risk.delay_mean_months, size=(paths, count)).astype(int)
    closes = rng.random((paths, count)) >= risk.raise_fail_probability
    return {"growth": growth, "overrun": overrun, "delays": delays, "closes": closes}


def simulate_risk(
    scenario: Scenario | dict,
    paths: int = 10_000,
    months: int = 60,
    seed: int = 0,
    survival_month: int | None = None,
    report_months: int | None = None,
) -> dict:
    """Survival, runway distribution, a P10/P50/P90 cash fan and the expected founder payout over `paths` paths,
    simulated over `months` months; the fan and the share out of cash cover the first `report_months` of them."""
    started = time.perf_counter()
    scenario = parse_scenario(scenario)
    if paths < 1 or months < 1:
        raise ScenarioError("paths: paths and months must be at least 1")
    if paths > MAX_PATHS or paths * months > MAX_PATH_MONTHS:
        most = min(MAX_PATHS, MAX_PATH_MONTHS // months)
        raise ScenarioError(f"paths: at most {most:,} for a {months}-month simulation, got {paths:,}")
    survival_month = min(survival_month or scenario.risk.survival_month, months)
    rng = np.random.default_rng(seed)
    draws = _draws(scenario, paths, rng)
    revenue = revenue_paths(scenario, months, draws["growth"])
    raises = schedule(scenario, revenue, draws["delays"], draws["closes"])
    flows = project(scenario, months, draws["growth"], draws["overrun"], raises=raises, detail=False)
    runway = runway_months(flows)
    dead = np.arange(months) >= np.floor(np.minimum(runway, months)).reshape(-1, 1)
    cash = np.where(dead, 0.0, flows["cash"])
    shown = min(report_months or months, months)
    fan = _percentiles_by_month(cash[:, :shown], (10, 50, 90))
    survived = runway >= survival_month
    exit_values = 12.0 * flows["revenue"][:, survival_month - 1] * scenario.risk.exit_arr_multiple
    payout = founder_payouts(scenario, raises, survival_month, np.where(survived, exit_values, 0.0))
    finite = runway < shown
    return {
        "paths": paths,
        "months": months,
        "seed": seed,
        "survival_month": survival_month,
        "survival_probability": float(survived.mean()),
        "p_out_of_cash_before": float(1.0 - survived.mean()),
        "runway": runway,
        "runway_p10": _quantile_or_none(runway, 10),
        "runway_p50": _quantile_or_none(runway, 50),
        "runway_p90": _quantile_or_none(runway, 90),
        "share_out_of_cash_within_horizon": float(finite.mean()),
        "raises_failed_share": _failed_share(scenario, raises),
        "fan_months": np.arange(shown),
        "cash_p10": fan[0],
        "cash_p50": fan[1],
        "cash_p90": fan[2],
        "expected_founder_payout": float(payout.mean()),
        "random_inputs": random_inputs(scenario),
        "elapsed_ms": 1000.0 * (time.perf_counter() - started),
    }


def _failed_share(scenario: Scenario, raises: RaiseSchedule) -> dict[str, float]:
    return {
        scenario.event_name(index): float((raises.amounts[:, column] <= 0).mean())
        for column, index in enumerate(raises.indices)
    }


def random_inputs(scenario: Scenario) -> list[str]:
    """Plain words for what the Monte Carlo draws, and what it keeps fixed."""
    risk = scenario.risk
    growth = scenario.revenue.monthly_growth + scenario.brand.growth_uplift
    lines = [
        f"Monthly revenue growth, one rate per path: {percent(growth)} on average, spread {percent(risk.growth_sd)}.",
        f"Costs, one multiplier per path: {percent(risk.cost_overrun_mean)} over plan on average, "
        f"spread {percent(risk.cost_overrun_sd)}.",
    ]
    indices = raise_indices(scenario)
    future = [scenario.event_name(i) for i in indices if scenario.rounds[i].month > 0]
    signed = [scenario.event_name(i) for i in indices if scenario.rounds[i].month == 0]
    if future:
        lines.append(
            f"Each raise after month 0 ({', '.join(future)}): late by {risk.delay_mean_months:g} months on average "
            f"(Poisson), and a {percent(risk.raise_fail_probability)} chance it never closes; a failed raise brings "
            "no money and issues no shares."
        )
    if signed:
        lines.append(f"Signed in month 0, so banked on every path: {', '.join(signed)}.")
    if risk.traction_priced:
        lines.append(
            f"Priced rounds price at {risk.arr_multiple_low:g}-{risk.arr_multiple_high:g}x the path's ARR when they "
            f"close; below {percent(risk.bridge_below)} of the planned valuation a round becomes a bridge of "
            f"{percent(risk.bridge_fraction)} of its money."
        )
    lines.append(
        f"Fixed: starting cash {money(scenario.cash)}, hiring and compute dates, grants and credits. Exit at month "
        f"{risk.survival_month}: ARR x {risk.exit_arr_multiple:g} on paths still alive."
    )
    return lines


def _percentiles_by_month(cash: np.ndarray, percents: tuple[float, ...]) -> np.ndarray:
    """np.percentile(cash, percents, axis=0) with linear interpolation; sorting contiguous month rows is faster."""
    ordered = np.sort(np.ascontiguousarray(cash.T), axis=1)
    positions = np.asarray(percents, dtype=float) / 100.0 * (ordered.shape[1] - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, ordered.shape[1] - 1)
    weight = (positions - low).reshape(-1, 1)
    return ordered[:, low].T * (1.0 - weight) + ordered[:, high].T * weight


def _quantile_or_none(values: np.ndarray, percent_value: float) -> float | None:
    never = 1e12  # stands in for "never runs out" so no inf - inf reaches the interpolation
    value = float(np.percentile(np.where(np.isfinite(values), values, never), percent_value))
    return value if value < never else None


def founder_payouts(scenario: Scenario, raises: RaiseSchedule, month: int, exit_values: np.ndarray) -> np.ndarray:
    """Founders' payout per path: each path's exit paid through the cap table its own raises left."""
    payouts = np.zeros_like(exit_values, dtype=float)
    alive = exit_values > 0
    if not alive.any():
        return payouts
    included = (raises.amounts > 0) & (raises.months < month)
    included &= ~((raises.repay_amounts > 0) & (raises.repay_months < month))
    buckets = np.where(included & raises.priced, ratio_bucket(raises.ratios), 0)
    state = np.concatenate([included, included & ~raises.priced, buckets], axis=1).astype(np.int64)
    rows = np.flatnonzero(alive)
    keys, inverse = np.unique(state[rows], axis=0, return_inverse=True)
    count = raises.amounts.shape[1]
    top = float(exit_values.max())
    name = founder_name(scenario)
    for number, key in enumerate(keys):
        members = rows[inverse.reshape(-1) == number]
        column_included = [bool(k) for k in key[:count]]
        priced = [not bool(k) for k in key[count : 2 * count]]
        ratios = [float(RATIO_STEP ** int(k)) for k in key[2 * count :]]
        variant = scenario_after(scenario, column_included, ratios, priced, month)
        _, table, pending = build_cap_tables(variant, as_of=month)
        classes = exit_classes(table, pending, month)
        values = exit_values[members]
        if members.size <= DIRECT_PAYOUT_PATHS:
            payouts[members] = [waterfall(classes, float(v)).get(name, 0.0) for v in values]
        else:
            kinks = [sum(c.preference for c in classes)]
            grid, curve = payout_curve(classes, name, top, kinks)
            payouts[members] = np.interp(values, grid, curve)
    return payouts


def risk_to_json(result: dict, fan_step: int = 1) -> dict:
    """The JSON-safe part of simulate_risk's result (no per-path arrays)."""
    keys = ("fan_months", "cash_p10", "cash_p50", "cash_p90")
    out = {k: v for k, v in result.items() if k != "runway" and k not in keys}
    for key in keys:
        out[key] = [float(v) for v in result[key][::fan_step]]
    return out
