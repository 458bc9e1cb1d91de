"""Text rules every store and page share: how a user-given name compares, and how CSV cells stay inert."""

from __future__ import annotations

import unicodedata

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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
