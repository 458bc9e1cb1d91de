"""GPU Budget: which model — a preset with its real shape, a bare parameter count, or a custom shape."""

from typing import NamedTuple

import streamlit as st

from core.compute.architectures import Architecture, ArchitectureError, presets
from core.formatting import compact
from pages.ui.common import escape_markdown

SIZE_SOURCES = ["Preset", "Parameter count", "Custom shape"]


class Model(NamedTuple):
    params: float
    active_params: float | None
    architecture: Architecture | None
    label: str


def pick() -> Model | None:
    """The model inputs; None (with an error shown) when the shape is invalid."""
    state = st.session_state
    cols = st.columns([1.2, 2, 1])
    source = cols[0].radio("Model", SIZE_SOURCES, key="budget_size_from")
    if source == "Preset":
        names = list(presets())
        if state.get("budget_preset") not in names:
            state["budget_preset"] = names[0]
        name = cols[1].selectbox("Preset", names, key="budget_preset", format_func=lambda key: presets()[key].label)
        arch = presets()[name]
        cols[2].metric(
            "Parameters", compact(arch.params()),
            help=f"{arch.describe()}; {compact(arch.active_params())} active. Source: {arch.source}",
        )  # fmt: skip
        st.caption(f"{arch.describe()} · source: {arch.source}")
        active = arch.active_params() if arch.is_moe else None
        return Model(float(arch.params()), active, arch, arch.label)
    if source == "Parameter count":
        params = cols[1].number_input("Parameters (billions)", step=1.0, format="%.3f", key="budget_params_b") * 1e9
        active_b = cols[2].number_input(
            "Active (billions, MoE; 0 = dense)", min_value=0.0, step=1.0, format="%.3f", key="budget_active_b"
        )
        st.caption("Shape inferred from the count (width ≈ 128 × depth, multi-head attention); pick a preset or "
                   "enter a shape for exact KV-cache and attention figures.")  # fmt: skip
        return Model(params, active_b * 1e9 or None, None, f"{params / 1e9:,.3g}B parameters")
    shape = st.columns(8)
    fields = [("layers", "Layers"), ("hidden", "Hidden"), ("heads", "Heads"), ("kv_heads", "KV heads"),
              ("ffn", "FFN width"), ("vocab", "Vocabulary"), ("experts", "Experts (0 = dense)"),
              ("active_experts", "Active experts")]  # fmt: skip
    values = {}
    for column, (field, label) in zip(shape, fields, strict=True):
        values[field] = int(column.number_input(label, min_value=0, step=1, key=f"budget_{field}"))
    try:
        arch = Architecture(
            layers=values["layers"],
            hidden=values["hidden"],
            heads=values["heads"],
            kv_heads=values["kv_heads"] or None,
            ffn=values["ffn"] or None,
            vocab=values["vocab"],
            experts=values["experts"],
            active_experts=values["active_experts"],
            moe_ffn=values["ffn"] or None,
        )
    except ArchitectureError as exc:
        st.error(f"No estimate: {escape_markdown(exc)}")
        return None
    cols[1].metric(
        "Parameters from the shape", compact(arch.params()),
        help="attention (with GQA) + SwiGLU MLP (3 matrices) + RMSNorms per layer, untied input and output "
        "embeddings; a mixture of experts counts every expert in the total",
    )  # fmt: skip
    if arch.is_moe:
        cols[2].metric("Active", compact(arch.active_params()))
    return Model(float(arch.params()), float(arch.active_params()) if arch.is_moe else None, arch, "Custom shape")
