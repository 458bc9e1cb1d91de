"""Text shown through st.markdown: escaped, so a plan name or a "$2M … $3M" sentence is never markup or maths."""

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:])")


def md(text) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
