"""GPU Budget, Hardware catalog tab: every GPU's figures, editable, with the shipped ones restorable."""

import pandas as pd
import streamlit as st

from core.compute.gpus import CatalogError, add_hardware, delete_hardware, restore_seeded, update_hardware
from pages.ui.common import escape_markdown


def show(catalog_rows: list[dict], gpu_names: list[str]) -> None:
    state = st.session_state
    if state.get("catalog_flash"):
        st.success(escape_markdown(state.pop("catalog_flash")))
    st.dataframe(
        pd.DataFrame(catalog_rows).drop(columns=["updated_at"], errors="ignore"), hide_index=True, width="stretch"
    )
    spec_fields = [
        ("bf16_dense_tflops", "Dense BF16/FP16 TFLOP/s"), ("fp32_tflops", "FP32 TFLOP/s"), ("memory_gb", "Memory GB"),
        ("bandwidth_tbs", "Bandwidth TB/s"), ("tdp_w", "TDP W"),
    ]  # fmt: skip
    link_and_price_fields = [
        ("nvlink_gbs", "NVLink GB/s (both ways)"), ("ib_gbs", "Network GB/s per GPU"),
        ("price_per_hour_usd", "On-demand $/GPU-hour"), ("price_reserved_per_hour_usd", "Reserved $/GPU-hour"),
        ("price_spot_per_hour_usd", "Spot $/GPU-hour"),
    ]  # fmt: skip

    def _spec_form(form_key: str, values: dict, submit_label: str) -> dict | None:
        with st.form(form_key):
            cols = st.columns(2)
            entered = {
                "name": cols[0].text_input("Name", values.get("name", ""), key=f"{form_key}_name"),
                "vendor": cols[1].text_input("Vendor", values.get("vendor", ""), key=f"{form_key}_vendor"),
            }
            for fields in (spec_fields, link_and_price_fields):
                cols = st.columns(len(fields))
                for column, (field, label) in zip(cols, fields, strict=True):
                    entered[field] = column.number_input(
                        label, value=values.get(field), step=0.1, format="%.3f", key=f"{form_key}_{field}"
                    )
            entered["precisions"] = st.text_input(
                "Tensor-core formats (comma-separated, e.g. fp32,fp16,bf16,fp8)", values.get("precisions") or "",
                key=f"{form_key}_precisions",
            )  # fmt: skip
            entered["price_tiers_note"] = st.text_input(
                "Reserved and spot price source", values.get("price_tiers_note") or "", key=f"{form_key}_tiers_note"
            )
            cols = st.columns(2)
            entered["price_note"] = cols[0].text_input(
                "Price source", values.get("price_note") or "", key=f"{form_key}_price_note"
            )
            entered["spec_source"] = cols[1].text_input(
                "Spec source", values.get("spec_source") or "", key=f"{form_key}_spec_source"
            )
            return entered if st.form_submit_button(submit_label) else None

    cols = st.columns(2)
    with cols[0]:
        st.markdown("**Add a GPU**")
        new = _spec_form("catalog_add", {}, "Add")
        if new is not None:
            try:
                add_hardware(new)
                state["catalog_flash"] = f"Added {new['name']}."
                st.rerun()
            except CatalogError as exc:
                st.error(f"Nothing added. {escape_markdown(exc)}")
    with cols[1]:
        st.markdown("**Edit or delete a GPU**")
        if gpu_names:
            editing = st.selectbox("Entry", gpu_names, key="catalog_edit_name")
            current = next(row for row in catalog_rows if row["name"] == editing)
            changes = _spec_form(f"catalog_edit_{editing}", current, "Save changes")
            if changes is not None:
                try:
                    update_hardware(editing, **changes)
                    state["catalog_flash"] = f"Updated {changes['name']}."
                    st.rerun()
                except CatalogError as exc:
                    st.error(f"Nothing changed. {escape_markdown(exc)}")
            if st.button(f"Delete {escape_markdown(editing)}", key="catalog_delete"):
                delete_hardware(editing)
                state["catalog_flash"] = f"Deleted {editing}."
                st.rerun()
    if st.button("Restore the shipped GPUs and their figures", key="catalog_restore"):
        written = restore_seeded()
        state["catalog_flash"] = f"Restored {written} shipped GPUs; entries you added are kept."
        st.rerun()
