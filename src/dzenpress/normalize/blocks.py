"""Markdown as blocks (runs of non-blank lines), leaving fenced code untouched."""

from __future__ import annotations

import re
from collections.abc import Callable

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
BlockFn = Callable[[str], str]


def split_blocks(text: str) -> list[str]:
    """Blocks separated by blank (or whitespace-only) lines; a fenced code block is one block."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is not None:
            current.append(line)
            if line.strip().startswith(fence):
                fence = None
                blocks.append("\n".join(current))  # whatever follows the fence is a block of its own
                current = []
            continue
        m = _FENCE.match(line)
        if m:
            fence = m.group(1)
            if current:  # a fence interrupts a paragraph: code is always a block of its own
                blocks.append("\n".join(current))
            current = [line]
            continue
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if fence is not None:  # a fence never closed runs to the end; blank lines there are not its content
        while current and not current[-1].strip():
            current.pop()
    if current:
        blocks.append("\n".join(current))
    return blocks


def join_blocks(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b.strip()) + "\n" if any(b.strip() for b in blocks) else ""


def is_code(block: str) -> bool:
    return bool(_FENCE.match(block)) or all(line.startswith(("    ", "\t")) for line in block.split("\n"))


_LIST_START = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s")


def continues_list(blocks: list[str], i: int) -> bool:
    """An indented block right after a list item is that item's content, not a code block."""
    j = i - 1
    while j >= 0 and blocks[j].startswith(("    ", "\t")):
        j -= 1
    return j >= 0 and j < i and bool(_LIST_START.match(blocks[j].rsplit("\n", 1)[-1] if j == i - 1 else blocks[j]))


def map_blocks(text: str, fn: Callable[[str], str | list[str]]) -> str:
    out: list[str] = []
    for block in split_blocks(text):
        if is_code(block):
            out.append(block)
            continue
        result = fn(block)
        out.extend(result if isinstance(result, list) else [result])
    return join_blocks(out)
