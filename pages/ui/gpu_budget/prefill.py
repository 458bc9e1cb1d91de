"""GPU Budget: the inputs' first values, and the one-time pre-fill from a link's query parameters."""

import math

import streamlit as st

from core.compute.architectures import presets
from core.compute.estimate import DEFAULT_CARBON_KG_PER_KWH, DEFAULT_OVERHEADS, DEFAULT_PUE, ServingInputs
from core.compute.validation import EstimateInputError, number
from pages.ui.common import escape_markdown

QUERY_KEYS = ("params", "active_params", "tokens", "model", "gpu", "scenario")
# The most a link may ask for; the estimator itself refuses larger sizes with the same messages.
QUERY_MAXIMUM = {"params": 1e15, "active_params": 1e15, "tokens": 1e18}
SERVING_DEFAULTS = ServingInputs.__dataclass_fields__


def set_defaults() -> None:
    state = st.session_state
    state.setdefault("budget_size_from", "Parameter count")
    state.setdefault("budget_preset", "llama-3.1-8b")
    state.setdefault("budget_params_b", 7.0)
    state.setdefault("budget_active_b", 0.0)
    state.setdefault("budget_tokens_b", 0.0)
    for key, value in (("layers", 32), ("hidden", 4096), ("heads", 32), ("kv_heads", 8), ("ffn", 14336),
                       ("vocab", 32000), ("experts", 0), ("active_experts", 0)):  # fmt: skip
        state.setdefault(f"budget_{key}", value)
    state.setdefault("budget_context", 0)
    state.setdefault("budget_gpus", 0)
    state.setdefault("budget_precision", "bf16")
    state.setdefault("budget_mode", "full")
    state.setdefault("budget_pricing", "on_demand")
    state.setdefault("budget_mfu_pct", None)
    state.setdefault("budget_price", None)
    state.setdefault("budget_pue", DEFAULT_PUE)
    state.setdefault("budget_carbon", DEFAULT_CARBON_KG_PER_KWH)
    state.setdefault("budget_zero", "auto")
    state.setdefault("budget_tp", "auto")
    state.setdefault("budget_pp", 0)
    state.setdefault("budget_recompute", "selective")
    state.setdefault("budget_global_batch_m", 0.0)
    state.setdefault("budget_target_days", 90.0)
    for knob, value in DEFAULT_OVERHEADS.items():
        state.setdefault(f"budget_{knob}_pct", value * 100)
    state.setdefault("budget_ablation", 1.2)
    # the serving defaults are ServingInputs' own, so the page shows what the Applications catalog computes
    state.setdefault("serve_context", SERVING_DEFAULTS["context"].default)
    state.setdefault("serve_batch", SERVING_DEFAULTS["batch"].default)
    state.setdefault("serve_weight_precision", "auto")
    state.setdefault("serve_kv_precision", "auto")
    state.setdefault("serve_gpus", 0)
    state.setdefault("serve_requests", SERVING_DEFAULTS["requests_per_day"].default)
    state.setdefault("serve_prompt", SERVING_DEFAULTS["prompt_tokens"].default)
    state.setdefault("serve_output", SERVING_DEFAULTS["output_tokens"].default)
    state.setdefault("serve_price", None)
    state.setdefault("serve_pricing", "on_demand")
    state.setdefault("serve_peak", SERVING_DEFAULTS["peak_to_average"].default)


def _query_number(key: str) -> float | None:
    raw = st.query_params.get(key)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        st.error(f"{key}: the link gave {escape_markdown(repr(raw))}, which is not a number; it was ignored")
        return None
    if not math.isfinite(value) or value <= 0:
        st.error(f"{key}: the link gave {escape_markdown(repr(raw))}; it must be a positive number and was ignored")
        return None
    try:
        return number(key, value, maximum=QUERY_MAXIMUM[key])
    except EstimateInputError as exc:
        st.error(f"{escape_markdown(exc)}; the link's value was ignored")
        return None


def apply_query_params(gpu_names: list[str]) -> None:
    """A link from another page pre-fills the inputs once; later edits on this page are the user's."""
    state = st.session_state
    query_key = tuple(sorted((key, st.query_params.get(key)) for key in QUERY_KEYS))
    if state.get("budget_query_seen") != query_key:
        state["budget_query_seen"] = query_key
        params_q, active_q, tokens_q = _query_number("params"), _query_number("active_params"), _query_number("tokens")
        if params_q:
            state["budget_size_from"] = "Parameter count"
            state["budget_params_b"] = params_q / 1e9
            state["budget_active_b"] = 0.0
            state["budget_tokens_b"] = 0.0
        if active_q:
            state["budget_active_b"] = active_q / 1e9
        if tokens_q:
            state["budget_tokens_b"] = tokens_q / 1e9
        model = st.query_params.get("model")
        if model:
            if model in presets():
                state["budget_size_from"] = "Preset"
                state["budget_preset"] = model
            else:
                st.error(f"model: the link named {escape_markdown(repr(model))}, which is not a preset; it was ignored")
        gpu = st.query_params.get("gpu")
        if gpu:
            if gpu in gpu_names:
                state["budget_gpu"] = state["serve_gpu"] = gpu
            else:
                st.error(
                    f"gpu: the link named {escape_markdown(repr(gpu))}, which is not in the hardware catalog; "
                    "pick a GPU"
                )
    scenario = st.query_params.get("scenario")
    if scenario:
        st.info("Scenario: " + escape_markdown(scenario))
