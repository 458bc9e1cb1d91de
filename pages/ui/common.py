"""What every page shares: the page list the router shows, page set-up, and the training progress bar."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageEntry:
    path: str  # relative to the project root, where app.py (the router) lives
    title: str
    icon: str
    section: str

    @property
    def url_path(self) -> str:
        """The page's address under the app's URL: the file's name, or nothing for the home page."""
        return "" if self is PAGES[0] else Path(self.path).stem


# The router shows these in order; the first is the home page. Material icons: this browser draws no emoji.
PAGES = (
    PageEntry("pages/home.py", "Home", ":material/home:", "Plan"),
    PageEntry("pages/funding.py", "Funding", ":material/savings:", "Plan"),
    PageEntry("pages/gpu_budget.py", "GPU Budget", ":material/memory:", "Plan"),
    PageEntry("pages/applications.py", "Applications", ":material/apps:", "Plan"),
    PageEntry("pages/model_lab.py", "Model Lab", ":material/science:", "Proof"),
    PageEntry("pages/live_demo.py", "Live Demo", ":material/draw:", "Proof"),
)
FUNDING_PAGE = "pages/funding.py"
GPU_BUDGET_PAGE = "pages/gpu_budget.py"


@st.cache_resource(show_spinner=False)
def _database_ready(url: str) -> bool:
    from db.schema import database_is_current

    # A current SQLite database is used as it is, without importing SQLAlchemy or Alembic to check it.
    if not database_is_current(url):
        from db.engine import init_db

        init_db(url)
    return True


def configure_page(title: str, layout: str = "wide") -> None:
    st.set_page_config(page_title=f"{title} · ModelRunway", layout=layout)


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
