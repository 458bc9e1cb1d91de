"""A home-page card's link opens its page with ?plan=NAME: each page fills its inputs from the plan once per link,
then the founder's own edits on that page stand."""

from __future__ import annotations

import streamlit as st

from pages.ui.plan.state import QUERY_KEY, analysis, load_payload
from pages.ui.plan.text import md


def plan_from_link(page: str) -> tuple[str, dict] | None:
    """(name, analysis) the first time this page is opened with ?plan=NAME; None otherwise or on a bad plan."""
    name = st.query_params.get(QUERY_KEY)
    seen_key = f"{page}_plan_seen"
    if not name or st.session_state.get(seen_key) == name:
        return None
    st.session_state[seen_key] = name
    from core.applications.catalog import ScenarioError as CatalogError
    from core.plan.model import PlanError

    try:
        return name, analysis(load_payload(name))
    except (PlanError, CatalogError) as exc:
        st.error(f"The plan {md(repr(name))} could not be opened here. {md(exc)}")
        return None


def note(name: str, what: str) -> None:
    st.info(f"Preloaded from the plan **{md(name)}**: {what}", icon=":material/link:")


def funding_draft(result: dict) -> dict:
    """The plan's funding scenario with its training and serving costs as derived from the estimates."""
    return result["scenario"]


def gpu_budget_state(result: dict) -> dict:
    """GPU Budget session-state values for the plan's training and serving inputs (the page serves the model it
    trains, so the training model is the one shown)."""
    from core.compute.architectures import presets

    training, serving = result["training_inputs"], result["serving_inputs"]
    shape = training.get("architecture_shape") or {}
    values = {
        "budget_gpu": training["gpu"],
        "budget_tokens_b": (training.get("tokens") or 0) / 1e9,
        "budget_gpus": training.get("gpus") or 0,
        "budget_precision": training["precision"],
        "budget_mode": training["mode"],
        "budget_pricing": training["pricing"],
        "budget_mfu_pct": 100 * training["mfu"] if training.get("mfu") else None,
        "budget_price": training.get("price_per_hour"),
        "budget_pue": training["pue"],
        "budget_carbon": training["carbon_kg_per_kwh"],
        "budget_context": training.get("context") or 0,
        "budget_zero": training["zero_stage"] if training.get("zero_stage") is not None else "auto",
        "budget_tp": training.get("tensor_parallel") or "auto",
        "budget_pp": training.get("pipeline_parallel") or 0,
        "budget_global_batch_m": (training.get("global_batch_tokens") or 0) / 1e6,
        "budget_target_days": training["target_days"],
        "budget_ablation": training["ablation_multiple"],
        **{f"budget_{knob}_pct": 100 * training[knob] for knob in ("checkpoint_overhead", "failure_overhead",
                                                                  "eval_overhead")},
        "serve_gpu": serving["gpu"],
        "serve_context": serving["context"],
        "serve_batch": serving["batch"],
        "serve_weight_precision": serving.get("weight_precision") or "auto",
        "serve_kv_precision": serving.get("kv_precision") or "auto",
        "serve_gpus": serving.get("gpus_per_replica") or 0,
        "serve_requests": int(serving["requests_per_day"]),
        "serve_prompt": serving["prompt_tokens"],
        "serve_output": serving["output_tokens"],
        "serve_price": serving.get("price_per_hour"),
        "serve_pricing": serving["pricing"],
        "serve_peak": serving["peak_to_average"],
    }  # fmt: skip
    if training.get("architecture") in presets():
        values.update(budget_size_from="Preset", budget_preset=training["architecture"])
    elif shape:
        values["budget_size_from"] = "Custom shape"
        for key in ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "experts", "active_experts"):
            values[f"budget_{key}"] = shape.get(key) or 0
    else:
        values.update(
            budget_size_from="Parameter count",
            budget_params_b=training["params"] / 1e9,
            budget_active_b=(training.get("active_params") or 0) / 1e9,
        )
    return values
