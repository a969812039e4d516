"""A channel's publications, as Dzen serves them today and before (dzen.md §5):

1. the channel page itself (`ssrData.exportResponse.feedData`: items + `more.link` → `/api/web/v1/channel-more`),
2. the feed API `launcher/export` (+ `channel-more` paging),
3. the classic `launcher/more`.

Items may be articles at the top level or inside "floors" (`channel_article_floor`, their own `items[]`); keys
are camelCase today (`shareLink`, `publicationDate` as a string of Unix seconds, `sourceId`) and snake_case in
older answers. Articles (and briefs when asked) are kept, shorts and videos never; each publication once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from dzenpress.dzen import dom, embedded
from dzenpress.dzen.client import DzenClient, FetchError
from dzenpress.dzen.fields import dig, first_date
from dzenpress.dzen.urls import ArticleRef, ChannelRef, parse_article
from dzenpress.errors import DzenpressError

API = "https://dzen.ru/api/v3/launcher"
ARTICLE_TYPES = {"card", "article"}
POST_TYPES = {"brief", "post"}
_MAX_PAGES = 1000
_HEX = re.compile(r"[0-9a-f]{24}")


class ChannelError(DzenpressError):
    """The channel's listing holds no article to import."""


@dataclass(frozen=True)
class FeedItem:
    ref: ArticleRef
    kind: str  # "article" or "brief"
    title: str
    published: datetime | None


