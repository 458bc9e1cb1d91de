"""Model Lab: train the reference model here, watch it learn, and compare every stored run."""

import streamlit as st

from pages.ui.common import setup_page
from pages.ui.model_lab.benchmarks import show_benchmarks
from pages.ui.model_lab.runs import show_runs
from pages.ui.model_lab.train import show_training_form

setup_page("Model Lab")
st.title("Model Lab")
st.caption(
    "The reference model (Dense 512 → 256 → 128, ReLU, softmax over 10 digits; Adam; sparse categorical "
    "cross-entropy) trained on this machine. Its measured speed, MFU, cost and accuracy ground every estimate."
)

show_training_form()
show_runs()
show_benchmarks()
