"""Live Demo: which stored model answers. The best one (highest test accuracy) by default; any other stored model,
or the best one's int8 copy, on request. Loaded once per file version and shared by every session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core.lab.runs import runs_with_models
from pages.ui.common import escape_markdown, training_progress_bar

MODEL_KEY = "demo_model_run"
INT8_KEY = "demo_int8"


@dataclass(frozen=True)
class Choice:
    run: dict
    model: object  # what answers: core.demo.predict.DigitModel, or the int8 copy
    float_model: object  # the float32 model, for saliency
    best_id: int
    stored: int  # models stored in all
    int8: bool


@st.cache_resource(show_spinner="Loading the model…")
def cached_model(path: str, modified: float):
    """One loaded model per file version (a .keras file or its .int8.tflite copy); never mutated after loading."""
    from core.demo.predict import load_model

    return load_model(path)


def _train(variant: str) -> None:
    from core.lab.train import TrainConfig, train

    bar, on_progress = training_progress_bar()
    try:
        train(TrainConfig(variant=variant), progress=on_progress)
    except Exception as exc:
        st.error(f"Training failed and was stored as failed: {type(exc).__name__}: {escape_markdown(exc)}")
        st.stop()
    bar.progress(1.0, text="Trained")
    st.rerun()


def _offer_training() -> None:
    st.info(
        "No trained model yet. One click trains the reference model on this machine (about 20 seconds), or the demo "
        "model, a small CNN that reads drawings better (about 5 minutes of 2 CPU cores)."
    )
    cols = st.columns(2)
    if cols[0].button("Train the reference model", type="primary"):
        _train("fast")
    if cols[1].button("Train the demo model"):
        _train("demo")
    st.stop()


def _label(run: dict, best_id: int) -> str:
    kind = "demo CNN" if run["variant"] == "demo" else "reference MLP"
    best = " · best" if run["id"] == best_id else ""
    return f"Run {run['id']} · {kind} ({run['architecture'] or 'mlp'}) · {run['test_accuracy']:.1%}{best}"


def choose(pitch: bool) -> Choice:
    """The model the demo uses; with controls outside pitch mode. Stops the page, offering training, when there
    is none."""
    from core.lab.quantize import int8_path

    runs = runs_with_models()
    if not runs:
        _offer_training()
    by_id = {run["id"]: run for run in runs}
    best_id = runs[0]["id"]
    if st.session_state.get(MODEL_KEY) not in by_id:
        st.session_state[MODEL_KEY] = best_id
    st.session_state.setdefault(INT8_KEY, False)
    # Pitch mode draws no controls, and Streamlit forgets the value of a widget a run does not draw.
    st.session_state[MODEL_KEY] = st.session_state[MODEL_KEY]
    st.session_state[INT8_KEY] = st.session_state[INT8_KEY]
    if not pitch:
        cols = st.columns([3, 1], vertical_alignment="bottom")
        cols[0].selectbox(
            "Model", list(by_id), format_func=lambda run_id: _label(by_id[run_id], best_id), key=MODEL_KEY
        )
    run = by_id[st.session_state[MODEL_KEY]]
    keras_path = run["model_path"]
    quantized = int8_path(keras_path)
    if not pitch:
        if quantized.is_file():
            cols[1].toggle("int8 (TFLite)", key=INT8_KEY, help="The post-training int8 copy of this model.")
        elif cols[1].button("Make an int8 copy", help="Post-training int8 quantization with TensorFlow Lite"):
            _quantize(keras_path)
    use_int8 = bool(st.session_state[INT8_KEY]) and quantized.is_file()
    float_model = cached_model(keras_path, Path(keras_path).stat().st_mtime)
    model = cached_model(str(quantized), quantized.stat().st_mtime) if use_int8 else float_model
    return Choice(run, model, float_model, best_id, len(runs), use_int8)


def _quantize(keras_path: str) -> None:
    from core.lab.quantize import QuantizeError, quantize_model

    try:
        with st.spinner("Quantizing to int8 and measuring both versions…"):
            quantize_model(keras_path)
    except (QuantizeError, ValueError, RuntimeError) as exc:
        st.error(f"No int8 copy was made: {escape_markdown(exc)}")
        return
    st.session_state[INT8_KEY] = True
    st.rerun()
