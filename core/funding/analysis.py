"""Capital-advantage analysis: one reconciled story of a funding scenario (runway on cash in hand and with every
raise, survival odds, lowest cash, cushion before each raise), its cap table, exit payouts and risk; and the four
advantages of capital (funding support, resource integration, brand, risk) side by side for several scenarios.

CLI: python -m core.funding SCENARIO.json --json

analyze() returns one JSON-safe dict whose keys are stable (other pages and helpers read them):
  name, assumptions                     the scenario's name; what was assumed because the file left it out
  headline                              one sentence reconciling the plan and the Monte Carlo
  runway_months, runway_beyond_months   runway if every raise closes on time (None and 600 when it never ends)
  cash_zero_month, cash_zero_date       first month closing below zero (None if never)
  runway_without_raises_months          runway on cash in hand: no raise or grant after month 0 (None: never ends)
  default_alive, default_alive_reason   agrees with runway_without_raises_months being None
  months_to_profit_without_raises       month from which every month is profitable without new money
  burn_multiple, burn_multiple_rating   Sacks, months 0-11
  lowest_cash_usd, lowest_cash_month, lowest_cash_date   lowest closing balance before cash runs out
  cushion_before_raises                 per raise after month 0: cash just before it, months it could be late
  warnings                              cushions under 3 months, a plan that runs out, traction-priced rounds
  traction                              per priced round, when an ARR multiple range is set
  founder_ownership_start, founder_ownership_end   fully diluted fractions before any event and after the last
  cap_table, final_cap_table, unconverted_safes, exit_payouts, monthly
  survival_month, survival_probability  from the Monte Carlo (None when risk_paths is 0)
  risk                                  the Monte Carlo's summary (absent when risk_paths is 0)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from core.config import PROJECT_ROOT
from core.funding.captable import build_cap_tables
from core.funding.cashflow import base_costs, plan_runway, plan_summary, project
from core.funding.exits import exit_payouts, final_holders, founder_ownership, founder_payout_curve
from core.funding.model import (
    MAX_HORIZON_MONTHS,
    RAISE_KINDS,
    Credits,
    Scenario,
    ScenarioError,
    parse_scenario,
    scenario_from_json,
    scenario_to_dict,
)
from core.funding.montecarlo import risk_to_json, simulate_risk
from core.funding.raises import scenario_after
from core.funding.text import money, months_text, percent

EXAMPLES_DIR = PROJECT_ROOT / "examples"
RISK_MONTHS_LIMIT = 240

__all__ = [
    "Scenario",
    "ScenarioError",
    "analyze",
    "compare_advantages",
    "example_scenario",
    "example_scenarios",
    "founder_payout_curve",
    "load_scenario_file",
    "parse_scenario",
    "simulate_risk",
]


def load_scenario_file(path: str | Path) -> Scenario:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ScenarioError(f"file: cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"file: {path} is not UTF-8 text; save it as UTF-8 and try again") from None
    return scenario_from_json(text)


def example_scenarios() -> dict[str, Scenario]:
    """The scenarios shipped in examples/, by file stem."""
    return {path.stem: load_scenario_file(path) for path in sorted(EXAMPLES_DIR.glob("*.json"))}


def example_scenario() -> Scenario:
    """A realistic seed-stage AI startup: team, GPU training and serving, SAFEs, cloud credits, a seed round."""
    return load_scenario_file(EXAMPLES_DIR / "seed_vc.json")


def plan_scenario(scenario: Scenario, plan_raises) -> Scenario:
    """The scenario as the plan's own traction priced it (itself when no ARR multiple range is set)."""
    if not scenario.risk.traction_priced:
        return scenario
    count = len(plan_raises.indices)
    included = [bool(plan_raises.amounts[0, c] > 0) for c in range(count)]
    priced = [bool(plan_raises.priced[0, c]) for c in range(count)]
    ratios = [float(plan_raises.ratios[0, c]) for c in range(count)]
    return scenario_after(scenario, included, ratios, priced, None)


def analyze(scenario: Scenario | dict, risk_paths: int = 10_000, seed: int = 0) -> dict:
    """Everything the page and the CLI show for one scenario, JSON-safe; keys are listed in the module docstring."""
    scenario = parse_scenario(scenario)
    summary = plan_summary(scenario)
    priced_plan = plan_scenario(scenario, summary.pop("plan_raises"))
    built = build_cap_tables(priced_plan)
    cap_table, _, pending = built
    start, end = founder_ownership(priced_plan, built)
    result = {"name": scenario.name, "assumptions": assumptions(scenario), **summary, "cap_table": cap_table}
    result["founder_ownership_start"] = start
    result["founder_ownership_end"] = end
    result["final_cap_table"] = final_holders(priced_plan, built)
    result["unconverted_safes"] = [s.name for s in pending]
    result["exit_payouts"] = exit_payouts(priced_plan, built=built)
    result["survival_month"] = None
    result["survival_probability"] = None
    if risk_paths:
        horizon = scenario.horizon_months
        months = horizon  # long enough that a plan running out after the horizon has its P50 to compare
        if summary["runway_months"] is not None and summary["runway_months"] >= horizon:
            months = min(math.ceil(summary["runway_months"]) + 2, RISK_MONTHS_LIMIT)
        survival_month = min(scenario.risk.survival_month, horizon)
        simulated = simulate_risk(scenario, risk_paths, months, seed, survival_month, report_months=horizon)
        risk = risk_to_json(simulated)
        result["risk"] = risk
        result["survival_month"] = risk["survival_month"]
        result["survival_probability"] = risk["survival_probability"]
    result["warnings"] = warnings(result)
    result["headline"] = headline(result)
    return result


