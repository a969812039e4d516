"""Blank-line runs collapsed, trailing spaces that break nothing removed, one final newline."""

from __future__ import annotations

from dzenpress.normalize.blocks import join_blocks, split_blocks


def tidy(text: str, ctx: object) -> str:
    blocks = []
    for block in split_blocks(text):
        lines = block.split("\n")
        # trailing spaces on a block's last line are not a line break: there is nothing after them
        lines[-1] = lines[-1].rstrip()
        blocks.append("\n".join(lines))
    return join_blocks(blocks)
