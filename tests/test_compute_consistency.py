"""One serving figure everywhere: the Applications catalog, a saved GPU-budget estimate imported into a funding
plan, and the estimator itself give the same dollars for the same inputs."""

from __future__ import annotations

import pytest

from core.applications.catalog import compute_budget, funding_query, get_scenario
from core.compute.estimate import TrainingInputs, estimate_serving, estimate_training, serving_inputs_for
from core.compute.gpus import resolve_gpu
from core.compute.store import save_estimate
from core.funding.model import compute_from_estimate
from core.funding.store import compute_from_saved_estimate


@pytest.mark.parametrize("name", ["Coding assistants", "Machine translation"])
def test_catalog_saved_estimate_and_funding_import_agree(name):
    scenario = get_scenario(name)
    params, tokens = scenario["typical_params"], scenario["training_tokens"]
    gpu = resolve_gpu("H100 SXM")
    training_inputs = TrainingInputs(params=params, tokens=tokens, gpu=gpu)
    serving_inputs = serving_inputs_for(params, gpu)
    training, serving = estimate_training(training_inputs), estimate_serving(serving_inputs)

    budget = compute_budget(scenario)
    assert budget["serving_monthly_usd"] == serving["monthly_cost_usd"]
    assert budget["training_cost_usd"] == training["cost_usd"]

    save_estimate(name, training_inputs.as_dict(), training, serving_inputs.as_dict(), serving)
    imported = compute_from_saved_estimate(name)
    assert imported.serving_monthly_usd == pytest.approx(serving["monthly_cost_usd"])
    assert imported.training_cost_usd == pytest.approx(training["cost_usd"])

    linked = compute_from_estimate(
        {
            "training_cost_usd": float(funding_query(scenario, budget)["training_cost_usd"]),
            "serving_monthly_cost_usd": float(funding_query(scenario, budget)["serving_monthly_usd"]),
        }
    )
    assert linked.serving_monthly_usd == pytest.approx(imported.serving_monthly_usd, abs=0.01)
    assert linked.training_cost_usd == pytest.approx(imported.training_cost_usd, abs=0.01)


def test_the_gpu_budget_page_and_the_applications_page_show_the_catalogs_dollars():
    from core.applications.catalog import gpu_budget_query
    from core.formatting import money
    from tests import apptest

    scenario = get_scenario("Coding assistants")
    budget = compute_budget(scenario)
    gpu_page = apptest.open_page("pages/gpu_budget.py", timeout=120, **gpu_budget_query(scenario))
    assert not gpu_page.exception
    metrics = {metric.label: metric.value for metric in gpu_page.metric}
    assert metrics["Monthly bill"] == money(budget["serving_monthly_usd"])
    assert metrics["Cost"] == money(budget["training_cost_usd"])
    apps = apptest.open_page("pages/applications.py", timeout=120)
    apps.selectbox(key="app_detail_name").set_value("Coding assistants").run()
    shown = {metric.label: metric.value for metric in apps.metric}
    assert shown["Serving"] == f"{money(budget['serving_monthly_usd'])}/month"
    assert shown["Training compute"] == money(budget["training_cost_usd"])


def test_a_deleted_gpu_is_a_visible_pick_a_gpu_state_on_the_applications_page():
    from core.compute.gpus import delete_hardware
    from tests import apptest

    delete_hardware("H100 SXM")
    apps = apptest.open_page("pages/applications.py", timeout=120)
    apps.selectbox(key="app_detail_name").set_value("Coding assistants").run()
    assert not apps.exception
    shown = {metric.label: metric.value for metric in apps.metric}
    assert shown["Serving"] == shown["Training compute"] == "pick a GPU"
    assert any("Pick a GPU" in warning.value for warning in apps.warning)
