"""The only place the plan calls the estimator, the funding analysis and the catalogs.

The training cost is the estimator's own figure for the plan's inputs: estimate_training is called, never
re-derived. The funding scenario's training and serving costs are replaced by the two estimates here, at analysis
time; its flat monthly compute (laptops, experiments) stays as the founder wrote it.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.compute.architectures import ArchitectureError, architecture_from_mapping, preset
from core.compute.estimate import (
    EstimateInputError,
    ServingInputs,
    TrainingInputs,
    estimate_serving,
    estimate_training,
)
from core.compute.gpus import GpuLookupError, resolve_gpu
from core.funding.analysis import analyze
from core.funding.cashflow import project
from core.funding.exits import founder_ownership
from core.funding.model import (
    MAX_HORIZON_MONTHS,
    Compute,
    Scenario,
    ScenarioError,
    compute_from_estimate,
    parse_scenario,
)
from core.plan.model import Plan, PlanError

# The plan's training and serving sections take the estimator CLI's option names (python -m core.estimate train|
# serve), with - or _; a few dataclass names are accepted too. They become the same inputs the CLI builds, so the
# plan's training cost is the CLI's figure for the same options.
SHAPE_KEYS = ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "head_dim", "experts", "active_experts",
              "shared_experts", "moe_ffn", "dense_layers", "mlp", "tied_embeddings")  # fmt: skip
TRAINING_KEYS = {
    "tokens": "tokens", "gpus": "gpus", "mfu": "mfu", "price": "price_per_hour", "price_per_hour": "price_per_hour",
    "pricing": "pricing", "precision": "precision", "pue": "pue", "carbon": "carbon_kg_per_kwh",
    "carbon_kg_per_kwh": "carbon_kg_per_kwh", "context": "context", "mode": "mode", "lora_rank": "lora_rank",
    "zero": "zero_stage", "zero_stage": "zero_stage", "tp": "tensor_parallel", "tensor_parallel": "tensor_parallel",
    "pp": "pipeline_parallel", "pipeline_parallel": "pipeline_parallel", "recompute": "recompute",
    "micro_batch": "micro_batch", "global_batch": "global_batch_tokens", "global_batch_tokens": "global_batch_tokens",
    "target_days": "target_days", "checkpoint_overhead": "checkpoint_overhead",
    "failure_overhead": "failure_overhead", "eval_overhead": "eval_overhead", "ablations": "ablation_multiple",
    "ablation_multiple": "ablation_multiple",
}  # fmt: skip
SERVING_KEYS = {
    "batch": "batch", "context": "context", "prompt_tokens": "prompt_tokens", "output_tokens": "output_tokens",
    "requests_per_day": "requests_per_day", "peak_to_average": "peak_to_average",
    "gpus_per_replica": "gpus_per_replica", "weight_precision": "weight_precision", "kv_precision": "kv_precision",
    "mbu": "mbu", "price": "price_per_hour", "price_per_hour": "price_per_hour", "pricing": "pricing",
}  # fmt: skip
MODEL_KEYS = ("model", "params", "active_params", *SHAPE_KEYS)
LOWERCASE = ("precision", "weight_precision", "kv_precision")


def _architecture(part: str, options: dict):
    """A preset, a shape or nothing (a bare parameter count), exactly as the estimator CLI reads its model flags."""
    shape = {key: options[key] for key in SHAPE_KEYS if options.get(key) is not None}
    shape_given = {key: value for key, value in shape.items() if key not in ("mlp", "tied_embeddings")}
    if options.get("model") and (shape_given or options.get("params") is not None):
        raise PlanError(f"{part}.model: give a preset, or a parameter count or shape, not both")
    if options.get("model"):
        return preset(options["model"])
    if not shape_given:
        if options.get("params") is None:
            raise PlanError(f"{part}.params: required (or model: a preset, or the shape keys)")
        return None
    if options.get("params") is not None:
        raise PlanError(f"{part}.params: give the shape or params, not both")
    return architecture_from_mapping(shape)


def _estimator_inputs(plan: Plan, part: str, kind, keys: dict):
    options = {}
    for key, value in plan.estimator_inputs(part).items():
        name = key.replace("-", "_")
        if name not in keys and name not in MODEL_KEYS and name != "gpu":
            known = ", ".join(["model", "params", "active_params", "gpu", *keys])
            raise PlanError(f"{part}.{key}: not an estimator input (known: {known}, the shape keys, start_month)")
        options[name] = value
    if not isinstance(options.get("gpu"), str):
        raise PlanError(f"{part}.gpu: required, a catalog GPU name such as 'H100 SXM'")
    try:
        architecture = _architecture(part, options)
        values = {keys[key]: value for key, value in options.items() if key in keys and value is not None}
        values.update({key: str(values[key]).lower() for key in LOWERCASE if key in values})
        if architecture is None:
            values.update(params=options["params"], active_params=options.get("active_params"))
        return kind(gpu=resolve_gpu(options["gpu"]), architecture=architecture, **values)
    except GpuLookupError as exc:
        raise PlanError(f"{part}.gpu: {exc.args[0]}") from None
    except (EstimateInputError, ArchitectureError) as exc:
        raise PlanError(f"{part}.{exc.args[0]}") from None


def training_inputs(plan: Plan) -> TrainingInputs:
    return _estimator_inputs(plan, "training", TrainingInputs, TRAINING_KEYS)


def serving_inputs(plan: Plan) -> ServingInputs:
    return _estimator_inputs(plan, "serving", ServingInputs, SERVING_KEYS)


def inputs_as_dict(inputs) -> dict:
    """The estimator inputs as plain data: the preset's name under architecture, its shape under architecture_shape."""
    return {**inputs.as_dict(), "architecture_shape": inputs.architecture.as_dict() if inputs.architecture else None}


