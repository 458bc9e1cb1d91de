"""GPU Budget, Serving tab: the model from the Training tab served at a stated traffic — replica layout, time to
first token, time per output token, utilization, $ per million input and output tokens, the monthly bill."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compute.estimate import SERVING_PRECISIONS, EstimateInputError, ServingInputs, estimate_serving
from core.compute.gpus import PRICE_TIERS
from core.formatting import compact, gigabytes, milliseconds, money, money_range
from pages.ui.common import escape_markdown
from pages.ui.gpu_budget.model import Model
from pages.ui.gpu_budget.training import PRICING_LABELS

BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256)


def _auto(value: str) -> str | None:
    return None if value == "auto" else value


def _inputs(catalog: list, gpu_names: list[str], model: Model) -> ServingInputs | None:
    cols = st.columns(4)
    gpu_name = cols[0].selectbox("Serving GPU", gpu_names, key="serve_gpu")
    gpus = cols[1].number_input("GPUs per replica (0 = fewest that fit)", min_value=0, step=1, key="serve_gpus")
    requests = cols[2].number_input("Requests per day", min_value=0, step=1000, key="serve_requests")
    peak = cols[3].number_input("Busiest hour ÷ average", min_value=1.0, step=0.5, key="serve_peak")
    cols = st.columns(4)
    prompt = cols[0].number_input("Prompt tokens per request", min_value=0, step=100, key="serve_prompt")
    output = cols[1].number_input("Output tokens per request", min_value=1, step=100, key="serve_output")
    context = cols[2].number_input("Context per sequence (KV cache)", min_value=1, step=512, key="serve_context")
    batch = cols[3].number_input("Concurrent sequences per replica", min_value=1, step=1, key="serve_batch")
    cols = st.columns(4)
    formats = ["auto", *SERVING_PRECISIONS]
    weights = cols[0].selectbox("Weights", formats, key="serve_weight_precision")
    kv = cols[1].selectbox("KV cache", formats, key="serve_kv_precision")
    pricing = cols[2].selectbox("Pricing", PRICE_TIERS, key="serve_pricing", format_func=PRICING_LABELS.get)
    price = cols[3].number_input("Price per GPU-hour $ (empty = catalog)", min_value=0.0, key="serve_price")
    gpu = next((spec for spec in catalog if spec.name == gpu_name), None)
    try:
        return ServingInputs(
            params=None if model.architecture else model.params, architecture=model.architecture,
            active_params=None if model.architecture else model.active_params, gpu=gpu, context=int(context),
            batch=int(batch), weight_precision=_auto(weights), kv_precision=_auto(kv),
            gpus_per_replica=int(gpus) or None, requests_per_day=requests, prompt_tokens=int(prompt),
            output_tokens=int(output), price_per_hour=price, pricing=pricing, peak_to_average=peak,
        )  # fmt: skip
    except EstimateInputError as exc:
        st.error(f"No serving estimate: {escape_markdown(exc)}")
        return None


def _headline(s: dict) -> None:
    band = {
        key: f"band {milliseconds(s[f'{key}_low'])}–{milliseconds(s[f'{key}_high'])}" for key in ("ttft_ms", "tpot_ms")
    }
    inputs_band = money_range(s["usd_per_million_input_tokens_low"], s["usd_per_million_input_tokens_high"])
    outputs_band = money_range(s["usd_per_million_output_tokens_low"], s["usd_per_million_output_tokens_high"])
    monthly_band = money_range(s["monthly_cost_low"], s["monthly_cost_high"])
    cols = st.columns(4)
    cols[0].metric("Time to first token", milliseconds(s["ttft_ms"]), help=f"prefill of the prompt; {band['ttft_ms']}")
    cols[1].metric(
        "Per output token",
        milliseconds(s["tpot_ms"]),
        help=f"decode step at {s['batch']} sequences, {s['bound']}-bound; {band['tpot_ms']}",
    )
    cols[2].metric(
        "Tokens/s per replica",
        compact(s["tokens_per_second"]),
        help=f"{compact(s['tokens_per_s_per_request'])} per sequence",
    )
    cols[3].metric(
        "GPUs",
        f"{s['replicas']} × {s['gpus_per_replica']}",
        help=f"{s['replicas']} replica(s) of TP {s['tensor_parallel']} × PP {s['pipeline_parallel']} "
        f"{escape_markdown(s['gpu'])}; "
        f"{gigabytes(s['weights_gb'])} weights + {gigabytes(s['kv_cache_gb'])} KV cache",
    )
    cols = st.columns(4)
    cols[0].metric(
        "Utilization",
        f"{s['utilization']:.0%}",
        help="average load ÷ what the fleet serves; the fleet is sized for the busiest hour",
    )
    cols[1].metric("$ / M input tokens", money(s["usd_per_million_input_tokens"]), help=inputs_band)
    cols[2].metric("$ / M output tokens", money(s["usd_per_million_output_tokens"]), help=outputs_band)
    cols[3].metric(
        "Monthly bill", money(s["monthly_cost_usd"]), help=f"band {monthly_band}; {escape_markdown(s['price_source'])}"
    )
    st.caption(
        f"{s['architecture_summary']}{' (inferred)' if s['architecture_inferred'] else ''}. At "
        f"{compact(s['requests_per_day'])} requests a day the fleet is {s['utilization']:.0%} busy; idle time is "
        f"paid for, so $ per million tokens split the whole bill by the GPU time prefill and decode take. Band: "
        f"{money_range(s['monthly_cost_low'], s['monthly_cost_high'])} a month."
    )


def _charts(inputs: ServingInputs, s: dict) -> None:
    rows = []
    for batch in BATCHES:
        try:
            point = estimate_serving(ServingInputs(**{**inputs.__dict__, "batch": batch, "gpus_per_replica": None}))
        except EstimateInputError:
            continue
        rows.append({"batch": batch, "tpot_ms": point["tpot_ms"], "tokens_per_second": point["tokens_per_second"],
                     "gpus": point["gpus_per_replica"]})  # fmt: skip
    cols = st.columns(3)
    if rows:
        sweep = pd.DataFrame(rows)
        figure = go.Figure()
        figure.add_scatter(x=sweep["batch"], y=sweep["tpot_ms"], name="ms per output token", mode="lines+markers")
        figure.add_scatter(x=sweep["batch"], y=sweep["tokens_per_second"], name="tokens/s per replica", yaxis="y2")
        figure.update_layout(
            title="Batch: latency per sequence against throughput", xaxis={"title": "sequences", "type": "log"},
            yaxis={"title": "ms per token"}, yaxis2={"title": "tokens/s", "overlaying": "y", "side": "right"},
        )  # fmt: skip
        cols[0].plotly_chart(figure, width="stretch")
    cols[1].plotly_chart(
        go.Figure(go.Pie(labels=["weights", "KV cache"], values=[s["weights_gb"], s["kv_cache_gb"]])).update_layout(
            title="Replica memory (GB)"
        ),
        width="stretch",
    )
    if s["monthly_cost_usd"] is not None:
        figure = go.Figure(
            go.Bar(
                x=["low", "estimate", "high"],
                y=[s["monthly_cost_low"], s["monthly_cost_usd"], s["monthly_cost_high"]],
                text=[money(s["monthly_cost_low"]), money(s["monthly_cost_usd"]), money(s["monthly_cost_high"])],
            )
        )
        cols[2].plotly_chart(
            figure.update_layout(title="Monthly bill and its band", yaxis_title="USD"), width="stretch"
        )


def show(catalog: list, gpu_names: list[str], model: Model | None) -> tuple[ServingInputs | None, dict | None]:
    """Serves the model the Training tab picked; returns the inputs and the estimate (None where they failed)."""
    if model is None:
        st.info("Pick a model on the Training tab first.")
        return None, None
    st.caption(f"Serves {model.label} from the Training tab.")
    inputs = _inputs(catalog, gpu_names, model)
    if inputs is None:
        return None, None
    try:
        result = estimate_serving(inputs)
    except EstimateInputError as exc:
        st.error(f"No serving estimate: {escape_markdown(exc)}")
        return inputs, None
    _headline(result)
    _charts(inputs, result)
    return inputs, result
