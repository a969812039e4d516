"""A Dzen article page (HTML) → Article: embedded JSON first (both eras), the article DOM second."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dzenpress.dzen import dom, draftjs, embedded
from dzenpress.dzen.blocks import find_body
from dzenpress.dzen.domchrome import remove_chrome
from dzenpress.dzen.fields import dig, first_date, when
from dzenpress.dzen.html2md import Recovery, dom_to_markdown
from dzenpress.dzen.images import largest, safe_url
from dzenpress.dzen.pagetitle import page_title
from dzenpress.dzen.urls import ArticleRef, parse_article
from dzenpress.dzen.walls import WallError, not_found, wall_reason
from dzenpress.errors import DzenpressError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NOT_FOUND = "Dzen says this page does not exist («Такой страницы не существует»): check the address"


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
    warnings: list[str] = field(default_factory=list)
    local_images: dict[str, Path] = field(default_factory=dict)  # image URL → the file a saved page kept
    date_source: str = ""  # where `published` came from: json, meta, feed; "" when unknown

    @property
    def source(self) -> str:
        return self.ref.url


def parse_page(html: str, url: str = "", saved_dir: Path | None = None) -> Article:
    """Extract the article. Raises WallError for captcha/SSO/blocked pages, PageError if there is none.
    `saved_dir`: the folder of a browser-saved page, whose relative image paths point into `<name>_files/`."""
    reason = wall_reason(url, html)
    if reason:
        raise WallError(reason, path=url or None)
    parsed = dom.parse(html)
    tree = parsed.tree
    if not_found(html):
        raise PageError(NOT_FOUND, path=url or None)
    ref = _page_ref(tree, url)
    if ref is None:
        raise PageError("no Dzen article id on this page (no canonical /a/ link or zen_object_id)", path=url or None)
    data = embedded.embedded(tree) or {}
    publication = embedded.publication(data)
    article = _from_json(publication, data, ref) if publication is not None else None
    if article is None:
        article = _from_dom(tree, ref, data, publication)
    _fill_from_meta(article, tree)
    if parsed.flattened:
        article.warnings.append(f"the page nests its elements {parsed.depth} deep (Dzen's pages: about 50): "
                                f"{parsed.flattened} tags below depth {dom.MAX_DEPTH} were dropped, their text kept")
    if saved_dir is not None:
        _use_saved_images(article, tree, saved_dir)
    if not article.title:
        raise PageError("the page has no article title (no og:title, headline or title in its data)",
                        path=url or ref.url)
    return article


# ---- JSON path --------------------------------------------------------------------------------

def _from_json(publication: Mapping[str, Any], data: Mapping[str, Any], ref: ArticleRef) -> Article | None:
    content = publication.get("content") or {}
    state = _content_state(content)
    if state is None:
        return None
    images = embedded.images_map(data)
    rendered = draftjs.render(state, lambda d: embedded.image_url(d, images))
    article = Article(ref=ref, title=_title(publication, data), markdown=rendered.markdown, images=rendered.images)
    _fill_from_data(article, publication, data)
    if not article.cover and rendered.images:
        article.cover = rendered.images[0]
    return article


def _fill_from_data(article: Article, publication: Mapping[str, Any], data: Mapping[str, Any]) -> None:
    """Dates, cover, channel and kind: the same for the JSON and the DOM path."""
    content = publication.get("content") or {}
    article.title = article.title or _title(publication, data)
    # publishTime/modificationTime are today's names; content.modTime is the draft's time, often before
    # publication, so it is never read as the modification date.
    article.published = first_date(publication, "publishTime", "publishDate", "addTime", "publicationDate",
                                   "createdAt") or first_date(content, "publishDate", "addTime")
    if article.published:
        article.date_source = "json"
    modified = first_date(publication, "modificationTime", "modificationDate", "updatedAt", "modTime")
    if modified and (article.published is None or modified > article.published):
        article.modified = modified
    preview = dig(content, "preview", "image")
    if isinstance(preview, Mapping):
        article.cover = embedded.image_url({"image": preview}, embedded.images_map(data)) or article.cover
    article.channel = _channel(data)
    article.paywalled = publication.get("visibilityType") == "premium_subscribers_only"
    article.kind = "brief" if str(content.get("type") or "") in ("brief", "post") else "article"


def _title(publication: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    for value in (publication.get("title"), dig(publication, "content", "preview", "title"),
                  dig(embedded.container(data), "og", "title")):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def _content_state(content: Mapping[str, Any]) -> Mapping[str, Any] | None:
    raw = dig(content, "articleContent", "contentState")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError:
            return None
    if not isinstance(raw, Mapping):
        return None
    state = raw.get("draftJsState", raw)
    return state if isinstance(state, Mapping) and isinstance(state.get("blocks"), list) else None


# ---- meta tags --------------------------------------------------------------------------------

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
    article.title = article.title or page_title(tree, "", article.channel)
    if article.published is None:
        article.published = when(_meta(tree, "datePublished", "article:published_time"))
        article.date_source = "meta" if article.published else ""
    modified = when(_meta(tree, "dateModified", "article:modified_time"))
    if article.modified is None and modified and (article.published is None or modified > article.published):
        article.modified = modified
    if not article.cover:
        og = _meta(tree, "og:image")  # kept as given (`…/optimize`): fetching tries `orig` first, then it
        article.cover = safe_url(("https:" + og if og.startswith("//") else og).split("?", 1)[0]) if og else None


# ---- the DOM path -----------------------------------------------------------------------------

def _from_dom(tree: LexborHTMLParser, ref: ArticleRef, data: Mapping[str, Any],
              publication: Mapping[str, Any] | None) -> Article:
    body = find_body(tree)
    if body is None:
        raise PageError("no article body on this page (neither embedded JSON nor article blocks: "
                        "no articleBody, article-block, article-render__block or paragraphs)", path=ref.url)
    channel = _channel(data)
    title = page_title(tree, _title(publication, data) if publication is not None else "", channel)
    remove_chrome(body)
    recovery = _recovery(body, data, publication)
    converted = dom_to_markdown(body, largest, recovery, title)
    article = Article(ref=ref, title=title, markdown=converted.markdown, images=converted.images)
    if publication is not None:
        _fill_from_data(article, publication, data)
    if converted.lost_images:
        article.warnings.append(f"{converted.lost_images} lazy-loaded images could not be recovered (the page "
                                "does not hold their addresses): save the page after scrolling to its end, or "
                                "import it by URL")
    if converted.lost_embeds:
        article.warnings.append(f"{converted.lost_embeds} embedded cards had no link on the page and were left out")
    if not article.cover and article.images:
        article.cover = article.images[0]
    return article


def _channel(data: Mapping[str, Any]) -> str:
    publisher = embedded.container(data).get("publisher") or data.get("publisher") or {}
    return str(publisher.get("name") or "") if isinstance(publisher, Mapping) else ""


def _recovery(body: LexborNode, data: Mapping[str, Any], publication: Mapping[str, Any] | None) -> Recovery:
    """What the page JSON still knows about images and cards the DOM shows without an address."""
    images = embedded.images_map(data)
    raw = dig(publication, "content", "articleContent", "contentState") if publication is not None else None
    ordered, embeds = embedded.salvage(raw, images)
    by_size: dict[tuple[int, int], list[str]] = {}
    for info in images.values():
        url = embedded.cdn_url(info)
        sizes = info.get("sizes") if isinstance(info, Mapping) else None
        if not url or not isinstance(sizes, Mapping) or info.get("namespace", "zen_doc") != "zen_doc":
            continue
        for size in sizes.values():
            if isinstance(size, Mapping) and isinstance(size.get("width"), int):
                by_size.setdefault((int(size["width"]), int(size.get("height") or 0)), []).append(url)
    known = {largest(str(img.attributes.get("src") or "")) for img in body.css("img")}
    return Recovery(ordered=ordered, by_size={k: list(dict.fromkeys(v)) for k, v in by_size.items()},
                    known=known, embeds=embeds)


def _use_saved_images(article: Article, tree: LexborHTMLParser, folder: Path) -> None:
    """A browser's "save page, complete" keeps the pictures the person saw in `<name>_files/` and points the
    body's <img> at them: pair them, in order, with the article's images so those are not fetched again."""
    body = find_body(tree)
    if body is None:
        return
    sources = [str(img.attributes.get("src") or "") for img in body.css("figure img")]
    if len(sources) != len(article.images):
        return
    for url, src in zip(article.images, sources, strict=True):
        local = _local_file(folder, src)
        if local is not None:
            article.local_images[url] = local


def _local_file(folder: Path, src: str) -> Path | None:
    if not src or "://" in src or src.startswith(("//", "data:", "/")):
        return None
    name = unquote(urlsplit(src).path)
    if _CONTROL.search(name):  # no file has such a name: the picture is fetched from the CDN instead
        return None
    try:
        path = (folder / name).resolve()
        return path if path.is_file() and path.is_relative_to(folder.resolve()) else None
    except (OSError, ValueError):
        return None
