"""Model Lab: run the benchmark and chart every stored one."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.lab.bench import list_benchmarks


def show_benchmarks() -> None:
    st.subheader("Benchmarks")
    st.caption(
        "`make bench` (or the button) trains the seed's plain `fit` and the fast trainer side by side on this machine, "
        "times single-image prediction through the live-demo path, the funding Monte Carlo and the GPU estimator."
    )
    if st.button("Run the benchmark (about a minute)"):
        from core.lab.bench import run_bench

        with st.spinner("Benchmarking: plain fit, fast trainer at batch 32 and 256, prediction…"):
            latest = run_bench()
        st.success(
            f"Fast trainer {latest['bs32_speedup_vs_naive']:.1f}x the plain fit at batch 32; "
            f"MFU {latest['train_bs256_mfu']:.0%} at batch 256; prediction p50 {latest['predict_p50_ms']:.1f} ms."
        )
    benches = pd.DataFrame(list_benchmarks())
    if benches.empty:
        st.info("No benchmark stored yet: run `make bench` or the button above.")
    else:
        benches["benchmark"] = "bench " + benches["id"].astype(str)
        throughput = benches.melt(
            id_vars=["id", "benchmark", "created_at", "device_name"],
            value_vars=["naive_samples_per_s", "train_bs32_samples_per_s", "train_bs256_samples_per_s"],
            var_name="trainer",
            value_name="samples/s",
        )
        cols = st.columns(2)
        cols[0].plotly_chart(
            px.line(
                throughput,
                x="benchmark",
                y="samples/s",
                color="trainer",
                line_dash="device_name",
                markers=True,
                hover_data=["created_at"],
                title="Training throughput by trainer and device",
                labels={"benchmark": ""},
            )
            .update_xaxes(type="category")
            .update_yaxes(rangemode="tozero", tickformat=",.0f"),
            width="stretch",
        )
        cols[1].plotly_chart(
            px.line(
                benches,
                x="benchmark",
                y=["train_bs256_mfu", "train_bs32_mfu", "naive_mfu"],
                markers=True,
                hover_data=["created_at"],
                title="MFU against the measured matmul peak",
                labels={"benchmark": "", "value": "MFU"},
            )
            .update_xaxes(type="category")
            .update_yaxes(tickformat=".0%", range=[0, 1]),
            width="stretch",
        )
        st.dataframe(
            benches[
                [
                    "id",
                    "created_at",
                    "device_name",
                    "peak_gflops",
                    "naive_samples_per_s",
                    "train_bs32_samples_per_s",
                    "train_bs256_samples_per_s",
                    "train_bs256_mfu",
                    "predict_p50_ms",
                    "predict_p99_ms",
                    "monte_carlo_ms",
                    "estimate_ms",
                ]
            ],
            hide_index=True,
        )
