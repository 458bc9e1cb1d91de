"""Live Demo: the model card, which says which stored model answers and how it was measured."""

from __future__ import annotations

import streamlit as st

from core.formatting import money, seconds
from core.lab.calibration import read_sidecar
from pages.ui.common import escape_markdown
from pages.ui.live_demo.models import Choice


def describe(choice: Choice) -> str:
    run = choice.run
    kind = "the demo CNN" if run["variant"] == "demo" else "the reference MLP"
    why = (
        f"the best of {choice.stored} stored models by test accuracy"
        if run["id"] == choice.best_id
        else f"chosen by hand; the best stored model is run {choice.best_id}"
    )
    engine = "its int8 TensorFlow Lite copy" if choice.int8 else "float32 Keras"
    return f"Run {run['id']}, {kind} ({escape_markdown(run['architecture'] or 'mlp-512-256-128')}), {why}; {engine}"


def show_model_card(choice: Choice) -> None:
    run = choice.run
    with st.container(border=True):
        st.markdown(
            f"**Model card** · {describe(choice)}; finished {escape_markdown(str(run['finished_at'] or 'n/a'))}"
        )
        cols = st.columns(3)
        cols[0].metric("Test accuracy", f"{run['test_accuracy']:.2%}", help=f"{run['n_test']:,} held-out digits")
        cols[1].metric("Training time", seconds(run["wall_seconds"]), help=f"{run['epochs']} epochs")
        cols[2].metric("Cost", money(run["cost_usd"]), help="the run's device time at its hourly price")
        st.caption(
            f"Dataset {escape_markdown(run['dataset'] or '')}: {run['n_train']:,} training and {run['n_test']:,} test "
            f"digits. Device {(run['device'] or '').upper()} {escape_markdown(run['device_name'] or '')}, batch "
            f"{run['batch_size']}, {run['samples_per_second']:,.0f} samples/s, MFU {run['mfu']:.1%}; "
            f"{run['params']:,} parameters."
        )
        st.caption(not_sure_summary(run["model_path"]))


def not_sure_summary(model_path: str) -> str:
    calibration = read_sidecar(model_path)
    measured = calibration.measured
    if calibration.source != "calibrated" or not measured:
        return 'Says "not sure" below 50% confidence (this model has no calibration of its own).'
    rules = [f"under {calibration.min_confidence:.0%} confidence"]
    if calibration.max_entropy < 1:
        rules.append(f"an answer spread over more than {calibration.max_entropy:.0%} of the widest possible")
    if calibration.min_ink_extent > 0:
        rules.append(f"ink spanning under {calibration.min_ink_extent:.0%} of the image")
    if calibration.max_distance != float("inf"):
        rules.append("a drawing unlike the training digits")
    kinds = ", ".join(f"{kind} {share:.0%}" for kind, share in measured["non_digits_unsure_by_kind"].items())
    return (
        f'Says "not sure" for {", ".join(rules)}: thresholds calibrated on held-out drawings. Checked on others: '
        f"{measured['digits_read_right_and_sure']:.1%} of {measured['digits']} drawn digits read right and sure; "
        f"{measured['non_digits_unsure']:.1%} of {measured['non_digits']} non-digits marked unsure ({kinds})."
    )
