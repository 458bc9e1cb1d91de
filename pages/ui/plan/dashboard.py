"""The home page's answer: the plan picker, the verdict with its tests, one card per area linking to its page with
the plan preloaded, the thresholds to edit, and the pitch pack to download."""

from __future__ import annotations

import streamlit as st

from core.formatting import compact, money, months, percent
from pages.ui.plan.state import QUERY_KEY, picker
from pages.ui.plan.text import md

FUNDING_PAGE = "pages/funding.py"
GPU_BUDGET_PAGE = "pages/gpu_budget.py"
APPLICATIONS_PAGE = "pages/applications.py"
MODEL_LAB_PAGE = "pages/model_lab.py"
PLAN_PAGE = "pages/plan.py"


def show_picker(names: list[str]) -> str | None:
    if not names:
        st.info("No plan yet. Create one on the Plan page, or put the shipped examples back there.")
        st.page_link(PLAN_PAGE, label="Open the Plan page", icon=":material/edit_note:")
        return None
    return picker(names, "home", "Plans are created, edited, imported and exported on the Plan page")


def show_verdict(result: dict) -> None:
    if result["holds"]:
        st.success("**The plan holds.** Every test below passes.", icon=":material/check_circle:")
    else:
        failing = sum(not check["passed"] for check in result["checks"])
        st.error(
            f"**The plan does not hold yet:** {failing} of {len(result['checks'])} tests fail.", icon=":material/error:"
        )
    for check in sorted(result["checks"], key=lambda check: check["passed"]):
        mark = ":green[:material/check_circle:]" if check["passed"] else ":red[:material/cancel:]"
        line = f"{mark} **{md(check['label'])}.** {md(check['sentence'])}"
        if check["fix"]:
            line += f"  \n**Suggested fix:** {md(check['fix'])}"
        st.markdown(line)


def _card(title: str, page: str, link_label: str, plan_name: str, metrics: list[tuple[str, str, str | None]]):
    with st.container(border=True):
        st.markdown(f"**{title}**")
        for label, value, help_text in metrics:  # help quotes GPU, application and event names
            st.metric(label, value, help=md(help_text) if help_text else None)
        st.page_link(page, label=link_label, icon=":material/arrow_forward:", query_params={QUERY_KEY: plan_name})


def show_cards(result: dict, plan_name: str) -> None:
    risk_month = result["survival_month"]
    top = st.columns(3)
    with top[0]:
        _card(
            "Runway and survival",
            FUNDING_PAGE,
            "Funding",
            plan_name,
            [
                (
                    "Runway",
                    months(result["runway_months"], result["runway_beyond_months"]),
                    "Planned cash, no overruns",
                ),
                (f"Out of cash by month {risk_month}", percent(result["p_out_of_cash"]), "Share of simulated paths"),
                ("Lowest cash", money(result["lowest_cash_usd"]), f"Month {result['lowest_cash_month']} of the plan"),
            ],
        )
    with top[1]:
        after = result["founder_round"] or "all rounds"
        rounds = len(result["funding"]["cap_table"])
        _card(
            "Cap table",
            FUNDING_PAGE,
            "Cap table",
            plan_name,
            [
                (f"Founders after {md(after)}", percent(result["founder_ownership_after_round"]), "Fully diluted"),
                ("Founders at the end", percent(result["founder_ownership_final"]), f"After {rounds} cap-table events"),
                (
                    "Raised",
                    money(sum(e.get("amount") or 0 for e in result["funding"]["cap_table"])),
                    "SAFEs and rounds",
                ),
            ],
        )
    with top[2]:
        training, serving = result["training"], result["serving"]
        _card(
            "GPU budget",
            GPU_BUDGET_PAGE,
            "GPU Budget",
            plan_name,
            [
                (
                    "Training run",
                    money(result["training_cost_usd"]),
                    f"{training['gpus']} × {training['gpu']}, {training['wall_days']:.1f} days; band "
                    f"{money(training['cost_usd_low'])}–{money(training['cost_usd_high'])}",
                ),
                (
                    "Serving",
                    f"{money(result['serving_monthly_usd'])}/mo",
                    f"{serving['gpus_needed']} × {serving['gpu']} at "
                    f"{compact(result['serving_inputs']['requests_per_day'])} requests a day",
                ),
                (
                    "GPU-hours",
                    compact(training["gpu_hours"]),
                    f"MFU {percent(training['mfu'])} ({training['mfu_source']})",
                ),
            ],
        )
    bottom = st.columns(2)
    with bottom[0]:
        application = result["application"]
        if application:
            _card(
                "Application fit",
                APPLICATIONS_PAGE,
                "Applications",
                plan_name,
                [
                    ("Feasibility", f"{result['application_score']:.0f}/100", application["name"]),
                    ("Regulatory risk", application["regulatory_risk"], None),
                ],
            )
        else:
            _card(
                "Application fit",
                APPLICATIONS_PAGE,
                "Pick one in the catalog",
                plan_name,
                [
                    ("Feasibility", "n/a", "This plan names no application from the catalog"),
                ],
            )
    with bottom[1]:
        run = result["reference_run"]
        if run:
            _card(
                "Reference-run proof",
                MODEL_LAB_PAGE,
                "Model Lab",
                plan_name,
                [
                    (
                        "Test accuracy",
                        f"{run['test_accuracy']:.2%}",
                        f"Run #{run['id']}, {run['n_test']:,} held-out digits",
                    ),
                    (
                        "Samples/s",
                        compact(run["samples_per_second"]),
                        f"MFU {percent(run['mfu'])} on {(run['device'] or '').upper()} ({run['device_name']})",
                    ),
                    ("Cost of the run", money(run["cost_usd"]), f"{run['wall_seconds']:.1f} s"),
                ],
            )
        else:
            _card(
                "Reference-run proof",
                MODEL_LAB_PAGE,
                "Train one in the Model Lab",
                plan_name,
                [
                    ("Test accuracy", "n/a", "No reference run yet: about a minute on a laptop CPU"),
                ],
            )


