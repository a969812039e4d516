"""`rss-dzen.xml`: the feed Dzen reads to publish the site's new articles (docs/dzen.md §8).

Only fresh posts (the last `[dzen_rss] days`), at most `max_items`; posts that came from Dzen are not fed
back. Each item's HTML is cut down to the tags Dzen accepts, with absolute URLs and no site chrome.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import takewhile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.sax.saxutils import escape

import jinja2
import nh3

from dzenpress import dates, routes
from dzenpress.config import Config
from dzenpress.content.post import Post
from dzenpress.content.site import Site
from dzenpress.hashing import digest
from dzenpress.render.pages import Context, Page, Pages, body_html, render_text, site_host
from dzenpress.render.plan import file_stat

OUTPUT = routes.output_of(routes.DZEN_RSS)
TEMPLATE = OUTPUT
MIN_WIDTH = 700
DZEN_HOSTS = ("dzen.ru", "zen.yandex.ru", "zen.yandex.com")
ALLOWED_TAGS = {"p", "a", "b", "i", "u", "s", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "figure",
                "figcaption", "img"}
_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}

_RENAME = [(re.compile(rf"<(/?){old}\b([^>]*)>"), rf"<\1{new}\2>") for old, new in
           (("em", "i"), ("strong", "b"), ("del", "s"), ("strike", "s"), ("h[56]", "h4"))]
_TABLE = re.compile(r"<table\b[^>]*>(.*?)</table>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(t[hd])\b[^>]*>(.*?)</t[hd]>", re.S)
_PRE = re.compile(r"<pre\b[^>]*>(?:<code\b[^>]*>)?(.*?)(?:</code>)?</pre>", re.S)
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_BR = re.compile(r"<br\s*/?>\n?")
_LONE_IMAGE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
_URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')


@dataclass(frozen=True)
class Enclosure:
    url: str
    type: str  # image/jpeg or image/png
    length: int


def dzen_rss_pages(pages: Pages, warnings: list[str]) -> list[Page]:
    """The Dzen feed as one output, described by the posts it carries and their enclosures."""
    settings = pages.cfg.dzen_rss
    if not settings.enabled:
        return []
    posts = fresh_posts(pages.site, dates.now())
    enclosures = {}
    for post in posts:
        enclosure = enclosure_for(post, pages.site)
        if enclosure is None:
            why = f"cover {post.cover} is not" if post.cover else "has no cover:"
            warnings.append(f"{post.path}: {why} a JPEG or PNG ≥ {MIN_WIDTH} px wide for Dzen's card "
                            f"(enclosure); {OUTPUT} carries the post without one")
        enclosures[post.slug] = enclosure
    covers = tuple(file_stat(_cover_file(p, pages.site) or "") for p in posts)
    context = {"posts": tuple(posts), "enclosures": tuple(enclosures[p.slug] for p in posts), "covers": covers}
    # derived in every build: the posts it carries follow the clock, not only the posts' files
    return [Page(OUTPUT, TEMPLATE, render_dzen_rss, partial(dict, context), derive=True)]


@dataclass(frozen=True)
class DzenItem:
    """A post as Dzen's feed carries it: URL, opaque guid, author, cover enclosure, HTML cut to Dzen's tags."""

    post: Post
    url: str
    guid: str
    author: str
    enclosure: Enclosure | None
    content: str


def render_dzen_rss(env: jinja2.Environment, c: Context) -> str:
    cfg: Config = c["site"]
    urls = cfg.urls
    items = [_item(cfg, post, enclosure) for post, enclosure in zip(c["posts"], c["enclosures"], strict=True)]
    return render_text(env, TEMPLATE, c, items=items, site_url=urls.absolute(routes.HOME),
                       feed_url=urls.file(routes.DZEN_RSS))


def window_deadline(site: Site) -> datetime | None:
    """When the feed's window next moves by the clock alone: a carried post grows too old, or a post dated
    in the future comes due. None when the feed is off or nothing will move it."""
    if not site.config.dzen_rss.enabled:
        return None
    at = dates.now()
    moments = [p.date + timedelta(days=site.config.dzen_rss.days) for p in fresh_posts(site, at)]
    moments += [p.date for p in takewhile(lambda p: p.date > at, site.posts) if not p.draft]  # newest first
    return min(moments, default=None)


def fresh_posts(site: Site, at: datetime) -> list[Post]:
    """Posts published in the last `days` (none from the future), newest first, at most `max_items`."""
    settings = site.config.dzen_rss
    since = at - timedelta(days=settings.days)
    chosen = [p for p in takewhile(lambda p: p.date >= since, site.posts)  # newest first: stop at the window
              if not p.draft and p.date <= at and (settings.include_from_dzen or not from_dzen(p))]
    return chosen[: settings.max_items]


def from_dzen(post: Post) -> bool:
    host = (urlsplit(post.source or "").hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in DZEN_HOSTS)


def enclosure_for(post: Post, site: Site) -> Enclosure | None:
    """The cover as Dzen's card image: a local JPEG or PNG at least 700 px wide, else None.

    The single place the image pipeline replaces to hand Dzen a generated JPEG instead.
    """
    path = _cover_file(post, site)
    if path is None or not path.is_file():
        return None
    import pyvips

    try:
        image = pyvips.Image.new_from_file(str(path), access="sequential")  # reads the header only
        loader = str(image.get("vips-loader"))
    except pyvips.Error:
        return None
    kind = {"jpegload": "image/jpeg", "pngload": "image/png"}.get(loader)
    if kind is None or image.width < MIN_WIDTH:
        return None
    assert post.cover is not None
    return Enclosure(site.config.urls.file(post.cover), kind, path.stat().st_size)


def _cover_file(post: Post, site: Site) -> Path | None:
    cover = post.cover
    if not cover or not cover.startswith("/") or cover.startswith("//"):
        return None
    if cover in post.assets:
        return Path(post.assets[cover])
    return site.public_dir / unquote(cover).lstrip("/")


def _item(cfg: Config, post: Post, enclosure: Enclosure | None) -> DzenItem:
    url = cfg.urls.absolute(routes.post(post.slug))
    body = dzen_html(body_html(post, site_host(cfg)), url)
    if enclosure:
        body = f'<figure><img src="{escape(enclosure.url)}" alt=""></figure>\n' + body
    return DzenItem(post, url, guid(post), post.author or cfg.author, enclosure, body)


def guid(post: Post) -> str:
    """Opaque and stable: it follows the slug, never the date, title or site address."""
    return "dzenpress-" + digest(f"post:{post.slug}".encode())[:20]


def dzen_html(page_html: str, base_url: str) -> str:
    """The site's rendered article → the HTML Dzen accepts: its tags only, absolute URLs, no ids or wrappers."""
    text = page_html
    for pattern, replacement in _RENAME:
        text = pattern.sub(replacement, text)
    text = _TABLE.sub(_table, text)
    text = _PRE.sub(_pre, text)
    text = _PARAGRAPH.sub(lambda m: "<p>" + _BR.sub("</p><p>", m.group(1)) + "</p>", text)
    text = _BR.sub(" ", text)
    text = nh3.clean(text, tags=ALLOWED_TAGS, attributes=_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https", "mailto", "tel"}, strip_comments=True)
    text = text.replace("<p></p>", "")
    text = _LONE_IMAGE.sub(r"<figure>\1</figure>", text)
    return _URL_ATTR.sub(lambda m: f'{m.group(1)}="{_absolute(m.group(2), base_url)}"', text)


def _absolute(value: str, base_url: str) -> str:
    raw = html.unescape(value)
    if raw.startswith(("http://", "https://", "mailto:", "tel:")):
        return value
    return html.escape(urljoin(base_url, raw), quote=True)


def _table(m: re.Match[str]) -> str:
    rows = []
    for row in _ROW.finditer(m.group(1)):
        cells = [(kind, inner.strip()) for kind, inner in _CELL.findall(row.group(1))]
        texts = [f"<b>{inner}</b>" if kind == "th" and inner else inner for kind, inner in cells]
        if any(texts):
            rows.append("<p>" + " — ".join(t for t in texts if t) + "</p>")
    return "\n".join(rows)


def _pre(m: re.Match[str]) -> str:
    lines = [line for line in m.group(1).split("\n") if line.strip()]
    return "<blockquote>" + "".join(f"<p>{line}</p>" for line in lines) + "</blockquote>"
