"""GPU Budget, Serving tab: weights and KV cache in memory, decode speed, GPUs and the monthly bill."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.compute.estimate import SERVING_PRECISIONS, EstimateInputError, ServingInputs, estimate_serving


def show(
    catalog: list, gpu_names: list[str], params: float, active_b: float
) -> tuple[ServingInputs | None, dict | None]:
    """Serves the model the Training tab sized; returns the inputs and the estimate (None where they failed)."""
    state = st.session_state
    serving, serving_inputs = None, None
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
    return serving_inputs, serving