def training_estimate(plan: Plan) -> dict:
    result = estimate_training(training_inputs(plan))
    if result["cost_usd"] is None:
        raise PlanError(f"training.price_per_hour: the catalog has no price for the {result['gpu']}; give one")
    return result


def serving_estimate(plan: Plan, **changes) -> dict:
    inputs = serving_inputs(plan)
    if changes:
        inputs = dataclasses.replace(inputs, **changes)
    result = estimate_serving(inputs)
    if result["monthly_cost_usd"] is None:
        raise PlanError(f"serving.price_per_hour: the catalog has no price for the {result['gpu']}; give one")
    return result


def derived_compute(plan: Plan, base: Compute, training: dict, serving: dict) -> Compute:
    """The scenario's compute with training and serving taken from the estimates (the plan's start months)."""
    outputs = {
        "training_cost_usd": training["cost_usd"],
        "training_wall_days": training["wall_days"],
        "serving_monthly_cost_usd": serving["monthly_cost_usd"],
    }
    compute = compute_from_estimate(outputs, name=f"plan: {plan.name}", start_month=plan.start_month("training") or 0)
    return compute.model_copy(update={"monthly": base.monthly, "serving_start_month": plan.start_month("serving")})


def funding_scenario(plan: Plan, training: dict, serving: dict) -> Scenario:
    """The plan's funding scenario, validated, with its compute costs derived from the two estimates."""
    try:
        scenario = parse_scenario({"name": plan.name, **plan.funding})
        compute = derived_compute(plan, scenario.costs.compute, training, serving)
    except ScenarioError as exc:
        raise PlanError(f"funding.{exc}") from None
    return scenario.model_copy(update={"costs": scenario.costs.model_copy(update={"compute": compute})})


def funding_analysis(scenario: Scenario, risk_paths: int, seed: int) -> dict:
    """core.funding's analysis: runway, lowest cash, cushion before each raise, cap tables, exits, Monte Carlo."""
    return analyze(scenario, risk_paths=risk_paths, seed=seed)


