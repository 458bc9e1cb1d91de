"""Pitch mode in a real Chromium: the answer really renders at 12rem or more, the big Clear button and Space clear
the canvas, and the canvas's toolbar covers neither the title nor the controls."""

from __future__ import annotations

import shutil

from tests.browser import chromium_page, error_texts, streamlit_server, wait_for_script
from tests.live_demo_model import trained_reference_model

REM_PX = 16


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def draw_a_one(page, canvas) -> None:
    box = canvas.bounding_box()
    x, y = box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.12
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x - step, y + step * box["height"] * 0.037)
    page.mouse.up()


def toolbar_box(page, canvas) -> dict:
    """The canvas's toolbar shows while the pointer is over the canvas."""
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(600)
    return page.locator(".dc-toolbar").first.bounding_box()


def test_pitch_mode_answer_is_large_and_space_clears(data_home):
    home, _ = trained_reference_model()
    shutil.copytree(home, data_home)
    with streamlit_server(data_home) as url, chromium_page() as page:
        page.goto(f"{url}/live_demo")
        wait_for_script(page)
        canvas = page.locator("canvas").last
        canvas.wait_for(timeout=120_000)
        toolbar = toolbar_box(page, canvas)
        for selector in ("h1", '[data-testid="stSlider"]', '[data-testid="stButton"]', '[data-testid="stRadio"]'):
            for index in range(page.locator(selector).count()):
                assert not overlaps(toolbar, page.locator(selector).nth(index).bounding_box()), selector

        page.get_by_text("Pitch mode").click()
        clear = page.locator(".st-key-demo_pitch_clear button")
        clear.wait_for(timeout=120_000)
        wait_for_script(page)
        assert page.locator('[data-testid="stSidebar"]').is_hidden()
        canvas = page.locator("canvas").last
        assert canvas.bounding_box()["width"] == 420
        assert not overlaps(toolbar_box(page, canvas), page.locator("h1").bounding_box())
        assert clear.bounding_box()["height"] >= 64 and clear.bounding_box()["width"] >= 400

        draw_a_one(page, canvas)
        answer = page.locator("div.pitch-digit, div.pitch-unsure").first
        answer.wait_for(timeout=120_000)
        wait_for_script(page)
        size_px = float(page.evaluate("(element) => getComputedStyle(element).fontSize", answer.element_handle())[:-2])
        if "pitch-digit" in answer.get_attribute("class"):
            assert answer.inner_text().strip() == "1"
            assert size_px >= 12 * REM_PX
        else:  # a model that is not sure says so, in large type too
            assert "not sure" in answer.inner_text() and size_px >= 2 * REM_PX
        assert page.locator("div.pitch-bar").count() == 1 and "answered in" in page.inner_text("body")

        page.mouse.click(5, 5)  # the focus on the page, not in a widget
        page.keyboard.press("Space")
        page.get_by_text("The canvas is empty").wait_for(timeout=60_000)
        assert page.locator("div.pitch-digit, div.pitch-unsure").count() == 0
        assert error_texts(page) == []
