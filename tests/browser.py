"""Browser-test helpers: a real `streamlit run app.py` on a free port, driven by Debian's Chromium via Playwright."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from core.lab.startup import chromium_browser, free_port, streamlit_server  # noqa: F401 - re-exported for tests

ERROR_SELECTORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@contextlib.contextmanager
def chromium_page(viewport: dict | None = None) -> Iterator[object]:
    with chromium_browser() as browser:
        yield browser.new_page(viewport=viewport or {"width": 1400, "height": 1000})


def wait_for_script(page, timeout_ms: int = 60_000) -> None:
    """Until the page's script has rendered and finished running."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1, [data-testid="stException"]', timeout=timeout_ms)
    # The app root carries the script's run state; "notRunning" once this run has finished (or stopped).
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_timeout(500)


def error_texts(page) -> list[str]:
    return [element.inner_text() for element in page.query_selector_all(ERROR_SELECTORS)]
