"""Applications, Edit tab: add, edit or delete a scenario, and restore the seeded ones."""

import streamlit as st

from core.applications.catalog import (
    HORIZONS,
    LIST_FIELDS,
    MATURITY_LEVELS,
    RISK_LEVELS,
    Scenario,
    ScenarioError,
    create_scenario,
    delete_scenario,
    restore_seeded,
    update_scenario,
)
from pages.ui.common import escape_markdown as md


def scenario_form(key: str, current: dict | None) -> dict | None:
    """The fields of one scenario; returns the raw values when submitted."""
    current = current or {}

    def pick(options: tuple[str, ...], field: str) -> int:
        return options.index(current[field]) if current.get(field) in options else 0

    with st.form(f"form_{key}"):
        cols = st.columns(3)
        values = {
            "name": cols[0].text_input("name", current.get("name", ""), key=f"{key}_name"),
            "sector": cols[1].text_input("sector", current.get("sector", ""), key=f"{key}_sector"),
            "horizon": cols[2].selectbox("horizon", HORIZONS, pick(HORIZONS, "horizon"), key=f"{key}_horizon"),
            "typical_model": cols[0].text_input(
                "typical_model", current.get("typical_model", ""), key=f"{key}_typical_model"
            ),
            "typical_params": cols[1].text_input(
                "typical_params",
                f"{current['typical_params']:.6g}" if current else "",
                key=f"{key}_typical_params",
                placeholder="7e9 or 7B",
            ),
            "training_tokens": cols[2].text_input(
                "training_tokens",
                f"{current['training_tokens']:.6g}" if current else "",
                key=f"{key}_training_tokens",
                placeholder="empty = 20 × params",
            ),
            "regulatory_risk": cols[0].selectbox(
                "regulatory_risk", RISK_LEVELS, pick(RISK_LEVELS, "regulatory_risk"), key=f"{key}_regulatory_risk"
            ),
            "privacy_risk": cols[1].selectbox(
                "privacy_risk", RISK_LEVELS, pick(RISK_LEVELS, "privacy_risk"), key=f"{key}_privacy_risk"
            ),
            "explainability_need": cols[2].selectbox(
                "explainability_need",
                RISK_LEVELS,
                pick(RISK_LEVELS, "explainability_need"),
                key=f"{key}_explainability_need",
            ),
            "maturity": cols[0].selectbox(
                "maturity", MATURITY_LEVELS, pick(MATURITY_LEVELS, "maturity"), key=f"{key}_maturity"
            ),
            "data_availability": cols[1].slider(
                "data_availability", 1, 5, int(current.get("data_availability", 3)), key=f"{key}_data_availability"
            ),
        }
        for field in ("description", "data_needs", "compute_profile"):
            values[field] = st.text_area(field, current.get(field, ""), key=f"{key}_{field}", height=80)
        cols = st.columns(2)
        for index, field in enumerate(LIST_FIELDS):
            values[field] = cols[index % 2].text_area(
                f"{field} (one per line)", "\n".join(current.get(field, [])), key=f"{key}_{field}", height=110
            )
        submitted = st.form_submit_button("Save", type="primary")
    return values if submitted else None


def show(by_name: dict[str, dict]) -> None:
    mode = st.radio(
        "Action", ["Add a scenario", "Edit a scenario", "Delete a scenario"], horizontal=True, key="app_mode"
    )
    if mode == "Add a scenario":
        values = scenario_form("add", None)
        if values is not None:
            try:
                created = create_scenario(Scenario.from_mapping(values))
            except ScenarioError as exc:
                st.error(f"Nothing was saved. {md(exc)}")
            else:
                st.session_state["app_flash"] = f"Added {created['name']!r}."
                st.rerun()
    elif not by_name:
        st.info("The catalog is empty.")
    elif mode == "Edit a scenario":
        target = by_name[st.selectbox("Scenario to edit", list(by_name), key="app_edit_target")]
        values = scenario_form(f"edit_{target['id']}", target)
        if values is not None:
            try:
                saved = update_scenario(target["name"], Scenario.from_mapping(values))
            except ScenarioError as exc:
                st.error(f"Nothing was saved. {md(exc)}")
            else:
                st.session_state["app_flash"] = f"Saved {saved['name']!r}."
                st.rerun()
    else:
        target_name = st.selectbox("Scenario to delete", list(by_name), key="app_delete_target")
        sure = st.checkbox(f"Yes, delete {md(repr(target_name))}", key="app_delete_sure")
        if st.button("Delete", disabled=not sure, key="app_delete"):
            delete_scenario(target_name)
            st.session_state["app_flash"] = f"Deleted {target_name!r}. Restore the seeded scenarios to undo."
            st.rerun()
    st.divider()
    st.markdown("**Seeded scenarios**: put every shipped scenario back as shipped; scenarios you added stay.")
    if st.button("Restore seeded scenarios", key="app_restore"):
        restored = restore_seeded()
        st.session_state["app_flash"] = f"Restored {restored} seeded scenarios."
        st.rerun()
