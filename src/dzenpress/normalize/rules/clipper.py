"""What a clipper's template adds above the article: MarkDownload's `> ## Excerpt` quote and its `---` rule.

The excerpt is the page's meta description, repeated; it stands right at the top (after the `# Title`).
"""

from __future__ import annotations

import re

from dzenpress.normalize.blocks import join_blocks, split_blocks
from dzenpress.normalize.context import Context

_EXCERPT = re.compile(r"^>\s*#{1,6}\s*Excerpt\s*$", re.I | re.M)
_RULE = re.compile(r"^\s{0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_H1 = re.compile(r"^#\s")


def drop_excerpt(text: str, ctx: Context) -> str:
    blocks = split_blocks(text)
    start = 1 if blocks and _H1.match(blocks[0]) else 0
    if len(blocks) <= start or not _EXCERPT.match(blocks[start].split("\n", 1)[0]):
        return text
    if not all(line.startswith(">") for line in blocks[start].split("\n")):
        return text
    rest = blocks[start + 1 :]
    if rest and _RULE.match(rest[0].split("\n", 1)[0]):  # the template's `---` (text may follow on the next line)
        rest[0] = rest[0].split("\n", 1)[1] if "\n" in rest[0] else ""
    return join_blocks(blocks[:start] + rest)
