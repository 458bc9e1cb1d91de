"""Model Lab through the router with AppTest: training the demo model from the form, the per-run charts with a
single run, the error gallery with saliency, and the scaling lab tab."""

from __future__ import annotations

import json

from tests.apptest import open_page

PAGE = "pages/model_lab.py"


def chart_layout(at, title: str) -> dict:
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        text = spec["layout"].get("title", {}).get("text", "")
        if title in text:
            return spec["layout"]
    raise AssertionError(f"no chart titled {title!r}")


def test_the_form_trains_the_demo_model_and_one_run_charts_read_well():
    at = open_page(PAGE, timeout=600)
    assert not at.exception
    epochs, limit = at.number_input[0], at.number_input[1]
    epochs.set_value(1)
    limit.set_value(300)
    [model_choice] = [radio for radio in at.radio if radio.label == "Model"]
    model_choice.set_value("Demo CNN")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    assert at.success and "test accuracy" in at.success[0].value

    from core.lab.runs import list_runs

    [run] = list_runs()
    assert run["variant"] == "demo" and run["architecture"] == "cnn-16-16-32-32" and run["n_train"] == 300
    throughput = chart_layout(at, "Training throughput per run")
    assert throughput["xaxis"]["type"] == "category"  # one run is one labelled point, not a millisecond time axis
    mfu = chart_layout(at, "MFU (achieved")
    assert mfu["xaxis"]["type"] == "category"
    assert mfu["yaxis"]["range"] == [0, 1] and mfu["yaxis"]["tickformat"] == ".0%"
    gallery = [image for image in at.image if any(c.startswith("read ") for c in image.captions)]
    assert gallery, "the error gallery shows the misread test digits with their saliency"
    assert all(", is " in caption for caption in gallery[0].captions)


def test_scaling_lab_without_a_ladder_says_how_to_run_one():
    at = open_page(PAGE)
    assert not at.exception
    assert any("No ladder stored yet" in info.value for info in at.info)


def test_scaling_lab_shows_the_stored_ladder_its_answers_and_log_log_fits():
    from core.lab.data import load_mnist
    from core.lab.ladder import LadderConfig, run_ladder

    result = run_ladder(
        LadderConfig(epochs=1, widths=(16, 32, 64), data_sizes=(250, 500), include_cnn=False),
        data=load_mnist(limit=1000),
    )
    at = open_page(PAGE)
    assert not at.exception, at.exception
    texts = [markdown.value for markdown in at.markdown]
    assert any("Is bigger always better?" in text for text in texts)
    assert any(result["answers"]["how_much_data"]["text"] == text for text in texts)
    compute = chart_layout(at, "Error against training compute")
    data = chart_layout(at, "Error against training digits")
    for layout in (compute, data):
        assert layout["xaxis"]["type"] == "log" and layout["yaxis"]["type"] == "log"
        assert any(note["text"] == "extrapolation" for note in layout.get("annotations", []))
    table = next(frame for frame in at.dataframe if "training_flops" in frame.value.columns)
    assert list(table.value["run_id"]) == [point["run_id"] for point in result["points"]]
