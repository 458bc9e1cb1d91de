"""Model Lab: every stored run, throughput and MFU by device, and one run in detail."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.lab.runs import get_run, list_runs
from pages.ui.model_lab.errors import show_error_gallery


def show_runs() -> None:
    runs = list_runs()
    if not runs:
        st.info("No runs stored yet: train the first one above.")
        return

    table = pd.DataFrame(runs)
    st.subheader("All runs")
    st.dataframe(
        table[
            [
                "id",
                "status",
                "started_at",
                "device",
                "device_name",
                "dataset",
                "n_train",
                "epochs",
                "batch_size",
                "wall_seconds",
                "samples_per_second",
                "mfu",
                "test_accuracy",
                "energy_kwh",
                "cost_usd",
                "error",
            ]
        ],
        hide_index=True,
        column_config={
            "mfu": st.column_config.NumberColumn("MFU", format="percent"),
            "test_accuracy": st.column_config.NumberColumn("Test accuracy", format="percent"),
            "samples_per_second": st.column_config.NumberColumn("Samples/s", format="%.0f"),
            "wall_seconds": st.column_config.NumberColumn("Seconds", format="%.1f"),
            "cost_usd": st.column_config.NumberColumn("Cost ($)", format="%.6f"),
            "energy_kwh": st.column_config.NumberColumn("Energy (kWh)", format="%.6f"),
        },
    )

    succeeded = table[table["status"] == "succeeded"]
    if succeeded.empty:
        return

    st.subheader("Throughput and MFU by device")
    by_device = succeeded.sort_values("id").assign(run=lambda frame: "run " + frame["id"].astype(str))
    cols = st.columns(2)
    cols[0].plotly_chart(run_chart(by_device, "samples_per_second", "Training throughput per run"), width="stretch")
    cols[1].plotly_chart(run_chart(by_device, "mfu", "MFU (achieved ÷ measured matmul peak)"), width="stretch")

    st.subheader("One run in detail")
    ids = succeeded["id"].tolist()
    default_id = st.session_state.get("lab_selected_run", ids[0])
    run_id = st.selectbox("Run", ids, index=ids.index(default_id) if default_id in ids else 0)
    run = get_run(int(run_id))
    history = pd.DataFrame(run["history"])
    cols = st.columns(2)
    if not history.empty:
        curves = go.Figure()
        curves.add_scatter(x=history["epoch"], y=history["loss"], name="loss", mode="lines+markers")
        curves.add_scatter(x=history["epoch"], y=history["accuracy"], name="accuracy", mode="lines+markers", yaxis="y2")
        curves.update_layout(
            title="Training loss and accuracy per epoch",
            xaxis_title="epoch",
            yaxis_title="loss",
            yaxis2={"title": "accuracy", "overlaying": "y", "side": "right", "tickformat": ".0%"},
        )
        cols[0].plotly_chart(curves, width="stretch")
    if run["confusion_matrix"]:
        heatmap = px.imshow(
            run["confusion_matrix"],
            text_auto=True,
            color_continuous_scale="Blues",
            labels={"x": "predicted", "y": "true", "color": "digits"},
            x=list(range(10)),
            y=list(range(10)),
            title=f"Confusion matrix on {run['n_test']:,} test digits",
        )
        cols[1].plotly_chart(heatmap, width="stretch")
    st.dataframe(pd.DataFrame(run["class_metrics"]), hide_index=True)
    st.caption(
        f"Dataset {run['dataset']} ({run['dataset_origin']}), sha256 {run['dataset_hash'][:16]}…; "
        f"{run['flops_per_sample']:,} FLOPs per training sample; peak {run['peak_flops'] / 1e9:,.1f} GFLOP/s measured "
        f"in the same process; framework {run['framework_versions']}; model file {run['model_path']}."
    )
    show_error_gallery(run)


def run_chart(runs: pd.DataFrame, column: str, title: str):
    """One marker per run along a category axis of run labels: one run reads as one point, with no time axis
    ticking in milliseconds. MFU is a share of the peak, so its axis runs from 0 to 100 %."""
    label = {"samples_per_second": "samples/s", "mfu": "MFU"}[column]
    chart = px.line(
        runs,
        x="run",
        y=column,
        color="device_name",
        markers=True,
        hover_data=["id", "batch_size", "dataset", "started_at"],
        labels={column: label, "run": "", "device_name": "device"},
        title=title,
    )
    chart.update_xaxes(type="category")
    chart.update_traces(marker={"size": 10})
    if column == "mfu":
        chart.update_yaxes(tickformat=".0%", range=[0, 1])
    else:
        chart.update_yaxes(rangemode="tozero", tickformat=",.0f")
    return chart
