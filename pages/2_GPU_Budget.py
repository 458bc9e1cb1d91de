"""GPU Budget: what training and serving a model will cost, with an honest range, grounded by measured runs."""

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compute.estimate import (
    DEFAULT_CARBON_KG_PER_KWH,
    DEFAULT_PUE,
    PRECISIONS,
    SERVING_PRECISIONS,
    EstimateInputError,
    ServingInputs,
    TrainingInputs,
    cost_by_gpu,
    estimate_serving,
    estimate_training,
    gpus_vs_days,
    mfu_sweep,
    params_from_architecture,
)
from core.compute.gpus import (
    CatalogError,
    add_hardware,
    delete_hardware,
    list_hardware,
    restore_seeded,
    spec_from_mapping,
    update_hardware,
)
from core.compute.mfu import GENERATION_LABELS, effective_mfu, mfu_rules, published_runs
from pages.common import PAGES_DIR, setup_page

MEMORY_COLOURS = ["#636efa", "#ef553b", "#00cc96", "#ab63fa"]

setup_page("GPU Budget", icon="💸")
st.title("GPU Budget")
st.caption(
    "Training: 6·N·D FLOPs at a model-FLOPs utilisation (MFU) learned from published runs, with a low–high band "
    "from the MFU range those runs span. Serving: weights and KV cache in memory, decode speed bound by memory "
    "bandwidth or compute. Every price and spec is editable in the hardware catalog below."
)

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


# A link from another page pre-fills the inputs once; later edits on this page are the user's.
query_key = tuple(sorted((key, st.query_params.get(key)) for key in ("params", "active_params", "tokens", "scenario")))
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

catalog_rows = list_hardware()
catalog = [spec_from_mapping(row) for row in catalog_rows]
gpu_names = [spec.name for spec in catalog]
if not catalog:
    st.warning("The hardware catalog is empty. Restore the shipped GPUs in the catalog section below.")
for key in ("budget_gpu", "serve_gpu"):
    if gpu_names and state.get(key) not in gpu_names:
        state[key] = "H100 SXM" if "H100 SXM" in gpu_names else gpu_names[0]

tab_train, tab_serve, tab_ground, tab_saved, tab_catalog = st.tabs(
    ["Training", "Serving", "Grounding", "Saved estimates", "Hardware catalog"]
)

training, training_inputs = None, None
with tab_train:
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

