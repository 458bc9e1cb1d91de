"""GPU Budget, Training tab: FLOPs from the model's shape at a fitted MFU, a parallel layout that fits, its cost,
energy and wall-clock time with their bands, and the charts around them."""

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compute.estimate import (
    DEFAULT_OVERHEADS,
    MODES,
    PRECISIONS,
    RECOMPUTE_CHOICES,
    EstimateInputError,
    TrainingInputs,
    cost_by_gpu,
    estimate_training,
    gpus_vs_days,
    mfu_sweep,
)
from core.compute.gpus import PRICE_TIERS
from core.compute.parallelism import usable_gb
from core.formatting import compact, duration, gigabytes, money, money_range
from pages.ui.common import escape_markdown, inert_html
from pages.ui.gpu_budget import layout as layout_charts
from pages.ui.gpu_budget import model as model_picker

PRICING_LABELS = {"on_demand": "On-demand", "reserved": "Reserved (1-year)", "spot": "Spot"}
KNOB_LABELS = {"checkpoint_overhead": "Checkpointing %", "failure_overhead": "Failures and restarts %",
               "eval_overhead": "Evaluation %"}  # fmt: skip


class TrainingTab(NamedTuple):
    model: model_picker.Model | None
    inputs: TrainingInputs | None
    result: dict | None

    @property
    def params(self) -> float:
        return self.model.params if self.model else 0.0


def _auto(value):
    return None if value in ("auto", 0, 0.0, None) else value


def _inputs(model: model_picker.Model, catalog: list, gpu_names: list[str]) -> TrainingInputs | None:
    cols = st.columns(4)
    tokens_b = cols[0].number_input(
        "Training tokens (billions; 0 = default)", min_value=0.0, step=100.0, key="budget_tokens_b",
        help="Default: 20 per parameter (Hoffmann et al. 2022, compute-optimal); 100 M to fine-tune",
    )  # fmt: skip
    cols[0].caption(f"Compute-optimal: {compact(20 * model.params)} tokens")
    gpu_name = cols[1].selectbox("GPU", gpu_names, key="budget_gpu")
    gpu_count = cols[2].number_input("GPU count (0 = suggest)", min_value=0, step=8, key="budget_gpus")
    mode = cols[3].selectbox("Mode", MODES, key="budget_mode", help="full training, or LoRA / QLoRA fine-tuning")
    cols = st.columns(4)
    precision = cols[0].selectbox("Precision", PRECISIONS, key="budget_precision")
    pricing = cols[1].selectbox("Pricing", PRICE_TIERS, key="budget_pricing", format_func=PRICING_LABELS.get)
    mfu_pct = cols[2].number_input(
        "MFU % (empty = fitted default)", min_value=0.0, max_value=100.0, step=1.0, key="budget_mfu_pct"
    )
    price = cols[3].number_input("Price per GPU-hour $ (empty = catalog)", min_value=0.0, step=0.1, key="budget_price")
    with st.expander("Parallelism, overheads and energy"):
        cols = st.columns(5)
        zero = cols[0].selectbox("ZeRO stage", ["auto", 0, 1, 2, 3], key="budget_zero")
        tensor = cols[1].selectbox("Tensor parallel", ["auto", 1, 2, 4, 8], key="budget_tp")
        pipeline = cols[2].number_input("Pipeline stages (0 = auto)", min_value=0, step=1, key="budget_pp")
        recompute = cols[3].selectbox("Activation recomputation", RECOMPUTE_CHOICES, key="budget_recompute")
        context = cols[4].number_input("Context (0 = model's)", min_value=0, step=512, key="budget_context")
        cols = st.columns(5)
        batch_m = cols[0].number_input(
            "Global batch, M tokens (0 = by size)", min_value=0.0, step=0.5, key="budget_global_batch_m"
        )
        knobs = {
            knob: cols[1 + index].number_input(
                KNOB_LABELS[knob], min_value=0.0, max_value=100.0, step=1.0, key=f"budget_{knob}_pct",
                help=f"default {DEFAULT_OVERHEADS[knob]:.0%}: the share the published runs already carry",
            ) / 100
            for index, knob in enumerate(DEFAULT_OVERHEADS)
        }  # fmt: skip
        ablation = cols[4].number_input(
            "Experiments before the run (× it)", min_value=0.0, step=0.1, key="budget_ablation",
            help="Epoch AI (Cottier et al. 2024): development compute is about 1.2–4× the final run",
        )  # fmt: skip
        cols = st.columns(3)
        target_days = cols[0].number_input("Target days (suggested count)", min_value=1.0, key="budget_target_days")
        pue = cols[1].number_input("PUE", min_value=1.0, step=0.05, key="budget_pue")
        carbon = cols[2].number_input("Grid kg CO₂ per kWh", min_value=0.0, step=0.01, key="budget_carbon")
    gpu = next((spec for spec in catalog if spec.name == gpu_name), None)
    try:
        return TrainingInputs(
            params=None if model.architecture else model.params, architecture=model.architecture,
            active_params=None if model.architecture else model.active_params, gpu=gpu,
            tokens=tokens_b * 1e9 or None, gpus=int(gpu_count) or None, precision=precision, mode=mode,
            pricing=pricing, mfu=mfu_pct / 100 if mfu_pct else None, price_per_hour=price,
            zero_stage=_auto(zero), tensor_parallel=_auto(tensor), pipeline_parallel=_auto(int(pipeline)),
            recompute=recompute, context=int(context) or None,
            global_batch_tokens=batch_m * 1e6 or None, ablation_multiple=ablation, target_days=target_days,
            pue=pue, carbon_kg_per_kwh=carbon, **knobs,
        )  # fmt: skip
    except EstimateInputError as exc:
        st.error(f"No estimate: {escape_markdown(exc)}")
        return None


