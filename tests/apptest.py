"""Pages under AppTest the way a browser opens them: through the router (app.py), on one page's address."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

HOME = "pages/home.py"


def plain(markdown: str) -> str:
    """What a reader sees of Markdown whose user text was escaped (core.text.escape_markdown): the backslashes and
    the zero-width spaces that keep addresses from becoming links go."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def open_page(page: str = HOME, timeout: float = 120, run: bool = True, **query: str) -> AppTest:
    """The app opened on `page` (a path like "pages/funding.py") with `query` as the link's query parameters."""
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=timeout)
    if page != HOME:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run() if run else at
