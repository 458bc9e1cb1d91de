"""Capital-advantage analysis: runway, cap table, exit payouts and risk of a funding scenario, and the four
advantages of capital (funding support, resource integration, brand, risk) side by side for several scenarios.

CLI: python -m core.funding SCENARIO.json --json
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
    Credits,
    Scenario,
    ScenarioError,
    parse_scenario,
    scenario_from_json,
    scenario_to_dict,
)
from core.funding.montecarlo import risk_to_json, simulate_risk

EXAMPLES_DIR = PROJECT_ROOT / "examples"

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


def analyze(scenario: Scenario | dict, risk_paths: int = 10_000, seed: int = 0) -> dict:
    """Everything the page and the CLI show for one scenario, JSON-safe."""
    scenario = parse_scenario(scenario)
    built = build_cap_tables(scenario)
    cap_table, _, pending = built
    summary = plan_summary(scenario)
    result = {"name": scenario.name, **summary, "cap_table": cap_table}
    result["final_cap_table"] = final_holders(scenario, built)
    result["unconverted_safes"] = [s.name for s in pending]
    result["exit_payouts"] = exit_payouts(scenario, built=built)
    if risk_paths:
        result["risk"] = risk_to_json(
            simulate_risk(scenario, paths=risk_paths, months=scenario.horizon_months, seed=seed)
        )
    return result


def _capped(runway: float) -> float:
    return runway if math.isfinite(runway) else float(MAX_HORIZON_MONTHS)


def compare_advantages(
    scenarios: list[Scenario], paths: int = 10_000, months: int = 60, seed: int = 0, exit_value: float = 100e6
) -> list[dict]:
    """The four advantages of capital for each scenario; infinite runways count as MAX_HORIZON_MONTHS."""
    rows = []
    for scenario in scenarios:
        scenario = parse_scenario(scenario)
        runway = _capped(plan_runway(scenario))
        alone = _capped(plan_runway(scenario, include_raises=False, include_grants=False))
        start, end = founder_ownership(scenario)
        dilution_points = 100.0 * (start - end)
        without_credits = _capped(plan_runway(scenario, include_credits=False))
        flows = project(scenario, months, np.array([_growth(scenario)]), np.ones(1))
        credits_total = sum(e.amount for e in scenario.rounds if isinstance(e, Credits))
        neutral = scenario.model_copy(
            update={"brand": scenario.brand.model_copy(update={"valuation_premium": 0.0, "growth_uplift": 0.0})}
        )
        _, neutral_end = founder_ownership(neutral)
        payout = float(founder_payout_curve(scenario, np.array([exit_value]))[1][0])
        neutral_payout = float(founder_payout_curve(neutral, np.array([exit_value]))[1][0])
        risk = simulate_risk(scenario, paths=paths, months=months, seed=seed)
        rows.append(
            {
                "name": scenario.name,
                "runway_months": runway,
                "runway_without_raises_months": alone,
                "runway_bought_months": runway - alone,
                "founder_ownership_start": start,
                "founder_ownership_end": end,
                "dilution_points": dilution_points,
                "runway_months_per_dilution_point": (runway - alone) / dilution_points if dilution_points > 0 else None,
                "credits_total": credits_total,
                "compute_covered_by_credits": float(flows["credits_used"].sum()),
                "compute_total": float(flows["compute"].sum()),
                "runway_gained_from_credits": runway - without_credits,
                "brand_ownership_effect_points": 100.0 * (end - neutral_end),
                "brand_payout_effect": payout - neutral_payout,
                "brand_runway_effect_months": runway - _capped(plan_runway(neutral)),
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
        f"Runway: {runway_text}",
        f"Default alive: {'yes' if result['default_alive'] else 'no'}",
        f"Burn multiple: {_multiple_text(result['burn_multiple'], result['burn_multiple_rating'])}",
    ]
    for entry in result["cap_table"]:
        price = entry["price_per_share"]
        lines.append(
            f"{entry['round']} ({entry['kind']}, month {entry['month']}): "
            f"price {price if price is not None else 'n/a'}, {entry['total_shares']:,} shares, "
            f"pool {entry['options']:,}"
        )
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