def show_threshold_editor(payload: dict) -> None:
    """The verdict's numbers, editable; saving stores them with the plan and the verdict follows at once."""
    from core.plan.model import PlanError
    from core.plan.store import save_plan

    thresholds = payload.get("thresholds", {})
    with st.expander("Thresholds of the verdict"), st.form("plan_thresholds"):
        columns = st.columns(2)
        covered = columns[0].number_input(
            "Months of serving the money must cover", 0, 120, int(thresholds.get("serving_months_covered", 12))
        )
        cushion = columns[1].number_input(
            "Months of cash before every raise", 0.0, 60.0, float(thresholds.get("min_cushion_months", 3.0)), step=0.5
        )
        survival = columns[0].number_input(
            "Survival probability at least (%)",
            0.0,
            100.0,
            100 * float(thresholds.get("min_survival_probability", 0.5)),
            step=5.0,
        )
        founders = columns[1].number_input(
            "Founders keep at least (%)",
            0.0,
            100.0,
            100 * float(thresholds.get("min_founder_ownership", 0.5)),
            step=5.0,
        )
        round_name = st.text_input(
            "Check founders after the round named (blank: the first priced round)",
            thresholds.get("founder_round") or "",
        )
        if st.form_submit_button("Save thresholds"):
            updated = {
                **payload,
                "thresholds": {
                    "serving_months_covered": int(covered),
                    "min_cushion_months": float(cushion),
                    "min_survival_probability": survival / 100,
                    "min_founder_ownership": founders / 100,
                    "founder_round": round_name.strip() or None,
                },
            }
            try:
                save_plan(updated)
            except PlanError as exc:
                st.error(str(exc))
            else:
                st.rerun()


def show_pitch_downloads(result: dict) -> None:
    from core.plan.pitch import NO_RENDERER, pdf_renderer, pitch_html, render_pitch

    st.subheader("Pitch pack")
    st.caption("One page per chart: the verdict, funding, GPU budget, application and proof. The HTML opens offline.")
    stem = "".join(ch if ch.isalnum() else "_" for ch in result["name"]).strip("_")[:60] or "plan"
    columns = st.columns(2)
    columns[0].download_button(
        "Download pitch.html",
        lambda: pitch_html(result),
        file_name=f"{stem}_pitch.html",
        mime="text/html",
        icon=":material/download:",
        width="stretch",
    )
    renderer = pdf_renderer()
    columns[1].download_button(
        "Download pitch.pdf",
        lambda: render_pitch(result)[1] or b"",
        file_name=f"{stem}_pitch.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        disabled=renderer is None,
        width="stretch",
    )
    if renderer is None:
        from core.lab.startup import CHROMIUM

        st.caption(md(NO_RENDERER.format(path=CHROMIUM)))
