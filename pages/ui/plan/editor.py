"""The Plan page: pick, create, duplicate, rename, delete, import and export plans, and edit one plan's application,
training and serving inputs, funding scenario and thresholds. A save is checked by a full analysis first, so a plan
that cannot be analysed is never stored."""

from __future__ import annotations

import json

import streamlit as st

from pages.ui.plan.state import picker, select
from pages.ui.plan.text import md

NO_APPLICATION = "(none)"
BY_COUNT = "(parameter count)"
BY_SHAPE = "(the shape in the plan file)"
AUTO = "auto"
PRICINGS = ("on_demand", "reserved", "spot")


def _errors():
    from core.applications.catalog import ScenarioError as CatalogError
    from core.plan.model import PlanError

    return PlanError, CatalogError


def _act(action, name_key: str | None, done) -> None:
    """Run one whole-plan action from a button's callback: Enter in a name box never acts, a click acts once, and
    the name box empties after it worked."""
    plan_error, _ = _errors()
    try:
        made = action(st.session_state.get(name_key, "").strip() if name_key else "")
    except plan_error as exc:
        st.session_state["plan_action_error"] = str(exc)
        return
    if made:
        select(made)
    if name_key:
        st.session_state[name_key] = ""
    st.session_state["plan_flash"] = done(made)


def show_manager(names: list[str]) -> str | None:
    """The picker and every whole-plan action (buttons with callbacks, so each runs once per click)."""
    from core.plan import store

    plan_error, _ = _errors()
    if flash := st.session_state.pop("plan_flash", None):
        st.success(md(flash))
    if failed := st.session_state.pop("plan_action_error", None):
        st.error(f"Nothing changed. {md(failed)}")
    selected = picker(names, "plan")
    new_tab, copy_tab, rename_tab, delete_tab, files_tab = st.tabs(
        ["New", "Duplicate", "Rename", "Delete", "Import / export"]
    )
    examples = {plan.name: plan for plan in store.example_plans().values()}

    def create(name: str) -> str:
        if not name:
            raise plan_error("name: type a name for the new plan")
        return store.create_plan(examples[st.session_state["plan_new_from"]], name).name

    with new_tab:
        cols = st.columns(2)
        cols[0].selectbox("Start from", list(examples), key="plan_new_from", help="A shipped example; edit it next")
        cols[1].text_input("Name of the new plan", max_chars=200, key="plan_new_name")
        st.button("Create plan", on_click=_act, args=(create, "plan_new_name", lambda made: f"Created plan {made!r}."))
        st.button(
            "Put the shipped example plans back",
            on_click=_act,
            args=(lambda _: store.restore_example_plans() and None, None, lambda _: "Shipped example plans are back."),
        )
    if selected is None:
        return None
    with copy_tab:
        st.text_input("Name of the copy (blank: “… (copy)”)", max_chars=200, key="plan_copy_name")
        st.button(
            "Duplicate",
            on_click=_act,
            args=(
                lambda name: store.duplicate_plan(selected, name or None),
                "plan_copy_name",
                lambda made: f"Duplicated as {made!r}.",
            ),
        )
    with rename_tab:
        st.text_input("New name", max_chars=200, key="plan_rename_name")
        st.button(
            "Rename",
            on_click=_act,
            args=(
                lambda name: store.rename_plan(selected, name),
                "plan_rename_name",
                lambda made: f"Renamed to {made!r}.",
            ),
        )
    with delete_tab:
        sure = st.checkbox(
            f"Delete the plan {md(repr(selected))} (its funding and estimates go with it)", key="plan_sure"
        )
        st.button(
            "Delete",
            disabled=not sure,
            on_click=_act,
            args=(lambda _: store.delete_plan(selected), None, lambda _: f"Deleted {selected!r}."),
        )
    with files_tab:
        st.download_button(
            "Export this plan as JSON",
            store.export_plan_json(selected),
            file_name="plan.json",
            mime="application/json",
            icon=":material/download:",
        )
        upload = st.file_uploader("Import a plan (.json)", type=["json"], key="plan_upload")
        overwrite = st.checkbox("Replace a plan with the same name", key="plan_import_overwrite")
        if st.button("Import", disabled=upload is None):
            try:
                imported = store.import_plan_json(upload.getvalue(), overwrite=overwrite)
            except plan_error as exc:
                st.error(f"Nothing was imported. {md(exc)}")
            else:
                select(imported.name)
                st.session_state["plan_flash"] = f"Imported {imported.name!r}."
                st.rerun()
    return selected


