"""A Dzen article page (HTML) → Article: embedded JSON first (both eras), the article DOM second."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dzenpress.dates import parse_date
from dzenpress.dzen import draftjs
from dzenpress.dzen.html2md import dom_to_markdown
from dzenpress.dzen.images import largest
from dzenpress.dzen.urls import ArticleRef, parse_article
from dzenpress.dzen.walls import WallError, wall_reason
from dzenpress.errors import DzenpressError

CDN = "https://avatars.dzeninfra.ru"
_BODY_SELECTORS = ('[itemprop="articleBody"]', "div.article-render", '[class*="content--article-render__container-"]',
                   "#article__page-root div.article-render", ".article__body", ".article__middle")
_TITLE_SELECTORS = ('h1[itemprop="headline"]', "h1.article__title", 'h1[class*="article-render__title"]', "h1")


class PageError(DzenpressError):
    """The page holds no article we can read."""


@dataclass
class Article:
    ref: ArticleRef
    title: str
    markdown: str  # with remote image URLs; the importer makes them local
    published: datetime | None = None
    modified: datetime | None = None
    cover: str | None = None
    images: list[str] = field(default_factory=list)
    channel: str = ""
    paywalled: bool = False
    kind: str = "article"

    @property
    def source(self) -> str:
        return self.ref.url


def parse_page(html: str, url: str = "") -> Article:
    """Extract the article. Raises WallError for captcha/SSO/blocked pages, PageError if there is none."""
    reason = wall_reason(url, html)
    if reason:
        raise WallError(reason, path=url or None)
    tree = LexborHTMLParser(html)
    ref = _page_ref(tree, url)
    data = _embedded(tree)
    publication = _find_publication(data) if data is not None else None
    if publication is not None and ref is not None:
        article = _from_json(publication, data or {}, ref)
        if article is not None:
            _fill_from_meta(article, tree)
            return article
    if ref is None:
        raise PageError("no Dzen article id on this page (no canonical /a/ link or zen_object_id)", path=url or None)
    return _from_dom(tree, ref)


# ---- locating the embedded JSON ---------------------------------------------------------------

def _embedded(tree: LexborHTMLParser) -> dict[str, Any] | None:
    """`var _params = ({…ssrData…})` (dzen.ru), else `w._data = {…}` or `<script id="init_data">` (zen era)."""
    fallback: dict[str, Any] | None = None
    for script in tree.css("script"):
        text = script.text(deep=True) or ""
        if script.attributes.get("id") == "init_data":
            loaded = _load_json(text, 0)
            fallback = fallback or loaded
            continue
        for marker in ("_params", "_data"):
            pos = text.find(marker)
            while pos >= 0:
                start = text.find("{", pos)
                obj = _load_json(text, start) if start >= 0 else None
                if obj is not None and ("ssrData" in obj or marker == "_data"):
                    if "ssrData" in obj:
                        return obj
                    fallback = fallback or obj
                pos = text.find(marker, pos + 1)
    return fallback


def _load_json(text: str, start: int) -> dict[str, Any] | None:
    try:
        obj, _ = json.JSONDecoder().raw_decode(text[start:].lstrip())
    except (json.JSONDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def _find_publication(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for path in (("ssrData", "publishersResponse", "data", "data", "publication"), ("publication",),
                 ("data", "publication")):
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if isinstance(node, Mapping):
            return node
    return None


def _container(data: Mapping[str, Any]) -> Mapping[str, Any]:
    node: Any = data
    for key in ("ssrData", "publishersResponse", "data", "data"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else data


# ---- JSON path --------------------------------------------------------------------------------

def _from_json(publication: Mapping[str, Any], data: Mapping[str, Any], ref: ArticleRef) -> Article | None:
    content = publication.get("content") or {}
    state = _content_state(content)
    if state is None:
        return None
    container = _container(data)
    images_map = container.get("images") or data.get("images") or {}
    rendered = draftjs.render(state, lambda d: _image_url(d, images_map))
    title = str(publication.get("title") or (container.get("og") or {}).get("title") or "").strip()
    kind = str(content.get("type") or "article")
    preview = (content.get("preview") or {}).get("image") or {}
    cover = _image_url({"image": preview}, images_map) if preview else None
    return Article(
        ref=ref, title=title, markdown=rendered.markdown, images=rendered.images,
        published=_date(publication, "publishDate", "addTime", "publicationDate", "createdAt")
        or _date(content, "publishDate", "addTime"),
        modified=_date(publication, "modificationDate", "modTime", "updatedAt") or _date(content, "modTime"),
        cover=cover or (rendered.images[0] if rendered.images else None),
        channel=str((container.get("publisher") or data.get("publisher") or {}).get("name") or ""),
        paywalled=publication.get("visibilityType") == "premium_subscribers_only",
        kind="brief" if kind in ("brief", "post") else "article",
    )


def _content_state(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    raw = (content.get("articleContent") or {}).get("contentState")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            return None
    if not isinstance(raw, Mapping):
        return None
    state = raw.get("draftJsState", raw)
    return state if isinstance(state, Mapping) and "blocks" in state else None


def _image_url(data: Mapping[str, Any], images_map: Mapping[str, Any]) -> str | None:
    """An image reference in any of the shapes seen → its largest CDN URL (`…/orig`)."""
    image = data.get("image") if isinstance(data.get("image"), Mapping) else data
    entity_data = ((data.get("entity") or {}).get("data") or {}) if isinstance(data.get("entity"), Mapping) else {}
    for candidate in (image, entity_data):
        for key in ("url", "src", "link", "orig"):
            value = candidate.get(key) if isinstance(candidate, Mapping) else None
            if isinstance(value, str) and value.startswith(("http", "//")):
                return largest(value)
    image_id = image.get("id") if isinstance(image, Mapping) else None
    info = images_map.get(image_id) if isinstance(image_id, str) else None
    if isinstance(info, Mapping) and info.get("groupId") and info.get("imageName"):
        namespace = info.get("namespace") or "zen_doc"
        return f"{CDN}/get-{namespace}/{info['groupId']}/{info['imageName']}/orig"
    return None


def _date(node: Mapping[str, Any], *keys: str) -> datetime | None:
    for key in keys:
        value = node.get(key)
        parsed = parse_date(value)
        if parsed:
            return parsed
    return None


# ---- meta tags and the DOM --------------------------------------------------------------------

def _meta(tree: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        node = tree.css_first(f'meta[property="{name}"], meta[name="{name}"], meta[itemprop="{name}"]')
        if node is not None and node.attributes.get("content"):
            return str(node.attributes["content"]).strip()
    return None


def _page_ref(tree: LexborHTMLParser, url: str) -> ArticleRef | None:
    canonical = tree.css_first('link[rel="canonical"]')
    for candidate in (url, canonical.attributes.get("href") if canonical is not None else None,
                      _meta(tree, "og:url")):
        ref = parse_article(candidate) if candidate else None
        if ref:
            return ref
    obj = _meta(tree, "zen_object_id")
    if obj and ":" in obj and re.fullmatch(r"[0-9a-f]{24}", obj.split(":")[-1]):
        return ArticleRef(obj.split(":")[-1], "a")
    return None


def _fill_from_meta(article: Article, tree: LexborHTMLParser) -> None:
    article.title = article.title or _clean_title(_meta(tree, "og:title") or "")
    article.published = article.published or parse_date(_meta(tree, "datePublished", "article:published_time"))
    article.modified = article.modified or parse_date(_meta(tree, "dateModified", "article:modified_time"))
    if not article.cover:
        og = _meta(tree, "og:image")
        article.cover = largest(og) if og else None


def _clean_title(title: str) -> str:
    return title.split(" | ", maxsplit=1)[0].strip()


def _from_dom(tree: LexborHTMLParser, ref: ArticleRef) -> Article:
    body: LexborNode | None = None
    for selector in _BODY_SELECTORS:
        body = tree.css_first(selector)
        if body is not None:
            break
    if body is None:
        raise PageError("no article body on this page (neither embedded JSON nor an articleBody element)",
                        path=ref.url)
    title_node = next((tree.css_first(s) for s in _TITLE_SELECTORS if tree.css_first(s) is not None), None)
    title = title_node.text(strip=True) if title_node is not None else _clean_title(_meta(tree, "og:title") or "")
    converted = dom_to_markdown(body, largest)
    article = Article(ref=ref, title=title, markdown=converted.markdown, images=converted.images)
    _fill_from_meta(article, tree)
    if not article.cover and article.images:
        article.cover = article.images[0]
    return article

