"""Fixture pages made from the facts in dzen.md: both eras, with the chrome a real page carries."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dzenpress.dzen.urls import hex_to_article_id


@dataclass
class FakeImage:
    group: str
    name: str
    fmt: str = "jpeg"  # jpeg | png | webp


@dataclass
class FakeArticle:
    hex_id: str
    title: str
    blocks: list[dict[str, Any]]
    entity_map: dict[str, Any] = field(default_factory=dict)
    images: dict[str, FakeImage] = field(default_factory=dict)  # image id → CDN image
    published: datetime = datetime(2024, 11, 18, 9, 30, tzinfo=UTC)
    modified: datetime | None = None
    channel: str = "Арти Клиник"
    channel_name: str = "articlinic"
    kind: str = "article"
    visibility: str = "all"
    era: str = "dzen"  # dzen: embedded JSON + DOM; dom: dzen-era DOM only; zen: zen-era DOM only
    cover: str | None = None  # image id of the preview

    @property
    def article_id(self) -> str:
        return hex_to_article_id(self.hex_id)

    @property
    def url(self) -> str:
        return f"https://dzen.ru/a/{self.article_id}"

    def image_url(self, image_id: str, size: str = "scale_1200") -> str:
        img = self.images[image_id]
        return f"https://avatars.dzeninfra.ru/get-zen_doc/{img.group}/{img.name}/{size}"


def _ms(value: datetime | None) -> int | None:
    return int(value.timestamp() * 1000) if value else None


def ssr_json(article: FakeArticle) -> dict[str, Any]:
    state = {"draftJsState": {"blocks": article.blocks, "entityMap": article.entity_map}}
    publication = {
        "id": article.hex_id, "title": article.title, "publishDate": _ms(article.published),
        "modificationDate": _ms(article.modified), "visibilityType": article.visibility,
        "content": {"type": article.kind, "articleContent": {"contentState": json.dumps(state, ensure_ascii=False)},
                    "timeToReadSeconds": 120,
                    "preview": {"image": {"id": article.cover}} if article.cover else {}},
        "publicationStatistics": {"views": 11, "viewsTillEnd": 7},
    }
    images = {key: {"namespace": "zen_doc", "groupId": img.group, "imageName": img.name, "meta": {"origFormat": img.fmt}}
              for key, img in article.images.items()}
    return {"ssrData": {"publishersResponse": {"data": {"data": {
        "publication": publication, "publisher": {"name": article.channel}, "og": {"title": article.title},
        "images": images, "adData": {"adBlocks": {"a": {"rsyaAdData": {"blockId": "R-A-1"}}}}}},
        "thematicBanners": [{"link": "https://dzen.ru/topic/zdorove", "title": "Здоровье"}]},
        "socialMetaResponse": {"items": [{"metaInfo": {"commentsCount": 0, "visibleComments": "visible"}}]}}}


def _inline(block: dict[str, Any], entities: dict[str, Any]) -> str:
    text = block.get("text", "")
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    tags = {"BOLD": "b", "ITALIC": "i", "STRIKETHROUGH": "s"}
    for rng in block.get("inlineStyleRanges", []):
        tag = tags.get(rng["style"])
        if tag:
            opens.setdefault(rng["offset"], []).append(f"<{tag}>")
            closes.setdefault(rng["offset"] + rng["length"], []).insert(0, f"</{tag}>")
    for rng in block.get("entityRanges", []):
        entity = entities.get(str(rng["key"]), {})
        if entity.get("type") == "LINK":
            href = html.escape(entity["data"]["url"], quote=True)
            opens.setdefault(rng["offset"], []).append(
                f'<a class="content--article-link__articleLink-OU" href="{href}">')
            closes.setdefault(rng["offset"] + rng["length"], []).insert(0, "</a>")
    out = []
    for i, ch in enumerate(text + "\0"):
        out += closes.get(i, []) + opens.get(i, [])
        if ch != "\0":
            out.append(html.escape(ch))
    return "".join(out)


def dom_body(article: FakeArticle, era: str) -> str:
    zen = era == "zen"
    parts: list[str] = []
    list_tag = ""
    for block in article.blocks:
        kind = block["type"]
        if kind.endswith("list-item"):
            tag = "ul" if kind.startswith("unordered") else "ol"
            if list_tag != tag:
                if list_tag:
                    parts.append(f"</{list_tag}>")
                parts.append(f'<{tag} class="article-render__block article-render__block_{tag}">' if zen else
                             f'<{tag} class="content--article-render__block-3j">')
                list_tag = tag
            parts.append(f"<li>{_inline(block, article.entity_map)}</li>")
            continue
        if list_tag:
            parts.append(f"</{list_tag}>")
            list_tag = ""
        inner = _inline(block, article.entity_map)
        if kind in ("header-two", "header-three"):
            tag = "h2" if kind == "header-two" else "h3"
            parts.append(f'<{tag} class="article-render__block article-render__block_{tag}">{inner}</{tag}>' if zen
                         else f'<{tag} class="content--common-block__header3-3x">{inner}</{tag}>')
        elif kind == "blockquote":
            parts.append(f'<blockquote class="content--common-block__quote-s4"><p>{inner}</p></blockquote>')
        elif kind == "atomic:image":
            data = block["data"]["image"]
            src = data["url"] if "url" in data else article.image_url(data["id"])
            caption = f'<figcaption>{html.escape(block["text"])}</figcaption>' if block.get("text") else ""
            parts.append(f'<div data-block-type="image"><figure><img class="article-image-item__image" '
                         f'data-src="{src}" src="https://static.dzeninfra.ru/s3/zen-lib/1.0/dzen-desktop/x">'
                         f"{caption}</figure></div>")
        elif kind == "atomic:embed":
            embed = block["data"]["embedData"]
            href = embed.get("originalUrl") or embed.get("src") or ""
            parts.append(f'<div class="content--embed-block__block-1a"><a class="ui-lib-embed-view-base__link" '
                         f'href="{html.escape(href)}?from_embed=true">{html.escape(embed.get("title", ""))}</a>'
                         f'<iframe src="{html.escape(href)}"></iframe><script>track()</script></div>')
        else:
            cls = "article-render__block article-render__block_unstyled" if zen else "content--common-block__block-3U"
            parts.append(f'<p class="{cls}"><span>{inner}</span></p>')
    if list_tag:
        parts.append(f"</{list_tag}>")
    return "\n".join(parts)


CHROME_TOP = """<header class="desktop-header">Главная Подписки Найти Новости Статьи Видео Ролики Войти</header>
<div class="content--channel-header"><a href="/articlinic"><img src="https://avatars.dzeninfra.ru/get-zen-logos/1/pub_logo/36x36_2x"></a>
<a href="/articlinic">Арти Клиник</a><div>16 подписчиков</div><button>Подписаться</button></div>"""
CHROME_BOTTOM = """<div class="content--article-info-block__articleInfoBlock-3x">18 ноября 2024 · 18 ноя 2024 · 2 мин</div>
<div class="subscribe">Подпишитесь на канал, чтобы не пропустить новые публикации <button>Подписаться</button></div>
<section class="comments"><h3>Комментарии</h3><div>0 / 2500</div><a>Войти, чтобы комментировать</a></section>
<section class="topics"><h3>Взгляните на эти темы</h3>
<a href="https://dzen.ru/topic/zdorove"><img src="https://avatars.dzeninfra.ru/get-zen_doc/99/pub_topic/smart_crop_204x204">Здоровье</a>
<a href="/explore">Найти тему</a></section>
<section class="related"><h3>Рекомендуем почитать</h3><a href="https://dzen.ru/a/Zzr6LsflXCeGJ1wk?from=feed&place=article_related">Другая статья</a></section>
<div class="ad">Реклама • 16+ <a href="https://ads.example/">Перейти на сайт</a></div>
<div class="pro">Статьи и видео без рекламы С подпиской Дзен Про <img src="https://s3.dzeninfra.ru/zen/icons/dzen-pro/floating-stella.png"></div>"""


def article_page(article: FakeArticle) -> str:
    era = article.era
    title = html.escape(article.title)
    if era == "zen":
        canonical = f"https://zen.yandex.ru/media/{article.channel_name}/stati-{article.hex_id}"
        body = (f'<div id="article__page-root"><h1 class="article__title" itemprop="headline">{title}</h1>'
                f'<div class="article-render" itemprop="articleBody">{dom_body(article, "zen")}</div>'
                f'<div id="content-ending"></div></div>')
    else:
        canonical = article.url
        body = (f'<div aria-label="Статья 1" class="content--article-item-content__content-1S">'
                f'<h1 itemprop="headline" class="content--article-render__title-1g">{title}</h1>'
                f'<div itemprop="articleBody" class="content--article-render__container-1k">'
                f"{dom_body(article, 'dzen')}</div></div>")
    og_image = (f'<meta property="og:image" content="{article.image_url(article.cover, "smart_crop_516x290")}">'
                if article.cover else "")
    params = (f"<script>var _params = ({json.dumps(ssr_json(article), ensure_ascii=False)});</script>"
              if era == "dzen" else "")
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>{title} | {html.escape(article.channel)} | Дзен</title>
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{title}">{og_image}
<meta name="description" content="Статья автора «{html.escape(article.channel)}» в Дзене ✍: первые предложения…">
<meta itemprop="datePublished" content="{article.published.isoformat()}">
<meta name="zen_object_id" content="5f0c9d3a1b2c3d4e5f6a7b8c:{article.hex_id}">
<script>var _params = ({{"webCommonData": {{"clientDefinitionMap": {{}}}}}});</script>
</head><body>{CHROME_TOP}
{body}
{CHROME_BOTTOM}
{params}
<script>window.yaContextCb = window.yaContextCb || []; alert("ads")</script>
</body></html>"""


def sso_page(retpath: str) -> str:
    data = {"host": "https://sso.dzen.ru/install?uuid=4f2c", "retpath": retpath, "root": "sso.passport.yandex.ru"}
    return (f"<!doctype html><html><head><title>Дзен</title></head><body><script>var it = {json.dumps(data)};"
            f"</script></body></html>")


CAPTCHA_PAGE = ('<!doctype html><html><head><title>Ой!</title></head><body>'
                '<form action="/checkcaptcha"><img src="/captcha.png"></form></body></html>')
BLOCKED_PAGE = "<!doctype html><html><head><title>Доступ ограничен</title></head><body>Доступ ограничен</body></html>"
NOT_FOUND_PAGE = ("<!doctype html><html><head><title>Смотреть видео от авторов и СМИ | Дзен</title></head>"
                  "<body>Такой страницы нет</body></html>")
