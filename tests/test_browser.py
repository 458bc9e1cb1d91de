"""Every page, opened in a real headless Chromium against `streamlit run app.py` with a trained reference model,
renders without an error box; each page's screenshot is kept small enough for the README (tests/screenshots.py)."""

from __future__ import annotations

import shutil

from PIL import Image

from app import PAGES
from tests.browser import chromium_page, error_texts, streamlit_server, wait_for_script
from tests.live_demo_model import trained_reference_model
from tests.screenshots import MAX_BYTES, VIEWPORT, save_screenshot, screenshot_dir, wait_for_charts


def test_every_page_renders_without_error_and_is_photographed(data_home, tmp_path):
    home, _ = trained_reference_model()
    shutil.copytree(home, data_home)  # the stored run points at the trained model file, which stays in place
    folder = screenshot_dir(tmp_path / "screenshots")
    with streamlit_server(data_home) as url, chromium_page(VIEWPORT) as page:
        failures = {}
        for entry in PAGES:
            page.goto(f"{url}/{entry.url_path}")
            wait_for_script(page)
            wait_for_charts(page)
            name = entry.url_path or "home"
            if errors := error_texts(page):
                failures[name] = errors
            title = page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()
            assert title == ("ModelRunway" if entry is PAGES[0] else entry.title), name
            path = folder / f"{name}.png"
            save_screenshot(page, path)
            assert path.stat().st_size < MAX_BYTES, (name, path.stat().st_size)
            with Image.open(path) as image:
                assert image.size == (900, 600)
                assert len(image.convert("RGB").getcolors(4096) or range(4097)) > 8, f"{name}: a blank screenshot"
        assert failures == {}
