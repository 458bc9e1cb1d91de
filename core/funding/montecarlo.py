"""Monte Carlo over growth, cost overrun and fundraise delay, vectorized over paths with numpy.

Per path: monthly growth ~ Normal(plan growth + brand uplift, growth_sd) (floored at -50%), one cost multiplier
~ LogNormal with mean 1 + cost_overrun_mean, and for each SAFE or priced round a Poisson(delay_mean_months) delay
and a raise_fail_probability chance that it never closes. A path that runs out of cash is dead: its cash shows as
0 from then on. Founder payout at the survival month: surviving paths exit at ARR x exit_arr_multiple, paid out
through the cap table of the rounds planned before that month (1x non-participating), read off a fine grid of
exit values on which the waterfall is piecewise linear.
"""

from __future__ import annotations

import time

import numpy as np

from core.funding.cashflow import EQUITY_KINDS, cash_events, project, runway_months
from core.funding.exits import founder_payout_curve
from core.funding.model import Scenario, ScenarioError, parse_scenario

PAYOUT_GRID_POINTS = 97
# Paths × months simulated at once; each array of that many floats is 160 MB at the limit.
MAX_PATHS = 1_000_000
MAX_PATH_MONTHS = 20_000_000


def _draws(scenario: Scenario, paths: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    risk = scenario.risk
    growth = scenario.revenue.monthly_growth + scenario.brand.growth_uplift
    growth = np.maximum(growth + risk.growth_sd * rng.standard_normal(paths), -0.5)
    sigma = risk.cost_overrun_sd / max(1.0 + risk.cost_overrun_mean, 1e-9)
    overrun = (1.0 + risk.cost_overrun_mean) * np.exp(sigma * rng.standard_normal(paths) - 0.5 * sigma**2)
    equity = [e for e in cash_events(scenario) if e.kind in EQUITY_KINDS]
    delays = rng.poisson(risk.delay_mean_months, size=(paths, len(equity))).astype(int)
    closes = rng.random((paths, len(equity))) >= risk.raise_fail_probability
    return {"growth": growth, "overrun": overrun, "delays": delays, "closes": closes}


def simulate_risk(
    scenario: Scenario | dict, paths: int = 10_000, months: int = 60, seed: int = 0, survival_month: int | None = None
) -> dict:
    """Survival, runway distribution and a P10/P50/P90 cash fan for `paths` random paths over `months` months."""
    started = time.perf_counter()
    scenario = parse_scenario(scenario)
    if paths < 1 or months < 1:
        raise ScenarioError("paths: paths and months must be at least 1")
    if paths > MAX_PATHS or paths * months > MAX_PATH_MONTHS:
        most = min(MAX_PATHS, MAX_PATH_MONTHS // months)
        raise ScenarioError(f"paths: at most {most:,} for a {months}-month horizon, got {paths:,}")
    survival_month = min(survival_month or scenario.risk.survival_month, months)
    rng = np.random.default_rng(seed)
    draws = _draws(scenario, paths, rng)
    flows = project(scenario, months, draws["growth"], draws["overrun"], draws["delays"], draws["closes"], detail=False)
    runway = runway_months(flows)
    dead = np.arange(months) >= np.floor(np.minimum(runway, months)).reshape(-1, 1)
    cash = np.where(dead, 0.0, flows["cash"])
    fan = _percentiles_by_month(cash, (10, 50, 90))
    survived = runway >= survival_month
    exit_values = 12.0 * flows["revenue"][:, survival_month - 1] * scenario.risk.exit_arr_multiple
    payout = _founder_payouts(scenario, survival_month, np.where(survived, exit_values, 0.0))
    finite = np.isfinite(runway)
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
        "fan_months": np.arange(months),
        "cash_p10": fan[0],
        "cash_p50": fan[1],
        "cash_p90": fan[2],
        "expected_founder_payout": float(payout.mean()),
        "elapsed_ms": 1000.0 * (time.perf_counter() - started),
    }


def _percentiles_by_month(cash: np.ndarray, percents: tuple[float, ...]) -> np.ndarray:
    """np.percentile(cash, percents, axis=0) with linear interpolation; sorting contiguous month rows is faster."""
    ordered = np.sort(np.ascontiguousarray(cash.T), axis=1)
    positions = np.asarray(percents, dtype=float) / 100.0 * (ordered.shape[1] - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, ordered.shape[1] - 1)
    weight = (positions - low).reshape(-1, 1)
    return ordered[:, low].T * (1.0 - weight) + ordered[:, high].T * weight


def _quantile_or_none(values: np.ndarray, percent: float) -> float | None:
    never = 1e12  # stands in for "never runs out" so no inf - inf reaches the interpolation
    value = float(np.percentile(np.where(np.isfinite(values), values, never), percent))
    return value if value < never else None


def _founder_payouts(scenario: Scenario, month: int, exit_values: np.ndarray) -> np.ndarray:
    top = float(exit_values.max()) if exit_values.size else 0.0
    if top <= 0:
        return np.zeros_like(exit_values)
    grid = np.linspace(0.0, top, PAYOUT_GRID_POINTS)
    kinks = [total for total in _preference_totals(scenario, month) if 0 < total < top]
    grid = np.unique(np.concatenate([grid, kinks]))
    grid, founders = founder_payout_curve(scenario, grid, before_month=month)
    return np.interp(exit_values, grid, founders)


def _preference_totals(scenario: Scenario, month: int) -> list[float]:
    """Exit values where the waterfall bends for sure: every preference paid in full."""
    rounds = [e for e in scenario.rounds if e.kind in EQUITY_KINDS and e.month < month]
    return [float(sum(e.amount for e in rounds))]


def risk_to_json(result: dict, fan_step: int = 1) -> dict:
    """The JSON-safe part of simulate_risk's result (no per-path arrays)."""
    keys = ("fan_months", "cash_p10", "cash_p50", "cash_p90")
    out = {k: v for k, v in result.items() if k != "runway" and k not in keys}
    for key in keys:
        out[key] = [float(v) for v in result[key][::fan_step]]
    return out
