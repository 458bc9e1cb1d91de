"""Text rules every store and page share: how a user-given name compares, how text shows through Markdown exactly
as written, and how CSV cells stay inert."""

from __future__ import annotations

import re
import string
import unicodedata

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def clean_name(name: str | None, error: type[Exception], thing: str, max_length: int = 200) -> str:
    """A stored record's name without outer spaces; `error` names the field when it is empty or too long."""
    cleaned = (name or "").strip()
    if not cleaned:
        raise error(f"name: give the {thing} a name")
    if len(cleaned) > max_length:
        raise error(f"name: at most {max_length} characters")
    return cleaned


def name_key(name: str) -> str:
    """The form two names are compared in: Unicode-compatible (NFKC), case-folded, single-spaced. "ÉCOLE  AI" and
    "école ai" are one name, and so are "Ｈ100 SXM" (full-width H) and "h100 sxm"."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name or "").casefold())
    return " ".join(folded.split())


def defuse_csv_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; everything else is unchanged.
    Numbers are left alone so a negative figure stays a number. A cell that already reads like a defused one gets
    one more, so `undefuse_csv_cell` gives back exactly what was exported."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def undefuse_csv_cell(value: object) -> object:
    """The cell as it was before `defuse_csv_cell`, for importing the app's own exports."""
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


# CommonMark lets a backslash escape any ASCII punctuation. Escaping all of it leaves no link, image, emphasis, code,
# heading, list, HTML, LaTeX ($) or Streamlit directive (:red[...]) that could start.
_MARKDOWN_ESCAPES = {ord(char): "\\" + char for char in string.punctuation}
# GitHub-flavoured Markdown also turns bare addresses into links after parsing, escapes or not: "http://…",
# "mailto:…", "www.…" and "name@host". An invisible zero-width space inside each pattern keeps it plain text.
ZERO_WIDTH_SPACE = "\u200b"
_AUTOLINK_BREAKS = (
    (re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)"), ":" + ZERO_WIDTH_SPACE),
    (re.compile(r"(?i)\b(mailto|xmpp):"), r"\1:" + ZERO_WIDTH_SPACE),
    (re.compile(r"(?i)\bwww(?=\.)"), "www" + ZERO_WIDTH_SPACE),
    (re.compile(r"(?<=[\w.+-])@(?=[\w-])"), ZERO_WIDTH_SPACE + "@"),
)


def inert_html(text: object) -> str:
    """Text a user gave, as a Plotly chart label: Plotly renders a little HTML in labels, titles and legends, links
    included, so the angle brackets go in as entities, which it shows as the characters themselves."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_markdown(text: object) -> str:
    """Text a user gave (a name, a description, a query parameter, an error quoting either) as it should read when
    Streamlit renders it as Markdown: exactly as written, with nothing in it becoming a link or an image."""
    text = str(text)
    for pattern, replacement in _AUTOLINK_BREAKS:
        text = pattern.sub(replacement, text)
    return text.translate(_MARKDOWN_ESCAPES)
