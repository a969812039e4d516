"""Feed-card teasers a scraper caught above the article.

A teaser is the card text Dzen shows before the article: paragraphs ending in «…Читать далее», or
paragraphs that stand above the article's first images and are repeated by the article below them.
Only a whole copy counts: every paragraph above the images recurs below them, and the text below
begins with the first of them. A paragraph repeated anywhere else is the author's and stays.
"""

from __future__ import annotations

import re

from dzenpress.content.excerpt import to_plain
from dzenpress.normalize.blocks import is_code, join_blocks, split_blocks
from dzenpress.normalize.context import Context, squash

_READ_MORE = re.compile(r"(?:\.\.\.|…)?\s*Читать далее\s*$", re.I)
_IMAGE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_LOOKAHEAD = 8  # teasers sit in the first blocks, before the article proper
_MIN_DUPLICATE = 20  # characters of a paragraph that must recur for it to count as a copy


def drop_teasers(text: str, ctx: Context) -> str:
    blocks = split_blocks(text)
    first_text = next((i for i, b in enumerate(blocks) if not _IMAGE.match(b)), len(blocks))
    images = next((i for i in range(first_text, min(len(blocks), first_text + _LOOKAHEAD))
                   if _IMAGE.match(blocks[i])), None)
    drop: set[int] = set()
    for i in range(first_text, images if images is not None else min(len(blocks), first_text + _LOOKAHEAD)):
        block = blocks[i]
        if block.lstrip().startswith(("#", "|", ">")) or is_code(block):
            break
        if _READ_MORE.search(block):
            drop.add(i)
    if images is not None and images > first_text:
        drop |= _copied_lead(blocks, first_text, images)
    return join_blocks([b for i, b in enumerate(blocks) if i not in drop]) if drop else text


def _sentences(block: str) -> list[str]:
    plain = to_plain(_READ_MORE.sub("", block))
    return [k for k in (squash(x) for x in _SENTENCE.split(plain)) if k]


def _copied_lead(blocks: list[str], start: int, images: int) -> set[int]:
    region = [i for i in range(start, images) if not _READ_MORE.search(blocks[i])]
    if any(blocks[i].lstrip()[:1] in ("#", ">", "-", "|", "*") or is_code(blocks[i]) for i in region):
        return set()  # a teaser is plain card text
    teaser = [s for i in region for s in _sentences(blocks[i])]
    if not teaser or sum(map(len, teaser)) < _MIN_DUPLICATE:
        return set()
    text_below = [b for b in blocks[images:] if not _IMAGE.match(b) and not is_code(b)]
    if teaser[0] not in [s for b in text_below[:3] for s in _sentences(b)][:3]:
        return set()
    below = {s for b in text_below for s in _sentences(b)}
    return set(region) if set(teaser) <= below else set()
