"""The article DOM (fallback when a page has no embedded JSON) → Markdown.

Only what an article can hold is converted (paragraphs, headings, lists, quotes, images with captions,
links, bold/italic/strike); everything else (scripts, iframes, forms, buttons, styles) is dropped, so
untrusted page HTML never reaches a post.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from dzenpress.dzen.images import safe_url
from dzenpress.dzen.urls import clean_url

_SKIP = {"script", "style", "noscript", "svg", "button", "form", "input", "template", "iframe", "video", "audio",
         "object", "embed", "canvas", "select", "textarea", "head", "meta", "link"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+]|-(?=\s))", re.M)
_LINE_NUMBER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s)", re.M)
_SAFE_HREF = ("http://", "https://", "mailto:", "tel:", "/")
_NUMERIC_ALT = re.compile(r"^[-\s]*\d*$")
_PX = re.compile(r"^\s*(\d+)(?:px)?\s*$")
_BLOCKY = "p, div, figure, blockquote, ul, ol, h2, h3, h4, table, section, article"
_MARKS = re.compile(r"\]\([^)]*\)|[\\*_~`#>\[\]]")


@dataclass
class Recovery:
    """Addresses the page's JSON still holds for what the DOM renders without one: lazy images (in body
    order, else by their rendered size when exactly one unused image has it) and link-less cards."""
    ordered: list[str] = field(default_factory=list)
    by_size: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    embeds: list[str] = field(default_factory=list)

    def image(self, index: int, img: LexborNode) -> str | None:
        if index < len(self.ordered):
            return self.ordered[index]
        size = tuple(_px(img.attributes.get(k)) for k in ("width", "height"))
        candidates = [u for u in self.by_size.get((size[0], size[1]), [])
                      if u not in self.known and u not in self.ordered]
        if len(candidates) != 1:
            return None
        self.known.add(candidates[0])
        return candidates[0]

    def embed(self, index: int) -> str | None:
        return self.embeds[index] if index < len(self.embeds) else None


def _px(value: str | None) -> int:
    m = _PX.match(value or "")
    return int(m.group(1)) if m else 0


@dataclass
class Converted:
    markdown: str
    images: list[str] = field(default_factory=list)
    lost_images: int = 0  # lazy images whose address the page does not hold
    lost_embeds: int = 0
    figures: int = 0  # image blocks seen, recovered or not
    cards: int = 0
    recovery: Recovery = field(default_factory=Recovery)
    title: str = ""  # an h1 saying the same is not repeated in the body


def dom_to_markdown(root: LexborNode, image_url: Callable[[str], str], recovery: Recovery | None = None,
                    title: str = "") -> Converted:
    out = Converted("", recovery=recovery or Recovery(), title=title)
    blocks = _blocks(root, out, image_url)
    out.markdown = "\n\n".join(b for b in blocks if b.strip()) + "\n"
    return out


def _classes(node: LexborNode) -> str:
    return str(node.attributes.get("class") or "")


_INLINE = frozenset(("-text", "b", "strong", "i", "em", "a", "span", "s", "del", "strike", "br", "u"))
_NOT_QUOTES = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "figure", "img"))
_END, _QUOTE_END = "end", "quote"  # markers on the walk's stack: a container or a quote is over


class _Walk:
    """The body's blocks in document order, by an explicit stack (a page may nest as deep as it likes):
    runs of inline content become paragraphs, containers are walked through, a quote collects the blocks
    inside it, an h1 never closed is walked through with the title's own words left out."""

    def __init__(self, out: Converted, image_url: Callable[[str], str]) -> None:
        self.out, self.image_url = out, image_url
        self.lists: list[list[str]] = [[]]  # the body's blocks, then one list per open quote
        self.run: list[str] = []
        self.lead = ""  # text an unclosed h1 starts with, said already as the title

    def flush(self) -> None:
        text = "".join(self.run).strip()
        self.run.clear()
        if not text:
            return
        if not (self.lead and _same_text(text, self.lead)):
            self.lists[-1].append(_escape_line_starts(text))
        self.lead = ""

    def blocks(self, root: LexborNode) -> list[str]:
        if root.tag == "h1":  # the blocks' nearest holder is an h1 never closed
            self.lead = self.out.title
        stack: list[LexborNode | str] = list(reversed(_children(root)))
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                self.flush()
                if item == _QUOTE_END:
                    self._close_quote()
                continue
            tag = item.tag or ""
            if tag in _INLINE and not (tag == "span" and _is_block_span(item)):
                self.run.append(_inline(item))
                continue
            self.flush()
            if tag in _SKIP:
                if tag == "iframe" and item.attributes.get("src"):
                    self.lists[-1].append(_embed_link(item))
                continue
            marker = self._opens(item, tag)
            if marker is None:
                self.lists[-1] += _block(item, tag, self.out, self.image_url)
                continue
            stack.append(marker)
            stack += reversed(_children(item))
        self.flush()
        return self.lists[0]

    def _opens(self, node: LexborNode, tag: str) -> str | None:
        """The end marker of a node walked into (a container, a quote, an unclosed h1); None for a leaf."""
        if tag == "h1" and node.css_first(_BLOCKY) is not None:
            self.lead = self.out.title
            return _END
        if tag == "blockquote" or ("quote" in _classes(node) and tag not in _NOT_QUOTES):
            self.lists.append([])
            return _QUOTE_END
        return _END if _leaf_kind(node, tag) is None else None

    def _close_quote(self) -> None:
        inner = "\n\n".join(b for b in self.lists.pop() if b.strip())
        if inner.strip():
            self.lists[-1].append("\n".join(f"> {line}" if line else ">" for line in inner.split("\n")))


