"""Dzen's page chrome in the DOM, removed by structure before an article body is converted.

Whatever sits in the body around the author's blocks and is not one of them: ad slots of every network
(Yandex's safeframes and `yatag`, RTB and AdFox containers, tracker links, iframes of ad hosts), subscribe
boxes, channel headers, the article's info line (date, views, reading time), reactions and share bars,
comments, topic grids, recommendation and related-article cards, Дзен Про promos, navigation and footers.

The rule that keeps prose safe: an element is chrome only if it is not an article block, holds no block
and sits in no block (see blocks.py), and either its tag, its class/id words, its links or its frame say
so, or its whole text is one of Dzen's UI strings (chrome.py). An author's paragraph is never cut here,
whatever it says; what its text may still carry is the Markdown normaliser's business.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborNode

from dzenpress.chrome import is_chrome_line
from dzenpress.dzen.blocks import BLOCK_QUERY, is_block

_CHROME_TAGS = frozenset(("header", "footer", "nav", "aside", "form", "button", "yatag", "dialog", "menu"))
# Words of class names, ids and test ids that only page furniture carries.
_CHROME_WORDS = frozenset((
    "ad", "ads", "adv", "advert", "adverts", "advertising", "adfox", "rtb", "direct", "banner", "banners",
    "promo", "sponsored", "sponsor", "subscribe", "subscription", "subscribers", "comments", "comment",
    "discussion", "related", "recommend", "recommended", "recommendation", "recommendations", "similar",
    "carousel", "feed", "topics", "topic", "share", "sharing", "social", "likes", "like", "reactions",
    "reaction", "header", "footer", "navbar", "nav", "navigation", "menu", "sidebar", "publisher", "stats",
    "statistics", "info", "views", "pro", "paywall", "teaser", "suggest", "login", "auth", "cookie", "popup",
    "modal", "help", "feedback", "toolbar", "widget", "rsya", "safeframe", "yandex_rtb", "channel", "author",
))
_PROSE = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "figure", "img"))
_SPLIT = re.compile(r"[^a-zA-Z0-9]+|(?<=[a-z])(?=[A-Z])")
# Hosts of ad networks, counters and their redirectors: a frame or link to one is an ad slot.
_AD_HOSTS = ("an.yandex.ru", "yabs.yandex.ru", "bs.yandex.ru", "awaps.yandex.net", "adfox.ru", "adfox.yandex.ru",
             "yandexadexchange.net", "googlesyndication.com", "doubleclick.net", "googleadservices.com",
             "ad.mail.ru", "ads.vk.com", "r.mail.ru", "mc.yandex.ru", "top-fwz1.mail.ru", "adriver.ru",
             "criteo.com", "mytarget.ru")
_AD_PATHS = ("yastatic.net/safeframe", "/safeframe-bundles/", "dzeninfra.ru/zen/icons/dzen-pro")
_RELATED = ("place=article_related", "from=feed", "from_page=", "utm_referrer=https%3A%2F%2Fdzen.ru")


def remove_chrome(body: LexborNode) -> list[str]:
    """Take the chrome out of `body` in place; the shape of each element removed, in document order.

    Marks (tags, class words, ids, frame and link addresses) are read on every element; content (links,
    frames, UI text: a look at the element's whole subtree) only on the elements that sit beside the
    article's blocks, where chrome is placed. So the walk stays linear however deep the page nests."""
    holders = _holders(body)
    removed: list[str] = []
    doomed: list[LexborNode] = []
    stack = [(child, True) for child in reversed(_children(body))]
    while stack:
        node, beside_blocks = stack.pop()
        if node.tag in ("-text", "-comment") or node.tag is None or is_block(node):
            continue  # a block is the author's: never chrome, nor anything inside it
        holds = node.mem_id in holders
        shape = None if holds else marked_shape(node) or (_by_content(node) if beside_blocks else None)
        if shape is not None:
            doomed.append(node)
            removed.append(shape)
            continue
        stack += [(child, holds) for child in reversed(_children(node))]
    for node in doomed:
        node.decompose()
    return removed


def _holders(body: LexborNode) -> set[int]:
    """The elements below `body` that hold an article block."""
    held: set[int] = set()
    for block in body.css(BLOCK_QUERY):
        if not is_block(block):
            continue
        parent = block.parent
        while parent is not None and parent.mem_id != body.mem_id and parent.mem_id not in held:
            held.add(parent.mem_id)
            parent = parent.parent
    return held


def _children(node: LexborNode) -> list[LexborNode]:
    out = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def marked_shape(node: LexborNode) -> str | None:
    """Which chrome this element is by its own marks; None if nothing marks it."""
    tag = node.tag or ""
    if tag in _CHROME_TAGS:
        return f"<{tag}>"
    words = _words(node)
    hit = sorted(words & _CHROME_WORDS)
    if hit:
        return f"{tag}.{hit[0]}"
    if str(node.attributes.get("id") or "").startswith("sf-"):
        return "ad slot (safeframe)"
    if tag == "iframe" and _ad_address(str(node.attributes.get("src") or "")):
        return "ad frame"
    if tag == "a" and _ad_address(str(node.attributes.get("href") or "")):
        return "ad link"
    return None


def _words(node: LexborNode) -> set[str]:
    attrs = node.attributes
    text = " ".join(str(attrs.get(k) or "") for k in ("class", "id", "data-testid", "role", "aria-label"))
    return {w.lower() for w in _SPLIT.split(text) if w}


def _ad_address(url: str) -> bool:
    if url.startswith("//"):
        url = "https:" + url
    host = (urlsplit(url).hostname or "").lower() if "://" in url else ""
    return any(host == h or host.endswith("." + h) for h in _AD_HOSTS) or any(p in url for p in _AD_PATHS)


def _by_content(node: LexborNode) -> str | None:
    """An unmarked element whose links all lead to ads or to Dzen's own recommendations, or whose whole
    text is a UI string. Never a paragraph, heading, quote, list or figure: those are kept."""
    if node.tag in _PROSE:
        return None
    links = [str(a.attributes.get("href") or "") for a in node.css("a[href]")]
    if node.tag == "a":
        links.append(str(node.attributes.get("href") or ""))
    if links and all(_ad_address(h) or any(r in h for r in _RELATED) for h in links):
        return "ad or recommendation links"
    frames = node.css("iframe[src]")
    if frames and all(_ad_address(str(f.attributes.get("src") or "")) for f in frames) and \
            not (node.text(strip=True) or "").strip():
        return "ad frame"
    text = " ".join((node.text(separator=" ") or "").split())
    if text and node.css_first("img, figure, p, h2, h3, ul, ol, blockquote") is None and is_chrome_line(text):
        return "UI text"
    return None
