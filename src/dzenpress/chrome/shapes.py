"""One line of Markdown, as a part of Dzen's page: which piece of chrome it could be, or prose.

A line's kind says only what it *looks like*. Whether it is cut depends on its neighbours
(`clusters.py`): an ad is a label with short texts, buttons, domains, prices or tracker links around it;
a recommendation card is a link to another article with its teaser and reading time.
"""

from __future__ import annotations

import re
from enum import Enum

from dzenpress.chrome import vocabulary as v


class Kind(Enum):
    BARRIER = "barrier"  # code, a heading, a table, a quote, a list item: the article's structure
    PROSE = "prose"  # sentences: never chrome
    SHORT = "short"  # a short text: an ad's title or slogan, a card's teaser, or the author's own line
    IMAGE = "image"  # an image line (a card's picture, or the article's)
    STUB = "stub"  # a link with no text, `[` or `](…)` halves of a card, a channel link
    STRONG = "strong"  # UI text no author writes as a paragraph (subscribe box, comments, Dzen Pro)
    UI = "ui"  # UI text an author might write too (counters, «Подписаться», «Реклама», dates)
    AD_LABEL = "ad label"
    AGE = "age label"
    CTA = "call to action"
    DOMAIN = "domain"
    PRICE = "price"
    TRACKER = "tracker link"
    LEGAL = "advertiser's legal line"
    RELATED = "related-article link"


# what an ad is made of: any of these may stand between its label and its button
AD_KINDS = frozenset({Kind.AD_LABEL, Kind.AGE, Kind.CTA, Kind.DOMAIN, Kind.PRICE, Kind.TRACKER, Kind.LEGAL})
CHROME_KINDS = frozenset({Kind.STRONG, Kind.UI, Kind.STUB, *AD_KINDS, Kind.RELATED})

_IMAGE_LINE = re.compile(r"^\s*(?:\[\s*)?!\[[^\]]*\]\([^)]*\)(?:\s*\]\([^)]*\))?\s*$")
_STUB = re.compile(r"^\s*(?:\[|\]\([^)]*\)?\[?|\[\]\([^)]*\)?|\[[^\]]*\]\((?:/[\w.\-]+|https?://dzen\.ru/[\w.\-]+)/?\)\[?"
                   r"|#{1,6})\s*$")
# the article's structure: headings, quotes, tables, lists (also a scraper's `\\-`, `–`, `•`, `✔` items), html
_BARRIER = re.compile(r"^\s{0,3}(?:#{1,6}\s+\S|>|\||(?:[-*+–—]|\\-|\d{1,9}\\?[.)])\s+\S|[•●▪◦✔✓➤►→]|```|~~~|<)")
_EMPHASIS_LINE = re.compile(r"^\s*(\*\*|__|\*|_)(?=\S).+(?<=\S)\1\s*$")
_URL = re.compile(r"\]\(\s*<?([^()\s<>]+)|<(https?://[^<>\s]+)>|(?<![(<])\b(https?://\S+)")
_LINK_ONLY = re.compile(r"^\s*(?:\[[^\]]*\]\([^)]*\)?|!\[[^\]]*\]\([^)]*\)|\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)?|"
                        r"<https?://[^>]+>|\[?\s*https?://\S+)\s*$")
_SENTENCES = re.compile(r"[.!?…]+(?=\s|$)")
SHORT = 200  # characters of plain text an ad's text or a card's teaser may have
_MAX_SHORT_SENTENCES = 2


def urls(line: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _URL.finditer(line)]


def classify(line: str) -> Kind:
    stripped = line.strip()
    found = urls(line)
    if found and any(v.RELATED.search(u) for u in found):
        return Kind.RELATED
    if _IMAGE_LINE.match(line):
        return Kind.TRACKER if any(v.AD_HOSTS.match(u) for u in found) else Kind.IMAGE
    if _LINK_ONLY.match(line) and any(v.AD_HOSTS.match(u) or v.AD_PARAMS.search(u) for u in found):
        return Kind.TRACKER
    if _STUB.match(line):
        return Kind.STUB
    if _BARRIER.match(line):
        return Kind.BARRIER
    plain = v.plain_ui_text(stripped)
    if plain is None:
        return Kind.PROSE
    return _text_kind(plain, stripped)


def _text_kind(plain: str, line: str) -> Kind:
    if v.plain_is_strong(plain):
        return Kind.STRONG
    for kind, pattern in ((Kind.AD_LABEL, v.AD_LABEL), (Kind.AGE, v.AGE_ONLY), (Kind.CTA, v.CALLS_TO_ACTION),
                          (Kind.PRICE, v.PRICE), (Kind.DOMAIN, v.DOMAIN)):
        if pattern.fullmatch(plain):
            return kind
    if v.ERID.fullmatch(plain) or (v.LEGAL.fullmatch(plain) and len(plain) <= SHORT):
        return Kind.LEGAL
    if v.is_chrome_line(line):
        return Kind.UI
    if len(plain) <= SHORT and len(_SENTENCES.findall(plain)) <= _MAX_SHORT_SENTENCES \
            and not _EMPHASIS_LINE.match(line):
        return Kind.SHORT
    return Kind.PROSE


def cut_off(line: str) -> bool:
    """A card's teaser as Dzen cuts it: ending in «…» or «...»."""
    return line.rstrip().endswith(("...", "…"))


_WORD = re.compile(r"[^\W\d_]{4,}")
# words any text uses, whatever its topic: they tell nothing about whose a text is
_COMMON_WORDS = (
    "сегодня сейчас прямо очень всегда можно более менее также только здесь нужно после через когда если чтобы "
    "этот этого этом этой эти этих того тоже уже даже вместе каждый весь всего всех всем вами ваша ваши ваше "
    "наша наши наше который которая которые которых свой своей свои будет есть было быть была были могут может "
    "просто сразу лучше самый самая самые новый новая новые много мало почему потому тогда теперь больше"
)
_COMMON = frozenset(w[:5] for w in _COMMON_WORDS.split(" "))


def stems(text: str) -> set[str]:
    """Content words, cut to five letters (Russian endings vary): what tells an ad's topic from the article's."""
    return {w[:5] for w in _WORD.findall(text.lower())} - _COMMON
