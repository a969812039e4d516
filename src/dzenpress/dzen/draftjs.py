"""Dzen's article body (Draft.js raw: blocks + entityMap) → Markdown.

Offsets in Draft.js are UTF-16 code units, so an emoji before a bold word shifts it by two.
Embeds become a link line with their title: never an iframe or a script.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ImageResolver = Callable[[Mapping[str, Any]], str | None]

_MARKERS = {"BOLD": "**", "ITALIC": "_", "STRIKETHROUGH": "~~", "CODE": "`"}
_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]<>])")
_LINE_START = re.compile(r"^(\s*)([#>+]|-(?=\s))")
_LINE_NUMBER = re.compile(r"^(\s*\d{1,9})([.)])(?=\s)")
_HEADERS = {"header-one": 2, "header-two": 2, "header-three": 3, "header-four": 4, "header-five": 5,
            "header-six": 6}  # header-one is the title's rank: an article body starts at ##


@dataclass
class Rendered:
    markdown: str
    images: list[str] = field(default_factory=list)  # remote image URLs in order of appearance


def render(state: Mapping[str, Any], resolve_image: ImageResolver) -> Rendered:
    blocks = state.get("blocks") or []
    entities = state.get("entityMap") or {}
    out = Rendered("")
    parts: list[str] = []
    list_kind = ""
    numbers: dict[int, int] = {}
    for block in blocks:
        kind = str(block.get("type", "unstyled"))
        depth = int(block.get("depth") or 0)
        is_item = kind in ("unordered-list-item", "ordered-list-item")
        if is_item:
            text = _inline(block, entities)
            if kind == "ordered-list-item":
                numbers[depth] = numbers.get(depth, 0) + 1
                for deeper in [d for d in numbers if d > depth]:
                    del numbers[deeper]
                marker = f"{numbers[depth]}."
            else:
                marker = "-"
            line = "   " * depth + f"{marker} {text}"
            if list_kind and parts and (list_kind == kind or depth > 0):
                parts[-1] += "\n" + line  # one tight list
            else:
                parts.append(line)
            list_kind = kind
            continue
        list_kind = ""
        numbers.clear()
        piece = _block(block, kind, entities, resolve_image, out)
        if piece:
            parts.append(piece)
    out.markdown = "\n\n".join(p for p in parts if p.strip()) + "\n"
    return out


def _block(block: Mapping[str, Any], kind: str, entities: Mapping[str, Any], resolve_image: ImageResolver,
           out: Rendered) -> str:
    if kind in _HEADERS:
        text = _inline(block, entities, escape_start=False, bold=False).strip()  # a heading is bold already
        return f"{'#' * _HEADERS[kind]} {text}" if text else ""
    if kind == "blockquote":
        text = _inline(block, entities)
        return "\n".join(f"> {line}" if line else ">" for line in text.split("\n")) if text.strip() else ""
    if kind == "code-block":
        return f"```\n{block.get('text', '')}\n```"
    if kind.startswith("atomic"):
        return _atomic(block, kind, entities, resolve_image, out)
    text = _inline(block, entities)
    return text.replace("\n", "\\\n") if text.strip() else ""


def _atomic(block: Mapping[str, Any], kind: str, entities: Mapping[str, Any], resolve_image: ImageResolver,
            out: Rendered) -> str:
    data = dict(block.get("data") or {})
    entity = _first_entity(block, entities)
    if entity is not None:
        data.setdefault("entity", entity)
    caption = _caption(block, data)
    if kind == "atomic:image" or (entity and str(entity.get("type", "")).upper() == "IMAGE"):
        url = resolve_image(data)
        if not url:
            return f"_{caption}_" if caption else ""
        out.images.append(url)
        image = f"![]({url})"
        return f"{image}\n\n_{_escape(caption)}_" if caption else image
    embed = data.get("embedData") or (entity or {}).get("data", {}).get("embedData") or {}
    link = embed_url(embed)
    if not link:
        return ""
    title = str(embed.get("title") or caption or _embed_label(embed)).strip()
    return f"[{_escape(title)}]({link})"


def embed_url(embed: Mapping[str, Any]) -> str:
    kind = str(embed.get("type", ""))
    if kind == "yandex-zen-video":
        if embed.get("publicationId"):
            return f"https://dzen.ru/video/watch/{embed['publicationId']}"
        if embed.get("uuid"):
            return f"https://dzen.ru/embed/{embed['uuid']}"
    for key in ("originalUrl", "src", "url"):
        value = embed.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://", "//")):
            value = "https:" + value if value.startswith("//") else value
            return _youtube_watch(value)
    return ""


def _youtube_watch(url: str) -> str:
    m = re.match(r"https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})", url)
    return f"https://www.youtube.com/watch?v={m.group(1)}" if m else url


def _embed_label(embed: Mapping[str, Any]) -> str:
    return {"youtube": "Видео на YouTube", "yandex-zen-video": "Видео в Дзене", "yandex-music": "Яндекс Музыка",
            "yandex-zen-publication": "Статья в Дзене", "vk": "Видео ВКонтакте", "rutube": "Видео на Rutube"}.get(
        str(embed.get("type", "")), "Открыть")


def _caption(block: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    for value in (data.get("caption"), (data.get("image") or {}).get("caption"), block.get("text")):
        if isinstance(value, str) and value.strip() and value.strip() != " ":
            return " ".join(value.split())
    return ""


def _first_entity(block: Mapping[str, Any], entities: Mapping[str, Any]) -> dict[str, Any] | None:
    for rng in block.get("entityRanges") or []:
        entity = entities.get(str(rng.get("key")))
        if isinstance(entity, dict):
            return entity
    return None


def _escape(text: str) -> str:
    return _ESCAPE_INLINE.sub(r"\\\1", text)


def _units(text: str) -> list[int]:
    """UTF-16 offset of each code point, plus the end."""
    offsets, pos = [], 0
    for ch in text:
        offsets.append(pos)
        pos += 2 if ord(ch) > 0xFFFF else 1
    offsets.append(pos)
    return offsets


def _inline(block: Mapping[str, Any], entities: Mapping[str, Any], escape_start: bool = True,
            bold: bool = True) -> str:
    text = str(block.get("text", ""))
    units = _units(text)
    index = {u: i for i, u in enumerate(units)}
    styles: list[set[str]] = [set() for _ in text]
    links: list[str | None] = [None] * len(text)

    def span(offset: int, length: int) -> range:
        start = index.get(offset, 0)
        end = index.get(offset + length, len(text))
        return range(start, end)

    for rng in block.get("inlineStyleRanges") or []:
        style = str(rng.get("style", ""))
        if style in _MARKERS and (bold or style != "BOLD"):
            for i in span(int(rng.get("offset", 0)), int(rng.get("length", 0))):
                styles[i].add(style)
    for rng in block.get("entityRanges") or []:
        entity = entities.get(str(rng.get("key"))) or {}
        if str(entity.get("type", "")).upper() == "LINK":
            url = (entity.get("data") or {}).get("url") or (entity.get("data") or {}).get("href")
            if isinstance(url, str) and url.startswith(("http://", "https://", "mailto:", "tel:")):
                for i in span(int(rng.get("offset", 0)), int(rng.get("length", 0))):
                    links[i] = url
    out = _runs(text, styles, links)
    if not escape_start:
        return out
    return _LINE_NUMBER.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", out))


def _runs(text: str, styles: list[set[str]], links: list[str | None]) -> str:
    pieces: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and styles[j] == styles[i] and links[j] == links[i]:
            j += 1
        pieces.append(_wrap(text[i:j], styles[i], links[i]))
        i = j
    return "".join(pieces)


def _wrap(chunk: str, styles: set[str], link: str | None) -> str:
    core = chunk.strip()
    if not core:
        return chunk
    lead, trail = chunk[: len(chunk) - len(chunk.lstrip())], chunk[len(chunk.rstrip()) :]
    body = _escape(core) if "CODE" not in styles else core
    for style in ("CODE", "STRIKETHROUGH", "ITALIC", "BOLD"):
        if style in styles:
            body = f"{_MARKERS[style]}{body}{_MARKERS[style]}"
    if link:
        body = f"[{body}]({link.replace(')', '%29').replace(' ', '%20')})"
    return lead + body + trail
