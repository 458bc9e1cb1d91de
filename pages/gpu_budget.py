"""GPU Budget: what training and serving a model will cost, with an honest range, grounded by measured runs."""

import streamlit as st

from core.compute.gpus import list_hardware, spec_from_mapping
from pages.ui.common import setup_page
from pages.ui.gpu_budget import catalog as hardware_catalog
from pages.ui.gpu_budget import grounding, prefill, saved, serving, training
from pages.ui.plan.preload import gpu_budget_state, note, plan_from_link

setup_page("GPU Budget")
st.title("GPU Budget")
st.caption(
    "Training: 6·N·D FLOPs plus attention, at a model-FLOPs utilisation (MFU) fitted to published runs, with the "
    "band those runs' spread gives, on a parallel layout that fits in memory. Serving: prefill and decode at the "
    "stated traffic. Every price and spec is editable in the hardware catalog."
)

prefill.set_defaults()
state = st.session_state
catalog_rows = list_hardware()
catalog = [spec_from_mapping(row) for row in catalog_rows]
gpu_names = [spec.name for spec in catalog]
prefill.apply_query_params(gpu_names)
if linked := plan_from_link("gpu_budget"):
    state.update(gpu_budget_state(linked[1]))
    note(linked[0], "its training and serving inputs.")
if not catalog:
    st.warning("The hardware catalog is empty. Restore the shipped GPUs in the catalog section below.")
for key in ("budget_gpu", "serve_gpu"):
    if gpu_names and state.get(key) not in gpu_names:
        state[key] = "H100 SXM" if "H100 SXM" in gpu_names else gpu_names[0]

tab_train, tab_serve, tab_ground, tab_saved, tab_catalog = st.tabs(
    ["Training", "Serving", "Grounding", "Saved estimates", "Hardware catalog"]
)

with tab_train:
    trained = training.show(catalog, gpu_names)
with tab_serve:
    serving_inputs, serving_result = serving.show(catalog, gpu_names, trained.model)
with tab_ground:
    grounding.show()
with tab_saved:
    saved.show(trained.result, trained.inputs, serving_result, serving_inputs)
with tab_catalog:
    hardware_catalog.show(catalog_rows, gpu_names)
