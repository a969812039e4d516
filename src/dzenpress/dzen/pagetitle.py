"""An article's title from the page's sources that agree: the page data, og:title, a *closed* h1, the
document `<title>` without the channel's name and Dzen's suffix, twitter:image:alt.

An `<h1>` that the page never closed swallows what follows it (the parser nests the whole article inside
it), so an h1 that holds blocks is not a title source; only its own leading text is, and only as a last
resort. A candidate is taken when another source says the same; when none agree, the most trusted one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

# «… | Яндекс Дзен», «… — Яндекс.Дзен», «… | Дзен», «… - Dzen», «… | Zen» and the long site name.
_PLATFORM = re.compile(r"\s*[|—–-]\s*(?:Яндекс\s*\.?\s*Дзен|Yandex\s*\.?\s*Zen|Дзен|Dzen(?:\.ru)?|Zen)"
                       r"(?:\s*[|—–-]\s*Платформа[^|]*)?\s*$", re.I)
_H1 = ('h1[itemprop="headline"]', "h1.article__title", 'h1[class*="article-render__title"]', "h1")
_BLOCKY = "p, div, figure, blockquote, ul, ol, h2, h3, h4, table, section, article"
_TRAILING = " \t.!?…:;"
LONGEST = 400  # characters: no headline is longer; a candidate that is must be an article swallowed


@dataclass(frozen=True)
class Candidate:
    source: str  # json, og, h1, title, alt, h1-open
    text: str


def page_title(tree: LexborHTMLParser, json_title: str = "", channel: str = "") -> str:
    candidates = candidates_of(tree, json_title, channel)
    for candidate in candidates:
        if candidate.source != "h1-open" and any(_same(candidate.text, other.text) for other in candidates
                                                 if other.source != candidate.source):
            return candidate.text
    return candidates[0].text if candidates else ""


def candidates_of(tree: LexborHTMLParser, json_title: str = "", channel: str = "") -> list[Candidate]:
    found = [Candidate("json", _clean(json_title)), Candidate("og", _clean(_meta(tree, "og:title"))),
             *_h1(tree), Candidate("title", document_title(tree, channel)),
             Candidate("alt", _clean(_meta(tree, "twitter:image:alt") or _meta(tree, "twitter:title")))]
    order = ("json", "og", "h1", "title", "alt", "h1-open")
    usable = [c for c in found if c.text and len(c.text) <= LONGEST]
    return sorted(usable, key=lambda c: order.index(c.source))


def document_title(tree: LexborHTMLParser, channel: str = "") -> str:
    """`<title>` without Dzen's suffix and the channel's name («Title | Channel | Яндекс Дзен»)."""
    node = tree.css_first("head title") or tree.css_first("title")
    text = _clean(node.text() if node is not None else "")
    without = _PLATFORM.sub("", text)
    if without == text:
        return text
    if channel and without.endswith(channel):
        return _clean(re.sub(r"\s*[|—–-]\s*$", "", without[: -len(channel)]))
    head, sep, _tail = without.rpartition(" | ")
    return _clean(head) if sep and head else without


def _h1(tree: LexborHTMLParser) -> list[Candidate]:
    for selector in _H1:
        node = tree.css_first(selector)
        if node is None:
            continue
        if node.css_first(_BLOCKY) is None:
            return [Candidate("h1", _clean(node.text(separator=" ")))]
        return [Candidate("h1-open", _leading_text(node))]
    return []


def _leading_text(node: LexborNode) -> str:
    """The text of an unclosed h1 before the first block it swallowed."""
    parts: list[str] = []
    child = node.child
    while child is not None:
        if child.tag not in ("-text", "b", "strong", "i", "em", "span", "a", "u", "s", "br"):
            break
        parts.append(child.text(separator=" ") or "")
        child = child.next
    return _clean(" ".join(parts))


def _meta(tree: LexborHTMLParser, name: str) -> str:
    node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"]')
    return str(node.attributes.get("content") or "") if node is not None else ""


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split()).strip(_TRAILING)


def _same(a: str, b: str) -> bool:
    return bool(a) and _key(a) == _key(b)
