"""Funding math against the worked examples in shared/reference/funding_vectors.md, runway arithmetic, risk."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.funding.analysis import analyze, compare_advantages, example_scenario, example_scenarios, simulate_risk
from core.funding.captable import Holder, build_cap_tables
from core.funding.model import ScenarioError, compute_from_estimate, parse_scenario
from core.funding.waterfall import waterfall

PROJECT_ROOT = Path(__file__).resolve().parent.parent
YC_FILE = PROJECT_ROOT / "examples" / "yc_post_money_safe.json"

YC = {
    "equity": {"common_shares": 9_900_000, "unused_options": 100_000},
    "rounds": [
        {"kind": "safe", "month": 0, "amount": 200_000, "post_money_cap": 4_000_000},
        {"kind": "safe", "month": 1, "amount": 800_000, "post_money_cap": 8_000_000},
        {"kind": "priced", "month": 6, "amount": 5_000_000, "pre_money": 15_000_000, "pool_target": 0.10},
    ],
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core.funding", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


def priced_entry(data: dict) -> dict:
    entries, _, _ = build_cap_tables(parse_scenario(data))
    return [e for e in entries if e["kind"] == "priced"][-1]


def test_yc_post_money_safe_example_converts_to_the_share():
    series_a = priced_entry(YC)
    assert series_a["company_capitalization"] == 11_764_705
    converted = {c["round"]: c for c in series_a["converted_safes"]}
    assert converted["SAFE 1"]["shares"] == 588_235
    assert converted["SAFE 2"]["shares"] == 1_176_470
    assert converted["SAFE 1"]["conversion_price"] == pytest.approx(0.34, rel=1e-7)
    assert converted["SAFE 2"]["conversion_price"] == pytest.approx(0.68, rel=1e-7)
    assert round(series_a["price_per_share"], 5) == 1.11447
    assert math.floor(series_a["price_per_share"] * 10_000) / 10_000 == 1.1144  # the guide truncates to 4 decimals
    assert series_a["total_shares"] == 17_945_701
    assert series_a["total_shares"] == pytest.approx(17_946_424, rel=1e-4)  # the guide's rounded figure
    assert series_a["pool_increase"] == pytest.approx(1_695_000, rel=1e-3)
    assert series_a["options"] >= 0.10 * series_a["total_shares"]
    assert series_a["options"] - 1 < 0.10 * series_a["total_shares"]
    assert series_a["shares"]["Series A"] == math.floor(5_000_000 / series_a["price_per_share"])
    assert sum(h["shares"] for h in series_a["holders"]) == series_a["total_shares"]


def test_safe_entries_show_the_post_money_promise():
    entries, _, _ = build_cap_tables(parse_scenario(YC))
    first, second = entries[0], entries[1]
    assert first["kind"] == second["kind"] == "safe"
    assert first["shares"]["SAFE 1"] / first["total_shares"] == pytest.approx(0.05, abs=1e-6)
    assert second["company_capitalization"] == 11_764_705
    assert second["post_money"] == 8_000_000
    # SAFE 1 alone was 5% of 10,526,315 shares ($0.38 at its cap); SAFE 2 grew the company, so it converts at $0.34
    assert first["estimated_price_per_share"] == pytest.approx(4e6 / (10e6 / 0.95))
    assert first["price_per_share"] == first["conversion_price"] == pytest.approx(0.34)
    assert first["converted_in"] == "Series A"


def test_option_pool_shuffle_venture_hacks():
    entry = priced_entry(
        {
            "equity": {"common_shares": 6_000_000},
            "rounds": [{"kind": "priced", "amount": 2_000_000, "pre_money": 8_000_000, "pool_target": 0.20}],
        }
    )
    assert entry["price_per_share"] == pytest.approx(1.00, abs=1e-12)
    assert entry["total_shares"] == 10_000_000
    assert entry["options"] == 2_000_000
    assert entry["price_per_share"] * 6_000_000 == pytest.approx(6_000_000)  # effective pre-money


def test_existing_pool_above_target_is_not_topped_up():
    entry = priced_entry(
        {
            "equity": {"common_shares": 8_000_000, "unused_options": 2_000_000},
            "rounds": [{"kind": "priced", "amount": 2_000_000, "pre_money": 8_000_000, "pool_target": 0.10}],
        }
    )
    assert entry["pool_increase"] == 0
    assert entry["price_per_share"] == pytest.approx(0.8)
    assert entry["new_shares"] == 2_500_000


def _fixed_point(common: float, pool: float, safes: list[dict], pre: float, amount: float, target: float) -> dict:
    """An independent float iteration of the same definitions, to check the closed form."""
    price, capitalization = pre / (common + pool), common + pool
    for _ in range(500):
        shares = []
        for s in safes:
            candidates = [price * (1 - s.get("discount", 0.0))]
            if s.get("post_money_cap"):
                candidates.append(s["post_money_cap"] / capitalization)
            shares.append(s["amount"] / min(candidates))
        capitalization = common + pool + sum(shares)
        total = (pre + amount) / price
        increase = max(target * total - pool, 0.0)
        price = pre / (capitalization + increase)
    return {"price": price, "shares": shares, "total": (pre + amount) / price, "pool": pool + increase}


@pytest.mark.parametrize(
    "safes",
    [
        [
            {"amount": 500_000, "post_money_cap": 8_000_000},
            {"amount": 250_000, "discount": 0.2},
            {"amount": 100_000},
        ],
        [
            {"amount": 1_000_000, "post_money_cap": 10_000_000, "discount": 0.2},
            {"amount": 400_000, "post_money_cap": 6_000_000},
            {"amount": 300_000, "discount": 0.15},
        ],
        [{"amount": 2_000_000, "post_money_cap": 40_000_000, "discount": 0.25}],  # the discount wins
    ],
)
def test_several_safes_with_an_uncapped_one_match_an_independent_iteration(safes):
    rounds = [{"kind": "safe", "month": 0, **s} for s in safes]
    rounds.append({"kind": "priced", "month": 3, "amount": 4_000_000, "pre_money": 16_000_000, "pool_target": 0.10})
    entry = priced_entry({"equity": {"common_shares": 9_000_000, "unused_options": 500_000}, "rounds": rounds})
    expected = _fixed_point(9_000_000, 500_000, safes, 16_000_000, 4_000_000, 0.10)
    assert entry["price_per_share"] == pytest.approx(expected["price"], rel=1e-9)
    for converted, shares in zip(entry["converted_safes"], expected["shares"], strict=True):
        assert abs(converted["shares"] - shares) < 1.0
    assert abs(entry["total_shares"] - expected["total"]) < len(safes) + 2
    assert abs(entry["options"] - expected["pool"]) < 1.0
    assert entry["options"] >= 0.10 * entry["total_shares"] - 1


def test_uncapped_safes_convert_at_the_discount_or_round_price():
    entry = priced_entry(
        {
            "equity": {"common_shares": 10_000_000},
            "rounds": [
                {"kind": "safe", "amount": 300_000, "discount": 0.2},
                {"kind": "safe", "amount": 100_000},
                {"kind": "priced", "month": 2, "amount": 2_000_000, "pre_money": 10_000_000},
            ],
        }
    )
    discount, plain = entry["converted_safes"]
    assert discount["basis"] == "discount" and plain["basis"] == "round price"
    assert discount["conversion_price"] == pytest.approx(0.8 * entry["price_per_share"])
    assert plain["conversion_price"] == pytest.approx(entry["price_per_share"])
    # pre-money shares = common + SAFE shares, so the price solves P = 10M / (10M + 375k/P + 100k/P)
    assert entry["price_per_share"] == pytest.approx((10_000_000 - 475_000) / 10_000_000)


def test_one_x_non_participating_preference():
    classes = [Holder("Investor", "preferred", 1_000_000, 10e6, 10e6), Holder("Common", "common", 1_000_000)]
    assert waterfall(classes, 15e6) == pytest.approx({"Investor": 10e6, "Common": 5e6})
    assert waterfall(classes, 50e6) == pytest.approx({"Investor": 25e6, "Common": 25e6})
    assert waterfall(classes, 20e6)["Investor"] == pytest.approx(10e6)
    assert waterfall(classes, 20.2e6)["Investor"] == pytest.approx(10.1e6)  # converted past $20M
    assert waterfall(classes, 6e6) == pytest.approx({"Investor": 6e6, "Common": 0.0})


def test_exit_payouts_add_up_and_favour_preferences_at_low_exits():
    result = analyze(YC, risk_paths=0)
    for row in result["exit_payouts"]:
        assert sum(row["payouts"].values()) == pytest.approx(row["exit_value"])
    low = result["exit_payouts"][0]  # $5M against $6M of preferences: shared pari passu, common gets nothing
    assert low["exit_value"] == 5e6
    assert low["payouts"]["Series A"] == pytest.approx(5e6 * 5 / 6)
    assert low["payouts"]["Common"] == 0.0


def simple(cash: float, burn: float, **extra) -> dict:
    return {"cash": cash, "costs": {"team": burn}, **extra}


@pytest.mark.parametrize(
    ("cash", "burn", "runway"),
    [(1_200_000, 100_000, 12.0), (1_250_000, 100_000, 12.5), (1_000_000, 30_000, 100 / 3), (0, 50_000, 0.0)],
)
def test_runway_on_simple_budgets_is_exact(cash, burn, runway):
    result = analyze(simple(cash, burn), risk_paths=0)
    assert result["runway_months"] == pytest.approx(runway, abs=1e-12)
    assert result["cash_zero_month"] == math.floor(runway)


def test_cash_zero_month_is_the_first_negative_month():
    result = analyze(simple(1_200_000, 100_000, start_month="2025-01"), risk_paths=0)
    monthly = result["monthly"]
    assert monthly[11]["cash"] == 0.0 and monthly[12]["cash"] < 0
    assert result["cash_zero_month"] == 12
    assert result["cash_zero_date"] == "2026-01"


def test_runway_counts_revenue_funding_and_cost_lines():
    data = {
        "cash": 1_000_000,
        "costs": {"team": 80_000, "compute": 30_000, "other": 10_000},
        "revenue": {"mrr": 20_000, "monthly_growth": 0},
        "rounds": [{"kind": "grant", "month": 3, "amount": 200_000}],
    }
    assert analyze(data, risk_paths=0)["runway_months"] == pytest.approx(12.0)


def test_credits_pay_compute_only_and_expire():
    base = {"cash": 1_200_000, "costs": {"team": 50_000, "compute": 50_000}}
    with_credits = {**base, "rounds": [{"kind": "credits", "month": 0, "amount": 100_000, "months_valid": 12}]}
    assert analyze(with_credits, risk_paths=0)["runway_months"] == pytest.approx(13.0)
    expiring = {**base, "rounds": [{"kind": "credits", "month": 0, "amount": 600_000, "months_valid": 2}]}
    assert analyze(expiring, risk_paths=0)["runway_months"] == pytest.approx(13.0)
    no_compute = {"cash": 1_200_000, "costs": {"team": 100_000}, "rounds": with_credits["rounds"]}
    assert analyze(no_compute, risk_paths=0)["runway_months"] == pytest.approx(12.0)


def test_team_roles_start_and_training_spreads_over_its_months():
    data = {
        "cash": 1_000_000,
        "costs": {
            "team": [{"role": "Engineer", "headcount": 2, "monthly_cost": 25_000, "start_month": 2}],
            "compute": {"training_cost_usd": 90_000, "training_start_month": 1, "training_months": 3},
        },
    }
    monthly = analyze(data, risk_paths=0)["monthly"]
    assert [m["team"] for m in monthly[:4]] == [0, 0, 50_000, 50_000]
    assert [m["compute"] for m in monthly[:5]] == [0, 30_000, 30_000, 30_000, 0]


def test_default_alive_and_burn_multiple():
    alive = analyze(
        {"cash": 500_000, "costs": {"team": 100_000}, "revenue": {"mrr": 50_000, "monthly_growth": 0.10}},
        risk_paths=0,
    )
    assert alive["default_alive"] is True
    assert alive["months_to_profit_without_raises"] == 8  # 50k x 1.1^8 = 107k is the first month over 100k
    revenue = [50_000 * 1.1**m for m in range(13)]
    expected = sum(100_000 - r for r in revenue[:12]) / (12 * (revenue[12] - revenue[0]))
    assert alive["burn_multiple"] == pytest.approx(expected)
    dead = analyze(simple(1_200_000, 100_000, revenue={"mrr": 10_000, "monthly_growth": 0.01}), risk_paths=0)
    assert dead["default_alive"] is False


def test_default_alive_ignores_future_raises():
    data = simple(200_000, 100_000, rounds=[{"kind": "safe", "month": 1, "amount": 5e6, "post_money_cap": 20e6}])
    data["equity"] = {"common_shares": 10_000_000}
    result = analyze(data, risk_paths=0)
    assert result["runway_months"] == pytest.approx(52.0)
    assert result["runway_without_raises_months"] == pytest.approx(2.0)
    assert result["default_alive"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cash": -1}, "cash"),
        ({"rounds": [{"kind": "safe", "amount": -5}]}, "rounds[0].amount"),
        ({"rounds": [{"kind": "loan", "amount": 5}]}, "rounds[0].kind"),
        ({"equity": {"common_shares": 1}, "rounds": [{"kind": "safe", "amount": 5, "discount": 1.5}]}, "discount"),
        ({"equity": {"common_shares": 1}, "rounds": [{"kind": "priced", "amount": 5}]}, "rounds[0].pre_money"),
        ({"revenue": {"monthly_growth": "fast"}}, "revenue.monthly_growth"),
        ({"costs": {"team": [{"role": "x", "headcount": -1}]}}, "costs.team[0].headcount"),
        ({"equity": {"common_shares": 0}, "rounds": [{"kind": "safe", "amount": 5}]}, "equity.common_shares"),
    ],
)
def test_validation_errors_name_the_field(data, field):
    with pytest.raises(ScenarioError) as excinfo:
        parse_scenario(data)
    assert field in str(excinfo.value)


def test_safes_owning_everything_are_rejected_naming_the_round():
    data = {
        "equity": {"common_shares": 1_000_000},
        "rounds": [{"kind": "safe", "amount": 5e6, "post_money_cap": 4e6}],
    }
    with pytest.raises(ScenarioError, match=r"rounds\[0\]\.post_money_cap"):
        analyze(data, risk_paths=0)


def test_file_with_only_the_documented_keys_works(tmp_path):
    path = tmp_path / "minimal.json"
    path.write_text(json.dumps({"cash": 1_200_000, "costs": {"team": 100_000}}))
    csv_path = tmp_path / "monthly.csv"
    completed = run_cli(str(path), "--json", "--paths", "0", "--csv", str(csv_path))
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["runway_months"] == 12.0
    assert result["cap_table"] == []
    lines = csv_path.read_text().splitlines()
    assert len(lines) == 61 and lines[0].startswith("month,date,team")
    assert lines[12].split(",")[-1] == "0.0"  # cash closes month 11 at exactly zero


def test_cli_on_the_yc_example_prints_the_cap_table():
    completed = run_cli(str(YC_FILE), "--json")
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["runway_months"] == pytest.approx(72.0)  # (1.2M + 1M SAFEs + 5M) / 100k per month
    kinds = [(e["round"], e["kind"], e["month"]) for e in result["cap_table"]]
    assert kinds == [("SAFE A", "safe", 0), ("SAFE B", "safe", 3), ("Series A", "priced", 12)]
    series_a = result["cap_table"][-1]
    for key in ("price_per_share", "total_shares", "options", "post_money"):
        assert key in series_a
    assert series_a["shares"]["SAFE A"] == 588_235 and series_a["shares"]["SAFE B"] == 1_176_470
    assert series_a["total_shares"] == 17_945_701 and series_a["post_money"] == 20_000_000
    assert 0 <= result["risk"]["survival_probability"] <= 1
    assert result["headline"].startswith("Runway 14.0 months on cash in hand; 72.0 months if every raise closes")
    assert (result["lowest_cash_usd"], result["lowest_cash_month"]) == (1_000_000, 11)
    assert [(c["round"], c["cash_before_usd"]) for c in result["cushion_before_raises"]] == [
        ("SAFE B", 1_100_000),
        ("Series A", 1_000_000),
    ]


def test_cli_bad_file_exits_2_with_one_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"cash": 1, "rounds": [{"kind": "safe", "amount": "lots"}]}))
    completed = run_cli(str(path), "--json")
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "rounds[0].amount" in completed.stderr
    assert completed.stdout == ""
    missing = run_cli(str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_monte_carlo_is_reproducible_and_ordered():
    scenario = example_scenario()
    result = simulate_risk(scenario, paths=10_000, months=60, seed=0)
    again = simulate_risk(scenario, paths=10_000, months=60, seed=0)
    assert again["survival_probability"] == result["survival_probability"]
    assert np.all(result["cash_p10"] <= result["cash_p50"]) and np.all(result["cash_p50"] <= result["cash_p90"])
    assert len(result["cash_p50"]) == 60 and result["runway"].shape == (10_000,)


def test_monte_carlo_survival_extremes():
    rich = simulate_risk(simple(1e9, 100_000), paths=2_000, months=60, survival_month=36)
    assert rich["survival_probability"] == 1.0
    broke = simulate_risk(simple(100_000, 100_000), paths=2_000, months=60, survival_month=36)
    assert broke["survival_probability"] == 0.0
    assert broke["runway_p90"] < 2.0


def test_delays_hurt_survival():
    data = simple(300_000, 100_000, equity={"common_shares": 10_000_000})
    data["rounds"] = [{"kind": "safe", "month": 2, "amount": 3e6, "post_money_cap": 20e6}]
    prompt = simulate_risk({**data, "risk": {"delay_mean_months": 0, "cost_overrun_sd": 0}}, paths=4_000)
    late = simulate_risk({**data, "risk": {"delay_mean_months": 3, "cost_overrun_sd": 0}}, paths=4_000)
    assert prompt["survival_probability"] > late["survival_probability"]


def test_four_advantages_side_by_side():
    scenarios = example_scenarios()
    rows = compare_advantages(
        [scenarios["bootstrapped"], scenarios["seed_vc"], scenarios["strategic_credits"]], paths=2_000
    )
    boot, seed, strategic = rows
    assert boot["dilution_points"] == 0 and boot["runway_months_per_dilution_point"] is None
    assert seed["dilution_points"] > 0 and seed["survival_points_per_dilution_point"] > 0
    assert seed["runway_never_ends"] and seed["runway_months"] is None  # never 600 months
    assert seed["runway_bought_months"] is None and seed["runway_months_per_dilution_point"] is None
    assert strategic["compute_covered_by_credits"] > seed["compute_covered_by_credits"] > 0
    assert strategic["runway_never_ends"] and strategic["runway_gained_from_credits"] is None
    assert strategic["brand_ownership_effect_points"] > 0 and seed["brand_ownership_effect_points"] == 0
    assert strategic["brand_payout_effect"] > 0
    for row in rows:
        assert 0 <= row["survival_probability"] <= 1 and row["expected_founder_payout"] >= 0


def test_compute_from_a_saved_estimate():
    compute = compute_from_estimate(
        {"training_cost_usd": 120_000, "training_wall_days": 45, "serving_monthly_cost_usd": None}, name="70B run"
    )
    assert compute.training_months == 2 and compute.training_cost_usd == 120_000
    assert compute.serving_monthly_usd == 0 and compute.estimate == "70B run"
    with pytest.raises(ScenarioError, match="estimate"):
        compute_from_estimate({"training_cost_usd": "a lot"})
