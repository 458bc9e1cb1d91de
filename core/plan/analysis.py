"""One plan, one answer: the estimates, the funding analysis with compute derived from them, the application's
fit, the reference run as evidence, and the verdict."""

from __future__ import annotations

from core.plan import adapter
from core.plan.model import Plan, parse_plan
from core.plan.verdict import founder_round_index, verdict

HEADLINE_KEYS = (
    "holds",
    "reasons",
    "runway_months",
    "p_out_of_cash",
    "lowest_cash_usd",
    "lowest_cash_month",
    "training_cost_usd",
    "serving_monthly_usd",
    "founder_ownership_final",
    "application_score",
    "reference_run_id",
)
RUN_SUMMARY_KEYS = (
    "id",
    "finished_at",
    "device",
    "device_name",
    "dataset",
    "n_train",
    "n_test",
    "epochs",
    "batch_size",
    "wall_seconds",
    "samples_per_second",
    "mfu",
    "cost_usd",
    "price_per_hour",
    "test_accuracy",
    "test_loss",
)


def _run_summary(run: dict | None) -> dict | None:
    return {key: run.get(key) for key in RUN_SUMMARY_KEYS} | {"history": run.get("history", [])} if run else None


def analyze_plan(plan: Plan | dict, risk_paths: int = 10_000, seed: int = 0) -> dict:
    """Everything the CLI, the home page and the pitch pack show for one plan, JSON-safe."""
    plan = parse_plan(plan)
    training = adapter.training_estimate(plan)
    serving = adapter.serving_estimate(plan)
    scenario = adapter.funding_scenario(plan, training, serving)
    funding = adapter.funding_analysis(scenario, risk_paths=risk_paths, seed=seed)
    application = adapter.application(plan.application) if plan.application else None
    reference, live_demo = adapter.reference_runs()
    decision = verdict(scenario, funding, plan.thresholds, training, serving)
    founder_index = founder_round_index(scenario, plan.thresholds)
    risk = funding.get("risk")
    compute = scenario.costs.compute
    return {
        "name": plan.name,
        "holds": decision["holds"],
        "reasons": decision["reasons"],
        "runway_months": funding["runway_months"],
        "runway_beyond_months": funding["runway_beyond_months"],
        "p_out_of_cash": risk["p_out_of_cash_before"] if risk else None,
        "survival_month": risk["survival_month"] if risk else scenario.risk.survival_month,
        "lowest_cash_usd": funding["lowest_cash_usd"],
        "lowest_cash_month": funding["lowest_cash_month"],
        "training_cost_usd": training["cost_usd"],
        "serving_monthly_usd": serving["monthly_cost_usd"],
        "founder_ownership_final": funding["founder_ownership_end"],
        "founder_ownership_after_round": adapter.founders_after(scenario, founder_index),
        "founder_round": scenario.event_name(founder_index) if founder_index is not None else None,
        "application_score": application["feasibility"]["score"] if application else None,
        "reference_run_id": reference["id"] if reference else None,
        "checks": decision["checks"],
        "thresholds": plan.thresholds.model_dump(),
        "compute": {
            "training_cost_usd": compute.training_cost_usd,
            "training_start_month": compute.training_start_month,
            "training_months": compute.training_months,
            "serving_monthly_usd": compute.serving_monthly_usd,
            "serving_start_month": compute.serving_from,
            "other_compute_monthly_usd": compute.monthly,
        },
        "training": training,
        "training_inputs": adapter.inputs_as_dict(adapter.training_inputs(plan)),
        "serving": serving,
        "serving_inputs": adapter.inputs_as_dict(adapter.serving_inputs(plan)),
        "training_by_gpu": adapter.training_by_gpu(plan),
        "serving_by_traffic": adapter.serving_by_traffic(plan),
        "application": application,
        "reference_run": _run_summary(reference),
        "live_demo_run": _run_summary(live_demo),
        "funding": funding,
        "scenario": scenario.model_dump(mode="json", exclude_none=True),
    }


def headline(result: dict) -> dict:
    """The CLI's answer: the headline keys, then the checks, the derived compute and the sources behind them."""
    out = {key: result[key] for key in HEADLINE_KEYS}
    out["name"] = result["name"]
    for key in (
        "runway_beyond_months",
        "survival_month",
        "founder_round",
        "founder_ownership_after_round",
        "checks",
        "thresholds",
        "compute",
    ):
        out[key] = result[key]
    training, serving = result["training"], result["serving"]
    out["training"] = {
        key: training[key]
        for key in (
            "gpu",
            "gpus",
            "gpu_hours",
            "wall_days",
            "cost_usd_low",
            "cost_usd_high",
            "mfu",
            "price_per_hour_usd",
        )
    }
    out["serving"] = {
        key: serving[key]
        for key in (
            "gpu",
            "gpus_needed",
            "replicas",
            "monthly_cost_usd_low",
            "monthly_cost_usd_high",
            "cost_per_million_output_tokens",
        )
    }
    out["application"] = result["application"]["name"] if result["application"] else None
    return out