serving, serving_inputs = None, None
with tab_serve:
    state.setdefault("serve_layers", 0)
    state.setdefault("serve_hidden", 0)
    state.setdefault("serve_kv_heads", 0)
    state.setdefault("serve_head_dim", 128)
    state.setdefault("serve_context", 4096)
    state.setdefault("serve_batch", 16)
    state.setdefault("serve_weight_precision", "bf16")
    state.setdefault("serve_kv_precision", "bf16")
    state.setdefault("serve_gpus", 0)
    state.setdefault("serve_requests", 10_000)
    state.setdefault("serve_prompt", 500)
    state.setdefault("serve_output", 500)
    state.setdefault("serve_price", None)
    state.setdefault("serve_peak", 2.0)
    st.caption(
        f"Serves the model from the Training tab ({params / 1e9:,.2f} B parameters"
        f"{f', {active_b:,.2f} B active' if active_b else ''}). 0 means: infer from the parameter count."
    )
    cols = st.columns(4)
    serve_layers = cols[0].number_input("Layers (0 = infer)", min_value=0, step=1, key="serve_layers")
    serve_hidden = cols[1].number_input("Width (0 = infer)", min_value=0, step=128, key="serve_hidden")
    kv_heads = cols[2].number_input("KV heads (0 = infer)", min_value=0, step=1, key="serve_kv_heads")
    head_dim = cols[3].number_input("Head dim", min_value=1, step=8, key="serve_head_dim")
    cols = st.columns(4)
    serve_context = cols[0].number_input("Context per request", min_value=1, step=512, key="serve_context")
    batch = cols[1].number_input("Concurrent requests (batch)", min_value=1, step=1, key="serve_batch")
    weight_precision = cols[2].selectbox("Weights", list(SERVING_PRECISIONS), key="serve_weight_precision")
    kv_precision = cols[3].selectbox("KV cache", list(SERVING_PRECISIONS), key="serve_kv_precision")
    cols = st.columns(4)
    serve_gpu_name = cols[0].selectbox("Serving GPU", gpu_names, key="serve_gpu")
    serve_gpus = cols[1].number_input("GPUs per replica (0 = fewest)", min_value=0, step=1, key="serve_gpus")
    requests = cols[2].number_input("Requests per day", min_value=0, step=1000, key="serve_requests")
    peak = cols[3].number_input("Busiest hour ÷ average", min_value=1.0, step=0.5, key="serve_peak")
    cols = st.columns(4)
    prompt = cols[0].number_input("Prompt tokens per request", min_value=0, step=100, key="serve_prompt")
    output = cols[1].number_input("Output tokens per request", min_value=1, step=100, key="serve_output")
    serve_price = cols[2].number_input("Price per GPU-hour $ (empty = catalog)", min_value=0.0, key="serve_price")
    try:
        serve_gpu = next(spec for spec in catalog if spec.name == serve_gpu_name)
        serving_inputs = ServingInputs(
            params=params, gpu=serve_gpu, active_params=active_b * 1e9 or None, layers=int(serve_layers) or None,
            hidden=int(serve_hidden) or None, kv_heads=int(kv_heads) or None, head_dim=int(head_dim),
            context=int(serve_context), batch=int(batch), weight_precision=weight_precision, kv_precision=kv_precision,
            gpus_per_replica=int(serve_gpus) or None, requests_per_day=requests, prompt_tokens=int(prompt),
            output_tokens=int(output), price_per_hour=serve_price, peak_to_average=peak,
        )  # fmt: skip
        serving = estimate_serving(serving_inputs)
    except (EstimateInputError, StopIteration) as exc:
        st.error(f"No serving estimate: {exc or 'gpu: pick an entry of the hardware catalog'}")
    if serving:
        s = serving
        cols = st.columns(6)
        cols[0].metric("Weights", f"{s['weights_gb']:,.0f} GB")
        cols[1].metric("KV cache", f"{s['kv_cache_gb']:,.1f} GB", help=f"{s['kv_cache_mb_per_token']:.3f} MB per token")
        cols[2].metric(
            "GPUs per replica", s["gpus_per_replica"], help=f"fewest that hold it: {s['min_gpus_per_replica']}"
        )
        cols[3].metric(
            "Decode tokens/s per replica", f"{s['decode_tokens_per_s']:,.0f}",
            help=f"bandwidth bound {s['memory_bound_tokens_per_s']:,.0f}; compute bound "
            f"{s['compute_bound_tokens_per_s']:,.0f}; {s['tokens_per_s_per_request']:,.1f} per request",
        )  # fmt: skip
        per_million = s["cost_per_million_output_tokens"]
        cols[4].metric(
            "$ per million output tokens", f"${per_million:,.2f}" if per_million is not None else "no price",
            help=f"band ${s['cost_per_million_output_tokens_low'] or 0:,.2f}–"
            f"${s['cost_per_million_output_tokens_high'] or 0:,.2f}",
        )  # fmt: skip
        monthly = s["monthly_cost_usd"]
        cols[5].metric(
            "Monthly bill", f"${monthly:,.0f}" if monthly is not None else "no price",
            help=f"{s['gpus_needed']} GPUs ({s['replicas']} replicas) always on; band "
            f"${s['monthly_cost_usd_low'] or 0:,.0f}–${s['monthly_cost_usd_high'] or 0:,.0f}",
        )  # fmt: skip
        st.markdown(
            f"Decode is **{s['bound']}-bound** ({s['layers']} layers, width {s['hidden']}, {s['kv_heads']} KV heads). "
            f"{s['tokens_per_month'] / 1e6:,.1f} M output tokens a month need **{s['gpus_needed']} × {s['gpu']}** "
            f"({s['gpus_needed_low']}–{s['gpus_needed_high']})."
        )
        speeds = pd.DataFrame(
            {
                "limit": ["memory bandwidth", "compute", "achieved (the lower)"],
                "tokens/s": [s["memory_bound_tokens_per_s"], s["compute_bound_tokens_per_s"], s["decode_tokens_per_s"]],
            }
        )
        cols = st.columns(2)
        cols[0].plotly_chart(
            go.Figure(go.Bar(x=speeds["limit"], y=speeds["tokens/s"])).update_layout(
                title="Decode tokens/s per replica: the two bounds", yaxis_title="tokens/s"
            ),
            width="stretch",
        )
        cols[1].plotly_chart(
            go.Figure(go.Pie(labels=["weights", "KV cache"], values=[s["weights_gb"], s["kv_cache_gb"]])).update_layout(
                title="Serving memory (GB)"
            ),
            width="stretch",
        )

