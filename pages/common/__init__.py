"""What every page shares. Streamlit does not list files in subfolders of pages/ as pages."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner=False)
def _database_ready(url: str) -> bool:
    from db.engine import init_db

    init_db(url)
    return True


def setup_page(title: str, icon: str = "🛫", layout: str = "wide") -> None:
    """Page config plus a migrated, seeded database (once per process and database URL)."""
    from core.config import database_url

    st.set_page_config(page_title=f"{title} · ModelRunway", page_icon=icon, layout=layout)
    _database_ready(database_url())


def page_files() -> list[Path]:
    return sorted(PAGES_DIR.glob("[0-9]*.py"))


def page_label(path: Path) -> str:
    return path.stem.split("_", 1)[-1].replace("_", " ")


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