def _children(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def _blocks(node: LexborNode, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    return _Walk(out, image_url).blocks(node)


def _is_block_span(node: LexborNode) -> bool:
    return node.css_first("p, div, figure, img, ul, ol, h2, h3, blockquote") is not None


def _leaf_kind(node: LexborNode, tag: str) -> str | None:
    """What a block element is; None for a container whose children are blocks of their own."""
    classes = _classes(node)
    if tag in ("h1", "h2") or "_h2" in classes.split("article-render__block")[-1][:4]:
        return "h2"
    if tag in ("h3", "h4", "h5", "h6") or "header3" in classes or "block_h3" in classes:
        return "h3"
    if tag in ("p", "ul", "ol", "hr"):
        return tag
    if tag in {"figure", "img"} or node.attributes.get("data-block-type") == "image":
        return "figure"
    if "embed" in classes or (node.attributes.get("data-testid") or "").startswith("embed-block"):
        return "card"
    return None


def _block(node: LexborNode, tag: str, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    kind = _leaf_kind(node, tag)
    if tag == "h1" and out.title and _same_text(node.text(separator=" "), out.title):
        return []  # the title again
    if kind in ("h2", "h3"):
        level = 2 if kind == "h2" else {"h4": 4, "h5": 5, "h6": 6}.get(tag, 3)
        return [f"{'#' * level} {_inline_children(node, bold=False).strip()}"] if node.text(strip=True) else []
    if kind == "p":
        return [_escape_line_starts(_inline_children(node).strip())]
    if kind in ("ul", "ol"):
        return [_list(node, tag == "ol")]
    if kind == "figure":
        return _figure(node, out, image_url)
    if kind == "card":
        return _card(node, out)
    return ["---"] if kind == "hr" else []


def _figure(node: LexborNode, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    img = node if node.tag == "img" else node.css_first("img")
    if img is None:
        return []
    src = _img_src(img)
    index = out.figures
    out.figures += 1
    caption = _caption(node, img)
    if not src or "s3/zen-lib" in src:  # lazy: the address is only in the page's JSON, if anywhere
        recovered = out.recovery.image(index, img)
        if recovered is None:
            out.lost_images += 1
            return [f"_{_escape(caption)}_"] if caption else []
        url = recovered
    else:
        url = safe_url(image_url(src))
    out.images.append(url)
    blocks = [f"![]({url})"]
    if caption:
        blocks.append(f"_{_escape(caption)}_")
    return blocks


def _caption(node: LexborNode, img: LexborNode) -> str:
    """The figcaption; else the alt text, which is where captions survive when a scraper kept only the
    articleBody (but not Dzen's position alts like `-4`)."""
    caption_node = node.css_first('figcaption, [class*="image-caption"], [class*="__caption"]')
    if caption_node is not None:
        return " ".join(caption_node.text(separator=" ").split())
    alt = " ".join(str(img.attributes.get("alt") or "").split())
    return "" if _NUMERIC_ALT.match(alt) else alt


def _card(node: LexborNode, out: Converted) -> list[str]:
    """An embed card → one link line: its own title (not the publisher and date printed under it); a card
    rendered as a <span> has no href, so its address comes from the page's JSON."""
    index = out.cards
    out.cards += 1
    link = node.css_first("a[href]")
    iframe = node.css_first("iframe[src]")
    href = str(link.attributes.get("href") or "") if link is not None else ""
    href = href or out.recovery.embed(index) or (str(iframe.attributes.get("src") or "") if iframe else "")
    title_node = node.css_first('[class*="__title-"], [class$="__title"], [class*="__title "]')
    title = " ".join(title_node.text(separator=" ").split()) if title_node is not None else ""
    if not title and link is not None:
        title = " ".join((link.text(separator=" ") or "").split())
    line = _link_line(href, title)
    if not line and (title or node.css_first("img, iframe, a, span") is not None):  # an empty slot lost nothing
        out.lost_embeds += 1
    return [line] if line else []


def _img_src(img: LexborNode) -> str:
    srcset = img.attributes.get("data-srcset") or img.attributes.get("srcset") or ""
    if srcset:
        candidates = [c.strip().split(" ")[0] for c in str(srcset).split(",") if c.strip()]
        if candidates:
            return candidates[-1]
    return str(img.attributes.get("data-src") or img.attributes.get("src") or "")


def _embed_link(node: LexborNode) -> str:
    href = str(node.attributes.get("href") or node.attributes.get("src") or "")
    title = " ".join((node.text(separator=" ") or "").split()) or str(node.attributes.get("title") or "")
    return _link_line(href, title)


def _link_line(href: str, title: str) -> str:
    href = _absolute(href.split("?from_embed", maxsplit=1)[0])
    if not href.startswith(("http://", "https://", "//")):
        return ""
    href = "https:" + href if href.startswith("//") else href
    return f"[{_escape(title or href)}]({href})"


def _list(root: LexborNode, ordered: bool) -> str:
    """A list and the lists nested in its items, indented by depth (an explicit stack, not recursion)."""
    lines: list[str] = []
    stack: list[tuple[LexborNode, bool, int] | str] = [(root, ordered, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        node, numbered, depth = item
        pending: list[tuple[LexborNode, bool, int] | str] = []
        number = 0
        for li in node.iter():
            if li.tag != "li":
                continue
            number += 1
            marker = f"{number}." if numbered else "-"
            text_parts: list[str] = []
            nested: list[tuple[LexborNode, bool, int] | str] = []
            for child in li.iter(include_text=True):
                if child.tag in ("ul", "ol"):
                    nested.append((child, child.tag == "ol", depth + 1))
                else:
                    text_parts.append(_inline(child))
            pending.append("   " * depth + f"{marker} {' '.join(''.join(text_parts).split())}")
            pending += nested
        stack += reversed(pending)
    return "\n".join(lines)


def _inline_children(node: LexborNode, bold: bool = True) -> str:
    return "".join(_inline(child, bold) for child in node.iter(include_text=True))


def _inline(root: LexborNode, bold: bool = True) -> str:
    """Inline Markdown of a node, bottom-up over an explicit stack (inline markup may nest deep too)."""
    done: list[list[str]] = [[]]  # finished text of the elements still open, innermost last
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            inner = "".join(done.pop())
            done[-1].append(_marked(node, inner, bold))
            continue
        tag = node.tag or ""
        if tag == "-text":
            done[-1].append(_escape(re.sub(r"\s+", " ", node.text_content or "")))
        elif tag == "br":
            done[-1].append("\\\n")
        elif tag not in _SKIP:
            done.append([])
            stack.append((node, True))
            stack += ((child, False) for child in reversed(_children(node)))
    return "".join(done[0])


def _marked(node: LexborNode, inner: str, bold: bool) -> str:
    """An element's inline Markdown around its children's: bold, italic, strike, a link."""
    core = inner.strip()
    if not core:
        return inner
    tag = node.tag or ""
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    if tag in ("b", "strong"):
        core = f"**{core}**" if bold else core
    elif tag in ("i", "em"):
        core = f"_{core}_"
    elif tag in ("s", "del", "strike") or "striked" in _classes(node):
        core = f"~~{core}~~"
    elif tag == "a":
        href = _absolute(str(node.attributes.get("href") or ""))
        if href.startswith(_SAFE_HREF):
            core = f"[{core}]({href.replace(')', '%29').replace(' ', '%20')})"
    return lead + core + trail


def _absolute(href: str) -> str:
    """Dzen writes its own links relative (`/away?to=…`): make them absolute, then unwrap and untrack."""
    if href.startswith("//"):
        href = "https:" + href
    elif href.startswith("/"):
        href = "https://dzen.ru" + href
    return clean_url(href) if href.startswith(("http://", "https://")) else href


def _same_text(markdown: str, plain: str) -> bool:
    """Whether a run of inline Markdown says `plain` (its marks, case and closing stop aside)."""
    def key(text: str) -> str:
        return " ".join(text.casefold().replace("ё", "е").split()).strip(" .!?…:;")
    return key(_MARKS.sub("", markdown)) == key(plain)


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    return _LINE_NUMBER.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", text))
