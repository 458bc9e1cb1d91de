"""Team deployment sign-in: with an identity provider in .streamlit/secrets.toml ([auth]) a visitor who has not
signed in sees only the sign-in page, whatever address they open; without one the app opens as it always has."""

from __future__ import annotations

import pytest

from tests.apptest import HOME, open_page

PROVIDER = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string-for-the-test",
    "client_id": "modelrunway",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://id.example.com/.well-known/openid-configuration",
}


def with_provider(page: str):
    at = open_page(page, run=False)
    at.secrets["auth"] = PROVIDER
    return at.run()


def test_without_an_identity_provider_every_page_is_open():
    at = open_page(HOME)
    assert not at.exception
    assert [button.label for button in at.button if button.label in ("Sign in", "Sign out")] == []
    assert "Pitch pack" in [header.value for header in at.subheader]


def test_with_an_identity_provider_a_visitor_sees_only_the_sign_in_page():
    at = with_provider(HOME)
    assert not at.exception
    assert [button.label for button in at.button] == ["Sign in"]
    assert [title.value for title in at.title] == ["ModelRunway"]
    assert at.subheader.len == 0 and at.metric.len == 0
    with pytest.raises(ValueError, match=r"Known pages: \['Sign in'\]"):
        at.switch_page("pages/funding.py")


def test_a_browser_opening_any_address_gets_the_sign_in_page(tmp_path, monkeypatch, data_home):
    from tests.browser import chromium_page, streamlit_server, wait_for_script

    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[auth]\n" + "".join(f'{key} = "{value}"\n' for key, value in PROVIDER.items()))
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(secrets))
    with streamlit_server(data_home) as url, chromium_page() as page:
        for path in ("", "/funding", "/model_lab"):
            page.goto(url + path)
            wait_for_script(page)
            assert [h1.inner_text() for h1 in page.query_selector_all("h1")] == ["ModelRunway"], path
            assert page.get_by_role("button", name="Sign in").count() == 1, path
            assert page.get_by_text("Pitch pack").count() == 0, path


def test_a_signed_in_member_sees_the_pages_and_who_is_signed_in():
    at = open_page(HOME, run=False)
    at.secrets["auth"] = PROVIDER
    at.user["is_logged_in"] = True
    at.user["email"] = "ada@example.com"
    at.run()
    assert not at.exception
    assert "Pitch pack" in [header.value for header in at.subheader]
    assert "Signed in as ada@example.com" in [text.value for text in at.sidebar.text]
    assert [button.label for button in at.sidebar.button] == ["Sign out"]
