"""zen.yandex.ru article pages of 2017–2018, generated from a FakeArticle: `p.article-block`,
`h2.article-block`, `blockquote.article-block-quote`, `figure.article-block-image` on avatars.mds.yandex.net,
`div.article-block-embed`; inside `<div itemprop="articleBody">` or, as scrapers kept them, loose in the body;
a headline closed, never closed, or missing; no dates and no embedded JSON (as those pages had none)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from fake_dzen.furniture import CHROME

if TYPE_CHECKING:
    from fake_dzen.pages import FakeArticle

OLD_CDN = "https://avatars.mds.yandex.net"


def old_image_url(article: FakeArticle, image_id: str, size: str) -> str:
    img = article.images[image_id]
    return f"{OLD_CDN}/get-zen_doc/{img.group}/{img.name}/{size}"


def zen_url(article: FakeArticle) -> str:
    return f"https://zen.yandex.ru/media/{article.channel_name}/stati-{article.hex_id}"


def _figure(article: FakeArticle, block: dict[str, Any]) -> str:
    image_id = block["data"]["image"]["id"]
    small, large = old_image_url(article, image_id, "scale_600"), old_image_url(article, image_id, "scale_1200")
    caption = html.escape(block.get("text") or "")
    return (f'<figure class="article-block article-block-image" itemscope="" '
            f'itemtype="http://schema.org/ImageObject"><div class="article-block-image__container" '
            f'style="max-width: 600px;"><div class="article-block-image__zoom" id="pub_{article.hex_id}_{image_id}">'
            f'<img itemprop="image" class="article-block-image__image " src="{small}" '
            f'srcset="{small} 1x, {large} 2x" alt=""></div></div>'
            f'<figcaption class="article-block-image__caption">{caption}</figcaption></figure>')


def _embed(block: dict[str, Any]) -> str:
    data = block["data"]["embedData"]
    href = html.escape(data.get("originalUrl") or data.get("src") or "")
    return (f'<div class="article-block article-block-embed"><a class="article-embed__link" href="{href}">'
            f'{html.escape(data.get("title") or "")}</a></div>')


def body_2018(article: FakeArticle) -> str:
    from fake_dzen.pages import inline_html

    parts: list[str] = []
    list_tag = ""
    for n, block in enumerate(article.blocks):
        kind = block["type"]
        if list_tag and not kind.endswith("list-item"):
            parts.append(f"</{list_tag}>")
            list_tag = ""
        if not kind.endswith("list-item"):
            parts += [CHROME[name] for name in article.chrome.get(n, [])]
        inner = inline_html(block, article.entity_map, bold="strong")
        if kind.endswith("list-item"):
            tag = "ul" if kind.startswith("unordered") else "ol"
            if list_tag != tag:
                if list_tag:
                    parts.append(f"</{list_tag}>")
                parts.append(f'<{tag} class="article-block article-block-list">')
                list_tag = tag
            parts.append(f"<li>{inner}</li>")
        elif kind in ("header-two", "header-three"):
            tag = "h2" if kind == "header-two" else "h3"
            parts.append(f'<{tag} class="article-block">{inner}\n</{tag}>')
        elif kind == "blockquote":
            parts.append(f'<blockquote class="article-block article-block-quote">{inner}\n</blockquote>')
        elif kind == "atomic:image":
            parts.append(_figure(article, block))
        elif kind == "atomic:embed":
            parts.append(_embed(block))
        else:
            parts.append(f'<p class="article-block article-block-unstyled">{inner}\n</p>')
    if list_tag:
        parts.append(f"</{list_tag}>")
    parts += [CHROME[name] for name in article.chrome.get(len(article.blocks), [])]
    return "\n".join(parts)


def page_2018(article: FakeArticle) -> str:
    title = html.escape(article.title)
    channel = html.escape(article.channel.upper())
    cover = next(iter(article.images), None)
    og_image = (f'<meta property="og:image" content="{old_image_url(article, cover, "orig")}">' if cover else "")
    headline = {"closed": f'<h1 class="article__title" itemprop="headline">{title}</h1>',
                "open": f'<h1 class="article__title" itemprop="headline">{title}',
                "none": ""}[article.h1]
    body = body_2018(article)
    if article.wrapper:
        body = (f'<article class="article" itemscope="" itemtype="http://schema.org/Article">'
                f'<div class="article__content"><div class="article__middle"><div class="article__zoom-overlay">'
                f'</div>{headline}<div itemprop="articleBody">{body}</div></div></div></article>')
    else:
        body = headline + body
    lead = "".join(CHROME[name] for name in article.chrome.get(-1, []))
    return f"""<html lang="ru" prefix="og: http://ogp.me/ns#"><head><meta charset="UTF-8">
<title>{title} | {channel} | Яндекс Дзен</title>
<link rel="canonical" href="{zen_url(article)}">
<meta property="og:title" content="{title}">{og_image}
<meta property="og:url" content="{zen_url(article)}">
<meta property="og:site_name" content="Яндекс Дзен | Платформа для авторов, издателей и брендов">
<meta name="twitter:image:alt" content="{title}">
<script type="text/javascript" async="" src="https://mc.yandex.ru/metrika/watch.js"></script>
</head><body>{lead}{body}
<script>window.Ya = {{}};</script></body></html>"""
