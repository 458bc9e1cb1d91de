"""The router: `streamlit run app.py` shows every page in the sidebar, grouped by the question it answers.

A page's script is only imported when it is opened, so the home page pays for nothing the other pages need. With an
identity provider in .streamlit/secrets.toml ([auth]), a visitor who has not signed in gets only the sign-in page."""

import streamlit as st

from pages.ui.auth import sign_in_page, signed_in_sidebar, visitor_may_see_pages
from pages.ui.common import PAGES

if visitor_may_see_pages():
    sections: dict[str, list] = {}
    for entry in PAGES:
        page = st.Page(entry.path, title=entry.title, icon=entry.icon, default=entry is PAGES[0])
        sections.setdefault(entry.section, []).append(page)
    navigation = st.navigation(sections)
    signed_in_sidebar()
    navigation.run()
else:
    st.navigation([st.Page(sign_in_page, title="Sign in", icon=":material/login:")]).run()
