"""Text shown through st.markdown: escaped, so a plan name or a "$2M … $3M" sentence is never markup or maths."""

from core.text import escape_markdown


def md(text) -> str:
    """The app's one escape_markdown, under the name the plan pages use."""
    return escape_markdown(text)