def _gpu_names() -> list[str]:
    from core.compute.gpus import list_hardware

    return [row["name"] for row in list_hardware()]


def _application_names() -> list[str]:
    from core.applications.catalog import list_scenarios

    return [row["name"] for row in list_scenarios()]


def _gpu_index(names: list[str], wanted: str | None) -> int:
    from core.compute.gpus import GpuLookupError, find_gpu, seeded_specs

    if wanted in names:
        return names.index(wanted)
    try:
        found = find_gpu(wanted or "", seeded_specs()).name
    except (GpuLookupError, ValueError):
        return 0
    return names.index(found) if found in names else 0


def _optional(value: float | None) -> float | None:
    return None if value in (None, 0) else float(value)


def _model_choice(section: dict, column, key: str) -> tuple[str, float | None]:
    """A preset, the section's own shape, or a bare parameter count; returns the choice and the count in billions."""
    from core.compute.architectures import presets

    shape_keys = ("layers", "hidden", "heads", "vocab")
    options = [BY_COUNT, *presets()]
    if any(k in section for k in shape_keys):
        options.insert(1, BY_SHAPE)
    current = section.get("model") or (BY_SHAPE if BY_SHAPE in options else BY_COUNT)
    choice = column.selectbox("Model", options, index=options.index(current) if current in options else 0, key=key)
    return choice, float(section.get("params") or 7e9) / 1e9


def _apply_model(section: dict, choice: str, params_b: float) -> dict:
    """The section with the model keys the choice implies (a preset, the shape as it was, or a count)."""
    kept = {k: v for k, v in section.items() if k not in ("model", "params", "active_params") or choice == BY_SHAPE}
    if choice == BY_COUNT:
        shape = ("layers", "hidden", "heads", "kv_heads", "ffn", "vocab", "head_dim", "experts", "active_experts")
        return {**{k: v for k, v in kept.items() if k not in shape}, "params": params_b * 1e9}
    if choice == BY_SHAPE:
        return kept
    return {**kept, "model": choice}


def _index(options: tuple, value, default: int = 0) -> int:
    return options.index(value) if value in options else default


