"""The router: `streamlit run app.py` shows every page in the sidebar, grouped by the question it answers.

The page list lives here, beside the router, so the home page's first paint imports almost nothing from the project;
a page's script is only run when it is opened. Importing this module (`from app import PAGES`) only reads the list.
With an identity provider in .streamlit/secrets.toml ([auth]), a visitor who has not signed in gets only the sign-in
page."""

from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st


@dataclass(frozen=True)
class PageEntry:
    path: str  # relative to the project root, where this router lives
    title: str
    icon: str
    section: str

    @property
    def url_path(self) -> str:
        """The page's address under the app's URL: the file's name, or nothing for the home page."""
        return "" if self is PAGES[0] else PurePosixPath(self.path).stem


# Shown in this order; the first is the home page. Material icons: this browser's fonts draw no emoji.
PAGES = (
    PageEntry("pages/home.py", "Home", ":material/home:", "Plan"),
    PageEntry("pages/plan.py", "Plan", ":material/edit_note:", "Plan"),
    PageEntry("pages/funding.py", "Funding", ":material/savings:", "Plan"),
    PageEntry("pages/gpu_budget.py", "GPU Budget", ":material/memory:", "Plan"),
    PageEntry("pages/applications.py", "Applications", ":material/apps:", "Plan"),
    PageEntry("pages/model_lab.py", "Model Lab", ":material/science:", "Proof"),
    PageEntry("pages/live_demo.py", "Live Demo", ":material/draw:", "Proof"),
)


def route() -> None:
    from pages.ui.auth import sign_in_page, signed_in_sidebar, visitor_may_see_pages

    if not visitor_may_see_pages():
        st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
        return
    sections: dict[str, list] = {}
    for entry in PAGES:
        page = st.Page(entry.path, title=entry.title, icon=entry.icon, default=entry is PAGES[0])
        sections.setdefault(entry.section, []).append(page)
    navigation = st.navigation(sections)
    signed_in_sidebar()
    navigation.run()


if __name__ == "__main__":  # Streamlit runs its main script as __main__
    route()
