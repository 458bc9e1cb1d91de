"""Small PNG screenshots of the pages, taken by the browser tests, for the README.

`MODELRUNWAY_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py` refreshes the committed ones; without it they
go to the test's temporary folder, so an ordinary test run leaves the working tree as it was."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image

from tests.conftest import PROJECT_ROOT

VIEWPORT = {"width": 1200, "height": 800}
SCALE = 0.75
COLOURS = 128
MAX_BYTES = 150_000


def screenshot_dir(default: Path) -> Path:
    folder = os.environ.get("MODELRUNWAY_SCREENSHOTS")
    return PROJECT_ROOT / folder if folder else default


VISIBLE_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter((chart) => chart.offsetParent !== null)
    .every((chart) => chart.querySelector('.main-svg'))"""


def wait_for_charts(page, timeout_ms: int = 30_000) -> None:
    """Plotly draws after the script has finished; a screenshot taken earlier shows empty boxes."""
    page.wait_for_function(VISIBLE_CHARTS_DRAWN, timeout=timeout_ms)
    page.wait_for_timeout(2000)


def save_screenshot(page, path: Path) -> Image.Image:
    """The browser's viewport, scaled down and reduced to a small palette (a dashboard has few colours)."""
    shot = Image.open(io.BytesIO(page.screenshot(type="png"))).convert("RGB")
    size = (round(shot.width * SCALE), round(shot.height * SCALE))
    small = shot.resize(size, Image.Resampling.LANCZOS).quantize(COLOURS, dither=Image.Dither.NONE)
    path.parent.mkdir(parents=True, exist_ok=True)
    small.save(path, format="PNG", optimize=True)
    return small
