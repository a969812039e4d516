"""What rules may know besides the text: the post title and which rules are on."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_WORD = re.compile(r"\W+")


@dataclass(frozen=True)
class Context:
    title: str = ""


def squash(text: str) -> str:
    """Lower-case letters and digits only: for comparing titles and duplicated paragraphs."""
    return _NON_WORD.sub("", text.lower()).replace("_", "")