def _headline(t: dict) -> None:
    layout = t["layout"]
    st.markdown(
        f"**{t['training_flops']:.3g} FLOPs** ({t['attention_flops_share']:.0%} attention at {t['context']:,} "
        f"tokens) · {compact(t['tokens'])} tokens · {escape_markdown(t['gpu'])} at {t['peak_tflops']:,.0f} TFLOP/s "
        f"({t['precision']}) · MFU **{t['mfu']:.1%}** ({t['mfu_low']:.1%}–{t['mfu_high']:.1%})"
    )
    st.caption(f"MFU: {escape_markdown(t['mfu_source'])}. Price: {escape_markdown(t['price_source'])}.")
    cols = st.columns(4) + st.columns(3)  # seven metrics in one row cut their values at 1400 px
    cols[0].metric("GPU-hours", compact(t["gpu_hours"]),
                   help=f"{compact(t['gpu_hours_low'])}–{compact(t['gpu_hours_high'])}")  # fmt: skip
    cols[1].metric(
        f"Wall-clock on {compact(t['gpus'])} GPUs", duration(t["wall_hours"]),
        help=f"{t['gpus_source']}; band {duration(t['wall_hours_low'])}–{duration(t['wall_hours_high'])}",
    )  # fmt: skip
    cols[2].metric("Cost", money(t["cost_usd"]), help=f"band {money_range(t['cost_usd_low'], t['cost_usd_high'])}; "
                   f"${t['price_per_hour_usd'] or 0:.2f}/GPU-hour {t['pricing'].replace('_', '-')}")  # fmt: skip
    cols[3].metric(
        "With experiments", money(t["project_cost_usd"]),
        help=f"the final run plus {t['ablation_multiple']:g}× it in experiments before it",
    )  # fmt: skip
    cols[4].metric("Energy", f"{compact(t['energy_kwh'])} kWh" if t["energy_kwh"] is not None else "no TDP")
    cols[5].metric("CO₂", f"{compact(t['co2_kg'] / 1000)} t" if t["co2_kg"] is not None else "no TDP")
    cols[6].metric(
        "Memory per GPU", gigabytes(layout["memory_per_gpu_gb"]),
        help=f"at least {t['min_gpus']} GPUs hold it; unsharded it needs {gigabytes(t['train_memory_gb'])}",
    )  # fmt: skip
    if t["idle_gpus"]:
        st.warning(
            f"{compact(t['idle_gpus'])} of the {compact(t['gpus'])} GPUs have nothing to do: the global batch of "
            f"{compact(t['global_batch_tokens'])} tokens keeps data parallelism small. Wall-clock time has a floor."
        )


