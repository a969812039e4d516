"""A channel as dzen.ru serves it today: the channel page with `ssrData.exportResponse.feedData` (camelCase
items, `publicationDate` as a string of Unix seconds, shorts and carousels mixed in, articles optionally
grouped in floors) and `/api/web/v1/channel-more` pages; and the older snake_case feed API items."""

from __future__ import annotations

import html
import json
from typing import Any

from fake_dzen.pages import CHANNEL_ID, FakeArticle


def real_item(article: FakeArticle, kind: str) -> dict[str, Any]:
    letter = "b" if kind == "brief" else "a"
    share = f"https://dzen.ru/{letter}/{article.article_id}"
    return {"id": article.hex_id, "type": kind, "itemId": "6717612241976871143", "itemType": "native",
            "title": article.title, "text": "…", "sourceId": CHANNEL_ID, "shareLink": share,
            "link": share + "?feed_exp=ordinary_feed&from=channel&rid=1.2.3&integration=site_desktop&place=layout",
            "publicationDate": str(int(article.published.timestamp())), "timeToReadSeconds": 444, "views": 19,
            "source": {"id": "-5610287444303873610", "type": "publisher", "title": article.channel},
            "image": {"urlTemplate": f"https://avatars.dzeninfra.ru/get-{{namespace}}/1/pub_{article.hex_id}_x/{{size}}"},
            "socialInfo": {"commentsEnabled": True, "likesCount": 2}}


def legacy_item(article: FakeArticle, kind: str) -> dict[str, Any]:
    kind = "card" if kind == "article" else kind
    letter = "b" if kind == "brief" else "a"
    return {"type": kind, "title": article.title, "text": "…",
            "link": f"https://dzen.ru/{letter}/{article.article_id}?from=feed&utm_referrer=x",
            "share_link": f"https://dzen.ru/{letter}/{article.article_id}",
            "publication_id": f"native:{article.hex_id}", "publication_date": int(article.published.timestamp()),
            "image": "https://avatars.dzeninfra.ru/get-zen_doc/1/pub_x/smart_crop_344x194"}


def _shorts_floor(page: int) -> dict[str, Any]:
    shorts = [{"id": f"6a4b875d8aaeb63c7a41ab{page:02x}", "type": "short_video", "title": "Ролик",
               "shareLink": f"https://dzen.ru/shorts/6a4b875d8aaeb63c7a41ab{page:02x}",
               "publicationDate": "1783512081", "sourceId": CHANNEL_ID}]
    return {"id": f"-89585947525367709{page}", "type": "channel_short_video_floor", "item_type": "channel_block_shorts",
            "title": "Ролики", "has_more": True, "tab": "shorts", "items": shorts}


def real_feed(articles: list[tuple[FakeArticle, str]], page: int, more: str | None, floors: bool) -> dict[str, Any]:
    """One page of a real feed: articles at the top level or in a floor, with a shorts floor among them."""
    items: list[dict[str, Any]] = [real_item(a, kind) for a, kind in articles]
    if floors:
        items = [{"id": f"floor{page}", "type": "channel_article_floor", "item_type": "channel_block_articles",
                  "title": "Статьи", "items": items}]
    if page == 0:
        items.insert(0, {"id": "26773673396345327", "type": "suites_carousel", "title": "Подборки автора",
                         "publisher_id": CHANNEL_ID, "suites": []})
    items.insert(min(2, len(items)), _shorts_floor(page))
    return {"rid": "3777985357.907", "items": items, "more": {"link": more} if more else {}, "isNewApi": True}


def channel_more_link(name: str, page: int) -> str:
    return (f"https://dzen.ru/api/web/v1/channel-more?channel_name={name}&sort_type=regular&country_code=ru"
            f"&next_page_id=articles%2F{page}%2F1783411272600&_csrf=783062ef-0&clid=1400&lang=ru")


def channel_page(name: str, title: str, feed: dict[str, Any]) -> str:
    data = {"ssrData": {"exportResponse": {
        "countryCode": "ru", "isNewApi": True, "feedData": feed,
        "channel": {"status": "ok", "source": {"publisher_id": CHANNEL_ID, "title": title, "subtitle": "16 подписчиков"}},
        "pinnedItems": {"items": []}, "tabs": [{"id": "article", "url": "https://dzen.ru/api/web/v1/channel?x=1"}]}}}
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>{html.escape(title)} | Дзен</title>
<link rel="canonical" href="https://dzen.ru/{name}"></head><body>
<div class="desktop-channel-layout"><h1>{html.escape(title)}</h1><div>16 подписчиков</div><button>Подписаться</button></div>
<script>var _params = ({{"webCommonData": {{"clientDefinitionMap": {{}}}}}});</script>
<script>var _params = ({json.dumps(data, ensure_ascii=False)});</script>
</body></html>"""