def money_through(scenario: Scenario, months: int) -> dict:
    """Money in and out over months 0 .. months-1 of the plan (no overrun): where the cash comes from and what it
    pays for. The balance left is the starting cash plus everything in minus everything out."""
    months = max(1, min(months, MAX_HORIZON_MONTHS))
    growth = np.array([scenario.revenue.monthly_growth + scenario.brand.growth_uplift])
    flows = project(scenario, months, growth, np.ones(1))
    compute = scenario.costs.compute
    index = np.arange(months)
    training = np.zeros(months)
    if compute.training_cost_usd > 0:
        start = compute.training_start_month
        running = (index >= start) & (index < start + compute.training_months)
        training = running * compute.training_cost_usd / compute.training_months
    serving = (index >= compute.serving_from) * compute.serving_monthly_usd if compute.serving_monthly_usd else 0
    total = {
        "cash": scenario.cash,
        "funding": float(flows["funding"].sum()),
        "revenue": float(flows["revenue"].sum()),
        "credits": float(flows["credits_used"].sum()),
        "training": float(np.sum(training)),
        "serving": float(np.sum(serving)),
        "other_compute": float(compute.monthly * months),
        "team": float(flows["team"].sum()),
        "other": float(flows["other"].sum() + flows["cost_of_revenue"].sum()),
    }
    total["available"] = total["cash"] + total["funding"] + total["revenue"] + total["credits"]
    total["needed"] = total["training"] + total["serving"] + total["other_compute"] + total["team"] + total["other"]
    total["months"] = months
    return total


def net_burn(scenario: Scenario, start: int, months: int) -> float:
    """Average monthly costs minus revenue over `months` months from `start` (no raises)."""
    growth = np.array([scenario.revenue.monthly_growth + scenario.brand.growth_uplift])
    flows = project(scenario, start + months, growth, np.ones(1))
    window = slice(start, start + months)
    return float(np.mean(flows["costs"][0, window] - flows["revenue"][0, window]))


def founders_after(scenario: Scenario, index: int | None) -> float:
    """Founders' fully diluted share after the round at `index` (and the events before it); None: after all."""
    if index is not None:
        month = scenario.rounds[index].month
        kept = [
            event
            for number, event in enumerate(scenario.rounds)
            if event.month < month or (event.month == month and number <= index)
        ]
        scenario = scenario.model_copy(update={"rounds": kept})
    return founder_ownership(scenario)[1]


def with_round(scenario: Scenario, index: int, **changes) -> Scenario:
    rounds = list(scenario.rounds)
    rounds[index] = rounds[index].model_copy(update=changes)
    return scenario.model_copy(update={"rounds": rounds})


def application(name: str) -> dict:
    from core.applications.catalog import feasibility, get_scenario

    found = get_scenario(name)
    if found is None:
        raise PlanError(f"application: no catalog application called {name!r}")
    return {**found, "feasibility": feasibility(found)}


def reference_runs() -> tuple[dict | None, dict | None]:
    """The latest successful reference run (evidence) and the one the live demo serves (its model file exists)."""
    from core.lab.runs import latest_successful_run

    return latest_successful_run(), latest_successful_run(with_model=True)


TRAFFIC_MULTIPLES = (0.25, 0.5, 1, 2, 4, 8)


def serving_by_traffic(plan: Plan) -> list[dict]:
    """The monthly serving bill (with its band) at fractions and multiples of the plan's requests per day."""
    base = serving_inputs(plan)
    rows = []
    for multiple in TRAFFIC_MULTIPLES:
        result = estimate_serving(dataclasses.replace(base, requests_per_day=base.requests_per_day * multiple))
        rows.append(
            {
                "requests_per_day": base.requests_per_day * multiple,
                "multiple": multiple,
                "monthly_cost_usd": result["monthly_cost_usd"],
                "monthly_cost_usd_low": result["monthly_cost_usd_low"],
                "monthly_cost_usd_high": result["monthly_cost_usd_high"],
                "gpus_needed": result["gpus_needed"],
            }
        )
    return rows


def training_by_gpu(plan: Plan) -> list[dict]:
    """The same training run on every priced catalog GPU at its default MFU, cheapest first."""
    from core.compute.estimate import cost_by_gpu
    from core.compute.gpus import catalog_specs

    return cost_by_gpu(training_inputs(plan), catalog_specs())
