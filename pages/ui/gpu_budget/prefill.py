"""GPU Budget: the inputs' first values, and the one-time pre-fill from a link's query parameters."""

import math

import streamlit as st

from core.compute.estimate import DEFAULT_CARBON_KG_PER_KWH, DEFAULT_PUE

QUERY_KEYS = ("params", "active_params", "tokens", "scenario")


def set_defaults() -> None:
    state = st.session_state
    state.setdefault("budget_size_from", "Parameter count")
    state.setdefault("budget_params_b", 7.0)
    state.setdefault("budget_active_b", 0.0)
    state.setdefault("budget_tokens_b", 0.0)
    state.setdefault("budget_layers", 32)
    state.setdefault("budget_hidden", 4096)
    state.setdefault("budget_vocab", 32000)
    state.setdefault("budget_context", 4096)
    state.setdefault("budget_gpus", 0)
    state.setdefault("budget_precision", "bf16")
    state.setdefault("budget_mfu_pct", None)
    state.setdefault("budget_price", None)
    state.setdefault("budget_pue", DEFAULT_PUE)
    state.setdefault("budget_carbon", DEFAULT_CARBON_KG_PER_KWH)


def _query_number(key: str) -> float | None:
    raw = st.query_params.get(key)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        st.error(f"{key}: the link gave {raw!r}, which is not a number; it was ignored")
        return None
    if not math.isfinite(value) or value <= 0:
        st.error(f"{key}: the link gave {raw!r}; it must be a positive number and was ignored")
        return None
    return value


def apply_query_params() -> None:
    """A link from another page pre-fills the inputs once; later edits on this page are the user's."""
    state = st.session_state
    query_key = tuple(
        sorted((key, st.query_params.get(key)) for key in ("params", "active_params", "tokens", "scenario"))
    )
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
    scenario = st.query_params.get("scenario")
    if scenario:
        st.info(f"Scenario: **{scenario}**")
