"""A channel's publications through the feed API: `launcher/export` + `channel-more` paging, falling back
to the classic `launcher/more`; deduplicated by publication id (dzen.md §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from dzenpress.dates import parse_date
from dzenpress.dzen.client import DzenClient, FetchError
from dzenpress.dzen.urls import ArticleRef, ChannelRef, parse_article

API = "https://dzen.ru/api/v3/launcher"
ARTICLE_TYPES = {"card", "article"}
POST_TYPES = {"brief", "post"}
_MAX_PAGES = 1000
_HEX = re.compile(r"[0-9a-f]{24}")


@dataclass(frozen=True)
class FeedItem:
    ref: ArticleRef
    kind: str  # "article" or "brief"
    title: str
    published: datetime | None


def channel_items(client: DzenClient, channel: ChannelRef, *, include_posts: bool = False) -> Iterator[FeedItem]:
    """Every publication of the channel, newest first as the API gives them, each once."""
    seen: set[str] = set()
    found = False
    for endpoint in ("export", "more"):
        for item in _pages(client, channel, endpoint):
            found = True
            feed_item = _to_item(item, channel, include_posts)
            if feed_item is not None and feed_item.ref.hex_id not in seen:
                seen.add(feed_item.ref.hex_id)
                yield feed_item
        if found:
            return


def _pages(client: DzenClient, channel: ChannelRef, endpoint: str) -> Iterator[Mapping[str, Any]]:
    query = {"channel_id": channel.channel_id} if channel.channel_id else {"channel_name": channel.name}
    url: str | None = f"{API}/{endpoint}?{urlencode({**query, 'country_code': 'ru', 'lang': 'ru'})}"
    page_ids: set[str] = set()
    for _ in range(_MAX_PAGES):
        if url is None:
            return
        try:
            data = client.json(url)
        except FetchError:
            if endpoint == "export" and not page_ids:
                return  # not every channel is served by export: the caller falls back to `more`
            raise
        items = data.get("items") if isinstance(data, Mapping) else None
        if not items:
            return
        yield from (i for i in items if isinstance(i, Mapping))
        next_url = ((data.get("more") or {}).get("link")) if isinstance(data, Mapping) else None
        next_id = parse_qs(urlsplit(next_url).query).get("next_page_id", [""])[0] if next_url else ""
        if not next_url or (next_id and next_id in page_ids):
            return
        page_ids.add(next_id or next_url)
        url = next_url


def _to_item(item: Mapping[str, Any], channel: ChannelRef, include_posts: bool) -> FeedItem | None:
    kind_raw = str(item.get("type") or "")
    if kind_raw in ARTICLE_TYPES:
        kind = "article"
    elif kind_raw in POST_TYPES and include_posts:
        kind = "brief"
    else:
        return None
    publisher = str(item.get("publisher_id") or item.get("publisherId") or "")
    if channel.channel_id and publisher and publisher != channel.channel_id:
        return None
    ref = _ref(item, kind)
    if ref is None:
        return None
    published = parse_date(item.get("publication_date") or item.get("creation_time"))
    return FeedItem(ref, kind, str(item.get("title") or ""), published)


def _ref(item: Mapping[str, Any], kind: str) -> ArticleRef | None:
    for key in ("share_link", "link"):
        value = item.get(key)
        ref = parse_article(value) if isinstance(value, str) else None
        if ref:
            return ref
    pub = str(item.get("publication_id") or item.get("publicationId") or item.get("id") or "").split(":")[-1]
    return ArticleRef(pub, "b" if kind == "brief" else "a") if _HEX.fullmatch(pub) else None
