"""Live Demo, pitch mode: the whole width, a large canvas, the answer in very large type, a big Clear button that
Space also presses, the confidence as a bar and the latency. Nothing else."""

from __future__ import annotations

import streamlit as st

from core.demo.predict import Prediction
from pages.ui.live_demo.inputs import clear_canvas

# Streamlit's own paragraph rule (`[data-testid="stMarkdownContainer"] p`) outranks a bare class, so the answer
# is a div and every rule names the markdown container too.
PITCH_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"] {display: none !important;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 1rem 3rem 2rem 3rem !important;}
[data-testid="stMarkdownContainer"] div.pitch-digit {font-size: 16rem; font-weight: 800; line-height: 1;
  text-align: center; margin: 0;}
[data-testid="stMarkdownContainer"] div.pitch-unsure {font-size: 3.2rem; font-weight: 700; line-height: 1.2;
  text-align: center; margin: 2rem 0;}
[data-testid="stMarkdownContainer"] div.pitch-confidence {font-size: 2.4rem; font-weight: 600; text-align: center;}
[data-testid="stMarkdownContainer"] div.pitch-bar {height: 2rem; border-radius: 1rem; margin: 0.5rem 0 1rem 0;
  background: rgba(128, 128, 128, 0.25); overflow: hidden;}
[data-testid="stMarkdownContainer"] div.pitch-bar > div {height: 100%; border-radius: 1rem;}
[data-testid="stMarkdownContainer"] div.pitch-latency {font-size: 1.5rem; text-align: center; opacity: 0.75;}
.st-key-demo_pitch_clear button {min-height: 4.5rem; width: 100%;}
.st-key-demo_pitch_clear button p {font-size: 2rem; font-weight: 700;}
</style>"""


def apply_style() -> None:
    st.markdown(PITCH_CSS, unsafe_allow_html=True)


def clear_button() -> None:
    st.button("Clear", key="demo_pitch_clear", type="primary", shortcut="Space", on_click=clear_canvas, width="stretch")


def show_answer(prediction: Prediction) -> None:
    # Raw HTML below carries only the model's own numbers (ints and floats), never text a user typed.
    if prediction.unsure:
        st.markdown("<div class=\"pitch-unsure\">I'm not sure that's a digit</div>", unsafe_allow_html=True)
        colour = "#c62828"
        label = f"best guess {int(prediction.guess)}, {prediction.confidence:.0%} sure"
    else:
        st.markdown(f'<div class="pitch-digit">{int(prediction.digit)}</div>', unsafe_allow_html=True)
        colour = "#2e7d32"
        label = f"{prediction.confidence:.1%} sure"
    width = max(0.0, min(1.0, prediction.confidence)) * 100
    st.markdown(
        f'<div class="pitch-confidence">{label}</div>'
        f'<div class="pitch-bar"><div style="width: {width:.1f}%; background: {colour};"></div></div>'
        f'<div class="pitch-latency">answered in {prediction.latency_ms:.1f} ms</div>',
        unsafe_allow_html=True,
    )
