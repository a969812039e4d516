"""Hard line breaks (two trailing spaces) that really separate paragraphs become paragraph breaks.

A break stays a line break only inside what reads as one unit: a line that does not end a sentence
(an address, a poem, a sentence wrapped mid-way). Kept breaks are written as a trailing backslash,
which survives editors that strip trailing spaces.
"""

from __future__ import annotations

import re

from dzenpress.normalize.blocks import continues_list, is_code, join_blocks, split_blocks

_HARD = re.compile(r"(?: {2,}|\t+|\\)$")
_ENDS_SENTENCE = re.compile(r"[.!?…:;»\"”)]\s*$|[.!?…][*_]+\s*$")
_STARTS_ITEM = re.compile(r"^\s*(?:\\?[-–•●▪*+]\s|\d+\\?[.)]\s|[*_]{1,2}\d+\\?\.|!\[)")
_EMPHASIS_LINE = re.compile(r"^\s*(\*\*|__|[*_])(?=\S).+?(?<=\S)\1[:.]?\s*$")
_SOFT_ITEM = re.compile(r"^\s*(?:\\-|[•●▪])\s")
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")


def split_breaks(text: str, ctx: object) -> str:
    blocks = split_blocks(text)
    out: list[str] = []
    for i, block in enumerate(blocks):
        if is_code(block):
            out.append(_backslash_breaks(block) if continues_list(blocks, i) else block)
        else:
            out.extend(_split_block(block))
    return join_blocks(out)


def _backslash_breaks(block: str) -> str:
    """Inside a list item only the form of a hard break changes: the structure is the author's."""
    lines = block.split("\n")
    fixed = [line.rstrip() + "\\" if re.search(r"(?: {2,}|\t+)$", line) else line.rstrip() for line in lines[:-1]]
    return "\n".join([*fixed, lines[-1].rstrip()])


_ANY_WORK = re.compile(r"(?: {2,}|\t|\\)\n|\n\s*(?:\\-|[•●▪])\s|!\[|[ \t]+$")


def _split_block(block: str) -> list[str]:
    if not _ANY_WORK.search(block):
        return [block]  # no breaks, images or pseudo-items: nothing to do
    lines = block.split("\n")
    out: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        hard = bool(_HARD.search(line))
        content = _HARD.sub("", line).rstrip()
        if nxt is None:
            out[-1].append(content)
        elif hard and _separates(content, nxt):
            out[-1].append(content)
            out.append([])
        elif hard:
            out[-1].append(content + "\\")
        elif _IMAGE.match(line) or _IMAGE.match(nxt) or _SOFT_ITEM.match(nxt):
            out[-1].append(content)
            out.append([])
        else:
            out[-1].append(line.rstrip())
    return ["\n".join(part) for part in out if any(p.strip() for p in part)]


def _separates(line: str, nxt: str) -> bool:
    return bool(_ENDS_SENTENCE.search(line) or _EMPHASIS_LINE.match(line) or _STARTS_ITEM.match(nxt)
                or _STARTS_ITEM.match(line) or _EMPHASIS_LINE.match(nxt))
