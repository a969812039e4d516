"""The body's `# Title` that repeats the front-matter title: the page template renders the title."""

from __future__ import annotations

import re

from dzenpress.normalize.blocks import join_blocks, split_blocks
from dzenpress.normalize.context import Context, squash

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def drop_title_h1(text: str, ctx: Context) -> str:
    want = squash(ctx.title)
    blocks = split_blocks(text)
    for i, block in enumerate(blocks[:6]):
        m = _H1.match(block)
        if m and "\n" not in block and want and squash(m.group(1)) == want:
            return join_blocks(blocks[:i] + blocks[i + 1 :])
    return text
