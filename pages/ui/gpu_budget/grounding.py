"""GPU Budget, Grounding tab: the MFU measured here next to published runs; either can set the training MFU."""

import math

import pandas as pd
import streamlit as st

from core.compute.mfu import GENERATION_LABELS, effective_mfu, mfu_rules, published_runs


def show() -> None:
    state = st.session_state
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
        f"{GENERATION_LABELS[name]}: MFU ≈ {math.exp(rule.intercept):.1%} × (S/10B)^{rule.slope:.3f}, band "
        f"×{rule.low_ratio:.2f}–×{rule.high_ratio:.2f} ({rule.source})"
        for name, rule in mfu_rules().items()
    ]
    st.caption(
        "Effective MFU = training FLOPs (6·N·D plus attention at the run's context) ÷ (reported GPU-hours × dense "
        "BF16 peak); model-card GPU-hours include restarts and evaluation, so it sits below what papers quote. "
        "Defaults (S = parameters, √(active × total) for a mixture of experts): " + "; ".join(fits) + "."
    )
    _scores()

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


def _scores() -> None:
    """How far the defaults land on runs they were not fitted to: leave-one-out, and the held-out file."""
    from core.compute.holdout import score
    from core.compute.mfu import leave_one_out_summary

    loo, held = leave_one_out_summary(), score()
    cols = st.columns(4)
    cols[0].metric("Leave-one-out median error", f"{loo['median_abs_error']:.0%}",
                   help=f"each of {loo['runs']} fitted runs predicted by a fit without it; worst "
                   f"{loo['max_abs_error']:.0%}")  # fmt: skip
    cols[1].metric("Held-out median error", f"{held['median_abs_error']:.0%}", help="goal: at most 15%")
    cols[2].metric("Held-out worst error", f"{held['max_abs_error']:.0%}", help="goal: at most 40%")
    cols[3].metric("Held-out runs inside the band", f"{held['band_coverage']:.0%}", help="goal: at least 80%")
    table = pd.DataFrame(held["runs"])[["model", "gpu", "reported_gpu_hours", "estimated_gpu_hours", "error",
                                        "inside_band", "source"]]  # fmt: skip
    st.dataframe(
        table, hide_index=True,
        column_config={"error": st.column_config.NumberColumn("error", format="percent"),
                       "reported_gpu_hours": st.column_config.NumberColumn(format="%,.0f"),
                       "estimated_gpu_hours": st.column_config.NumberColumn(format="%,.0f")},
    )  # fmt: skip
    st.caption("Held-out runs (db/seed_data/published_runs_holdout.csv) are estimated with defaults only: parameters, "
               "tokens and GPU. The fit never reads that file.")  # fmt: skip