def assumptions(scenario: Scenario) -> list[str]:
    notes = []
    if scenario.equity.assumed:
        notes.append(
            f"No equity section: {scenario.equity.common_shares:,} founder shares assumed; ownership percentages "
            "and payouts do not depend on the count."
        )
    return notes


def _next_raise(result: dict, month: int) -> dict | None:
    return next((c for c in result["cushion_before_raises"] if c["month"] > month), None)


def headline(result: dict) -> str:
    """One sentence that reconciles the plan's runway, the runway on cash in hand, the Monte Carlo and the dip."""
    alone = result["runway_without_raises_months"]
    planned = result["runway_months"]
    future = result["cushion_before_raises"]
    parts = [f"Runway {months_text(alone, MAX_HORIZON_MONTHS)} on cash in hand"]
    if future and planned != alone:
        parts.append(f"{months_text(planned, MAX_HORIZON_MONTHS)} if every raise closes on time")
    elif planned != alone:
        parts.append(f"{months_text(planned, MAX_HORIZON_MONTHS)} with the planned grants")
    if result.get("survival_probability") is not None:
        parts.append(
            f"{percent(result['survival_probability'])} chance of surviving past month {result['survival_month']} "
            "given typical delays and failures"
        )
    if planned is not None and result["cash_zero_month"] < result["monthly"][-1]["month"] + 1:
        parts.append(f"cash runs out in month {result['cash_zero_month']}")
    else:
        low_month = result["lowest_cash_month"]
        text = f"lowest cash {money(result['lowest_cash_usd'])} in month {low_month}"
        upcoming = _next_raise(result, low_month)
        if upcoming is not None:
            gap = upcoming["month"] - low_month
            text += f", {gap} month{'s' if gap != 1 else ''} before {upcoming['round']} closes"
        parts.append(text)
    return "; ".join(parts) + "."


def warnings(result: dict) -> list[str]:
    notes = []
    for row in result["cushion_before_raises"]:
        if row["cushion_months"] is not None and row["cushion_months"] < 0:
            notes.append(f"Cash runs out {-row['cushion_months']:.1f} months before {row['round']} lands.")
        elif row["warning"]:
            notes.append(
                f"Only {row['cushion_months']:.1f} months of cushion ({money(row['cash_before_usd'])}) before "
                f"{row['round']}: a delay of {math.ceil(row['cushion_months'] + 1e-9)} months runs out of cash."
            )
    for row in result["traction"]:
        if row["outcome"] != "as planned":
            notes.append(
                f"{row['round']}: ARR of {money(row['arr_usd'])} in month {row['month']} backs a pre-money of "
                f"{money(row['pre_money_low'])}-{money(row['pre_money_high'])}, against "
                f"{money(row['pre_money_planned'])} planned: {row['outcome']}."
            )
    return notes


def cash_in_hand(scenario: Scenario) -> Scenario:
    """The scenario without any raise or grant after month 0."""
    kept = [e for e in scenario.rounds if e.kind not in (*RAISE_KINDS, "grant") or e.month == 0]
    return scenario.model_copy(update={"rounds": kept})


