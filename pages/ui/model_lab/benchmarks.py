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
        throughput = benches.melt(
            id_vars=["id", "created_at", "device_name"],
            value_vars=["naive_samples_per_s", "train_bs32_samples_per_s", "train_bs256_samples_per_s"],
            var_name="trainer",
            value_name="samples/s",
        )
        cols = st.columns(2)
        cols[0].plotly_chart(
            px.line(
                throughput,
                x="created_at",
                y="samples/s",
                color="trainer",
                line_dash="device_name",
                markers=True,
                title="Training throughput by trainer and device",
                labels={"created_at": ""},
            ),
            width="stretch",
        )
        cols[1].plotly_chart(
            px.line(
                benches,
                x="created_at",
                y=["train_bs256_mfu", "train_bs32_mfu", "naive_mfu"],
                markers=True,
                title="MFU against the measured matmul peak",
                labels={"created_at": "", "value": "MFU"},
            ).update_yaxes(tickformat=".0%"),
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