with tab_ground:
    from core.lab.runs import list_runs

    st.markdown(
        "**What the reference model reached on this machine**, next to **what large published runs reach**. "
        "Either can replace the default MFU on the Training tab."
    )
    measured = [run for run in list_runs() if run["status"] == "succeeded" and run["mfu"]]
    if measured:
        runs_table = pd.DataFrame(measured)[
            ["id", "device", "device_name", "batch_size", "samples_per_second", "mfu", "wall_seconds",
             "price_per_hour", "cost_usd", "finished_at"]
        ]  # fmt: skip
        st.dataframe(
            runs_table,
            hide_index=True,
            column_config={
                "mfu": st.column_config.NumberColumn("MFU", format="percent"),
                "cost_usd": st.column_config.NumberColumn("Cost ($)", format="%.6f"),
            },
        )
        st.caption(
            "The reference model is a small MLP: its matrices are tiny, so its MFU says how well this machine's "
            "software stack feeds the chip, not what a billion-parameter transformer reaches on a GPU cluster."
        )
    else:
        st.info("No measured reference run yet: train one on the Model Lab page to calibrate from it.")

    rows = []
    for run in published_runs():
        rows.append({"model": run.model, "gpu": run.gpu, "params": run.params, "active_params": run.active_params,
                     "tokens": run.tokens, "reported_gpu_hours": run.gpu_hours, "effective_mfu": effective_mfu(run),
                     "hours_basis": run.hours_basis, "source": run.source})  # fmt: skip
    published = pd.DataFrame(rows)
    st.dataframe(
        published,
        hide_index=True,
        column_config={
            "effective_mfu": st.column_config.NumberColumn("effective MFU", format="percent"),
            "params": st.column_config.NumberColumn(format="%.3g"),
            "active_params": st.column_config.NumberColumn(format="%.3g"),
            "tokens": st.column_config.NumberColumn(format="%.3g"),
            "reported_gpu_hours": st.column_config.NumberColumn(format="%,.0f"),
        },
    )
    fits = [
        f"{GENERATION_LABELS[name]}: MFU ≈ {math.exp(rule.intercept):.1%} × (N/10B)^{rule.slope:.3f}, band "
        f"×{rule.low_ratio:.2f}–×{rule.high_ratio:.2f} ({rule.source})"
        for name, rule in mfu_rules().items()
    ]
    st.caption(
        "Effective MFU = 6·N·D ÷ (reported GPU-hours × dense BF16 peak); model-card GPU-hours include restarts and "
        "evaluation, so it sits below what papers quote. Defaults: " + "; ".join(fits) + "."
    )

    choices = {
        f"Published: {run.model} on {run.gpu} ({effective_mfu(run):.1%})": effective_mfu(run)
        for run in published_runs()
    }
    for run in measured:
        choices[f"Measured here: run {run['id']} on {run['device_name']} ({run['mfu']:.1%})"] = run["mfu"]

    def _calibrate() -> None:
        value = choices.get(state.get("ground_choice"))
        if value:
            state["budget_mfu_pct"] = round(value * 100, 2)

    def _reset_mfu() -> None:
        state["budget_mfu_pct"] = None

    cols = st.columns([3, 1, 1])
    cols[0].selectbox("Calibrate the training MFU from", list(choices), key="ground_choice")
    cols[1].button("Use this MFU", on_click=_calibrate, key="ground_use")
    cols[2].button("Back to the default", on_click=_reset_mfu, key="ground_reset")
    if state.get("budget_mfu_pct"):
        st.success(f"The Training tab now uses MFU {state['budget_mfu_pct']:.2f}%.")

