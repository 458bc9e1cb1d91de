"""Live Demo: an investor draws, uploads or photographs a digit and the best stored model answers at once, says
why, or says it is not sure that is a digit."""

import streamlit as st

from core.demo.predict import predict_image
from core.demo.preprocess import ImageInputError
from pages.ui.common import escape_markdown, setup_page
from pages.ui.live_demo import answer, card, gallery, inputs, models, pitch

setup_page("Live Demo")
st.session_state.setdefault("demo_source", inputs.SOURCES[0])
st.session_state.setdefault("demo_stroke", 18)
st.session_state.setdefault("demo_canvas", 0)
st.session_state.setdefault("demo_gallery_seed", 0)
# Pitch mode does not draw the controls, and Streamlit forgets a widget's value in a run that does not draw it;
# writing the values back keeps the investor's input source and stroke width through pitch mode.
for widget_key in ("demo_source", "demo_stroke"):
    st.session_state[widget_key] = st.session_state[widget_key]

in_pitch = st.toggle(
    "Pitch mode", key="demo_pitch", help="The whole screen for the canvas and the answer; Space clears."
)
if in_pitch:
    pitch.apply_style()
st.title("Live Demo")
choice = models.choose(in_pitch)


def read_and_answer(image) -> None:
    try:
        prediction, pixels = predict_image(choice.model, image)
    except ImageInputError as exc:
        st.error(f"Nothing to read: {escape_markdown(exc)}")
        return
    if in_pitch:
        pitch.show_answer(prediction)
    else:
        answer.show_answer(prediction, pixels, choice)


left, right = st.columns([1, 1], gap="large")
with left:
    if not in_pitch:
        source = st.radio("Input", inputs.SOURCES, horizontal=True, key="demo_source")
        if source == "Draw":
            controls = st.columns([3, 1], vertical_alignment="bottom")
            controls[0].slider("Stroke width", 4, 40, step=2, key="demo_stroke")
            controls[1].button("Clear", on_click=inputs.clear_canvas)
    image, hint = inputs.read_input(in_pitch)
    if in_pitch and st.session_state["demo_source"] == "Draw":
        pitch.clear_button()
with right:
    if image is None:
        st.info(hint)
    else:
        read_and_answer(image)
    if in_pitch:
        run = choice.run
        st.caption(
            f"{card.describe(choice)}. Trained on {run['n_train']:,} digits in {run['wall_seconds']:.0f} s on "
            f"{run['device_name']} for ${run['cost_usd'] or 0:.5f}; {run['test_accuracy']:.1%} on "
            f"{run['n_test']:,} unseen digits."
        )
    else:
        card.show_model_card(choice)

if not in_pitch:
    gallery.show_gallery(choice)
