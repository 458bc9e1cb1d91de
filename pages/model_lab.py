"""Model Lab: train the reference or demo model here, watch it learn, compare every stored run, see what it gets
wrong and why, and measure how error scales with model size and data."""

import streamlit as st

from pages.ui.common import setup_page
from pages.ui.model_lab.benchmarks import show_benchmarks
from pages.ui.model_lab.runs import show_runs
from pages.ui.model_lab.scaling import show_scaling_lab
from pages.ui.model_lab.train import show_training_form
from pages.ui.plan.preload import note, plan_from_link

setup_page("Model Lab")
st.title("Model Lab")
st.caption(
    "The reference model (Dense 512 → 256 → 128, ReLU, softmax over 10 digits; Adam; sparse categorical "
    "cross-entropy) trained on this machine. Its measured speed, MFU, cost and accuracy ground every estimate. The "
    "demo model, a small CNN trained on distorted digits and pen-stroke drawings, is what the Live Demo shows."
)

if linked := plan_from_link("model_lab"):
    run = linked[1]["reference_run"]
    evidence = f"its evidence is reference run #{run['id']}." if run else "it has no reference run yet; train one."
    note(linked[0], evidence)
runs_tab, scaling_tab, bench_tab = st.tabs(["Train and runs", "Scaling lab", "Benchmarks"])
with runs_tab:
    show_training_form()
    show_runs()
with scaling_tab:
    show_scaling_lab()
with bench_tab:
    show_benchmarks()
