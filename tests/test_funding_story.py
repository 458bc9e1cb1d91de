"""One story from the plan and the Monte Carlo: the headline, cushions before raises, default alive, and the
coherence cases (no randomness, a raise that always fails, month-0 raises banked, traction-priced rounds)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.funding.analysis import analyze, example_scenarios, simulate_risk
from core.funding.model import scenario_to_dict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NO_RANDOMNESS = {
    "growth_sd": 0,
    "cost_overrun_mean": 0,
    "cost_overrun_sd": 0,
    "delay_mean_months": 0,
    "raise_fail_probability": 0,
}


def example(name: str, **risk) -> dict:
    data = scenario_to_dict(example_scenarios()[name])
    data["risk"] = {**data["risk"], **risk}
    return data


def test_headline_reconciles_cash_in_hand_the_plan_and_the_monte_carlo():
    result = analyze(example("seed_vc"), risk_paths=2_000)
    alone, survival = result["runway_without_raises_months"], result["survival_probability"]
    assert result["runway_months"] is None  # the plan never runs out when every raise closes on time
    assert result["headline"].startswith(f"Runway {alone:.1f} months on cash in hand; 600+ months if every raise")
    assert f"{round(100 * survival)}% chance of surviving past month 36" in result["headline"]
    low = result["lowest_cash_month"]
    seed = next(c for c in result["cushion_before_raises"] if c["round"] == "Seed")
    assert result["monthly"][low]["cash"] == result["lowest_cash_usd"] == min(m["cash"] for m in result["monthly"])
    assert (
        f"in month {low}, {seed['month'] - low} month" in result["headline"]
        and "before Seed closes" in result["headline"]
    )


def test_cushion_before_each_raise_and_the_warning_under_three_months():
    data = {
        "cash": 300_000,
        "costs": {"team": 100_000},
        "equity": {"common_shares": 10_000_000},
        "rounds": [
            {"kind": "safe", "name": "Angel", "month": 2, "amount": 1e6, "post_money_cap": 10e6},
            {"kind": "priced", "name": "Seed", "month": 8, "amount": 3e6, "pre_money": 12e6},
        ],
    }
    result = analyze(data, risk_paths=0)
    angel, seed = result["cushion_before_raises"]
    assert (angel["month"], angel["cash_before_usd"], angel["cushion_months"]) == (2, 100_000, 1.0)
    assert angel["warning"] and not seed["warning"]
    assert seed["cash_before_usd"] == 500_000 and seed["cushion_months"] == pytest.approx(13.0 - 8)
    assert any("Angel" in w and "1.0 months of cushion" in w for w in result["warnings"])


@pytest.mark.parametrize(
    "data",
    [
        # profitable now, unprofitable once a hire starts in month 3
        {"cash": 100_000, "costs": {"team": [{"monthly_cost": 50_000}, {"monthly_cost": 40_000, "start_month": 3}]},
         "revenue": {"mrr": 60_000}},
        {"cash": 500_000, "costs": {"team": 100_000}, "revenue": {"mrr": 50_000, "monthly_growth": 0.10}},
        {"cash": 1_200_000, "costs": {"team": 100_000}, "revenue": {"mrr": 10_000, "monthly_growth": 0.01}},
        *[scenario_to_dict(s) for s in example_scenarios().values()],
    ],
)  # fmt: skip
def test_default_alive_agrees_with_the_runway_without_raises(data):
    result = analyze(data, risk_paths=0)
    assert result["default_alive"] == (result["runway_without_raises_months"] is None)


def test_profitable_now_but_not_after_a_hire_is_not_default_alive():
    data = {
        "cash": 100_000,
        "costs": {"team": [{"monthly_cost": 50_000}, {"monthly_cost": 40_000, "start_month": 3}]},
        "revenue": {"mrr": 60_000},
    }
    result = analyze(data, risk_paths=0)
    assert result["default_alive"] is False
    assert result["runway_without_raises_months"] == pytest.approx(3 + 130_000 / 30_000)
    assert result["months_to_profit_without_raises"] is None


@pytest.mark.parametrize("name", ["bootstrapped", "seed_vc", "strategic_credits"])
def test_without_randomness_the_monte_carlo_p50_runway_is_the_plans(name):
    data = example(name, **NO_RANDOMNESS)
    data["costs"]["other"] = 60_000  # every plan then runs out inside the horizon
    plan = analyze(data, risk_paths=0)["runway_months"]
    risk = simulate_risk(data, paths=200, months=data["horizon_months"])
    assert plan is not None and plan < data["horizon_months"]
    assert risk["runway_p10"] == risk["runway_p50"] == risk["runway_p90"] == pytest.approx(plan, abs=1e-9)


def test_without_randomness_analyze_reports_the_plans_runway_even_past_the_horizon():
    data = example("yc_post_money_safe", **NO_RANDOMNESS)  # runs out in month 72 of a 60-month horizon
    result = analyze(data, risk_paths=300)
    assert result["runway_months"] == 72.0 == result["risk"]["runway_p50"]
    assert len(result["risk"]["cash_p50"]) == 60 and result["risk"]["share_out_of_cash_within_horizon"] == 0.0


def test_a_raise_that_always_fails_pays_out_like_the_plan_without_it():
    failing = example("seed_vc", raise_fail_probability=1.0)
    without = json.loads(json.dumps(failing))
    without["rounds"] = [r for r in failing["rounds"] if r["kind"] not in ("safe", "priced") or r["month"] == 0]
    with_it = simulate_risk(failing, paths=4_000, months=60)
    plain = simulate_risk(without, paths=4_000, months=60)
    assert with_it["survival_probability"] == plain["survival_probability"] > 0
    assert with_it["expected_founder_payout"] == pytest.approx(plain["expected_founder_payout"], rel=1e-9)
    assert with_it["raises_failed_share"] == {"Pre-seed SAFE": 0.0, "Angel SAFE (uncapped, 20% off)": 1.0, "Seed": 1.0}


def test_a_raise_signed_in_month_0_is_banked():
    data = {
        "cash": 100_000,
        "costs": {"team": 100_000},
        "equity": {"common_shares": 10_000_000},
        "rounds": [{"kind": "safe", "month": 0, "amount": 1e6, "post_money_cap": 10e6}],
        "risk": {**NO_RANDOMNESS, "delay_mean_months": 6, "raise_fail_probability": 0.9},
    }
    risk = simulate_risk(data, paths=500, months=60)
    assert risk["runway_p10"] == risk["runway_p90"] == pytest.approx(11.0)
    assert risk["raises_failed_share"] == {"SAFE 1": 0.0}
    assert any("banked" in line and "SAFE 1" in line for line in risk["random_inputs"])


def test_monte_carlo_explains_what_is_random():
    lines = simulate_risk(example("seed_vc"), paths=100)["random_inputs"]
    text = " ".join(lines)
    assert "9% on average, spread 3%" in text and "15% chance it never closes" in text
    assert "Angel SAFE (uncapped, 20% off), Seed" in text and "Pre-seed SAFE" in text
    assert "Fixed: starting cash $400k" in text


def traction_plan(**risk) -> dict:
    return {
        "cash": 2e6,
        "costs": {"team": 250_000},
        "revenue": {"mrr": 20_000, "monthly_growth": 0.05},
        "equity": {"common_shares": 10_000_000},
        "rounds": [{"kind": "priced", "name": "Seed", "month": 12, "amount": 4e6, "pre_money": 16e6}],
        "risk": {**NO_RANDOMNESS, "arr_multiple_low": 20, "arr_multiple_high": 40, **risk},
    }


def test_traction_prices_the_round_in_the_plan_and_the_monte_carlo():
    arr = 12 * 20_000 * 1.05**12  # ARR when the Seed closes: $431k, backing $8.6M-$17.2M
    result = analyze(traction_plan(), risk_paths=0)
    assert result["traction"][0]["outcome"] == "as planned" and result["runway_months"] < 60
    assert result["cap_table"][-1]["pre_money"] == 16e6
    low = analyze(traction_plan(arr_multiple_low=10, arr_multiple_high=20), risk_paths=0)
    seed = low["cap_table"][-1]
    assert seed["pre_money"] == pytest.approx(20 * arr) and seed["amount"] == pytest.approx(4e6 * 20 * arr / 16e6)
    assert low["monthly"][12]["funding"] == pytest.approx(seed["amount"])
    assert any("priced down" in w for w in low["warnings"])
    bridge = analyze(traction_plan(arr_multiple_low=5, arr_multiple_high=10), risk_paths=0)
    assert bridge["cap_table"][-1]["round"] == "Seed (bridge)" and bridge["cap_table"][-1]["kind"] == "safe"
    assert bridge["monthly"][12]["funding"] == pytest.approx(0.25 * 4e6)
    spread = simulate_risk(traction_plan(growth_sd=0.03), paths=2_000, months=60)
    steady = simulate_risk(traction_plan(), paths=200, months=60)
    assert steady["runway_p50"] == pytest.approx(result["runway_months"])
    assert spread["runway_p10"] < steady["runway_p50"]
    assert spread["runway_p90"] is None or spread["runway_p90"] > steady["runway_p50"]


def test_a_plan_with_no_equity_section_is_answered(tmp_path):
    data = {
        "cash": 1e6,
        "costs": {"team": 50_000},
        "rounds": [
            {"kind": "safe", "month": 3, "amount": 500_000, "post_money_cap": 5e6},
            {"kind": "priced", "month": 12, "amount": 2e6, "pre_money": 8e6},
        ],
    }
    path = tmp_path / "no_equity.json"
    path.write_text(json.dumps(data))
    completed = subprocess.run(
        [sys.executable, "-m", "core.funding", str(path), "--json", "--paths", "200"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert "founder shares assumed" in result["assumptions"][0]
    assert result["founder_ownership_start"] == 1.0
    assert 0.6 < result["founder_ownership_end"] < 0.8
    assert result["headline"] and result["survival_probability"] is not None
