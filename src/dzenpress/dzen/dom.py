"""A page's DOM with its nesting bounded, in time linear in the page's size.

lexbor's tree builder looks up the stack of open elements for every block tag it meets, so a page of
100,000 nested `<div>` costs it tens of seconds; and no walk of such a tree is cheap. Real Dzen pages nest
about 50 deep. One linear pass over the tags finds the nesting first; tags that would open deeper than
MAX_DEPTH are taken out (with their end tags), their text staying in place, before lexbor parses the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

MAX_DEPTH = 256
# Elements without an end tag, and those whose end tag HTML lets an author leave out (the parser closes
# them itself, so an unclosed <p> or <li> does not nest).
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "keygen"))
_SELF_CLOSING = frozenset(("p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
                           "rb", "rt", "rp", "colgroup", "caption"))
_FOREIGN = frozenset(("svg", "math"))
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"))
_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)([a-zA-Z][^\s/>]*)[^>]*>", re.S)


@dataclass
class Parsed:
    tree: LexborHTMLParser
    depth: int  # the deepest nesting of the page as written
    flattened: int  # tags taken out because they opened deeper than MAX_DEPTH


def parse(html: str, max_depth: int = MAX_DEPTH) -> Parsed:
    """The page's tree; when it nests deeper than `max_depth`, without the tags below that depth."""
    depth, cuts = _scan(html, max_depth)
    if cuts:
        html = _without(html, cuts)
    return Parsed(LexborHTMLParser(html), depth, len(cuts))


def _scan(html: str, max_depth: int) -> tuple[int, list[tuple[int, int]]]:
    """(deepest nesting, spans of the tags to take out). A stray end tag never goes below zero."""
    depth = deepest = 0
    foreign = 0  # open <svg>/<math>: only there does `/>` close an element (`<div/>` and `<x-y/>` open one)
    open_too_deep: dict[str, int] = {}  # tag name → how many of its deep start tags are still open
    cuts: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _TOKEN.search(html, pos)
        if m is None:
            break
        pos = m.end()
        name = (m.group(2) or "").lower()
        if not name or name in _VOID or name in _SELF_CLOSING:
            continue
        if m.group(0).endswith("/>") and (foreign or name in _FOREIGN):
            continue
        if name in _FOREIGN:
            foreign = max(0, foreign + (-1 if m.group(1) else 1))
        if m.group(1):  # an end tag
            if open_too_deep.get(name):
                open_too_deep[name] -= 1
                cuts.append(m.span())
            depth = max(0, depth - 1)
            continue
        depth += 1
        deepest = max(deepest, depth)
        if depth > max_depth:
            open_too_deep[name] = open_too_deep.get(name, 0) + 1
            cuts.append(m.span())
        if name in _RAW:  # its text is not markup: skip to its end tag
            end = re.compile(rf"</{re.escape(name)}\s*>", re.I).search(html, pos)
            pos = end.start() if end else len(html)
    return deepest, cuts


def _without(html: str, cuts: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    last = 0
    for start, end in cuts:
        parts.append(html[last:start])
        last = end
    parts.append(html[last:])
    return "".join(parts)
