"""Dzen page chrome around the article: cut by structure first, by known phrases second.

Before the article: everything textual above the `# Title` line (channel link, subscriber count,
«Подписаться», ad banners) and the run of meta lines right after it (doubled date, views, «N мин»).
After it: everything from the first end-of-article marker (subscribe box, comments widget, topic
cards, recommendations) on, then any trailing chrome-only blocks (hashtags, «Реклама», counters).
"""

from __future__ import annotations

import re

from dzenpress.chrome import is_chrome_line
from dzenpress.normalize.blocks import join_blocks, split_blocks
from dzenpress.normalize.context import Context, squash

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_LINK_STUB = re.compile(r"^\s*(?:\[|\]\([^)]*\)\[?|\[[^\]]*\]\((?:/[\w.\-]+|https?://dzen\.ru/[\w.\-]+)/?\)\[?)\s*$")
_END_MARKERS = re.compile(
    r"^\s*(?:Подпишитесь на канал|Не пропустите новые публикации|Комментарии\s*\d*\s*$|\d+\s*/\s*2500\s*$|"
    r"Войти,? чтобы комментировать|Взгляните на эти темы|Рекомендуем почитать|Читайте также на Дзене|"
    r"Следить за темой|Найти тему\s*$|\]\((?:https?://dzen\.ru)?/(?:topic/|explore)|"
    r"\]\(https?://dzen\.ru/a/[^)]*[?&](?:from|place)=)",
    re.I,
)
_HASHTAGS = re.compile(r"^(?:#[^\s#]+\s*)+$")
_SHORT = 60


def strip_head(text: str, ctx: Context) -> str:
    lines = text.split("\n")
    h1 = _title_line(lines, ctx.title)
    if h1 is None:
        return _drop_leading_chrome(text)
    before = lines[:h1]
    if not all(_head_chrome(line) for line in before):
        return text
    kept = [line for line in before if _IMAGE_LINE.match(line)]
    after = split_blocks("\n".join(lines[h1 + 1 :]))
    while after and is_chrome_line(after[0]):
        after.pop(0)
    return join_blocks([*kept, lines[h1], *after])


def strip_tail(text: str, ctx: Context) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if i > 0 and _END_MARKERS.match(line):
            lines = lines[:i]
            break
    blocks = split_blocks("\n".join(lines))
    while blocks and _tail_chrome(blocks[-1]):
        blocks.pop()
    return join_blocks(blocks)


def _title_line(lines: list[str], title: str) -> int | None:
    want = squash(title)
    for i, line in enumerate(lines[:80]):
        m = _H1.match(line)
        if m and want and squash(m.group(1)) == want:
            return i
    return None


def _head_chrome(line: str) -> bool:
    """Above the title only chrome may stand: short UI strings, channel links, banners, images."""
    stripped = line.strip()
    if not stripped or _IMAGE_LINE.match(line) or _LINK_STUB.match(line) or is_chrome_line(stripped):
        return True
    return len(stripped) <= _SHORT and not re.search(r"[.!?…]\s*$", stripped)


def _drop_leading_chrome(text: str) -> str:
    blocks = split_blocks(text)
    start = 0
    while start < len(blocks) and _removable_lead(blocks[start]):
        start += 1
    return text if start == 0 else join_blocks(blocks[start:])


def _removable_lead(block: str) -> bool:
    return all(_LINK_STUB.match(line) or is_chrome_line(line) for line in block.split("\n") if line.strip())


def _tail_chrome(block: str) -> bool:
    lines = [line for line in block.split("\n") if line.strip()]
    return all(_HASHTAGS.match(line.strip()) or _LINK_STUB.match(line) or is_chrome_line(line) for line in lines)
