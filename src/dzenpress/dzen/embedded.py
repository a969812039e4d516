"""The JSON a Dzen page embeds: `var _params = ({…ssrData…})` (dzen.ru), `w._data = {…}` or
`<script id="init_data">` (zen era). Where the publication, its images and a channel's feed live in it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from dzenpress.dzen.fields import dig
from dzenpress.dzen.images import largest, safe_url

CDN = "https://avatars.dzeninfra.ru"
_PUBLICATION_PATHS = (("ssrData", "publishersResponse", "data", "data", "publication"), ("publication",),
                      ("data", "publication"))
_IMAGE_ID = re.compile(r'"image"\s*:\s*\{\s*"id"\s*:\s*"([0-9a-f]{24})"')
_EMBED_URL = re.compile(r'"originalUrl"\s*:\s*"(https?://[^"\\]+)"')


def embedded(tree: LexborHTMLParser) -> dict[str, Any] | None:
    """The page data: the `_params` object holding `ssrData`, else the zen-era objects."""
    fallback: dict[str, Any] | None = None
    for script in tree.css("script"):
        text = script.text(deep=True) or ""
        if script.attributes.get("id") == "init_data":
            fallback = fallback or _load_json(text, 0)
            continue
        for marker in ("_params", "_data"):
            pos = text.find(marker)
            while pos >= 0:
                start = text.find("{", pos)
                obj = _load_json(text, start) if start >= 0 else None
                if obj is not None and "ssrData" in obj:
                    return obj
                if obj is not None and marker == "_data":
                    fallback = fallback or obj
                pos = text.find(marker, pos + 1)
    return fallback


def _load_json(text: str, start: int) -> dict[str, Any] | None:
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[start:].lstrip())
    except (json.JSONDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def publication(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for path in _PUBLICATION_PATHS:
        node = dig(data, *path)
        if isinstance(node, Mapping):
            return node
    return None


def container(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """`ssrData.publishersResponse.data.data` (publication, publisher, og, images), else the data itself."""
    node = dig(data, "ssrData", "publishersResponse", "data", "data")
    return node if isinstance(node, Mapping) else data


def images_map(data: Mapping[str, Any]) -> Mapping[str, Any]:
    found = container(data).get("images") or data.get("images")
    return found if isinstance(found, Mapping) else {}


def channel_feed(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A channel page's feed (`ssrData.exportResponse.feedData`: items + more.link)."""
    feed = dig(data, "ssrData", "exportResponse", "feedData")
    return feed if isinstance(feed, Mapping) and isinstance(feed.get("items"), list) else None


def image_url(ref: Mapping[str, Any], images: Mapping[str, Any]) -> str | None:
    """An image reference in any of the shapes seen → its largest CDN URL (`…/orig`)."""
    image = ref.get("image") if isinstance(ref.get("image"), Mapping) else ref
    entity_data = dig(ref, "entity", "data") or {}
    for candidate in (image, entity_data):
        for key in ("url", "src", "link", "orig"):
            value = candidate.get(key) if isinstance(candidate, Mapping) else None
            if isinstance(value, str) and value.startswith(("http", "//")):
                return safe_url(largest(value))
    image_id = image.get("id") if isinstance(image, Mapping) else None
    info = images.get(image_id) if isinstance(image_id, str) else None
    for source in (info, image):
        url = cdn_url(source)
        if url:
            return url
    return None


def cdn_url(info: Any) -> str | None:
    """`{namespace, groupId, imageName}` → its `…/orig` URL."""
    if isinstance(info, Mapping) and info.get("groupId") and info.get("imageName"):
        namespace = info.get("namespace") or "zen_doc"
        return safe_url(f"{CDN}/get-{namespace}/{info['groupId']}/{info['imageName']}/orig")
    return None


def salvage(raw: Any, images: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """Body image URLs and embed URLs, in order, from a contentState that cannot be rendered (cut short,
    not valid JSON, an unknown shape): enough to fill the lazy images and link-less cards of the DOM.
    Only ids in the page's own images map count (an embed card's picture is not a body image)."""
    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False) if raw is not None else ""
    urls = [cdn_url(images.get(i)) for i in _IMAGE_ID.findall(text)]
    return [u for u in urls if u], _EMBED_URL.findall(text)
