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

_SKIP = {"script", "style", "noscript", "svg", "button", "form", "input", "template", "iframe", "video", "audio",
         "object", "embed", "canvas", "select", "textarea", "head", "meta", "link"}
_ESCAPE = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+]|-(?=\s))", re.M)
_LINE_NUMBER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s)", re.M)
_SAFE_HREF = ("http://", "https://", "mailto:", "tel:", "/")


@dataclass
class Converted:
    markdown: str
    images: list[str] = field(default_factory=list)


def dom_to_markdown(root: LexborNode, image_url: Callable[[str], str]) -> Converted:
    out = Converted("")
    blocks = _blocks(root, out, image_url)
    out.markdown = "\n\n".join(b for b in blocks if b.strip()) + "\n"
    return out


def _classes(node: LexborNode) -> str:
    return str(node.attributes.get("class") or "")


def _blocks(node: LexborNode, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    blocks: list[str] = []
    inline_run: list[str] = []

    def flush() -> None:
        text = "".join(inline_run).strip()
        if text:
            blocks.append(_escape_line_starts(text))
        inline_run.clear()

    for child in node.iter(include_text=True):
        tag = child.tag or ""
        if tag == "-text" or tag in ("b", "strong", "i", "em", "a", "span", "s", "del", "strike", "br", "u"):
            if tag == "span" and _is_block_span(child):
                flush()
                blocks += _blocks(child, out, image_url)
            else:
                inline_run.append(_inline(child))
            continue
        flush()
        if tag in _SKIP:
            if tag == "iframe" and child.attributes.get("src"):
                blocks.append(_embed_link(child))
            continue
        blocks += _block(child, tag, out, image_url)
    flush()
    return blocks


def _is_block_span(node: LexborNode) -> bool:
    return node.css_first("p, div, figure, img, ul, ol, h2, h3, blockquote") is not None


def _block(node: LexborNode, tag: str, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    classes = _classes(node)
    if tag in ("h1", "h2") or "_h2" in classes.split("article-render__block")[-1][:4]:
        return [f"## {_inline_children(node).strip()}"] if node.text(strip=True) else []
    if tag in ("h3", "h4", "h5", "h6") or "header3" in classes or "block_h3" in classes:
        level = {"h4": 4, "h5": 5, "h6": 6}.get(tag, 3)
        return [f"{'#' * level} {_inline_children(node).strip()}"] if node.text(strip=True) else []
    if tag == "p":
        return [_escape_line_starts(_inline_children(node).strip())]
    if tag in ("ul", "ol"):
        return [_list(node, tag == "ol", 0)]
    if tag == "blockquote" or "quote" in classes:
        inner = "\n\n".join(_blocks(node, out, image_url))
        return ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))] if inner.strip() else []
    if tag in {"figure", "img"} or node.attributes.get("data-block-type") == "image":
        return _figure(node, out, image_url)
    if "embed" in classes or (node.attributes.get("data-testid") or "").startswith("embed-block"):
        link = node.css_first("a[href]")
        return [_embed_link(link)] if link is not None else []
    if tag == "hr":
        return ["---"]
    return _blocks(node, out, image_url)


def _figure(node: LexborNode, out: Converted, image_url: Callable[[str], str]) -> list[str]:
    img = node if node.tag == "img" else node.css_first("img")
    if img is None:
        return []
    src = _img_src(img)
    if not src or "s3/zen-lib" in src:  # lazy-load placeholder, not the picture
        return []
    url = image_url(src)
    out.images.append(url)
    caption_node = node.css_first('figcaption, [class*="image-caption"], [class*="__caption"]')
    caption = " ".join(caption_node.text(separator=" ").split()) if caption_node is not None else ""
    blocks = [f"![]({url})"]
    if caption:
        blocks.append(f"_{_escape(caption)}_")
    return blocks


def _img_src(img: LexborNode) -> str:
    srcset = img.attributes.get("data-srcset") or img.attributes.get("srcset") or ""
    if srcset:
        candidates = [c.strip().split(" ")[0] for c in str(srcset).split(",") if c.strip()]
        if candidates:
            return candidates[-1]
    return str(img.attributes.get("data-src") or img.attributes.get("src") or "")


def _embed_link(node: LexborNode) -> str:
    href = str(node.attributes.get("href") or node.attributes.get("src") or "")
    href = href.split("?from_embed", maxsplit=1)[0]
    if not href.startswith(("http://", "https://", "//")):
        return ""
    href = "https:" + href if href.startswith("//") else href
    title = " ".join((node.text(separator=" ") or "").split()) or str(node.attributes.get("title") or href)
    return f"[{_escape(title)}]({href})"


def _list(node: LexborNode, ordered: bool, depth: int) -> str:
    lines: list[str] = []
    number = 0
    for item in node.iter():
        if item.tag != "li":
            continue
        number += 1
        marker = f"{number}." if ordered else "-"
        text_parts = []
        nested = []
        for child in item.iter(include_text=True):
            if child.tag in ("ul", "ol"):
                nested.append(_list(child, child.tag == "ol", depth + 1))
            else:
                text_parts.append(_inline(child))
        lines.append("   " * depth + f"{marker} {' '.join(''.join(text_parts).split())}")
        lines += nested
    return "\n".join(lines)


def _inline_children(node: LexborNode) -> str:
    return "".join(_inline(child) for child in node.iter(include_text=True))


def _inline(node: LexborNode) -> str:
    tag = node.tag or ""
    if tag == "-text":
        return _escape(re.sub(r"\s+", " ", node.text_content or ""))
    if tag in _SKIP:
        return ""
    if tag == "br":
        return "\\\n"
    inner = _inline_children(node)
    core = inner.strip()
    if not core:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    classes = _classes(node)
    if tag in ("b", "strong"):
        core = f"**{core}**"
    elif tag in ("i", "em"):
        core = f"_{core}_"
    elif tag in ("s", "del", "strike") or "striked" in classes:
        core = f"~~{core}~~"
    elif tag == "a":
        href = str(node.attributes.get("href") or "")
        if href.startswith(_SAFE_HREF):
            core = f"[{core}]({href.replace(')', '%29').replace(' ', '%20')})"
    return lead + core + trail


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _escape_line_starts(text: str) -> str:
    return _LINE_NUMBER.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", text))
