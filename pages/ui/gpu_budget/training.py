"""GPU Budget, Training tab: 6·N·D FLOPs at a learned MFU, its cost, energy, memory and the charts around it."""

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compute.estimate import (
    PRECISIONS,
    EstimateInputError,
    TrainingInputs,
    cost_by_gpu,
    estimate_training,
    gpus_vs_days,
    mfu_sweep,
    params_from_architecture,
)

MEMORY_COLOURS = ["#636efa", "#ef553b", "#00cc96", "#ab63fa"]


class TrainingTab(NamedTuple):
    params: float
    active_b: float
    inputs: TrainingInputs | None
    result: dict | None


def show(catalog: list, gpu_names: list[str]) -> TrainingTab:
    training, training_inputs = None, None
    cols = st.columns(4)
    size_from = cols[0].radio("Model size from", ["Parameter count", "Architecture"], key="budget_size_from")
    if size_from == "Architecture":
        arch = st.columns(4)
        layers = arch[0].number_input("Layers", min_value=1, step=1, key="budget_layers")
        hidden = arch[1].number_input("Width (hidden size)", min_value=64, step=64, key="budget_hidden")
        vocab = arch[2].number_input("Vocabulary", min_value=1, step=1000, key="budget_vocab")
        context = arch[3].number_input("Context length", min_value=1, step=512, key="budget_context")
        params = params_from_architecture(int(layers), int(hidden), int(vocab), int(context))
        cols[1].metric("Parameters N", f"{params / 1e9:,.2f} B", help="12·L·h² + 13·L·h + (V + s)·h")
    else:
        layers = hidden = None
        params = cols[1].number_input("Parameters (billions)", step=1.0, format="%.3f", key="budget_params_b") * 1e9
        context = cols[2].number_input("Context length", min_value=1, step=512, key="budget_context")
    active_b = cols[3].number_input(
        "Active parameters (billions, MoE; 0 = dense)", min_value=0.0, step=1.0, format="%.3f", key="budget_active_b"
    )
    cols = st.columns(4)
    tokens_b = cols[0].number_input(
        "Training tokens (billions; 0 = 20 per parameter)", min_value=0.0, step=100.0, key="budget_tokens_b",
        help="Hoffmann et al. 2022: about 20 tokens per parameter is compute-optimal",
    )  # fmt: skip
    cols[0].caption(f"Compute-optimal: {20 * params / 1e9:,.0f} B tokens")
    gpu_name = cols[1].selectbox("GPU", gpu_names, key="budget_gpu")
    gpu_count = cols[2].number_input("GPU count (0 = suggest)", min_value=0, step=8, key="budget_gpus")
    precision = cols[3].selectbox("Precision", PRECISIONS, key="budget_precision")
    cols = st.columns(4)
    mfu_pct = cols[0].number_input(
        "MFU % (empty = default for this GPU)", min_value=0.0, max_value=100.0, step=1.0, key="budget_mfu_pct"
    )
    price = cols[1].number_input("Price per GPU-hour $ (empty = catalog)", min_value=0.0, step=0.1, key="budget_price")
    pue = cols[2].number_input("PUE", min_value=1.0, step=0.05, key="budget_pue")
    carbon = cols[3].number_input("Grid kg CO₂ per kWh", min_value=0.0, step=0.01, key="budget_carbon")

    try:
        gpu = next(spec for spec in catalog if spec.name == gpu_name)
        training_inputs = TrainingInputs(
            params=params, gpu=gpu, active_params=active_b * 1e9 or None, tokens=tokens_b * 1e9 or None,
            gpus=int(gpu_count) or None, precision=precision, mfu=mfu_pct / 100 if mfu_pct else None,
            price_per_hour=price, pue=pue, carbon_kg_per_kwh=carbon, context=int(context),
            layers=int(layers) if layers else None, hidden=int(hidden) if hidden else None,
        )  # fmt: skip
        training = estimate_training(training_inputs)
    except (EstimateInputError, StopIteration) as exc:
        st.error(f"No estimate: {exc or 'gpu: pick an entry of the hardware catalog'}")

    if training:
        t = training
        money = (lambda v: f"${v:,.0f}") if t["cost_usd"] is not None else (lambda v: "no price")
        st.markdown(
            f"**{t['training_flops']:.3g} FLOPs** · {t['tokens'] / 1e9:,.0f} B tokens "
            f"({t['tokens_per_param']:.0f} per parameter) · {t['gpu']} at {t['peak_tflops']:,.0f} TFLOP/s "
            f"({t['precision']}) · MFU **{t['mfu']:.1%}** ({t['mfu_low']:.1%}–{t['mfu_high']:.1%}; {t['mfu_source']})"
        )
        cols = st.columns(6)
        cols[0].metric(
            "GPU-hours", f"{t['gpu_hours']:,.0f}", help=f"{t['gpu_hours_low']:,.0f}–{t['gpu_hours_high']:,.0f}"
        )
        cols[1].metric(
            f"Days on {t['gpus']:,} GPUs", f"{t['wall_days']:,.1f}", help=f"{t['gpus_source']}; band "
            f"{t['wall_days_low']:,.1f}–{t['wall_days_high']:,.1f}",
        )  # fmt: skip
        cols[2].metric(
            "Cost", money(t["cost_usd"] or 0), help=f"at ${t['price_per_hour_usd'] or 0:.2f}/GPU-hour "
            f"({t['price_source']})",
        )  # fmt: skip
        cols[3].metric("Energy", f"{t['energy_kwh']:,.0f} kWh" if t["energy_kwh"] is not None else "no TDP")
        cols[4].metric("CO₂", f"{t['co2_kg'] / 1000:,.1f} t" if t["co2_kg"] is not None else "no TDP")
        cols[5].metric("Memory to train", f"{t['train_memory_gb']:,.0f} GB", help=f"at least {t['min_gpus']} GPUs")
        band_rows = [
            ("GPU-hours", "gpu_hours", 1), ("Wall-clock days", "wall_days", 1), ("Cost (USD)", "cost_usd", 1),
            ("Energy (kWh)", "energy_kwh", 1), ("CO₂ (tonnes)", "co2_kg", 1e-3),
            ("Memory to train (GB)", "train_memory_gb", 1), ("Minimum GPUs to hold it", "min_gpus", 1),
        ]  # fmt: skip
        band_table = pd.DataFrame(
            [
                {
                    "figure": label,
                    "low": None if t[f"{key}_low"] is None else t[f"{key}_low"] * scale,
                    "estimate": None if t[key] is None else t[key] * scale,
                    "high": None if t[f"{key}_high"] is None else t[f"{key}_high"] * scale,
                }
                for label, key, scale in band_rows
            ]
        )
        st.dataframe(
            band_table,
            hide_index=True,
            column_config={c: st.column_config.NumberColumn(format="%,.1f") for c in ("low", "estimate", "high")},
        )
        st.caption(
            "Low and high come from the MFU band; memory's band is full activation recomputation (low) versus "
            "none and no FlashAttention (high). Energy is GPU-hours × TDP × PUE."
        )

        cols = st.columns(2)
        by_gpu = pd.DataFrame(cost_by_gpu(training_inputs, catalog))
        if not by_gpu.empty:
            figure = go.Figure(
                go.Bar(
                    x=by_gpu["gpu"],
                    y=by_gpu["cost_usd"],
                    customdata=by_gpu[["mfu", "gpu_hours"]],
                    hovertemplate="%{x}: $%{y:,.0f} at MFU %{customdata[0]:.1%}, %{customdata[1]:,.0f} GPU-hours",
                    error_y={
                        "type": "data",
                        "array": by_gpu["cost_usd_high"] - by_gpu["cost_usd"],
                        "arrayminus": by_gpu["cost_usd"] - by_gpu["cost_usd_low"],
                    },
                    name="cost",
                )
            )
            figure.update_layout(
                title="Cost of the same job by GPU type (each at its default MFU)", yaxis_title="training cost (USD)"
            )
            cols[0].plotly_chart(figure, width="stretch")
        sweep = pd.DataFrame(mfu_sweep(training_inputs))
        figure = go.Figure()
        if t["cost_usd"] is not None:
            figure.add_scatter(x=sweep["mfu"], y=sweep["cost_usd"], name="cost (USD)")
        figure.add_scatter(x=sweep["mfu"], y=sweep["wall_days"], name="days", yaxis="y2")
        figure.add_vrect(x0=t["mfu_low"], x1=t["mfu_high"], fillcolor="gray", opacity=0.15, line_width=0)
        figure.add_vline(x=t["mfu"], line_dash="dash")
        figure.update_layout(
            title=f"Cost and days against MFU ({t['gpus']:,} GPUs; shaded: plausible band)",
            xaxis={"title": "MFU", "tickformat": ".0%"}, yaxis={"title": "cost (USD)"},
            yaxis2={"title": "wall-clock days", "overlaying": "y", "side": "right"},
        )  # fmt: skip
        cols[1].plotly_chart(figure, width="stretch")

        cols = st.columns(2)
        scaling = pd.DataFrame(gpus_vs_days(training_inputs))
        figure = go.Figure()
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days_high"], line_width=0, showlegend=False)
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days_low"], fill="tonexty", line_width=0, name="band")
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days"], mode="lines+markers", name="estimate")
        figure.update_layout(
            title="GPUs against wall-clock days (from the minimum that holds the model)",
            xaxis={"title": "GPUs", "type": "log"}, yaxis={"title": "days", "type": "log"},
        )  # fmt: skip
        cols[0].plotly_chart(figure, width="stretch")
        parts = t["memory"]
        memory = pd.DataFrame(
            {
                "part": ["weights", "gradients", "Adam states + FP32 master", "activations (1 sequence)"],
                "GB": [parts["weights_gb"], parts["gradients_gb"], parts["optimizer_gb"], parts["activations_gb"]],
            }
        )
        inferred = ", inferred" if parts["architecture_inferred"] else ""
        figure = go.Figure(go.Bar(x=memory["part"], y=memory["GB"], marker_color=MEMORY_COLOURS))
        figure.update_layout(
            title=f"Memory to train: {t['train_memory_gb']:,.0f} GB = at least {t['min_gpus']} × {t['gpu']} "
            f"({parts['layers']} layers × {parts['hidden']} wide{inferred})",
            yaxis_title="GB",
        )
        figure.add_hline(y=gpu.memory_gb, line_dash="dot", annotation_text=f"one GPU: {gpu.memory_gb:g} GB")
        cols[1].plotly_chart(figure.update_layout(showlegend=False, xaxis_title=""), width="stretch")
    return TrainingTab(params, active_b, training_inputs, training)
