"""escape_markdown: user text reads exactly as written and cannot start Markdown, LaTeX, directives or autolinks."""

import re
import string

import pytest

from core.text import escape_markdown
from tests.apptest import plain

HOSTILE = [
    "[x](http://127.0.0.1:8000/leak)",
    "![x](http://127.0.0.1:8000/leak.png)",
    "<http://evil.example> <img src=x onerror=alert(1)>",
    "www.evil.example and HTTPS://evil.example/path and mailto:ceo@evil.example and ceo@evil.example",
    "# Heading\n- item\n1. item\n> quote\n---",
    "**bold** _it_ `code` ~~gone~~ $x^2$ :red[alert] :material/home: | a | b |",
    "ÉCOLE AI — 100% (draft) {v2} \\ back\\slash",
]


def _bare_punctuation(escaped: str) -> list[str]:
    """Punctuation marks Markdown would see unescaped."""
    bare, chars = [], iter(escaped)
    for char in chars:
        if char == "\\":
            next(chars, None)
        elif char in string.punctuation:
            bare.append(char)
    return bare


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_reads_as_written_and_starts_nothing(text):
    escaped = escape_markdown(text)
    assert plain(escaped) == text
    assert _bare_punctuation(escaped) == []
    assert not re.search(r"(?i)(https?|mailto):(?!\u200b)|www(?=\\\.)|\w\\@", escaped)


def test_plain_text_is_unchanged_apart_from_escapes():
    assert escape_markdown("Seed VC 2025") == "Seed VC 2025"
    assert escape_markdown(42) == "42"
