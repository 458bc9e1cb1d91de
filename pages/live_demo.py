"""Live Demo: an investor draws, uploads or photographs a digit and the reference model answers at once."""

from pathlib import Path

import numpy as np
import plotly.express as px
import streamlit as st
from PIL import Image
from streamlit_drawable_canvas import st_canvas

from core.demo.predict import Prediction, predict_image, predict_probabilities
from core.demo.preprocess import ImageInputError
from core.lab.runs import latest_successful_run
from pages.ui.common import setup_page, training_progress_bar

setup_page("Live Demo")
SOURCES = ("Draw", "Upload", "Camera")
GALLERY_SIZE = 12

PITCH_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"] {display: none !important;}
.pitch-digit {font-size: 14rem; font-weight: 800; line-height: 1; text-align: center; margin: 0;}
.pitch-confidence {font-size: 2.6rem; font-weight: 600; text-align: center; margin: 0;}
.pitch-latency {font-size: 1.4rem; text-align: center; opacity: 0.7;}
</style>"""

st.session_state.setdefault("demo_source", SOURCES[0])
st.session_state.setdefault("demo_stroke", 18)
st.session_state.setdefault("demo_canvas", 0)
st.session_state.setdefault("demo_gallery_seed", 0)
# Pitch mode does not draw the controls, and Streamlit forgets a widget's value in a run that does not draw it;
# writing the values back keeps the investor's input source and stroke width through pitch mode.
for widget_key in ("demo_source", "demo_stroke"):
    st.session_state[widget_key] = st.session_state[widget_key]

pitch = st.toggle("Pitch mode", key="demo_pitch", help="Hide the controls and show the answer in large type.")
if pitch:
    st.markdown(PITCH_CSS, unsafe_allow_html=True)
st.title("Live Demo")


@st.cache_resource(show_spinner="Loading the model…")
def cached_model(path: str, modified: float):
    """One loaded model per file version, shared by every session; never mutated after loading."""
    from core.demo.predict import load_model

    return load_model(path)


@st.cache_data(show_spinner=False)
def test_digits() -> tuple[np.ndarray, np.ndarray, str]:
    from core.lab.data import load_mnist

    data = load_mnist()
    return data.x_test, data.y_test, data.name


@st.cache_data(show_spinner="Reading the test digits…")
def test_predictions(path: str, modified: float) -> np.ndarray:
    images, _, _ = test_digits()
    return np.argmax(predict_probabilities(cached_model(path, modified), images), axis=1)


def train_reference_model() -> None:
    from core.lab.train import TrainConfig, train

    bar, on_progress = training_progress_bar()

    try:
        train(TrainConfig(), progress=on_progress)
    except Exception as exc:
        st.error(f"Training failed and was stored as failed: {type(exc).__name__}: {exc}")
        st.stop()
    bar.progress(1.0, text="Trained")
    st.rerun()


run = latest_successful_run(with_model=True)
if run is None:
    st.info("No trained model yet. One click trains the reference model on this machine (about 20 seconds).")
    if st.button("Train the reference model", type="primary"):
        train_reference_model()
    st.stop()

model_path = run["model_path"]
model_version = Path(model_path).stat().st_mtime
model = cached_model(model_path, model_version)


def read_input() -> tuple[object | None, str | None]:
    """The image the user gave, or a hint saying what to do when there is none yet."""
    source = st.session_state["demo_source"]
    if source == "Draw":
        result = st_canvas(
            stroke_width=st.session_state["demo_stroke"],
            stroke_color="#000000",
            background_color="#FFFFFF",
            height=280,
            width=280,
            drawing_mode="freedraw",
            return_image_data=True,
            key=f"demo_canvas_{st.session_state['demo_canvas']}",
        )
        if not (result.json_data or {}).get("objects") or result.image_data is None:
            return None, "The canvas is empty: draw one digit, as large as you like, anywhere on it."
        return result.image_data, None
    if source == "Upload":
        upload = st.file_uploader("A photo or scan of one digit (PNG or JPEG, at most 10 MB)", ["png", "jpg", "jpeg"])
        return (upload.getvalue(), None) if upload else (None, "Upload an image of one handwritten digit.")
    photo = st.camera_input("Hold a digit written on paper up to the camera")
    return (photo.getvalue(), None) if photo else (None, "Take a photo of one digit written on paper.")


def show_prediction(prediction: Prediction, pixels: np.ndarray) -> None:
    if pitch:
        st.markdown(f'<p class="pitch-digit">{prediction.digit}</p>', unsafe_allow_html=True)
        st.markdown(f'<p class="pitch-confidence">{prediction.confidence:.1%} sure</p>', unsafe_allow_html=True)
        st.markdown(f'<p class="pitch-latency">answered in {prediction.latency_ms:.1f} ms</p>', unsafe_allow_html=True)
        return
    cols = st.columns(3)
    cols[0].metric("Prediction", prediction.digit)
    cols[1].metric("Confidence", f"{prediction.confidence:.1%}")
    cols[2].metric(
        "Latency",
        f"{prediction.latency_ms:.1f} ms",
        help=f"Preprocessing {prediction.preprocess_ms:.1f} ms, model {prediction.model_ms:.2f} ms",
    )
    top = prediction.top(3)
    chart = px.bar(
        x=[p for _, p in top], y=[str(d) for d, _ in top], orientation="h", text=[f"{p:.1%}" for _, p in top],
        labels={"x": "probability", "y": "digit"}, title="Top 3", range_x=[0, 1],
    )  # fmt: skip
    chart.update_yaxes(autorange="reversed", type="category").update_layout(height=240, margin={"t": 40, "b": 0})
    st.plotly_chart(chart, width="stretch")
    seen = Image.fromarray((pixels * 255).astype(np.uint8)).resize((140, 140), Image.Resampling.NEAREST)
    st.image(seen, caption="What the model sees: 28×28, light ink on black, as MNIST", width=140)


def show_model_card() -> None:
    with st.container(border=True):
        st.markdown(f"**Model card** · run {run['id']}, finished {run['finished_at'] or 'n/a'}")
        cols = st.columns(3)
        cols[0].metric("Test accuracy", f"{run['test_accuracy']:.2%}", help=f"{run['n_test']:,} held-out digits")
        cols[1].metric("Training time", f"{run['wall_seconds']:.1f} s", help=f"{run['epochs']} epochs")
        cols[2].metric("Cost", f"${run['cost_usd']:.5f}" if run["cost_usd"] is not None else "n/a")
        st.caption(
            f"Dataset {run['dataset']}: {run['n_train']:,} training and {run['n_test']:,} test digits. "
            f"Device {(run['device'] or '').upper()} {run['device_name']}, batch {run['batch_size']}, "
            f"{run['samples_per_second']:,.0f} samples/s, MFU {run['mfu']:.1%}; {run['params']:,} parameters."
        )


def show_gallery() -> None:
    images, labels, dataset = test_digits()
    predicted = test_predictions(model_path, model_version)
    wrong = np.flatnonzero(predicted != labels)
    st.subheader("Gallery")
    st.caption(
        f"The model on the {len(labels):,} held-out test digits of {dataset} it never trained on: "
        f"{1 - len(wrong) / len(labels):.1%} read correctly, {len(wrong)} misread."
    )
    if st.button("Show other digits"):
        st.session_state["demo_gallery_seed"] += 1
    picks = np.random.default_rng(st.session_state["demo_gallery_seed"]).choice(len(labels), GALLERY_SIZE, False)
    st.image(
        [images[i].reshape(28, 28) for i in picks],
        caption=[f"read {predicted[i]}" + ("" if predicted[i] == labels[i] else f" (is {labels[i]})") for i in picks],
        width=84,
    )
    st.markdown(f"**Misread** ({len(wrong)})")
    if len(wrong):
        st.image(
            [images[i].reshape(28, 28) for i in wrong[:36]],
            caption=[f"read {predicted[i]}, is {labels[i]}" for i in wrong[:36]],
            width=84,
        )
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    heatmap = px.imshow(
        matrix, text_auto=True, color_continuous_scale="Blues", x=list(range(10)), y=list(range(10)),
        labels={"x": "predicted", "y": "true", "color": "digits"}, title="Confusion matrix on the test digits",
    )  # fmt: skip
    st.plotly_chart(heatmap, width="stretch")


left, right = st.columns(2, gap="large")
with left:
    if not pitch:
        source = st.radio("Input", SOURCES, horizontal=True, key="demo_source")
        if source == "Draw":
            controls = st.columns([3, 1], vertical_alignment="bottom")
            controls[0].slider("Stroke width", 4, 40, step=2, key="demo_stroke")
            if controls[1].button("Clear"):
                st.session_state["demo_canvas"] += 1
    image, hint = read_input()
with right:
    if image is None:
        st.info(hint)
    else:
        try:
            prediction, pixels = predict_image(model, image)
        except ImageInputError as exc:
            st.error(f"Nothing to read: {exc}")
        else:
            show_prediction(prediction, pixels)
    if pitch:
        st.caption(
            f"Trained on {run['n_train']:,} digits in {run['wall_seconds']:.0f} s on {run['device_name']} for "
            f"${run['cost_usd'] or 0:.5f}; {run['test_accuracy']:.1%} on {run['n_test']:,} unseen digits."
        )
    else:
        show_model_card()

if not pitch:
    show_gallery()
