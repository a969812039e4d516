"""Fixture pages made from the facts in dzen.md: both eras, with the chrome a real page carries."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dzenpress.dzen.urls import hex_to_article_id

from fake_dzen.furniture import CHROME
from fake_dzen.zen2018 import page_2018


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
    era: str = "dzen"  # dzen: embedded JSON + DOM; dom: dzen-era DOM only; zen: zen-era DOM only; zen2018: 2017–18
    cover: str | None = None  # image id of the preview
    undated: bool = False  # the page shows no date at all (neither in its JSON nor in its meta tags)
    wrapper: bool = True  # zen2018: the blocks inside `itemprop="articleBody"`, or loose in the body
    h1: str = "closed"  # zen2018: the headline closed, never closed ("open") or missing ("none")
    chrome: dict[int, list[str]] = field(default_factory=dict)  # before block n (-1: page top): furniture.CHROME

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


def image_info(article: FakeArticle, image_id: str, n: int = 0) -> dict[str, Any]:
    """An entry of `…data.data.images` as dzen.ru writes it (namespace, groupId as a number, sizes)."""
    img = article.images[image_id]
    width, height = IMAGE_SIZES[n % len(IMAGE_SIZES)]
    small = (min(width, 1200), height * min(width, 1200) // width)
    return {"id": image_id, "namespace": "zen_doc", "groupId": int(img.group), "imageName": img.name,
            "meta": {"mainColor": "#F8F8F8", "origFormat": img.fmt.upper()},
            "sizes": {"scale_2400": {"width": width, "height": height},
                      "scale_1200": {"width": small[0], "height": small[1]},
                      "orig": {"width": width, "height": height}}}


IMAGE_SIZES = [(1920, 1402), (1280, 235), (750, 859), (750, 904), (670, 845), (1500, 675), (800, 429)]


def ssr_json(article: FakeArticle) -> dict[str, Any]:
    """`var _params` as dzen.ru serves it: the title only in og and the preview, dates as publishTime /
    modificationTime in milliseconds, and a draft `content.modTime` *before* publication (the trap)."""
    state = {"draftJsState": {"blocks": article.blocks, "entityMap": article.entity_map}, "mentions": []}
    published = _ms(article.published) or 0
    preview: dict[str, Any] = {"title": article.title, "snippet": "…"}
    if article.cover:
        preview["image"] = image_info(article, article.cover)
    publication = {
        "id": article.hex_id, "publisherId": CHANNEL_ID, "addTime": published, "publishTime": published,
        "modificationTime": _ms(article.modified) or published + 207000, "visibilityType": article.visibility,
        "content": {"type": article.kind, "articleContent": {"contentState": json.dumps(state, ensure_ascii=False)},
                    "modTime": published - 86400000, "timeToReadSeconds": 120, "preview": preview},
        "titleForUrl": "stati", "publicationStatistics": {"views": 11, "viewsTillEnd": 7, "pageViews": 11},
    }
    if article.undated:
        for key in ("addTime", "publishTime", "modificationTime"):
            del publication[key]
    images = {key: image_info(article, key, n) for n, key in enumerate(article.images)}
    return {"ssrData": {"publishersResponse": {"data": {"data": {
        "__type": "article", "publication": publication,
        "publisher": {"id": CHANNEL_ID, "name": article.channel, "nickname": {"raw": article.channel_name}},
        "og": {"title": article.title, "description": "…"}, "images": images,
        "adData": {"adBlocks": {"a": {"rsyaAdData": {"blockId": "R-A-1"}}}}}},
        "thematicBanners": [{"link": "https://dzen.ru/topic/zdorove", "title": "Здоровье"}]},
        "socialMetaResponse": {"items": [{"metaInfo": {"commentsCount": 0, "visibleComments": "visible"}}]}}}


CHANNEL_ID = "6130cb1eb0106960fd8890ce"


def inline_html(block: dict[str, Any], entities: dict[str, Any], bold: str = "b") -> str:
    text = block.get("text", "")
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    tags = {"BOLD": bold, "ITALIC": "i", "STRIKETHROUGH": "s"}
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
    figures = 0
    ids = list(article.images)
    for n, block in enumerate(article.blocks):
        kind = block["type"]
        if not kind.endswith("list-item"):
            parts += [CHROME[name] for name in article.chrome.get(n, [])]
        if kind.endswith("list-item"):
            tag = "ul" if kind.startswith("unordered") else "ol"
            if list_tag != tag:
                if list_tag:
                    parts.append(f"</{list_tag}>")
                parts.append(f'<{tag} class="article-render__block article-render__block_{tag}">' if zen else
                             f'<{tag} class="content--article-render__block-3j">')
                list_tag = tag
            parts.append(f"<li>{inline_html(block, article.entity_map)}</li>")
            continue
        if list_tag:
            parts.append(f"</{list_tag}>")
            list_tag = ""
        inner = inline_html(block, article.entity_map)
        if kind in ("header-two", "header-three"):
            tag = "h2" if kind == "header-two" else "h3"
            parts.append(f'<{tag} class="article-render__block article-render__block_{tag}">{inner}</{tag}>' if zen
                         else f'<{tag} data-article-block="true" class="content--common-block__block-3U '
                         f'content--common-block__{"header2-7K" if tag == "h2" else "header3-3x"}"><span>{inner}'
                         f"</span></{tag}>")
        elif kind == "blockquote":
            parts.append(f'<blockquote class="content--common-block__quote-s4"><span>{inner}</span></blockquote>')
        elif kind == "atomic:image":
            parts.append(_figure(article, block, figures, ids, zen))
            figures += 1
        elif kind == "atomic:embed":
            parts.append(_card(block["data"]["embedData"]))
        else:
            cls = "article-render__block article-render__block_unstyled" if zen else "content--common-block__block-3U"
            parts.append(f'<p data-article-block="true" class="{cls}"><span>{inner}</span></p>')
    if list_tag:
        parts.append(f"</{list_tag}>")
    parts += [CHROME[name] for name in article.chrome.get(len(article.blocks), [])]
    return "\n".join(parts)


LAZY_AFTER = 2  # dzen.ru renders the first two body images; the others are lazy: src="" srcSet=""


def _figure(article: FakeArticle, block: dict[str, Any], n: int, ids: list[str], zen: bool) -> str:
    data = block["data"]["image"]
    caption = f'<figcaption>{html.escape(block["text"])}</figcaption>' if block.get("text") else ""
    if zen or "url" in data:
        src = data["url"] if "url" in data else article.image_url(data["id"])
        return (f'<div data-block-type="image"><figure><img class="article-image-item__image" data-src="{src}" '
                f'src="https://static.dzeninfra.ru/s3/zen-lib/1.0/dzen-desktop/x">{caption}</figure></div>')
    info = image_info(article, data["id"], ids.index(data["id"]))
    width, height = info["sizes"]["scale_1200"]["width"], info["sizes"]["scale_1200"]["height"]
    if n < LAZY_AFTER:
        src = article.image_url(data["id"])
        srcset = f"{article.image_url(data['id'], 'scale_540')} 540w, {src} 2048w"
    else:
        src = srcset = ""
    alt = "" if n == 0 else f"-{n + 1}"
    return (f'<div data-testid="article-render__block" class="content--article-image-block__block-1q" '
            f'data-block-type="image"><div><div class="content--article-image-item__container-32">'
            f'<figure itemscope="" itemprop="image" itemtype="http://schema.org/ImageObject">'
            f'<img itemprop="image" class="content--article-image-item__image-3_" width="{width}px" '
            f'height="{height}px" src="{src}" alt="{alt}" srcset="{srcset}">{caption}</figure></div></div></div>')


def _card(embed: dict[str, Any]) -> str:
    """An embed card as dzen.ru renders it: the title, the publisher and the date in one link, or in a
    <span> with no address at all when Dzen marks the link `badSeoLink`; an iframe for players."""
    href = embed.get("originalUrl") or embed.get("src") or ""
    text = (f'<div class="content--embed-view-text__embedViewText-2_ content--embed-view-text__titleLineCount2-1k">'
            f'<div class="content--embed-view-text__title-iQ">{html.escape(embed.get("title", ""))}</div>'
            f'<div class="content--embed-view-text__meta-1q"><span class="content--embed-view-text__publisher-28">'
            f'Арти Клиник</span><span class="content--embed-view-text__publishTime-2L">4 февраля 2024</span>'
            f"</div></div>")
    if embed.get("badSeoLink"):
        link = f'<span class="content--embed-view-base__link-sF">{text}</span>'
    else:
        link = f'<a class="content--embed-view-base__link-sF" href="{html.escape(href)}" rel="dofollow">{text}</a>'
    player = f'<iframe src="{html.escape(href)}"></iframe><script>track()</script>' if embed.get("type") == "youtube" \
        else ""
    return (f'<div data-testid="embed-block_{html.escape(embed.get("type", ""))} article-render__block" '
            f'class="content--embed-block__block-1j"><div data-testid="embed-link-container">{link}{player}'
            f"</div></div>")


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
    if era == "zen2018":
        return page_2018(article)
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
    og_image = (f'<meta property="og:image" content="https://avatars.dzeninfra.ru/get-zen-pub-og/1234567/'
                f'pub_{article.hex_id}_{"f" * 24}/optimize">')
    params = (f"<script>var _params = ({json.dumps(ssr_json(article), ensure_ascii=False)});</script>"
              if era == "dzen" else "")
    return f"""<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>{title} | {html.escape(article.channel)} | Дзен</title>
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{title}">{og_image}
<meta name="description" content="Статья автора «{html.escape(article.channel)}» в Дзене ✍: первые предложения…">
{"" if article.undated else f'<meta itemprop="datePublished" content="{article.published.date().isoformat()}">'}
<meta name="zen_object_id" content="5f0c9d3a1b2c3d4e5f6a7b8c:{article.hex_id}">
<script>var _params = ({{"webCommonData": {{"clientDefinitionMap": {{}}}}}});</script>
</head><body>{CHROME_TOP}{"".join(CHROME[name] for name in article.chrome.get(-1, []))}
{body}
{CHROME_BOTTOM}
{params}
<script>window.yaContextCb = window.yaContextCb || []; alert("ads")</script>
</body></html>"""


def sso_page(retpath: str) -> str:
    """The sign-on bounce's structure: `var it = {…}` (slashes as \\u002F) and a form it submits."""
    data = {"host": "https://sso.dzen.ru/install?uuid=4f2c", "retpath": retpath, "dzen": "1"}
    encoded = json.dumps(data).replace("/", "\\u002F")
    return (f"<body></body><script nonce='0a1b'>var it = {encoded};(function() {{ var form = "
            "document.createElement('form'); var e = document.createElement('input'); e.name = 'retpath'; "
            "e.type = 'hidden'; e.value = it.retpath; form.appendChild(e); form.method = 'POST'; "
            "form.action = it.host; document.body.appendChild(form); form.submit();})();</script>")


CAPTCHA_PAGE = ('<!doctype html><html><head><title>Ой!</title></head><body>'
                '<form action="/checkcaptcha"><img src="/captcha.png"></form></body></html>')
BLOCKED_PAGE = "<!doctype html><html><head><title>Доступ ограничен</title></head><body>Доступ ограничен</body></html>"
NOT_FOUND_PAGE = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Дзен. Страница не найдена</title></head><body>
<header class="zen-ui-page-404__header"><div class="zen-ui-page-404__header-inner"><a href="/" class="zen-ui-logo">
</a></div></header><main class="zen-ui-error-page-main"><div class="error__image">
<img src="https://s3.dzeninfra.ru/zen-misc/images/illustrations/404_light.png" alt="Картинка 404"></div>
<div class="error__message"><p class="error__title">Такой страницы не существует</p>
<p class="error__description">Как вы здесь оказались, пока что загадка вселенной</p></div>
<a class="error__button" href="https://dzen.ru">Вернуться на главную</a></main></body></html>"""
