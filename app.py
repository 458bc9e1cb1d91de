"""The router: `streamlit run app.py` shows every page in the sidebar, grouped by the question it answers.

A page's script is only imported when it is opened, so the home page pays for nothing the other pages need."""

import streamlit as st

from pages.ui.common import PAGES

sections: dict[str, list] = {}
for entry in PAGES:
    page = st.Page(entry.path, title=entry.title, icon=entry.icon, default=entry is PAGES[0])
    sections.setdefault(entry.section, []).append(page)
st.navigation(sections).run()