def _band_table(t: dict) -> None:
    rows = [("GPU-hours", "gpu_hours", compact), ("Wall-clock", "wall_hours", duration), ("Cost", "cost_usd", money),
            ("Cost with experiments", "project_cost_usd", money), ("Energy (kWh)", "energy_kwh", compact),
            ("CO₂ (kg)", "co2_kg", compact), ("Memory unsharded (GB)", "train_memory_gb", compact),
            ("Fewest GPUs that hold it", "min_gpus", compact)]  # fmt: skip
    table = pd.DataFrame(
        [{"figure": label, "low": show(t.get(f"{key}_low")), "estimate": show(t.get(key)),
          "high": show(t.get(f"{key}_high"))} for label, key, show in rows]
    )  # fmt: skip
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        "Low and high come from the MFU band (the spread of published runs the fit did not see); memory's band is "
        "full activation recomputation (low) against none (high). Energy is GPU-hours × TDP × PUE."
    )


def _charts(t: dict, inputs: TrainingInputs, catalog: list) -> None:
    layout = t["layout"]
    cols = st.columns(3)
    cols[0].plotly_chart(layout_charts.layout_figure(layout, t["gpus"], inert_html(t["gpu"])), width="stretch")
    cols[1].plotly_chart(
        layout_charts.memory_figure(layout, usable_gb(inputs.gpu), inputs.gpu.memory_gb), width="stretch"
    )
    cols[2].plotly_chart(layout_charts.step_figure(layout), width="stretch")
    cols = st.columns(3)
    by_gpu = pd.DataFrame(cost_by_gpu(inputs, catalog))
    if not by_gpu.empty:
        figure = go.Figure(
            go.Bar(
                x=by_gpu["gpu"].map(inert_html), y=by_gpu["cost_usd"], customdata=by_gpu[["mfu", "gpu_hours"]],
                hovertemplate="%{x}: $%{y:,.0f} at MFU %{customdata[0]:.1%}, %{customdata[1]:,.0f} GPU-hours",
                error_y={"type": "data", "array": by_gpu["cost_usd_high"] - by_gpu["cost_usd"],
                         "arrayminus": by_gpu["cost_usd"] - by_gpu["cost_usd_low"]},
            )
        )  # fmt: skip
        figure.update_layout(title="The same job by GPU type (each at its default MFU)", yaxis_title="USD")
        cols[0].plotly_chart(figure, width="stretch")
    sweep = pd.DataFrame(mfu_sweep(inputs))
    figure = go.Figure()
    if t["cost_usd"] is not None:
        figure.add_scatter(x=sweep["mfu"], y=sweep["cost_usd"], name="cost (USD)")
    figure.add_scatter(x=sweep["mfu"], y=sweep["wall_days"], name="days", yaxis="y2")
    figure.add_vrect(x0=t["mfu_low"], x1=t["mfu_high"], fillcolor="gray", opacity=0.15, line_width=0)
    figure.add_vline(x=t["mfu"], line_dash="dash")
    figure.update_layout(
        title="Cost and days against MFU (shaded: the band)", xaxis={"title": "MFU", "tickformat": ".0%"},
        yaxis={"title": "USD"}, yaxis2={"title": "days", "overlaying": "y", "side": "right"},
    )  # fmt: skip
    cols[1].plotly_chart(figure, width="stretch")
    scaling = pd.DataFrame(gpus_vs_days(inputs))
    if not scaling.empty:
        figure = go.Figure()
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days_high"], line_width=0, showlegend=False)
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days_low"], fill="tonexty", line_width=0, name="band")
        figure.add_scatter(x=scaling["gpus"], y=scaling["wall_days"], mode="lines+markers", name="estimate")
        figure.update_layout(
            title="GPUs against wall-clock days (flat where the batch runs out)",
            xaxis={"title": "GPUs", "type": "log"}, yaxis={"title": "days", "type": "log"},
        )  # fmt: skip
        cols[2].plotly_chart(figure, width="stretch")


def show(catalog: list, gpu_names: list[str]) -> TrainingTab:
    model = model_picker.pick()
    if model is None:
        return TrainingTab(None, None, None)
    inputs = _inputs(model, catalog, gpu_names)
    result = None
    if inputs is not None:
        try:
            result = estimate_training(inputs)
        except EstimateInputError as exc:
            st.error(f"No estimate: {escape_markdown(exc)}")
    if result:
        _headline(result)
        _band_table(result)
        _charts(result, inputs, catalog)
    return TrainingTab(model, inputs, result)
