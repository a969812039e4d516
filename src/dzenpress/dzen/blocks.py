"""Where the article is in a page's DOM, in every era of Dzen's markup, by the shape of its blocks.

An article is a run of *blocks*: paragraphs, headings, quotes, lists, figures and cards that Dzen's editor
rendered, each marked as such. The marks changed with every front end, the shape did not:

- zen.yandex.ru 2017–2018: `p.article-block`, `h2.article-block`, `blockquote.article-block-quote`,
  `figure.article-block-image`, `div.article-block-embed`
- zen.yandex.ru 2019–2022: `article-render__block` with a modifier (`_unstyled`, `_h2`, `_quote`, …)
- dzen.ru: CSS-module names (`content--common-block__block-3U`, `content--article-image-block__…`,
  `content--embed-block__…`), `data-article-block`, `data-block-type`, `data-testid="…article-render__block"`
- today's UI kit: `zen-ui-*` names with the same `…block…` and `article…` words

The body is the element that wraps the blocks (`itemprop="articleBody"` and its relatives), or, when a
scraper kept the blocks without it, the nearest element holding them all.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

WRAPPERS = ('[itemprop="articleBody"]', "div.article-render", '[class*="content--article-render__container-"]',
            "#article__page-root div.article-render", ".article__body")
# Any one of these marks an element as a block of the article.
_BLOCK_CLASS = re.compile(r"(?:^|\s)(?:article-block|article-render__block|zen-ui-article-block|"
                          r"content--(?:common-block__block|article-render__block|article-image-block__block|"
                          r"embed-block__block)|[\w-]*article[\w-]*__block)(?:[\s_-]|$)")
BLOCK_QUERY = ('[class*="article-block"], [class*="article-render__block"], [class*="__block"], '
               "[data-article-block], [data-block-type], [data-testid*=\"article-render__block\"]")
# Elements that hold an article's text when a scraper dropped the block marks (a page of bare <p>).
_PROSE_TAGS = ("p", "h2", "h3", "blockquote", "figure", "ul", "ol")


def is_block(node: LexborNode) -> bool:
    attrs = node.attributes
    if "data-article-block" in attrs or "data-block-type" in attrs:
        return True
    if "article-render__block" in str(attrs.get("data-testid") or ""):
        return True
    return bool(_BLOCK_CLASS.search(str(attrs.get("class") or "")))


def find_body(tree: LexborHTMLParser) -> LexborNode | None:
    """The article's wrapper; else the nearest element holding every block; else the element with the
    most prose children (a page cut down to bare paragraphs)."""
    blocks = top_blocks(tree)
    for selector in WRAPPERS:
        body = tree.css_first(selector)
        if body is not None and _holds_blocks(body):
            return _with_blocks_cut_off(body, blocks)
    if blocks:
        return _common_ancestor(blocks)
    return _most_prose(tree)


def family(node: LexborNode) -> str:
    """Which mark makes a block one: its block class (hash suffix aside) or its data attribute."""
    m = _BLOCK_CLASS.search(str(node.attributes.get("class") or ""))
    if m:
        return re.sub(r"-[A-Za-z0-9_]{1,6}$", "", m.group(0).strip(" _-"))
    return next((a for a in ("data-article-block", "data-block-type", "data-testid") if a in node.attributes), "")


def _with_blocks_cut_off(wrapper: LexborNode, blocks: list[LexborNode]) -> LexborNode:
    """The wrapper, or the element holding it and the blocks of its own family that follow it outside: a
    stray end tag in an author's embed closes the wrapper early, and the parser puts the rest after it."""
    inside = {n.mem_id for n in wrapper.traverse()}
    families = {family(b) for b in blocks if b.mem_id in inside}
    cut_off = [b for b in blocks if b.mem_id not in inside and family(b) in families and _after(b, wrapper)]
    return _common_ancestor([wrapper, *cut_off]) if cut_off else wrapper


def _after(node: LexborNode, other: LexborNode) -> bool:
    """Whether `node` comes after `other` in document order (both in one tree)."""
    a, b = _path(node), _path(other)
    n = 0
    while n < len(a) and n < len(b) and a[n].mem_id == b[n].mem_id:
        n += 1
    if n == len(a) or n == len(b):
        return len(a) > len(b)  # one holds the other
    sibling = b[n].next
    while sibling is not None:
        if sibling.mem_id == a[n].mem_id:
            return True
        sibling = sibling.next
    return False


def _holds_blocks(body: LexborNode) -> bool:
    return body.css_first(", ".join(_PROSE_TAGS) + ", img, " + BLOCK_QUERY) is not None or bool(
        (body.text(strip=True) or "").strip())


def top_blocks(tree: LexborHTMLParser) -> list[LexborNode]:
    """The page's article blocks that are not inside another block, in document order."""
    found: list[LexborNode] = []
    root = tree.body or tree.root
    if root is None:
        return found
    for node in root.css(BLOCK_QUERY):
        if is_block(node) and not _inside_block(node, root):
            found.append(node)
    return found


def _inside_block(node: LexborNode, root: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent is not root and parent.mem_id != root.mem_id:
        if is_block(parent):
            return True
        parent = parent.parent
    return False


def _path(node: LexborNode) -> list[LexborNode]:
    path = []
    current: LexborNode | None = node
    while current is not None:
        path.append(current)
        current = current.parent
    path.reverse()
    return path


def _common_ancestor(nodes: list[LexborNode]) -> LexborNode:
    common = _path(nodes[0])[:-1]
    for node in nodes[1:]:
        path = _path(node)
        n = 0
        while n < len(common) and n < len(path) - 1 and common[n].mem_id == path[n].mem_id:
            n += 1
        common = common[:n]
    return common[-1] if common else nodes[0]


def _most_prose(tree: LexborHTMLParser) -> LexborNode | None:
    counts: dict[int, tuple[int, LexborNode]] = {}
    root = tree.body
    if root is None:
        return None
    for node in root.css(", ".join(_PROSE_TAGS)):
        parent = node.parent
        if parent is not None and (node.text(strip=True) or node.css_first("img") is not None):
            count, _ = counts.get(parent.mem_id, (0, parent))
            counts[parent.mem_id] = (count + 1, parent)
    if not counts:
        return None
    count, best = max(counts.values(), key=lambda item: item[0])
    return best if count >= 2 else None
