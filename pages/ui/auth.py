"""Sign-in for a team deployment. When .streamlit/secrets.toml has an [auth] section (an OpenID Connect identity
provider), the router shows only a sign-in page until Streamlit's built-in login (st.login) has identified the
visitor. Without that section the app is open, as on a founder's laptop bound to localhost."""

from __future__ import annotations

import streamlit as st


def identity_provider_configured() -> bool:
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def visitor_may_see_pages() -> bool:
    return not identity_provider_configured() or bool(st.user.get("is_logged_in", False))


def sign_in_page() -> None:
    st.set_page_config(page_title="Sign in · ModelRunway", layout="centered")
    st.title("ModelRunway")
    st.write("This dashboard holds the team's plan. Sign in with your team account to open it.")
    if st.button("Sign in", type="primary", icon=":material/login:"):
        st.login()


def signed_in_sidebar() -> None:
    """Who is signed in, and the way out; nothing when the app runs without an identity provider."""
    if not identity_provider_configured():
        return
    with st.sidebar:
        who = st.user.get("email") or st.user.get("name") or "team member"
        st.text(f"Signed in as {who}")  # st.text: the name from the provider is never read as Markdown
        if st.button("Sign out", icon=":material/logout:"):
            st.logout()
