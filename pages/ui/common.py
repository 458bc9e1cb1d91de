"""What every page shares: the page list, page set-up, and the training progress bar."""

from __future__ import annotations

import streamlit as st

from app import PAGES, PageEntry  # noqa: F401 - the page list lives beside the router; pages link through it
from core.text import escape_markdown, inert_html

__all__ = ["PAGES", "PageEntry", "escape_markdown", "ensure_database", "inert_html", "setup_page",
           "training_progress_bar"]  # fmt: skip

FUNDING_PAGE = "pages/funding.py"
GPU_BUDGET_PAGE = "pages/gpu_budget.py"


# A plain set, not st.cache_resource, whose decorator reads this file's source with `inspect` at import.
_ready_databases: set[str] = set()


def _database_ready(url: str) -> None:
    from db.schema import database_is_current

    # A current SQLite database is used as it is, without importing SQLAlchemy or Alembic to check it.
    if url not in _ready_databases:
        if not database_is_current(url):
            from db.engine import init_db

            init_db(url)
        _ready_databases.add(url)


# A phone-width screen (390 px) wraps a page's tab strip onto a second line instead of hiding tabs past the edge.
PAGE_STYLE = """<style>
[data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap; row-gap: 0.25rem; }
</style>"""


def configure_page(title: str, layout: str = "wide") -> None:
    st.set_page_config(page_title=f"{title} · ModelRunway", layout=layout)
    st.html(PAGE_STYLE)


def ensure_database() -> None:
    """A migrated, seeded database (checked once per process and database URL)."""
    from core.config import database_url

    _database_ready(database_url())


def setup_page(title: str, layout: str = "wide") -> None:
    """Page config plus a migrated, seeded database."""
    configure_page(title, layout)
    ensure_database()


def training_progress_bar():
    """A progress bar and the callback that moves it, for core.lab.train.train(progress=...).

    Redrawn at most every 0.15 s: a fast run reports hundreds of batches a second."""
    import time

    bar = st.progress(0.0, text="Measuring this machine's matrix-multiply peak…")
    last_draw = [0.0]

    def on_progress(event: dict) -> None:
        now = time.perf_counter()
        if not event.get("done") and now - last_draw[0] < 0.15:
            return
        last_draw[0] = now
        fraction = ((event["epoch"] - 1) + event["batch"] / event["steps"]) / event["epochs"]
        text = f"Epoch {event['epoch']}/{event['epochs']} · batch {event['batch']}/{event['steps']}"
        if event.get("done"):
            text += f" · loss {event['loss']:.4f} · accuracy {event['accuracy']:.2%}"
        bar.progress(min(fraction, 1.0), text=text)

    return bar, on_progress
