"""Live Demo: the model on the held-out test digits: random ones, every misread one with why, and the confusion
matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import plotly.express as px
import streamlit as st

from core.demo.predict import predict_probabilities
from pages.ui.live_demo.models import Choice, cached_model
from pages.ui.live_demo.why import pictures_for

GALLERY_SIZE = 12
EXPLAINED_ERRORS = 8


@st.cache_data(show_spinner=False)
def test_digits() -> tuple[np.ndarray, np.ndarray, str]:
    from core.lab.data import load_mnist

    data = load_mnist()
    return data.x_test, data.y_test, data.name


@st.cache_data(show_spinner="Reading the test digits…")
def test_predictions(path: str, modified: float) -> np.ndarray:
    images, _, _ = test_digits()
    return np.argmax(predict_probabilities(cached_model(path, modified), images), axis=1)


def show_gallery(choice: Choice) -> None:
    images, labels, dataset = test_digits()
    path = str(choice.model.path)
    predicted = test_predictions(path, Path(path).stat().st_mtime)
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
        explained = wrong[:EXPLAINED_ERRORS]
        st.markdown("**Why it misread them** · red: ink that pushed towards the wrong answer, blue: ink against it")
        st.image(
            pictures_for(choice.run["model_path"], images[explained], predicted[explained]),
            caption=[f"read {predicted[i]}, is {labels[i]}" for i in explained],
            width=112,
        )
    matrix = np.zeros((10, 10), dtype=int)
    np.add.at(matrix, (labels, predicted), 1)
    heatmap = px.imshow(
        matrix, text_auto=True, color_continuous_scale="Blues", x=list(range(10)), y=list(range(10)),
        labels={"x": "predicted", "y": "true", "color": "digits"}, title="Confusion matrix on the test digits",
    )  # fmt: skip
    st.plotly_chart(heatmap, width="stretch")
