"""Dzen page chrome around the article: cut by structure first, by known phrases second.

Before the article: everything textual above the `# Title` line (channel link, subscriber count,
«Подписаться», ad banners) and the run of meta lines right after it (doubled date, views, «N мин»).
After it: the run of blocks at the very end that are all chrome by structure (subscribe box, comments
widget, topic and article cards, link stubs, counters, hashtags, «Реклама», and short widget captions
once an end-of-article box has begun). A block of prose, a heading or code ends the run, so text that
only starts like chrome («Рекомендуем почитать книгу…») keeps itself and everything after it.
Between and around the article's blocks: whole ads, recommendation cards and UI boxes as the chrome
model (dzenpress.chrome) recognises them; a part on its own is kept (and reported by `clean`).
"""

from __future__ import annotations

import re

from dzenpress import chrome as model
from dzenpress.chrome import is_chrome_line
from dzenpress.normalize.blocks import is_code, join_blocks, split_blocks
from dzenpress.normalize.context import Context, squash

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_IMAGE_LINE = re.compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_LINK_STUB = re.compile(r"^\s*(?:\[|\]\([^)]*\)\[?|\[[^\]]*\]\((?:/[\w.\-]+|https?://dzen\.ru/[\w.\-]+)/?\)\[?)\s*$")
_HASHTAGS = re.compile(r"^(?:#[^\s#]+\s*)+$")
_EMPTY_LINK = re.compile(r"^\s*\[\]\([^)]*\)\s*$")  # a link with nothing to click: a card's overlay
_EMPTY_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*$")
# the closing line of a card for another Dzen article (recommendations, ads): `](https://dzen.ru/a/…)`
_ARTICLE_CARD = re.compile(r"^\s*\]\(https?://(?:dzen\.ru|zen\.yandex\.\w+)/(?:a|media)/[^)\s]+(?:\s+\"[^\"]*\")?\)\s*$")
_DZEN_CLOSE = re.compile(r"^\s*\]\((?:/|https?://(?:dzen\.ru|zen\.yandex\.\w+)/)")
# the chrome that only stands below an article: the subscribe box, comments, recommendations, topics
_END_MARKER = re.compile(r"^\s*(?:Подпишитесь на канал|Не пропустите новые публикации|Комментарии|\d+\s*/\s*2500|"
                         r"Войти,? чтобы комментировать|Взгляните на эти темы|Рекомендуем почитать|"
                         r"Читайте также на Дзене|Следить за темой|Найти тему)", re.I)
_SENTENCE_END = re.compile(r"[.!?…:;]\s*$")
_LIST_ITEM = re.compile(r"^\d{1,9}[.)]\s")
_CARD_TITLE = 160
_CARD_BLOCKS = 8  # a card holds a picture, a title and a counter or two
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
    while after and not is_code(after[0]) and is_chrome_line(after[0]):
        after.pop(0)
    return join_blocks([*kept, lines[h1], *after])


def strip_ads(text: str, ctx: Context) -> str:
    """Whole ads wherever they sit, before the tail rule takes their label away."""
    stripped, found = model.strip(text, boxes=False)
    return join_blocks(split_blocks(stripped)) if found.cut else text


def strip_inside(text: str, ctx: Context) -> str:
    """Whole ads, cards and UI boxes wherever they sit: between paragraphs, around images, after lists."""
    stripped, found = model.strip(text)
    return join_blocks(split_blocks(stripped)) if found.cut else text


def strip_tail(text: str, ctx: Context) -> str:
    """Cut the longest run of blocks at the end that are all chrome by structure; nothing else.

    A prose paragraph, a code block or an image outside a card ends the run, so whatever follows
    an end-of-article phrase used in the article's own prose stays.
    """
    blocks = split_blocks(text)
    flags = _tail_flags(blocks)
    end = len(blocks)
    while end > 0 and flags[end - 1]:
        end -= 1
    return text if end == len(blocks) else join_blocks(blocks[:end])


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
    if stripped.startswith(("```", "~~~")):
        return False  # code is the article's, whatever it says
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
    lines = [line for line in block.split("\n") if line.strip()]
    return not is_code(block) and all(_LINK_STUB.match(line) or is_chrome_line(line) for line in lines)


def _tail_flags(blocks: list[str]) -> list[bool]:
    """For each block: is it chrome by structure? A card is `[` … `](Dzen URL)` around pictures and short lines."""
    flags = [not is_code(block) and _tail_chrome(block) for block in blocks]
    after_marker = False
    for i, block in enumerate(blocks):
        if flags[i] and _END_MARKER.match(block):
            after_marker = True
        elif after_marker and not flags[i] and _ui_label(block):
            flags[i] = True  # a widget's caption below the subscribe box or the comments: not a sentence
        elif not flags[i] and not _IMAGE_LINE.match(block):
            after_marker = False  # the article's text: that box has ended
        if i and not flags[i] and _ARTICLE_CARD.match(blocks[i - 1]) and _card_snippet(block):
            flags[i] = True
        if not (flags[i] and block.rstrip().endswith("[") and not is_code(block)):
            continue
        close = next((j for j in range(i + 1, min(len(blocks), i + _CARD_BLOCKS)) if blocks[j].startswith("](")), None)
        if close is not None and _DZEN_CLOSE.match(blocks[close]):
            inside = range(i + 1, close)
            if all(not is_code(blocks[k]) and _card_content(blocks[k]) for k in inside):
                for k in inside:
                    flags[k] = True
    return flags


def _ui_label(block: str) -> bool:
    line = block.strip()
    return "\n" not in line and len(line) <= _SHORT and not line.startswith(("#", "|", ">", "-", "*", "+", "!", "<")) \
        and not _SENTENCE_END.search(line) and not _LIST_ITEM.match(line)


def _tail_chrome(block: str) -> bool:
    lines = [line for line in block.split("\n") if line.strip()]
    return all(_HASHTAGS.match(line.strip()) or _LINK_STUB.match(line) or _EMPTY_HEADING.match(line)
               or _EMPTY_LINK.match(line) or is_chrome_line(line) for line in lines)


def _card_content(block: str) -> bool:
    """Inside a card: its picture, a topic or channel name, a counter; never a paragraph of prose."""
    lines = [line for line in block.split("\n") if line.strip()]
    return all(_IMAGE_LINE.match(line) or is_chrome_line(line)
               or (len(lines) == 1 and len(line.strip()) <= _CARD_TITLE) for line in lines)


def _card_snippet(block: str) -> bool:
    """The cut-off first lines of a recommended article, right below its card: one paragraph ending in «...»."""
    return "\n" not in block.strip() and block.rstrip().endswith(("...", "…")) and not is_code(block)
