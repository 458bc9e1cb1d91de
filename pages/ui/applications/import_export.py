"""Applications, Import / export tab: the filtered scenarios as JSON or CSV, and an all-or-nothing import."""

import streamlit as st

from core.applications.catalog import FIELDS, ScenarioError, export_csv, export_json, import_scenarios
from pages.ui.common import escape_markdown


def show(shown: list[dict]) -> None:
    st.markdown(f"Export the {len(shown)} scenarios the filters show, or import a file in the same format.")
    cols = st.columns(2)
    cols[0].download_button(
        "Export JSON", export_json(shown), "app_scenarios.json", "application/json", key="app_export_json"
    )
    cols[1].download_button("Export CSV", export_csv(shown), "app_scenarios.csv", "text/csv", key="app_export_csv")
    st.caption(
        "Columns: " + escape_markdown(", ".join(FIELDS)) + ". In CSV, list fields separate items with ' | '. "
        "Import adds new names and replaces scenarios with the same name; a file with any bad row changes nothing."
    )
    upload = st.file_uploader("Import a CSV or JSON file", type=["csv", "json"], key="app_upload")
    if st.button("Import", disabled=upload is None, key="app_import") and upload is not None:
        try:
            counts = import_scenarios(upload.getvalue(), upload.name.rsplit(".", 1)[-1])
        except ScenarioError as exc:
            st.error(f"Nothing was imported. {escape_markdown(exc)}")
        else:
            st.session_state["app_flash"] = (
                f"Imported {upload.name}: {counts['created']} added, {counts['updated']} replaced."
            )
            st.rerun()