def _never_or(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _gain(with_it: float, without_it: float) -> float | None:
    """Months gained; None when either runway never ends (600 months is the model's edge, not a runway)."""
    if not (math.isfinite(with_it) and math.isfinite(without_it)):
        return None
    return with_it - without_it


def compare_advantages(
    scenarios: list[Scenario], paths: int = 10_000, months: int = 60, seed: int = 0, exit_value: float = 100e6
) -> list[dict]:
    """The four advantages of capital for each scenario: runway (None when it never ends), dilution, survival and
    payout. A runway that never ends is never turned into a number of months; funding support is also measured as
    survival points bought per point of dilution, which has no such edge."""
    rows = []
    for scenario in scenarios:
        scenario = parse_scenario(scenario)
        runway = plan_runway(scenario)
        alone = plan_runway(scenario, include_raises=False, include_grants=False)
        start, end = founder_ownership(scenario)
        dilution_points = 100.0 * (start - end)
        without_credits = plan_runway(scenario, include_credits=False)
        flows = project(scenario, months, np.array([_growth(scenario)]), np.ones(1))
        credits_total = sum(e.amount for e in scenario.rounds if isinstance(e, Credits))
        neutral = scenario.model_copy(
            update={"brand": scenario.brand.model_copy(update={"valuation_premium": 0.0, "growth_uplift": 0.0})}
        )
        _, neutral_end = founder_ownership(neutral)
        payout = float(founder_payout_curve(scenario, np.array([exit_value]))[1][0])
        neutral_payout = float(founder_payout_curve(neutral, np.array([exit_value]))[1][0])
        risk = simulate_risk(scenario, paths=paths, months=months, seed=seed)
        alone_risk = simulate_risk(cash_in_hand(scenario), paths=paths, months=months, seed=seed)
        survival_points = 100.0 * (risk["survival_probability"] - alone_risk["survival_probability"])
        bought = _gain(runway, alone)
        rows.append(
            {
                "name": scenario.name,
                "runway_months": _never_or(runway),
                "runway_without_raises_months": _never_or(alone),
                "runway_never_ends": not math.isfinite(runway),
                "runway_bought_months": bought,
                "founder_ownership_start": start,
                "founder_ownership_end": end,
                "dilution_points": dilution_points,
                "runway_months_per_dilution_point": bought / dilution_points
                if bought is not None and dilution_points > 0
                else None,
                "survival_without_raises": alone_risk["survival_probability"],
                "survival_points_per_dilution_point": survival_points / dilution_points
                if dilution_points > 0
                else None,
                "credits_total": credits_total,
                "compute_covered_by_credits": float(flows["credits_used"].sum()),
                "compute_total": float(flows["compute"].sum()),
                "runway_gained_from_credits": _gain(runway, without_credits),
                "brand_ownership_effect_points": 100.0 * (end - neutral_end),
                "brand_payout_effect": payout - neutral_payout,
                "brand_runway_effect_months": _gain(runway, plan_runway(neutral)),
                "founder_payout_at_exit": payout,
                "exit_value": exit_value,
                "survival_month": risk["survival_month"],
                "survival_probability": risk["survival_probability"],
                "expected_founder_payout": risk["expected_founder_payout"],
                "runway_p10": risk["runway_p10"],
                "runway_p50": risk["runway_p50"],
                "runway_p90": risk["runway_p90"],
            }
        )
    return rows


def _growth(scenario: Scenario) -> float:
    return scenario.revenue.monthly_growth + scenario.brand.growth_uplift


def monthly_costs(scenario: Scenario) -> dict[str, list[float]]:
    return {key: value.tolist() for key, value in base_costs(scenario, scenario.horizon_months).items()}


def _multiple_text(value: float | None, rating: str) -> str:
    return rating if value is None else f"{value:.2f} ({rating})"


def _text_report(result: dict) -> str:
    runway = result["runway_months"]
    runway_text = f"{runway:.2f} months" if runway is not None else f"beyond {result['runway_beyond_months']} months"
    lines = [
        f"Scenario: {result['name']}",
        result["headline"],
        f"Runway: {runway_text}",
        f"Default alive: {'yes' if result['default_alive'] else 'no'} ({result['default_alive_reason']})",
        f"Burn multiple: {_multiple_text(result['burn_multiple'], result['burn_multiple_rating'])}",
    ]
    for entry in result["cap_table"]:
        price = entry.get("price_per_share")
        lines.append(
            f"{entry['round']} ({entry['kind']}, month {entry['month']}): "
            f"price {price if price is not None else 'n/a'}, {entry['total_shares']:,} shares, "
            f"pool {entry['options']:,}"
        )
    lines += [f"Warning: {w}" for w in result["warnings"]]
    lines += [f"Assumed: {a}" for a in result["assumptions"]]
    if "risk" in result:
        risk = result["risk"]
        lines.append(
            f"Risk: {risk['survival_probability']:.1%} of {risk['paths']:,} paths survive past month "
            f"{risk['survival_month']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from core.cli import ArgumentParser, exit_with_error, strict_json

    parser = ArgumentParser(prog="python -m core.funding", description=__doc__.splitlines()[0])
    parser.add_argument("scenario", help="scenario JSON file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--paths", type=int, default=10_000, help="Monte Carlo paths (0 = skip the risk analysis)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--csv", metavar="FILE", help="also write the monthly table as CSV")
    args = parser.parse_args(argv)
    if args.paths < 0:
        exit_with_error("--paths must be 0 or more")
    if args.seed < 0:
        exit_with_error("--seed must be 0 or more")
    try:
        result = analyze(load_scenario_file(args.scenario), risk_paths=args.paths, seed=args.seed)
    except ScenarioError as exc:
        exit_with_error(str(exc))
    if args.csv:
        try:
            write_monthly_csv(result["monthly"], args.csv)
        except OSError as exc:
            exit_with_error(f"--csv: cannot write {args.csv}: {exc.strerror or exc}")
    if args.json:
        print(strict_json(result))
    else:
        print(_text_report(result))
    return 0


def write_monthly_csv(rows: list[dict], path: str | Path) -> None:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["month"])
        writer.writeheader()
        writer.writerows(rows)


def dumps_scenario(scenario: Scenario) -> str:
    return json.dumps(scenario_to_dict(scenario), indent=2)


if __name__ == "__main__":
    raise SystemExit(main())
