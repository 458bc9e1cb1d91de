"""Plans: compute derived from the estimates (worked runway), the verdict's tests and fixes, storage, the CLI."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.compute.architectures import preset
from core.compute.estimate import TrainingInputs, estimate_training
from core.compute.gpus import resolve_gpu
from core.plan.analysis import HEADLINE_KEYS, analyze_plan
from core.plan.model import PlanError, parse_plan, plan_from_json
from core.plan.store import (
    create_plan,
    delete_plan,
    duplicate_plan,
    example_plans,
    export_plan_json,
    import_plan_json,
    load_plan,
    plan_names,
    rename_plan,
    save_plan,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = PROJECT_ROOT / "examples" / "plans"
PATHS = 300  # Monte Carlo paths: enough for a stable verdict in a test

# About 1,000 H100 GPU-hours at 50% MFU: 6 × 1e9 × 2.97e11 FLOPs ÷ (989 TFLOP/s × 0.5), about $2,000 at $2/hour.
TOKENS_FOR_1000_HOURS = 989e12 * 0.5 * 3600 * 1000 / 6e9


def simple_plan(**changes) -> dict:
    """$1.2M cash, a $100k/month team, a training run of about $2,000 in month 0, a small model served from month 1."""
    plan = {
        "name": "Worked example",
        "training": {"params": 1e9, "tokens": TOKENS_FOR_1000_HOURS, "gpu": "H100 SXM", "gpus": 8, "mfu": 0.5,
                     "price_per_hour": 2.0, "start_month": 0},
        "serving": {"params": 1e9, "gpu": "L4", "requests_per_day": 1000, "start_month": 1},
        "funding": {
            "cash": 1_200_000,
            "horizon_months": 36,
            "costs": {"team": 100_000, "compute": {"training_cost_usd": 999_999, "serving_monthly_usd": 55_555}},
            "risk": {"survival_month": 12},
        },
    }  # fmt: skip
    for key, value in changes.items():
        plan[key] = value
    return plan


def test_compute_is_derived_from_the_estimates_and_the_runway_follows_them():
    result = analyze_plan(simple_plan(), risk_paths=PATHS)
    training = result["training_cost_usd"]
    assert training == result["training"]["cost_usd"] and 2000 < training < 2600  # plus attention and overheads
    assert result["training"]["wall_days"] < 30  # so the whole run lands in month 0
    serving = result["serving_monthly_usd"]
    assert serving == result["serving"]["monthly_cost_usd"] > 0
    # The hand-typed 999,999 and 55,555 in the funding file are replaced by the estimates.
    assert result["compute"]["training_cost_usd"] == training and result["compute"]["serving_monthly_usd"] == serving
    # Month 0 spends 100k + the run; from month 1 on, 100k + serving a month.
    expected = 1 + (1_200_000 - 100_000 - training) / (100_000 + serving)
    assert result["runway_months"] == pytest.approx(expected, rel=1e-9)
    cheaper = simple_plan()
    cheaper["serving"]["requests_per_day"] = 100_000
    assert analyze_plan(cheaper, risk_paths=0)["runway_months"] < expected  # more traffic, shorter runway


def test_training_cost_is_the_estimators_own_figure():
    plan = parse_plan(json.loads((EXAMPLES / "vertical_model.json").read_text()))
    result = analyze_plan(plan, risk_paths=0)
    inputs = {k: v for k, v in plan.training.items() if k not in ("start_month", "gpu", "model")}
    direct = estimate_training(
        TrainingInputs(gpu=resolve_gpu(plan.training["gpu"]), architecture=preset(plan.training["model"]), **inputs)
    )
    assert result["training_cost_usd"] == direct["cost_usd"]


def test_the_money_test_names_the_shortfall_and_suggests_a_fix():
    plan = simple_plan()
    plan["funding"]["cash"] = 500_000
    result = analyze_plan(plan, risk_paths=PATHS)
    money = next(check for check in result["checks"] if check["test"] == "money")
    assert result["holds"] is False and money["passed"] is False
    # Through month 13: cash 500k against 13 months of team, the run and 12 months of serving.
    needed = 13 * 100_000 + result["training_cost_usd"] + 12 * result["serving_monthly_usd"]
    assert money["value"] == pytest.approx(500_000 - needed, rel=1e-9)
    assert "short" in money["sentence"] and "bigger SAFE" in money["fix"]
    assert result["reasons"][0].startswith(money["sentence"]) and "Suggested fix" in result["reasons"][0]


def test_thresholds_are_editable_and_decide_the_verdict():
    plan = simple_plan()
    plan["funding"]["cash"] = 1_350_000  # about 13.4 months planned; overruns put month 12 on a knife edge
    strict = analyze_plan({**plan, "thresholds": {"min_survival_probability": 0.99}}, risk_paths=PATHS)
    lenient = analyze_plan({**plan, "thresholds": {"min_survival_probability": 0.01}}, risk_paths=PATHS)
    survival = [next(c for c in r["checks"] if c["test"] == "survival") for r in (strict, lenient)]
    assert 0.01 < survival[0]["value"] == survival[1]["value"] < 0.99
    assert survival[0]["passed"] is False and survival[0]["threshold"] == 0.99 and "99%" in survival[0]["sentence"]
    assert survival[1]["passed"] is True
    assert strict["holds"] is False and survival[0]["fix"]


def test_cushion_before_a_raise_is_months_of_cash_left_without_it():
    plan = simple_plan()
    plan["funding"].update(
        cash=800_000,
        equity={"common_shares": 10_000_000},
        rounds=[{"kind": "safe", "name": "Bridge", "month": 7, "amount": 3_000_000, "post_money_cap": 20_000_000}],
    )
    result = analyze_plan(plan, risk_paths=0)
    cushion = next(check for check in result["checks"] if check["test"] == "cushion")
    serving = result["serving_monthly_usd"]
    runway_without = 1 + (800_000 - 100_000 - result["training_cost_usd"]) / (100_000 + serving)
    assert cushion["value"] == pytest.approx(runway_without - 7, rel=1e-9)
    assert cushion["passed"] is False and "Bridge" in cushion["sentence"] and "Bridge" in cushion["fix"]


def test_founder_fix_names_a_pre_money_that_works():
    plan = simple_plan()
    plan["funding"].update(
        cash=5_000_000,
        equity={"common_shares": 10_000_000},
        rounds=[{"kind": "priced", "name": "Seed", "month": 2, "amount": 6_000_000, "pre_money": 4_000_000}],
    )
    result = analyze_plan(plan, risk_paths=0)
    founders = next(check for check in result["checks"] if check["test"] == "founders")
    assert founders["passed"] is False and founders["value"] == pytest.approx(0.4)
    assert "after Seed" in founders["label"]
    pre_money = float(founders["fix"].split("pre-money of at least $")[1].split("M")[0]) * 1e6
    fixed = copy.deepcopy(plan)
    fixed["funding"]["rounds"][0]["pre_money"] = pre_money
    fixed_founders = next(c for c in analyze_plan(fixed, risk_paths=0)["checks"] if c["test"] == "founders")
    assert fixed_founders["passed"] is True and pre_money == pytest.approx(6_000_000, rel=0.02)


def test_headline_has_every_key_and_is_strict_json():
    from core.plan.analysis import headline

    result = analyze_plan(json.loads((EXAMPLES / "api_wrapper.json").read_text()), risk_paths=PATHS)
    out = headline(result)
    assert set(HEADLINE_KEYS) <= set(out)
    assert isinstance(out["holds"], bool) and out["reasons"] and all(isinstance(r, str) for r in out["reasons"])
    assert 0 <= out["p_out_of_cash"] <= 1 and 0 < out["founder_ownership_final"] <= 1
    assert 0 <= out["application_score"] <= 100 and out["reference_run_id"] is None
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"training": {"params": 1e9, "gpu": "H100 SXM", "epochs": 3}}, "training.epochs: not an estimator input"),
        ({"training": {"params": 1e9, "gpu": "no such chip"}}, "training.gpu:"),
        ({"training": {"params": -1, "gpu": "H100 SXM"}}, "training.params: must be greater than 0"),
        ({"serving": {"gpu": "L4"}}, "serving.params: required"),
        ({"serving": {"params": 1e9, "gpu": "L4", "start_month": -2}}, "serving.start_month:"),
        ({"application": "Telepathy"}, "application: no catalog application called 'Telepathy'"),
        ({"funding": {"cash": -5}}, "funding.cash:"),
        ({"thresholds": {"min_founder_ownership": 2}}, "thresholds.min_founder_ownership:"),
        ({"colour": "blue"}, "colour: unknown key"),
    ],
)
def test_bad_plans_name_the_field(change, message):
    with pytest.raises(PlanError) as caught:
        analyze_plan(simple_plan(**change), risk_paths=0)
    assert str(caught.value).startswith(message)


def test_infinity_in_a_plan_file_is_refused():
    with pytest.raises(PlanError, match=r"^funding\.cash: must be a finite number"):
        plan_from_json(json.dumps(simple_plan()).replace("1200000", "Infinity"))


def test_store_round_trip_and_bad_imports_change_nothing():
    shipped = {plan.name for plan in example_plans().values()}
    assert shipped <= set(plan_names()) and len(shipped) == 3  # seeded into every new database
    create_plan(simple_plan())
    with pytest.raises(PlanError, match="already exists"):
        create_plan(simple_plan())
    copy_name = duplicate_plan("Worked example")
    assert copy_name == "Worked example (copy)" and duplicate_plan("Worked example") == "Worked example (copy 2)"
    rename_plan(copy_name, "Renamed")
    assert load_plan("Renamed").training == load_plan("Worked example").training
    exported = export_plan_json("Renamed")
    delete_plan("Renamed")
    assert "Renamed" not in plan_names()
    assert import_plan_json(exported).name == "Renamed"
    before = plan_names()
    for bad in (b"{not json", json.dumps({**simple_plan(), "name": "X", "thresholds": {"nope": 1}}).encode()):
        with pytest.raises(PlanError):
            import_plan_json(bad)
    assert plan_names() == before
    edited = load_plan("Worked example").model_copy(update={"application": "Coding assistants"})
    save_plan(edited)
    assert load_plan("Worked example").application == "Coding assistants"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def test_cli_errors_are_one_line_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(simple_plan(training={"params": 1e9, "gpu": "H100 SXM", "tokens": "lots"})))
    pack = tmp_path / "pack"
    for path in (bad, tmp_path / "missing.json"):
        done = run_cli("core.plan", str(path), "--json", "--pitch-pack", str(pack))
        assert done.returncode == 2 and done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "training.tokens" in run_cli("core.plan", str(bad)).stderr
    assert not pack.exists()
