"""A real browser draws a "1" on the Live Demo canvas with the mouse, and the page reads it."""

from __future__ import annotations

import shutil

from tests.browser import chromium_page, error_texts, streamlit_server, wait_for_script
from tests.live_demo_model import trained_reference_model


def test_drawing_a_stroke_on_the_canvas_gets_an_answer(data_home):
    home, _ = trained_reference_model()
    shutil.copytree(home, data_home)  # the stored run points at the trained model file, which stays in place
    with streamlit_server(data_home) as url, chromium_page() as page:
        page.goto(f"{url}/live_demo")
        wait_for_script(page)
        # The drawable canvas is a Streamlit v2 component: Fabric's canvases live in the page, not in an iframe.
        canvas = page.locator("canvas").last
        canvas.wait_for(timeout=120_000)
        box = canvas.bounding_box()
        assert box["width"] == 280 and box["height"] == 280
        page.mouse.move(box["x"] + 190, box["y"] + 40)
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(box["x"] + 190 - step, box["y"] + 40 + step * 10)
        page.mouse.up()
        prediction = page.locator('[data-testid="stMetric"]').filter(has_text="Prediction")
        prediction.wait_for(timeout=120_000)
        wait_for_script(page)
        assert prediction.locator('[data-testid="stMetricValue"]').inner_text().strip() == "1"
        assert "The canvas is empty" not in page.inner_text("body")
        assert error_texts(page) == []