def show_editor(payload: dict) -> None:
    """One form for the whole plan; Save checks it by analysing it, then stores it under the same name."""
    from core.compute.estimate import MODES, PRECISIONS, SERVING_PRECISIONS
    from core.plan.analysis import analyze_plan
    from core.plan.store import save_plan

    plan_error, catalog_error = _errors()
    training, serving = dict(payload["training"]), dict(payload["serving"])
    gpus = _gpu_names()
    applications = [NO_APPLICATION, *_application_names()]
    precisions, serving_precisions = (AUTO, *PRECISIONS), (AUTO, *SERVING_PRECISIONS)
    with st.form("plan_editor"):
        current = payload.get("application") or NO_APPLICATION
        application = st.selectbox(
            "Application from the catalog", applications,
            index=applications.index(current) if current in applications else 0,
        )  # fmt: skip
        st.markdown("**Training run** (the GPU Budget estimator's inputs)")
        row = st.columns(4)
        t_model, t_params = _model_choice(training, row[0], "plan_training_model")
        t_params = row[1].number_input("Parameters, billions (with a count)", 0.001, 100_000.0, t_params)
        t_tokens = row[2].number_input("Tokens, billions (0: 20 per parameter)", 0.0, 1e6,
                                       float(training.get("tokens") or 0) / 1e9)  # fmt: skip
        t_mode = row[3].selectbox("Mode", MODES, index=_index(MODES, training.get("mode", "full")))
        row = st.columns(4)
        t_gpu = row[0].selectbox("GPU", gpus, index=_gpu_index(gpus, training.get("gpu")), key="plan_training_gpu")
        t_count = row[1].number_input("GPUs (0: about 90 days)", 0, 1_000_000, int(training.get("gpus") or 0))
        t_precision = row[2].selectbox("Precision", precisions, index=_index(precisions, training.get("precision")))
        t_start = row[3].number_input("Training starts in month", 0, 600, int(training.get("start_month", 0)))
        row = st.columns(4)
        t_mfu = row[0].number_input("MFU % (0: fitted default)", 0.0, 100.0, 100 * float(training.get("mfu") or 0))
        t_price = row[1].number_input("$/GPU-hour (0: catalog)", 0.0, 1000.0,
                                      float(training.get("price") or training.get("price_per_hour") or 0))  # fmt: skip
        t_pricing = row[2].selectbox("Pricing", PRICINGS, index=_index(PRICINGS, training.get("pricing", "on_demand")))
        st.markdown("**Serving**")
        row = st.columns(4)
        s_model, s_params = _model_choice(serving, row[0], "plan_serving_model")
        s_params = row[1].number_input("Parameters, billions (with a count)", 0.001, 100_000.0, s_params,
                                       key="plan_serving_params")  # fmt: skip
        s_gpu = row[2].selectbox("GPU", gpus, index=_gpu_index(gpus, serving.get("gpu")), key="plan_serving_gpu")
        s_start = row[3].number_input("Serving starts in month (blank: after training)", 0, 600,
                                      serving.get("start_month"), placeholder="after training")  # fmt: skip
        row = st.columns(4)
        s_requests = row[0].number_input("Requests per day", 0, 10**10, int(serving.get("requests_per_day", 10_000)))
        s_prompt = row[1].number_input("Prompt tokens each", 0, 10**6, int(serving.get("prompt_tokens", 500)))
        s_output = row[2].number_input("Output tokens each", 1, 10**6, int(serving.get("output_tokens", 500)))
        s_context = row[3].number_input("Context per sequence", 1, 10**6, int(serving.get("context", 4096)))
        row = st.columns(4)
        s_precision = row[0].selectbox("Weights", serving_precisions,
                                       index=_index(serving_precisions, serving.get("weight_precision")))  # fmt: skip
        s_price = row[1].number_input("$/GPU-hour (0: catalog)", 0.0, 1000.0,
                                      float(serving.get("price") or serving.get("price_per_hour") or 0),
                                      key="plan_serving_price")  # fmt: skip
        s_pricing = row[2].selectbox("Pricing", PRICINGS, index=_index(PRICINGS, serving.get("pricing", "on_demand")),
                                     key="plan_serving_pricing")  # fmt: skip
        st.markdown("**Funding scenario** (as the Funding page reads it; its training and serving costs come from "
                    "the estimates above)")  # fmt: skip
        funding_text = st.text_area("Funding scenario (JSON)", json.dumps(payload["funding"], indent=2), height=260)
        if not st.form_submit_button("Save plan", type="primary"):
            return
    try:
        funding = json.loads(funding_text)
    except json.JSONDecodeError as exc:
        st.error(f"funding: not valid JSON ({exc.msg} at line {exc.lineno}). Nothing was saved.")
        return
    for section in (training, serving):
        for key in ("price_per_hour", "carbon_kg_per_kwh"):
            section.pop(key, None)
    training = _apply_model(training, t_model, t_params)
    training.update(
        tokens=_optional(t_tokens * 1e9), mode=t_mode, gpu=t_gpu, gpus=int(t_count) or None,
        precision=None if t_precision == AUTO else t_precision, start_month=int(t_start), mfu=_optional(t_mfu / 100),
        price=_optional(t_price), pricing=t_pricing,
    )  # fmt: skip
    serving = _apply_model(serving, s_model, s_params)
    serving.update(
        gpu=s_gpu, requests_per_day=int(s_requests), prompt_tokens=int(s_prompt), output_tokens=int(s_output),
        context=int(s_context), weight_precision=None if s_precision == AUTO else s_precision,
        price=_optional(s_price), pricing=s_pricing, start_month=None if s_start is None else int(s_start),
    )  # fmt: skip
    updated = {
        **payload,
        "application": None if application == NO_APPLICATION else application,
        "training": {k: v for k, v in training.items() if v is not None},
        "serving": {k: v for k, v in serving.items() if v is not None},
        "funding": funding,
    }
    try:
        analyze_plan(updated, risk_paths=0)
        save_plan(updated)
    except (plan_error, catalog_error) as exc:
        st.error(f"Nothing was saved. {md(exc)}")
    else:
        st.session_state["plan_flash"] = f"Saved {payload['name']!r}."
        st.rerun()


def show_summary(result: dict) -> None:
    """The verdict in one line, above the editor, so an edit's effect shows at once."""
    from core.formatting import money, months

    verdict = "holds" if result["holds"] else "does not hold yet"
    runway = months(result["runway_months"], result["runway_beyond_months"])
    line = (
        f"**{md(result['name'])}** {verdict}: runway {md(runway)}, training {md(money(result['training_cost_usd']))}, "
        f"serving {md(money(result['serving_monthly_usd']))} a month."
    )
    (st.success if result["holds"] else st.warning)(line)