class _Tally:
    """What a listing saw, to explain an empty result."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.publisher = ""

    def reason(self, include_posts: bool) -> str:
        if not self.kinds:
            return "Dzen listed no publications for this channel (is the name right? try the https://dzen.ru/id/… form)"
        seen = ", ".join(f"{n} {kind}" for kind, n in self.kinds.most_common())
        hint = "; briefs are imported with --include-posts" if not include_posts and (
            self.kinds.keys() & POST_TYPES) else ""
        return f"the channel's listing holds no article to import (it listed {seen}){hint}"


def channel_items(client: DzenClient, channel: ChannelRef, *, include_posts: bool = False) -> Iterator[FeedItem]:
    """Every publication of the channel, newest first as Dzen gives them, each once.
    Raises ChannelError when the listing yields no article (never a silent empty success)."""
    seen: set[str] = set()
    tally = _Tally()
    sources = (_page_feed(client, channel), _api_feed(client, channel, "export"), _api_feed(client, channel, "more"))
    for pages in sources:
        found = False
        for item in pages:
            feed_item = _to_item(item, channel, include_posts, tally)
            if feed_item is not None and feed_item.ref.hex_id not in seen:
                seen.add(feed_item.ref.hex_id)
                found = True
                yield feed_item
        if found:
            return
    raise ChannelError(tally.reason(include_posts), path=channel.url)


def saved_channel_items(html: str, *, include_posts: bool = False, path: str = "") -> list[FeedItem] | None:
    """The articles a saved channel page's embedded feed holds (offline: no paging past what was saved);
    None when the page is not a channel page."""
    if '"feedData"' not in html:  # an article page: not worth parsing twice
        return None
    data = embedded.embedded(dom.parse(html).tree)
    feed = embedded.channel_feed(data) if data is not None else None
    if feed is None:
        return None
    channel = ChannelRef(channel_id=str(dig(data, "ssrData", "exportResponse", "channel", "source", "publisher_id")
                                        or ""))
    tally = _Tally()
    items: dict[str, FeedItem] = {}
    for raw in _flatten(feed.get("items") or []):
        item = _to_item(raw, channel, include_posts, tally)
        if item is not None:
            items.setdefault(item.ref.hex_id, item)
    if not items:
        raise ChannelError(tally.reason(include_posts), path=path or None)
    return list(items.values())


# ---- the sources ------------------------------------------------------------------------------

def _page_feed(client: DzenClient, channel: ChannelRef) -> Iterator[Mapping[str, Any]]:
    """The channel page as a browser gets it, then the `channel-more` pages it links to."""
    try:
        _final, html = client.page(channel.url)
    except FetchError:
        return
    data = embedded.embedded(dom.parse(html).tree)
    feed = embedded.channel_feed(data) if data is not None else None
    if feed is None:
        return
    yield from _flatten(feed.get("items") or [])
    yield from _follow(client, _more_link(feed), set())


def _api_feed(client: DzenClient, channel: ChannelRef, endpoint: str) -> Iterator[Mapping[str, Any]]:
    query = {"channel_id": channel.channel_id} if channel.channel_id else {"channel_name": channel.name}
    url = f"{API}/{endpoint}?{urlencode({**query, 'country_code': 'ru', 'lang': 'ru'})}"
    try:
        data = client.json(url)
    except FetchError:
        if endpoint == "export":
            return  # not every channel is served by export: the caller falls back to `more`
        raise
    feed = _feed_of(data)
    if feed is None:
        return
    yield from _flatten(feed.get("items") or [])
    yield from _follow(client, _more_link(feed), set())


def _follow(client: DzenClient, url: str | None, page_ids: set[str]) -> Iterator[Mapping[str, Any]]:
    for _ in range(_MAX_PAGES):
        if url is None:
            return
        next_id = parse_qs(urlsplit(url).query).get("next_page_id", [""])[0]
        if (next_id or url) in page_ids:
            return
        page_ids.add(next_id or url)
        feed = _feed_of(client.json(url))
        if feed is None or not feed.get("items"):
            return
        yield from _flatten(feed["items"])
        url = _more_link(feed)


def _feed_of(data: Any) -> Mapping[str, Any] | None:
    """An API answer's feed: `{items, more}` itself, or wrapped in `feedData` or a page's ssrData."""
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        return data
    for node in (dig(data, "feedData"), embedded.channel_feed(data) if isinstance(data, Mapping) else None):
        if isinstance(node, Mapping) and isinstance(node.get("items"), list):
            return node
    return None


def _more_link(feed: Mapping[str, Any]) -> str | None:
    link = dig(feed, "more", "link")
    if not isinstance(link, str) or not link:
        return None
    return "https://dzen.ru" + link if link.startswith("/") else link


def _flatten(items: Iterable[Any]) -> Iterator[Mapping[str, Any]]:
    """Items, with the articles grouped in floors (`channel_article_floor` and the like) brought up."""
    for item in items:
        if not isinstance(item, Mapping):
            continue
        inner = item.get("items")
        if isinstance(inner, list):
            yield from _flatten(inner)
        else:
            yield item


# ---- one item ---------------------------------------------------------------------------------

def _to_item(item: Mapping[str, Any], channel: ChannelRef, include_posts: bool, tally: _Tally) -> FeedItem | None:
    kind_raw = str(item.get("type") or "")
    tally.kinds[kind_raw or "untyped"] += 1
    if kind_raw in ARTICLE_TYPES:
        kind = "article"
    elif kind_raw in POST_TYPES and include_posts:
        kind = "brief"
    else:
        return None
    publisher = str(item.get("publisher_id") or item.get("publisherId") or item.get("sourceId")
                    or dig(item, "source", "publisher_id") or "")
    if channel.channel_id and publisher and publisher != channel.channel_id:
        return None
    ref = _ref(item, kind)
    if ref is None:
        return None
    published = first_date(item, "publicationDate", "publication_date", "publishTime", "creation_time")
    return FeedItem(ref, kind, str(item.get("title") or ""), published)


def _ref(item: Mapping[str, Any], kind: str) -> ArticleRef | None:
    for key in ("shareLink", "share_link", "link"):
        value = item.get(key)
        ref = parse_article(value) if isinstance(value, str) else None
        if ref:
            return ref
    pub = str(item.get("publication_id") or item.get("publicationId") or item.get("id") or "").split(":")[-1]
    return ArticleRef(pub, "b" if kind == "brief" else "a") if _HEX.fullmatch(pub) else None
