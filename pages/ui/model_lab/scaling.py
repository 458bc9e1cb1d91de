"""Model Lab, scaling lab: is a bigger model always better, and how much data does this task need? Answered by
training the size and data ladders here (core.lab.ladder), every point a stored run."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages.ui.common import escape_markdown


def show_scaling_lab() -> None:
    from core.lab.ladder import DATA_SIZES, SIZE_WIDTHS, LadderConfig, latest_ladder, run_ladder

    st.subheader("Scaling lab")
    st.caption(
        f"Size ladder: MLPs with hidden widths w, w/2, w/4 for w from {SIZE_WIDTHS[0]} to {SIZE_WIDTHS[-1]} "
        f"(512 is the reference model) and the demo CNN, same digits and epochs. Data ladder: the reference model on "
        f"{DATA_SIZES[0]} digits up to all of them, each for about as many optimizer steps. Every point is a stored "
        "run; a power law is fitted to the MLPs' error (scikit-learn, log-log) and extrapolated (dashed)."
    )
    with st.form("ladder"):
        epochs = st.number_input("Epochs per point", min_value=1, max_value=50, value=5, step=1)
        started = st.form_submit_button("Run the ladders (a few minutes on a CPU)", type="primary")
    if started:
        bar = st.progress(0.0, text="Measuring this machine's matrix-multiply peak…")
        last = [0.0]

        def on_progress(event: dict) -> None:
            now = time.perf_counter()
            if now - last[0] < 0.2 and event["fraction"] < 1:
                return
            last[0] = now
            done = (event["point"] - 1 + min(event["fraction"], 1.0)) / event["points"]
            bar.progress(done, text=f"Point {event['point']}/{event['points']}: {event['label']}")

        try:
            run_ladder(LadderConfig(epochs=int(epochs)), progress=on_progress)
        except Exception as exc:
            st.error(f"The ladder stopped: {type(exc).__name__}: {escape_markdown(exc)}")
        else:
            bar.progress(1.0, text="Done")
    ladder = latest_ladder()
    if ladder is None:
        st.info("No ladder stored yet: run it above, or `python -m core.lab.ladder`.")
        return
    show_ladder(ladder)


def show_ladder(ladder: dict) -> None:
    points = pd.DataFrame(ladder["points"])
    answers = ladder["answers"]
    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Is bigger always better?** " + escape_markdown(_answer_word(answers["is_bigger_always_better"])))
        st.write(answers["is_bigger_always_better"]["text"])
    with cols[1]:
        st.markdown("**How much data do we need?**")
        st.write(answers["how_much_data"]["text"])
    size = points[points["axes"].apply(lambda axes: "size" in axes)]
    data = points[points["axes"].apply(lambda axes: "data" in axes)]
    charts = st.columns(2)
    charts[0].plotly_chart(
        _law_chart(size, "training_flops", ladder["fits"]["error_vs_compute"], "Error against training compute",
                   "training FLOPs (log)"),
        width="stretch",
    )  # fmt: skip
    charts[1].plotly_chart(
        _law_chart(data, "n_train", ladder["fits"]["error_vs_data"], "Error against training digits",
                   "training digits (log)"),
        width="stretch",
    )  # fmt: skip
    st.dataframe(
        points[
            ["run_id", "label", "architecture", "params", "n_train", "epochs", "test_accuracy", "test_loss",
             "samples_per_second", "wall_seconds", "cost_usd", "training_flops"]
        ],
        hide_index=True,
        column_config={
            "test_accuracy": st.column_config.NumberColumn("Test accuracy", format="percent"),
            "samples_per_second": st.column_config.NumberColumn("Samples/s", format="%.0f"),
            "wall_seconds": st.column_config.NumberColumn("Seconds", format="%.1f"),
            "cost_usd": st.column_config.NumberColumn("Cost ($)", format="%.6f"),
            "training_flops": st.column_config.NumberColumn("Training FLOPs", format="%.2e"),
        },
    )  # fmt: skip
    st.caption(
        f"Ladder {escape_markdown(ladder['ladder_id'])}: {len(points)} runs, ${ladder['total_cost_usd']:.5f} in all. "
        "Test accuracy is measured on the same held-out digits for every point."
    )


def _answer_word(answer: dict) -> str:
    word = answer.get("answer")
    return word.capitalize() + "." if isinstance(word, str) else ""


def _law_chart(points: pd.DataFrame, x: str, fit: dict | None, title: str, x_title: str) -> go.Figure:
    chart = go.Figure()
    mlps = points[points["architecture"].str.startswith("mlp")]
    others = points[~points["architecture"].str.startswith("mlp")]
    chart.add_scatter(
        x=mlps[x], y=mlps["error"], mode="markers+text", text=mlps["label"], textposition="top center",
        name="MLP runs", marker={"size": 11},
    )  # fmt: skip
    if not others.empty:
        chart.add_scatter(
            x=others[x], y=others["error"], mode="markers+text", text=others["label"], textposition="bottom center",
            name="CNN run", marker={"size": 13, "symbol": "diamond"},
        )  # fmt: skip
    if fit:
        measured = np.geomspace(fit["x_min"], fit["x_max"], 20)
        beyond = np.geomspace(fit["x_max"], fit["x_max"] * (100 if x == "training_flops" else 10), 20)
        law = f"error ≈ {fit['a']:.3g} · x^-{fit['b']:.2f} (R² {fit['r2']:.2f})"
        chart.add_scatter(x=measured, y=fit["a"] * measured ** -fit["b"], mode="lines", name=law)
        chart.add_scatter(
            x=beyond, y=fit["a"] * beyond ** -fit["b"], mode="lines", line={"dash": "dash"}, name="extrapolated"
        )
        chart.add_vrect(x0=fit["x_max"], x1=beyond[-1], fillcolor="grey", opacity=0.08, line_width=0,
                        annotation_text="extrapolation", annotation_position="top left")  # fmt: skip
    chart.update_xaxes(type="log", title=x_title)
    chart.update_yaxes(type="log", title="test error (log)", tickformat=".1%")
    chart.update_layout(title=title, height=420, legend={"orientation": "h", "y": -0.25})
    return chart
