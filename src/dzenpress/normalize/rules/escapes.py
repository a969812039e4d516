"""Backslash escapes a converter added where Markdown needs none (`г\\.`, `\\(`, `snake\\_case`).

An escape is removed only when the paragraph renders to exactly the same HTML without it.
"""

from __future__ import annotations

import re

from dzenpress import cmark
from dzenpress.normalize.blocks import map_blocks

_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~])")


def _html(text: str) -> str:
    return cmark.html(text.encode())


def drop_escapes(text: str, ctx: object) -> str:
    return map_blocks(text, _unescape_block)


def _unescape_block(block: str) -> str:
    if "\\" not in block:
        return block
    want = _html(block)
    everything = _ESCAPE.sub(r"\1", block)
    if _html(everything) == want:
        return everything
    result = block
    for m in reversed(list(_ESCAPE.finditer(block))):
        trial = result[: m.start()] + m.group(1) + result[m.end() :]
        if _html(trial) == want:
            result = trial
    return result
