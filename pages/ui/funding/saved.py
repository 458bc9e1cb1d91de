"""Funding, Saved scenarios tab: save the draft, rename, duplicate, delete, export and import scenarios."""

import streamlit as st

from core.funding import store as store
from core.funding.model import ScenarioError, parse_scenario, scenario_to_dict
from pages.ui.funding.format import md


def already_saved(name: str, draft: dict) -> bool:
    """The saved scenario called `name` is this very draft."""
    try:
        stored = scenario_to_dict(store.load_scenario(name))
        return stored == scenario_to_dict(parse_scenario({**draft, "name": name}))
    except ScenarioError:
        return False


def show(draft: dict, saved_names: list[str]) -> None:
    with st.form("funding_save"):
        save_name = st.text_input("Save the current draft as", value=draft.get("name", "Scenario"))
        overwrite = st.checkbox("Replace a saved scenario with this name")
        if st.form_submit_button("Save"):
            if save_name.strip() in saved_names and already_saved(save_name.strip(), draft):
                # Enter in the name box submitted the form already; clicking Save after it is no clash.
                st.success(f"{md(repr(save_name.strip()))} is saved as it is.")
            else:
                try:
                    store.save_scenario(save_name, draft, overwrite=overwrite)
                except ScenarioError as exc:
                    st.error(f"Nothing saved. {md(exc)}")
                else:
                    st.session_state["funding_note"] = f"Saved {save_name.strip()!r}."
                    st.rerun()
    if saved_names:
        target = st.selectbox("Saved scenario", saved_names, key="funding_target")
        row = st.columns([2, 1, 1, 1])
        new_name = row[0].text_input("New name", key="funding_new_name")
        if row[1].button("Rename"):
            try:
                store.rename_scenario(target, new_name)
            except ScenarioError as exc:
                st.error(f"Not renamed. {md(exc)}")
            else:
                st.rerun()
        if row[2].button("Duplicate"):
            try:
                store.duplicate_scenario(target, new_name.strip() or None)
            except ScenarioError as exc:
                st.error(f"Not duplicated. {md(exc)}")
            else:
                st.rerun()
        if row[3].button("Delete"):
            store.delete_scenario(target)
            st.rerun()
        st.download_button(
            "Export as JSON", store.export_scenario_json(target), file_name=f"{target}.json", mime="application/json"
        )
    else:
        st.caption("No saved scenarios yet.")
    upload = st.file_uploader("Import a scenario JSON", type=["json"])
    if upload is not None and st.button("Import"):
        try:
            imported = store.import_scenario_json(upload.getvalue())
        except ScenarioError as exc:
            st.error(f"Nothing imported. {md(exc)}")
        else:
            st.session_state["funding_note"] = f"Imported {imported.name!r}."
            st.rerun()