with tab_saved:
    from core.compute.store import (
        EstimateStoreError,
        comparison_rows,
        delete_estimate,
        export_csv,
        export_json,
        list_estimates,
        save_estimate,
    )

    with st.form("save_estimate"):
        cols = st.columns([3, 1, 1, 1])
        name = cols[0].text_input("Name", placeholder="e.g. 7B on H100, 2T tokens", key="save_name")
        include_training = cols[1].checkbox("Training", value=True, key="save_training")
        include_serving = cols[2].checkbox("Serving", value=True, key="save_serving")
        overwrite = cols[3].checkbox("Overwrite", value=False, key="save_overwrite")
        if st.form_submit_button("Save estimate", type="primary"):
            try:
                part_training = training if include_training else None
                part_serving = serving if include_serving else None
                saved = save_estimate(
                    name,
                    training_inputs.as_dict() if training_inputs and part_training else None,
                    part_training,
                    serving_inputs.as_dict() if serving_inputs and part_serving else None,
                    part_serving,
                    overwrite=overwrite,
                )
                st.success(f"Saved {saved['name']!r} ({saved['kind']}).")
            except EstimateStoreError as exc:
                st.error(f"Nothing saved. {exc}")

    if state.get("saved_flash"):
        st.success(state.pop("saved_flash"))
    saved_all = list_estimates()
    if not saved_all:
        st.info("No saved estimates yet.")
    else:
        names = [estimate["name"] for estimate in saved_all]
        picked = st.multiselect("Compare", names, default=names, key="saved_pick")
        chosen = [estimate for estimate in saved_all if estimate["name"] in picked]
        if chosen:
            table = pd.DataFrame(comparison_rows(chosen))
            st.dataframe(table.set_index("name").T.astype(str), width="stretch")
            costs = table.melt(
                id_vars="name", value_vars=["training_cost_usd", "serving_monthly_cost_usd"], var_name="figure"
            ).dropna()
            if not costs.empty:
                figure = go.Figure()
                for label, group in costs.groupby("figure"):
                    figure.add_bar(x=group["name"], y=group["value"], name=label)
                st.plotly_chart(figure.update_layout(barmode="group", title="Saved estimates (USD)"), width="stretch")
            cols = st.columns(3)
            cols[0].download_button("Export CSV", export_csv(chosen), "gpu_budget_estimates.csv", "text/csv")
            cols[1].download_button("Export JSON", export_json(chosen), "gpu_budget_estimates.json", "application/json")
        cols = st.columns([3, 1, 1])
        target = cols[0].selectbox("Estimate", names, key="saved_target")
        if cols[1].button("Delete", key="saved_delete"):
            delete_estimate(target)
            state["saved_flash"] = f"Deleted {target!r}."
            st.rerun()
        if (PAGES_DIR / "3_Funding.py").is_file() and cols[2].button("Open in Funding", key="saved_funding"):
            st.switch_page("pages/3_Funding.py", query_params={"estimate": target})

with tab_catalog:
    if state.get("catalog_flash"):
        st.success(state.pop("catalog_flash"))
    st.dataframe(
        pd.DataFrame(catalog_rows).drop(columns=["updated_at"], errors="ignore"), hide_index=True, width="stretch"
    )
    spec_fields = [
        ("bf16_dense_tflops", "Dense BF16/FP16 TFLOP/s"), ("fp32_tflops", "FP32 TFLOP/s"), ("memory_gb", "Memory GB"),
        ("bandwidth_tbs", "Bandwidth TB/s"), ("tdp_w", "TDP W"), ("price_per_hour_usd", "Price $/GPU-hour"),
    ]  # fmt: skip

    def _spec_form(form_key: str, values: dict, submit_label: str) -> dict | None:
        with st.form(form_key):
            cols = st.columns(2)
            entered = {
                "name": cols[0].text_input("Name", values.get("name", ""), key=f"{form_key}_name"),
                "vendor": cols[1].text_input("Vendor", values.get("vendor", ""), key=f"{form_key}_vendor"),
            }
            cols = st.columns(len(spec_fields))
            for column, (field, label) in zip(cols, spec_fields, strict=True):
                entered[field] = column.number_input(
                    label, value=values.get(field), step=0.1, format="%.3f", key=f"{form_key}_{field}"
                )
            cols = st.columns(2)
            entered["price_note"] = cols[0].text_input(
                "Price source", values.get("price_note") or "", key=f"{form_key}_price_note"
            )
            entered["spec_source"] = cols[1].text_input(
                "Spec source", values.get("spec_source") or "", key=f"{form_key}_spec_source"
            )
            return entered if st.form_submit_button(submit_label) else None

    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Add a GPU**")
        new = _spec_form("catalog_add", {}, "Add")
        if new is not None:
            try:
                add_hardware(new)
                state["catalog_flash"] = f"Added {new['name']}."
                st.rerun()
            except CatalogError as exc:
                st.error(f"Nothing added. {exc}")
    with cols[1]:
        st.markdown("**Edit or delete a GPU**")
        if gpu_names:
            editing = st.selectbox("Entry", gpu_names, key="catalog_edit_name")
            current = next(row for row in catalog_rows if row["name"] == editing)
            changes = _spec_form(f"catalog_edit_{editing}", current, "Save changes")
            if changes is not None:
                try:
                    update_hardware(editing, **changes)
                    state["catalog_flash"] = f"Updated {changes['name']}."
                    st.rerun()
                except CatalogError as exc:
                    st.error(f"Nothing changed. {exc}")
            if st.button(f"Delete {editing}", key="catalog_delete"):
                delete_hardware(editing)
                state["catalog_flash"] = f"Deleted {editing}."
                st.rerun()
    if st.button("Restore the shipped GPUs and their figures", key="catalog_restore"):
        written = restore_seeded()
        state["catalog_flash"] = f"Restored {written} shipped GPUs; entries you added are kept."
        st.rerun()
