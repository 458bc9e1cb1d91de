"""Live Demo: the drawing canvas, the upload and the camera."""

from __future__ import annotations

import streamlit as st
from streamlit_drawable_canvas import st_canvas

SOURCES = ("Draw", "Upload", "Camera")
CANVAS_PX = 280
PITCH_CANVAS_PX = 420
EMPTY_CANVAS = "The canvas is empty: draw one digit, as large as you like, anywhere on it."


# The canvas's toolbar (undo, redo, reset) floats 2.65rem above the canvas when the pointer is over it, on top of
# whatever is drawn there; the canvas's element keeps that band free.
CANVAS_SPACING_CSS = """<style>
[class*="st-key-demo_canvas_"] {padding-top: 3rem;}
</style>"""


def clear_canvas() -> None:
    """A new key gives a new, empty canvas."""
    st.session_state["demo_canvas"] += 1


def read_input(pitch: bool) -> tuple[object | None, str | None]:
    """The image the user gave, or a hint saying what to do when there is none yet."""
    source = st.session_state["demo_source"]
    if source == "Draw":
        st.html(CANVAS_SPACING_CSS)
        side = PITCH_CANVAS_PX if pitch else CANVAS_PX
        result = st_canvas(
            stroke_width=st.session_state["demo_stroke"] * side // CANVAS_PX,
            stroke_color="#000000",
            background_color="#FFFFFF",
            height=side,
            width=side,
            drawing_mode="freedraw",
            return_image_data=True,
            key=f"demo_canvas_{'pitch' if pitch else 'plain'}_{st.session_state['demo_canvas']}",
        )
        if not (result.json_data or {}).get("objects") or result.image_data is None:
            return None, EMPTY_CANVAS
        return result.image_data, None
    if source == "Upload":
        upload = st.file_uploader("A photo or scan of one digit (PNG or JPEG, at most 10 MB)", ["png", "jpg", "jpeg"])
        return (upload.getvalue(), None) if upload else (None, "Upload an image of one handwritten digit.")
    photo = st.camera_input("Hold a digit written on paper up to the camera")
    return (photo.getvalue(), None) if photo else (None, "Take a photo of one digit written on paper.")
