"""Model Lab: every stored run, throughput and MFU by device, and one run in detail."""

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from core.lab.runs import get_run, list_runs
from pages.ui.common import escape_markdown
from pages.ui.model_lab.errors import show_error_gallery

RUN_COLUMNS = {
    "id": "Run",
    "status": "Status",
    "architecture": "Model",
    "started_at": "Started",
    "device_name": "Device",
    "n_train": "Training digits",
    "epochs": "Epochs",
    "batch_size": "Batch",
    "wall_seconds": "Seconds",
    "samples_per_second": "Samples/s",
    "mfu": "MFU",
    "test_accuracy": "Test accuracy",
    "cost_usd": "Cost",
    "error": "Error",
}


def show_runs() -> None:
    runs = list_runs()
    if not runs:
        st.info("No runs stored yet: train the first one above.")
        return

    table = pd.DataFrame(runs).assign(started_at=lambda frame: pd.to_datetime(frame["started_at"]))
    st.subheader("All runs")
    shown = [key for key in RUN_COLUMNS if key != "error" or table["error"].notna().any()]  # errors only if any
    st.dataframe(
        table[shown],
        hide_index=True,
        width="stretch",
        column_config={
            **{key: label for key, label in RUN_COLUMNS.items()},
            "started_at": st.column_config.DatetimeColumn("Started", format="MMM D, HH:mm"),
            "mfu": st.column_config.NumberColumn("MFU", format="percent"),
            "test_accuracy": st.column_config.NumberColumn("Test accuracy", format="percent"),
            "samples_per_second": st.column_config.NumberColumn("Samples/s", format="compact"),
            "wall_seconds": st.column_config.NumberColumn("Seconds", format="%.1f"),
            "cost_usd": st.column_config.NumberColumn("Cost", format="$%.5f"),
        },
    )

    interrupted = int((table["status"] == "interrupted").sum())
    if interrupted:
        st.caption(
            f"{interrupted} interrupted: the training process stopped (Ctrl-C, SIGTERM, killed or the machine went "
            "down) before the run finished, so it has no model and no final figures."
        )

    succeeded = table[table["status"] == "succeeded"]
    if succeeded.empty:
        return

    st.subheader("Throughput and MFU by device")
    # Runs sit at their run number, not their start time: one run or a few seconds apart still reads as runs.
    by_device = succeeded.sort_values("id").assign(run=lambda frame: "Run " + frame["id"].astype(str))
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
    st.dataframe(
        pd.DataFrame(run["class_metrics"]),
        hide_index=True,
        width="stretch",
        column_config={
            "digit": "Digit",
            "precision": st.column_config.NumberColumn("Precision", format="%.3f"),
            "recall": st.column_config.NumberColumn("Recall", format="%.3f"),
            "f1": st.column_config.NumberColumn("F1", format="%.3f"),
            "support": st.column_config.NumberColumn("Test digits", format="%d"),
        },
    )
    st.caption(
        f"Dataset {escape_markdown(run['dataset'])} ({escape_markdown(run['dataset_origin'])}), sha256 "
        f"{run['dataset_hash'][:16]}…; {run['flops_per_sample']:,} FLOPs per training sample; peak "
        f"{run['peak_flops'] / 1e9:,.1f} GFLOP/s measured in the same process; framework "
        f"{escape_markdown(run['framework_versions'])}; model file {escape_markdown(run['model_path'])}."
    )
    show_error_gallery(run)


def run_chart(runs: pd.DataFrame, column: str, title: str):
    """One marker per run along a category axis of run labels: one run reads as one point, with no time axis
    ticking in milliseconds. MFU is a share of the peak, so its axis runs from 0 to 100 %."""
    label = {"samples_per_second": "Samples/s", "mfu": "MFU"}[column]
    chart = px.line(
        runs,
        x="run",
        y=column,
        color="device_name",
        markers=True,
        category_orders={"run": runs["run"].tolist()},
        hover_data=["batch_size", "dataset", "started_at"],
        labels={column: label, "run": "", "device_name": "Device"},
        title=title,
    )
    chart.update_xaxes(type="category")
    chart.update_traces(marker={"size": 10})
    if column == "mfu":
        chart.update_yaxes(tickformat=".0%", range=[0, 1])
    else:
        chart.update_yaxes(rangemode="tozero", tickformat=",.0f")
    return chart
