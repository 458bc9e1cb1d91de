"""Every page, opened in a real headless Chromium against `streamlit run app.py`, renders without an error box."""

from __future__ import annotations

from tests.browser import chromium_page, error_texts, streamlit_server, wait_for_script


def page_paths() -> list[str]:
    from pages.ui.common import PAGES

    return [entry.url_path for entry in PAGES]


def test_every_page_renders_without_error(data_home):
    data_home.mkdir(parents=True, exist_ok=True)
    with streamlit_server(data_home) as url, chromium_page() as page:
        failures = {}
        for path in page_paths():
            page.goto(f"{url}/{path}")
            wait_for_script(page)
            errors = error_texts(page)
            if errors:
                failures[path or "home"] = errors
            assert page.locator("h1").count() >= 1, f"page {path or 'home'} rendered no title"
        assert failures == {}
