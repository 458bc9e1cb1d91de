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
