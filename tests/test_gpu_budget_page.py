"""The GPU Budget page driven with Streamlit AppTest."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.compute.architectures import preset
from core.compute.estimate import ServingInputs, TrainingInputs, estimate_serving, estimate_training
from core.compute.gpus import get_hardware, list_hardware
from core.compute.mfu import effective_mfu, published_runs
from core.formatting import compact, money
from tests import apptest


def open_page(**query) -> AppTest:
    return apptest.open_page("pages/gpu_budget.py", timeout=120, **query)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def metric_starting(at: AppTest, prefix: str) -> tuple[str, str]:
    found = next(m for m in at.metric if m.label.startswith(prefix))
    return found.label, found.value


def errors(at: AppTest) -> list[str]:
    return [apptest.plain(element.value) for element in at.error]


def chart_titles(at: AppTest) -> list[str]:
    import json

    titles = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec.get("layout", {}).get("title", {})
        titles.append(title.get("text", "") if isinstance(title, dict) else str(title))
    return titles


def test_page_opens_with_compact_figures_the_layout_diagram_and_calibration_scores():
    at = open_page()
    assert not at.exception and errors(at) == []
    assert at.title[0].value == "GPU Budget"
    expected = estimate_training(TrainingInputs(params=7e9, gpu=get_hardware("H100 SXM")))
    assert metric(at, "GPU-hours") == compact(expected["gpu_hours"])
    assert metric(at, "Cost") == money(expected["cost_usd"])
    assert metric(at, "With experiments") == money(expected["project_cost_usd"])
    assert all(len(m.value) <= 12 for m in at.metric)  # compact: fits its card
    titles = chart_titles(at)
    assert any(title.startswith("Layout: TP") for title in titles)
    assert len(titles) >= 8
    assert [tab.label for tab in at.tabs] == ["Training", "Serving", "Grounding", "Saved estimates", "Hardware catalog"]
    assert metric(at, "Held-out worst error").endswith("%")


def test_a_preset_carries_its_shape_into_training_and_serving():
    at = open_page()
    at.radio(key="budget_size_from").set_value("Preset").run()
    at.selectbox(key="budget_preset").set_value("llama-2-70b").run()
    at.number_input(key="budget_tokens_b").set_value(2000.0).run()
    assert not at.exception and errors(at) == []
    assert metric(at, "Parameters") == "69B"
    h100 = get_hardware("H100 SXM")
    training = estimate_training(TrainingInputs(architecture=preset("llama-2-70b"), tokens=2e12, gpu=h100))
    assert metric(at, "GPU-hours") == compact(training["gpu_hours"])
    serving = estimate_serving(ServingInputs(architecture=preset("llama-2-70b"), gpu=h100))
    assert metric(at, "Monthly bill") == money(serving["monthly_cost_usd"])
    assert metric(at, "GPUs") == f"{serving['replicas']} × {serving['gpus_per_replica']}"
    at.number_input(key="serve_gpus").set_value(1).run()
    assert any("gpus_per_replica:" in message for message in errors(at))


def test_a_custom_shape_counts_its_parameters_and_a_bad_one_names_the_field():
    at = open_page()
    at.radio(key="budget_size_from").set_value("Custom shape").run()
    assert not at.exception and errors(at) == []
    llama3_8b = preset("llama-3.1-8b")
    shape = {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336, "vocab": 128256}
    for field, value in shape.items():
        at.number_input(key=f"budget_{field}").set_value(value)
    at.run()
    assert metric(at, "Parameters from the shape") == compact(llama3_8b.params())
    at.number_input(key="budget_kv_heads").set_value(5).run()
    assert any(message.startswith("No estimate: kv_heads:") for message in errors(at))


def test_query_params_prefill_the_estimate_the_gpu_and_show_the_scenario():
    at = open_page(params="70e9", active_params="20e9", tokens="2e12", gpu="A100 80GB SXM", scenario="Legal *copilot*")
    assert not at.exception and errors(at) == []
    assert at.session_state["budget_params_b"] == pytest.approx(70)
    a100 = get_hardware("A100 80GB SXM")
    expected = estimate_training(TrainingInputs(params=70e9, active_params=20e9, tokens=2e12, gpu=a100))
    assert metric(at, "GPU-hours") == compact(expected["gpu_hours"])
    assert any("Legal \\*copilot\\*" in info.value for info in at.info)  # shown as typed, not as emphasis
    serving = estimate_serving(ServingInputs(params=70e9, active_params=20e9, gpu=a100))
    assert metric(at, "Monthly bill") == money(serving["monthly_cost_usd"])


def test_a_bad_link_value_is_reported_naming_the_field():
    at = open_page(params="lots", gpu="Z9000")
    assert not at.exception
    assert any(message.startswith("params:") for message in errors(at))
    assert any(message.startswith("gpu:") and "pick a GPU" in message for message in errors(at))


def test_changing_an_input_updates_the_estimate_and_bad_input_names_the_field():
    at = open_page()
    before = metric(at, "GPU-hours")
    at.number_input(key="budget_params_b").set_value(13.0).run()
    expected = estimate_training(TrainingInputs(params=13e9, gpu=get_hardware("H100 SXM")))
    assert metric(at, "GPU-hours") == compact(expected["gpu_hours"]) != before
    at.number_input(key="budget_params_b").set_value(0.0).run()
    assert not at.exception
    assert any("params:" in message for message in errors(at))
    at.number_input(key="budget_params_b").set_value(70.0).run()
    at.number_input(key="budget_gpus").set_value(1).run()
    assert any(message.startswith("No estimate: gpus:") and "at least" in message for message in errors(at))
    at.number_input(key="budget_gpus").set_value(0).run()
    at.selectbox(key="budget_gpu").set_value("T4").run()
    assert any("precision: the T4 has no BF16" in message for message in errors(at))


def test_a_huge_fleet_shows_a_compact_duration_and_says_gpus_idle():
    at = open_page()
    at.number_input(key="budget_params_b").set_value(1.3).run()
    at.number_input(key="budget_gpus").set_value(131072).run()
    assert not at.exception and errors(at) == []
    label, value = metric_starting(at, "Wall-clock on")
    assert "0.0" not in value and ("min" in value or " h" in value)
    assert any("nothing to do" in warning.value for warning in at.warning)


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
    assert metric(at, "GPU-hours") == compact(expected["gpu_hours"])
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
    # Enter in the name box already submitted it: Save again for the same estimate is no clash.
    at.text_input(key="save_name").input("7B plan")
    next(button for button in at.button if button.label == "Save estimate").click().run()
    assert errors(at) == [] and any(apptest.plain(s.value) == "Already saved as '7B plan'." for s in at.success)
    at.number_input(key="budget_tokens_b").set_value(1000.0)  # a different estimate under the same name clashes
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


def test_a_saved_estimate_opens_in_funding_with_its_costs():
    at = open_page(params="7e9", tokens="2e12")
    at.text_input(key="save_name").input("7B plan")
    next(button for button in at.button if button.label == "Save estimate").click().run()
    at.button(key="saved_funding").click().run()
    assert not at.exception and errors(at) == []
    assert at.title[0].value == "Funding"
    assert at.query_params["estimate"] == "7B plan"
    assert any(markdown.value.startswith("**Compute costs from 7B plan") for markdown in at.markdown)
