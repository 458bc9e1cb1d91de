"""A real browser draws digits on the Live Demo canvas with the mouse, stroke by stroke, and the page reads each one.

The strokes come from tests/strokes.py (pen-stroke digits made without MNIST): a 0, a 1 with a flag and a base, an
open 4 and a 7 with a bar, each a drawing the reference model reads offline at the page's pen width; between digits
the Clear button empties the canvas."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from playwright.sync_api import expect

from core.demo.predict import load_model, predict_image
from tests.browser import chromium_page, error_texts, streamlit_server, wait_for_script
from tests.live_demo_model import trained_reference_model
from tests.strokes import CANVAS_PX, digit_strokes, render

DRAWINGS = {0: 2, 1: 0, 4: 2, 7: 0}  # digit: the generator's seed for it
PAGE_PEN_PX = 18  # the Live Demo's default stroke width


def strokes_for(digit: int) -> list:
    strokes, _ = digit_strokes(digit, np.random.default_rng(DRAWINGS[digit]))
    return strokes


def draw(page, strokes) -> None:
    canvas = page.locator("canvas").last
    canvas.wait_for(timeout=120_000)
    box = canvas.bounding_box()
    assert (box["width"], box["height"]) == (CANVAS_PX, CANVAS_PX)
    for stroke in strokes:
        page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1], steps=8)
        # A hand comes to rest before it presses. Pressed at once, the top strip of the canvas still belongs to the
        # toolbar fading in over it, and the stroke is lost.
        page.wait_for_timeout(300)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y)
        page.mouse.up()
        wait_for_script(page)


@pytest.fixture(scope="module")
def demo_home():
    return trained_reference_model()[0]


def test_the_chosen_drawings_are_digits_the_model_reads_offline(demo_home):
    """Guards the browser test below: a wrong answer there is the page's fault, not the drawing's."""
    model = load_model(trained_reference_model()[1])
    for digit in DRAWINGS:
        prediction, _ = predict_image(model, render(strokes_for(digit), PAGE_PEN_PX))
        assert (prediction.digit, prediction.confidence > 0.9) == (digit, True)
    assert [len(strokes_for(digit)) for digit in DRAWINGS] == [1, 2, 2, 2]


def test_digits_drawn_with_the_mouse_are_read_and_clear_empties_the_canvas(data_home, demo_home):
    shutil.copytree(demo_home, data_home)  # the stored run points at the trained model file, which stays in place
    with streamlit_server(data_home) as url, chromium_page() as page:
        page.goto(f"{url}/live_demo")
        expect(page.get_by_text("The canvas is empty")).to_be_visible(timeout=120_000)
        for digit in DRAWINGS:
            draw(page, strokes_for(digit))
            value = page.locator('[data-testid="stMetric"]').filter(has_text="Prediction")
            value = value.locator('[data-testid="stMetricValue"]')
            expect(value).to_have_text(str(digit), timeout=120_000)
            wait_for_script(page)
            assert value.inner_text().strip() == str(digit), f"drew a {digit}"
            assert "The canvas is empty" not in page.inner_text("body")
            assert error_texts(page) == []
            page.get_by_role("button", name="Clear").click()
            wait_for_script(page)
            expect(page.get_by_text("The canvas is empty")).to_be_visible(timeout=60_000)
