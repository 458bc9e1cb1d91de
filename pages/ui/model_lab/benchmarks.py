"""Model Lab: run the benchmark and chart every stored one."""

import pandas as pd
import plotly.express as px
import streamlit as st

from core.lab.bench import list_benchmarks

TRAINERS = {
    "naive_samples_per_s": "Plain fit, samples/s",
    "train_bs32_samples_per_s": "Fast, batch 32, samples/s",
    "train_bs256_samples_per_s": "Fast, batch 256, samples/s",
}
MFU_SERIES = {"train_bs256_mfu": "Fast, batch 256", "train_bs32_mfu": "Fast, batch 32", "naive_mfu": "Plain fit"}
TIMINGS = {
    "predict_p50_ms": "Prediction p50 (ms)",
    "predict_p99_ms": "Prediction p99 (ms)",
    "monte_carlo_ms": "Monte Carlo (ms)",
    "estimate_ms": "GPU estimate (ms)",
}
BENCH_COLUMNS = {
    "id": "Bench",
    "created_at": "When",
    "device_name": "Device",
    "peak_gflops": "Peak GFLOP/s",
    **TRAINERS,
    "train_bs256_mfu": "MFU, batch 256",
    **TIMINGS,
}


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
        # Benchmarks sit at their number, not their time: one benchmark still reads as one point, not as ms ticks.
        benches = benches.reindex(columns=sorted(set(benches.columns) | set(BENCH_COLUMNS) | set(MFU_SERIES)))
        benches = benches.sort_values("id").assign(
            bench=lambda frame: "Bench " + frame["id"].astype(str), created_at=lambda f: pd.to_datetime(f["created_at"])
        )
        order = {"bench": benches["bench"].tolist()}
        throughput = benches.melt(
            id_vars=["bench", "device_name"], value_vars=list(TRAINERS), var_name="trainer", value_name="samples/s"
        ).replace({"trainer": TRAINERS})
        cols = st.columns(2)
        cols[0].plotly_chart(
            px.line(
                throughput, x="bench", y="samples/s", color="trainer", line_dash="device_name", markers=True,
                category_orders=order, title="Training throughput by trainer and device",
                labels={"bench": "", "samples/s": "Samples/s", "trainer": "Trainer", "device_name": "Device"},
            ).update_yaxes(rangemode="tozero"),
            width="stretch",
        )  # fmt: skip
        mfu = benches.melt(id_vars=["bench"], value_vars=list(MFU_SERIES), var_name="trainer", value_name="MFU")
        mfu = mfu.replace({"trainer": MFU_SERIES}).dropna(subset=["MFU"])
        cols[1].plotly_chart(
            px.line(
                mfu, x="bench", y="MFU", color="trainer", markers=True, category_orders=order,
                title="MFU against the measured matmul peak", labels={"bench": "", "trainer": "Trainer"},
            ).update_yaxes(tickformat=".0%", range=[0, 1]),  # MFU is a share of the peak: 0 to 100 %
            width="stretch",
        )  # fmt: skip
        st.dataframe(
            benches[list(BENCH_COLUMNS)],
            hide_index=True,
            width="stretch",
            column_config={
                **BENCH_COLUMNS,
                "created_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                "peak_gflops": st.column_config.NumberColumn("Peak GFLOP/s", format="%.1f"),
                "train_bs256_mfu": st.column_config.NumberColumn("MFU, batch 256", format="percent"),
                **{key: st.column_config.NumberColumn(label, format="compact") for key, label in TRAINERS.items()},
                **{key: st.column_config.NumberColumn(label, format="%.1f") for key, label in TIMINGS.items()},
            },
        )
