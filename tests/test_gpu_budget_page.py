"""The GPU Budget page driven with Streamlit AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.compute.estimate import ServingInputs, TrainingInputs, estimate_serving, estimate_training
from core.compute.gpus import get_hardware, list_hardware
from core.compute.mfu import effective_mfu, published_runs
from tests import apptest


def open_page(**query) -> AppTest:
    return apptest.open_page("pages/gpu_budget.py", timeout=60, **query)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def errors(at: AppTest) -> list[str]:
    return [element.value for element in at.error]


def test_page_opens_with_title_figures_and_charts():
    at = open_page()
    assert not at.exception and errors(at) == []
    assert at.title[0].value == "GPU Budget"
    expected = estimate_training(TrainingInputs(params=7e9, gpu=get_hardware("H100 SXM")))
    assert metric(at, "GPU-hours") == f"{expected['gpu_hours']:,.0f}"
    assert metric(at, "Cost") == f"${expected['cost_usd']:,.0f}"
    assert len(at.get("plotly_chart")) >= 6
    assert [tab.label for tab in at.tabs] == ["Training", "Serving", "Grounding", "Saved estimates", "Hardware catalog"]


def test_query_params_prefill_the_estimate_and_show_the_scenario():
    at = open_page(params="70e9", active_params="20e9", tokens="2e12", scenario="Legal copilot")
    assert not at.exception and errors(at) == []
    assert at.session_state["budget_params_b"] == pytest.approx(70)
    expected = estimate_training(
        TrainingInputs(params=70e9, active_params=20e9, tokens=2e12, gpu=get_hardware("H100 SXM"))
    )
    assert metric(at, "GPU-hours") == f"{expected['gpu_hours']:,.0f}"
    assert any("Legal copilot" in info.value for info in at.info)
    serving = estimate_serving(ServingInputs(params=70e9, active_params=20e9, gpu=get_hardware("H100 SXM")))
    assert metric(at, "Monthly bill") == f"${serving['monthly_cost_usd']:,.0f}"


def test_a_bad_link_value_is_reported_naming_the_field():
    at = open_page(params="lots")
    assert not at.exception
    assert any(message.startswith("params:") for message in errors(at))


def test_changing_an_input_updates_the_estimate_and_bad_input_names_the_field():
    at = open_page()
    before = metric(at, "GPU-hours")
    at.number_input(key="budget_params_b").set_value(13.0).run()
    expected = estimate_training(TrainingInputs(params=13e9, gpu=get_hardware("H100 SXM")))
    assert metric(at, "GPU-hours") == f"{expected['gpu_hours']:,.0f}" != before
    at.number_input(key="budget_params_b").set_value(0.0).run()
    assert not at.exception
    assert any("params:" in message for message in errors(at))
    at.number_input(key="budget_params_b").set_value(70.0).run()
    at.number_input(key="serve_gpus").set_value(1).run()
    assert any("gpus_per_replica:" in message for message in errors(at))


def test_calibrating_from_a_published_or_a_measured_run_sets_the_mfu(session):
    from db.models import TrainingRun

    session.add(TrainingRun(status="succeeded", device="cpu", device_name="Test CPU", epochs=1, batch_size=32,
                            seed=0, mfu=0.042, cost_usd=0.0001, price_per_hour=0.085))  # fmt: skip
    session.commit()
    at = open_page()
    llama = next(run for run in published_runs() if run.model == "Llama-2-7B")
    options = at.selectbox(key="ground_choice").options
    measured = next(option for option in options if option.startswith("Measured here"))
    assert "4.2%" in measured
    published = next(option for option in options if option.startswith("Published: Llama-2-7B"))
    at.selectbox(key="ground_choice").set_value(published).run()
    at.button(key="ground_use").click().run()
    assert at.session_state["budget_mfu_pct"] == pytest.approx(round(effective_mfu(llama) * 100, 2))
    expected = estimate_training(
        TrainingInputs(params=7e9, gpu=get_hardware("H100 SXM"), mfu=round(effective_mfu(llama) * 100, 2) / 100)
    )
    assert metric(at, "GPU-hours") == f"{expected['gpu_hours']:,.0f}"
    at.selectbox(key="ground_choice").set_value(measured).run()
    at.button(key="ground_use").click().run()
    assert at.session_state["budget_mfu_pct"] == pytest.approx(4.2)
    at.button(key="ground_reset").click().run()
    assert at.session_state["budget_mfu_pct"] is None


def test_save_compare_and_export_an_estimate():
    from core.compute.store import get_estimate

    at = open_page(params="7e9", tokens="2e12")
    at.text_input(key="save_name").input("7B plan")
    next(button for button in at.button if button.label == "Save estimate").click().run()
    assert not at.exception and errors(at) == []
    saved = get_estimate("7B plan")
    expected = estimate_training(TrainingInputs(params=7e9, tokens=2e12, gpu=get_hardware("H100 SXM")))
    assert saved["outputs"]["training_cost_usd"] == pytest.approx(expected["cost_usd"])
    assert saved["outputs"]["training_wall_days"] == pytest.approx(expected["wall_days"])
    assert saved["outputs"]["serving_monthly_cost_usd"] > 0
    assert at.multiselect(key="saved_pick").value == ["7B plan"]
    assert len(at.get("download_button")) == 2
    at.text_input(key="save_name").input("7B plan")
    next(button for button in at.button if button.label == "Save estimate").click().run()
    assert any(message.startswith("Nothing saved. name:") for message in errors(at))


def test_catalog_refuses_impossible_values_and_adds_valid_ones():
    at = open_page()
    before = list_hardware()
    at.text_input(key="catalog_add_name").input("Gaudi 3")
    at.number_input(key="catalog_add_bf16_dense_tflops").set_value(0.0)
    at.number_input(key="catalog_add_memory_gb").set_value(128.0)
    next(button for button in at.button if button.label == "Add").click().run()
    assert any("bf16_dense_tflops:" in message for message in errors(at))
    assert list_hardware() == before
    at.number_input(key="catalog_add_bf16_dense_tflops").set_value(1835.0)
    at.number_input(key="catalog_add_price_per_hour_usd").set_value(3.5)
    next(button for button in at.button if button.label == "Add").click().run()
    assert not at.exception and errors(at) == []
    assert get_hardware("Gaudi 3").bf16_dense_tflops == 1835
    assert "Gaudi 3" in at.selectbox(key="budget_gpu").options
