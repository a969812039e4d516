"""Feed-card teasers a scraper caught above the article: «…Читать далее» and paragraphs the article repeats."""

from __future__ import annotations

import re

from dzenpress.content.excerpt import to_plain
from dzenpress.normalize.blocks import is_code, join_blocks, split_blocks
from dzenpress.normalize.context import Context, squash

_READ_MORE = re.compile(r"(?:\.\.\.|…)?\s*Читать далее\s*$", re.I)
_LOOKAHEAD = 8  # teasers sit in the first blocks, before the article proper
_MIN_DUPLICATE = 20  # characters of a paragraph that must recur for it to count as a copy


def drop_teasers(text: str, ctx: Context) -> str:
    blocks = split_blocks(text)
    plain = [squash(to_plain(b)) if not is_code(b) else "" for b in blocks]
    keep = [True] * len(blocks)
    for i, block in enumerate(blocks[:_LOOKAHEAD]):
        if block.lstrip().startswith(("#", "!", "|", "-", ">")) or is_code(block):
            if block.lstrip().startswith("#"):
                break
            continue
        body = _READ_MORE.sub("", block)
        key = squash(to_plain(body)).rstrip(".")
        later = "".join(plain[i + 1 :])
        if _READ_MORE.search(block) or (len(key) >= _MIN_DUPLICATE and key in later):
            keep[i] = False
    return join_blocks([b for b, k in zip(blocks, keep, strict=True) if k]) if not all(keep) else text
