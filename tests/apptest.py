"""Pages under AppTest the way a browser opens them: through the router (app.py), on one page's address."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

HOME = "pages/home.py"


def open_page(page: str = HOME, timeout: float = 120, run: bool = True, **query: str) -> AppTest:
    """The app opened on `page` (a path like "pages/funding.py") with `query` as the link's query parameters."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=timeout)
    if page != HOME:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run() if run else at
