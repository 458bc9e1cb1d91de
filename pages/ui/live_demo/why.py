"""Live Demo and Model Lab: integrated-gradients saliency pictures, computed once per image and model file."""

from __future__ import annotations

import numpy as np
import streamlit as st

from pages.ui.live_demo.models import cached_model


@st.cache_data(show_spinner=False, max_entries=256)
def saliency_pictures(model_path: str, version: float, images: bytes, digits: tuple[int, ...]) -> list[np.ndarray]:
    """RGB pictures (red: ink for the digit, blue: ink against it) for 28×28 float32 images, each to its digit."""
    from core.lab.saliency import integrated_gradients, overlay

    model = cached_model(model_path, version)
    pixels = np.frombuffer(images, dtype=np.float32).reshape(-1, 28, 28)
    return [
        overlay(image, integrated_gradients(model.keras_model, image, digit)) for image, digit in zip(pixels, digits)
    ]


def pictures_for(model_path: str, images: np.ndarray, digits) -> list[np.ndarray]:
    from pathlib import Path

    stack = np.ascontiguousarray(np.asarray(images, dtype=np.float32).reshape(-1, 28, 28))
    version = Path(model_path).stat().st_mtime
    return saliency_pictures(model_path, version, stack.tobytes(), tuple(int(d) for d in digits))
