"""The plan in the app: the home page's verdict and cards, links that preload each page, thresholds and estimates
edited with the verdict following at once, and the Plan page's whole-plan actions."""

from __future__ import annotations

from core.formatting import money, percent
from core.plan.analysis import analyze_plan
from core.plan.store import load_plan, plan_names
from tests.apptest import open_page, plain

VERTICAL = "Ambient clinical scribe, fine-tuned 13B"
LAB = "Code model pretraining lab, 34B from scratch"


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def pick(at, name: str):
    at.selectbox(key="plan_picker_home").set_value(name)
    return at.run()


def test_home_shows_the_verdict_and_cards_that_link_with_the_plan():
    at = open_page(timeout=180)
    assert not at.exception
    at = pick(at, LAB)
    result = analyze_plan(load_plan(LAB), risk_paths=10_000)
    assert result["holds"] is False
    assert at.error and "does not hold yet" in at.error[0].value
    shown = metrics(at)
    assert shown["Training run"] == money(result["training_cost_usd"]) and result["training_cost_usd"] > 1e5
    assert shown["Founders at the end"] == percent(result["founder_ownership_final"])
    assert shown[f"Out of cash by month {result['survival_month']}"] == f"{100 * result['p_out_of_cash']:.1f}%"
    failing = [m.value for m in at.markdown if ":red[:material/cancel:]" in m.value]
    assert len(failing) == sum(not c["passed"] for c in result["checks"]) and "Suggested fix" in failing[0]
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert {"Funding", "GPU Budget", "Applications", "Cap table"} <= set(links)
    assert (
        links["GPU Budget"].page == "gpu_budget"
        and "plan=Code+model+pretraining+lab" in links["GPU Budget"].query_string
    )
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Download pitch.html", "Download pitch.pdf"]


def test_links_preload_each_page_with_the_plan():
    result = analyze_plan(load_plan(LAB), risk_paths=0)
    gpu = open_page("pages/gpu_budget.py", timeout=180, plan=LAB)
    assert not gpu.exception and any(LAB in plain(info.value) for info in gpu.info)
    assert gpu.session_state["budget_params_b"] == 34.0 and gpu.session_state["budget_gpus"] == 512
    assert metrics(gpu)["Cost"] == money(result["training_cost_usd"])  # the page and the plan agree

    funding = open_page("pages/funding.py", timeout=180, plan=LAB)
    assert not funding.exception
    compute = funding.session_state["funding_draft"]["costs"]["compute"]
    assert compute["training_cost_usd"] == result["training_cost_usd"]
    assert compute["serving_monthly_usd"] == result["serving_monthly_usd"]

    apps = open_page("pages/applications.py", timeout=180, plan=LAB)
    assert not apps.exception and apps.session_state["app_detail_name"] == "Coding assistants"


def test_thresholds_edited_on_home_change_the_verdict():
    at = pick(open_page(timeout=180), VERTICAL)
    assert at.success and "holds" in at.success[0].value
    survival = next(n for n in at.number_input if n.label.startswith("Survival probability"))
    survival.set_value(99.0)
    next(b for b in at.button if b.label == "Save thresholds").click()
    at.run()
    assert not at.exception
    assert load_plan(VERTICAL).thresholds.min_survival_probability == 0.99
    assert at.error and "does not hold yet" in at.error[0].value


def test_editing_the_estimate_on_the_plan_page_moves_the_runway_at_once():
    at = open_page("pages/plan.py", timeout=180, plan=LAB)
    assert not at.exception
    before = analyze_plan(load_plan(LAB), risk_paths=0)
    price = next(n for n in at.number_input if n.label.startswith("$/GPU-hour") and n.key is None)
    price.set_value(20.0)  # training at $20/GPU-hour instead of the catalog's $2.69
    next(b for b in at.button if b.label == "Save plan").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = analyze_plan(load_plan(LAB), risk_paths=0)
    assert after["training_cost_usd"] == after["training"]["gpu_hours"] * 20.0 > 5 * before["training_cost_usd"]
    assert after["runway_months"] < before["runway_months"]
    assert f"runway {after['runway_months']:.1f} months" in at.warning[0].value.replace("\\", "")
    assert any("Saved" in s.value for s in at.success)


def test_plan_page_creates_duplicates_renames_and_deletes():
    at = open_page("pages/plan.py", timeout=180)
    assert not at.exception
    before = len(plan_names())
    at.text_input(key="plan_new_name").set_value("My plan").run()  # Enter in the name box: a rerun, not a save
    assert "My plan" not in plan_names()
    next(b for b in at.button if b.label == "Create plan").click().run()
    assert "My plan" in plan_names() and at.selectbox(key="plan_picker_plan").value == "My plan"
    assert at.text_input(key="plan_new_name").value == ""  # so a second click cannot create it twice
    next(b for b in at.button if b.label == "Create plan").click().run()
    assert len(plan_names()) == before + 1 and "type a name" in at.error[0].value
    next(b for b in at.button if b.label == "Duplicate").click().run()
    assert "My plan (copy)" in plan_names() and at.selectbox(key="plan_picker_plan").value == "My plan (copy)"
    at.text_input(key="plan_rename_name").set_value("Renamed plan")
    next(b for b in at.button if b.label == "Rename").click().run()
    assert "Renamed plan" in plan_names() and "My plan (copy)" not in plan_names()
    at.checkbox(key="plan_sure").check().run()
    next(b for b in at.button if b.label == "Delete").click().run()
    assert not at.exception and "Renamed plan" not in plan_names()
