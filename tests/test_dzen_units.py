"""Dzen-specific pure functions: URL forms, Draft.js rendering, page extraction, wall recognition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dzenpress.dzen import draftjs
from dzenpress.dzen.images import largest
from dzenpress.dzen.page import PageError, parse_page
from dzenpress.dzen.urls import (
    ArticleRef,
    article_id_to_hex,
    canonical_source,
    clean_url,
    hex_to_article_id,
    parse_article,
    parse_channel,
)
from dzenpress.dzen.walls import BLOCKED, CAPTCHA, SSO, WallError, sso_retpath, wall_reason

from fake_dzen.articles import back_pain
from fake_dzen.pages import CAPTCHA_PAGE, article_page, sso_page

HEX = "66e996159f73b700d775c41c"


@pytest.mark.parametrize("url", [
    "https://dzen.ru/a/ZumWFZ9ztwDXdcQc",
    "https://dzen.ru/a/ZumWFZ9ztwDXdcQc?from=feed&utm_referrer=https%3A%2F%2Fdzen.ru&integration=publishers_platform_yandex",
    "dzen.ru/a/ZumWFZ9ztwDXdcQc/",
    f"https://zen.yandex.ru/media/articlinic/bol-v-spine-{HEX}?utm_source=x",
    f"https://zen.yandex.ru/media/id/5f0c9d3a1b2c3d4e5f6a7b8c/statya-{HEX}",
    f"https://dzen.ru/media/articlinic/statya-{HEX}",
    "https://dzen.ru/away?to=https%3A%2F%2Fdzen.ru%2Fa%2FZumWFZ9ztwDXdcQc",
])
def test_article_url_forms(url: str) -> None:
    ref = parse_article(url if "://" in url else "https://" + url)
    assert ref == ArticleRef(HEX, "a") and ref.url == "https://dzen.ru/a/ZumWFZ9ztwDXdcQc"


@pytest.mark.parametrize(("url", "name", "channel_id"), [
    ("https://dzen.ru/articlinic", "articlinic", ""), ("dzen.ru/id/5f0c9d3a1b2c3d4e5f6a7b8c", "", "5f0c9d3a1b2c3d4e5f6a7b8c"),
    ("https://zen.yandex.ru/media/articlinic", "articlinic", ""), ("https://zen.yandex.ru/id/5f0c9d3a1b2c3d4e5f6a7b8c", "", "5f0c9d3a1b2c3d4e5f6a7b8c"),
    ("https://dzen.ru/articlinic?tab=articles", "articlinic", ""),
])
def test_channel_url_forms(url: str, name: str, channel_id: str) -> None:
    channel = parse_channel(url)
    assert channel is not None and (channel.name, channel.channel_id) == (name, channel_id)


@pytest.mark.parametrize("url", ["https://dzen.ru/a/ZumWFZ9ztwDXdcQc", "https://example.ru/blog", "https://dzen.ru/topic/x",
                                 "https://dzen.ru/video/watch/6543210fedcba98765432100"])
def test_not_channels(url: str) -> None:
    assert parse_channel(url) is None


@given(st.binary(min_size=12, max_size=12))
def test_article_id_round_trip(raw: bytes) -> None:
    hex_id = raw.hex()
    article_id = hex_to_article_id(hex_id)
    assert len(article_id) == 16 and article_id_to_hex(article_id) == hex_id
    assert canonical_source(f"https://dzen.ru/a/{article_id}?x=1") == f"https://dzen.ru/a/{article_id}"


def test_clean_url_keeps_other_sites_queries() -> None:
    assert clean_url("https://dzen.ru/away?to=https%3A%2F%2Fshop.ru%2F%3Fid%3D5") == "https://shop.ru/?id=5"


def test_largest_image_size() -> None:
    base = "https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_b"
    assert largest(f"{base}/scale_1200") == f"{base}/orig"
    assert largest(f"{base}/smart_crop_344x194?x=1") == f"{base}/orig"
    assert largest("//avatars.mds.yandex.net/get-zen_doc/1/pub_a_b/scale_360") == \
        "https://avatars.mds.yandex.net/get-zen_doc/1/pub_a_b/orig"


def test_draftjs_utf16_offsets_nested_lists_and_safe_embeds() -> None:
    state = {"blocks": [
        {"type": "unstyled", "text": "😀 жирный и ссылка", "inlineStyleRanges": [{"offset": 3, "length": 6, "style": "BOLD"}],
         "entityRanges": [{"offset": 12, "length": 6, "key": 0}]},
        {"type": "unordered-list-item", "text": "один", "depth": 0},
        {"type": "unordered-list-item", "text": "вложенный", "depth": 1},
        {"type": "ordered-list-item", "text": "первый", "depth": 0},
        {"type": "atomic:embed", "text": "", "data": {"embedData": {"type": "yandex-zen-video", "publicationId": "abc",
                                                                     "title": "Видео <script>"}}},
        {"type": "atomic:embed", "text": "", "data": {"embedData": {"type": "html", "src": "javascript:alert(1)"}}},
        {"type": "unstyled", "text": "* не список, # не заголовок"},
    ], "entityMap": {"0": {"type": "LINK", "data": {"url": "https://a.ru/x"}}}}
    md = draftjs.render(state, lambda d: None).markdown
    assert md.startswith("😀 **жирный** и [ссылка](https://a.ru/x)")
    assert "- один\n   - вложенный\n\n1. первый" in md
    assert "[Видео \\<script\\>](https://dzen.ru/video/watch/abc)" in md
    assert "javascript" not in md and "<script" not in md.replace("\\<script", "")
    assert "\\* не список" in md


def test_json_and_dom_paths_agree_on_the_text() -> None:
    json_article = parse_page(article_page(back_pain()), "")
    dom_article = parse_page(article_page(back_pain(era="dom")), "")
    assert json_article.title == dom_article.title
    assert json_article.ref == dom_article.ref
    for sentence in ("Это одна из самых частых причин боли.", "Причины боли в спине, отдающей в поясницу"):
        assert sentence in json_article.markdown and sentence in dom_article.markdown
    assert json_article.published is not None and json_article.published.year == 2024


def test_page_without_article() -> None:
    with pytest.raises(PageError):
        parse_page("<html><head><title>x</title></head><body>nothing</body></html>", "https://dzen.ru/a/ZumWFZ9ztwDXdcQc")


def test_walls_recognised() -> None:
    assert wall_reason("https://dzen.ru/showcaptcha?retpath=x", CAPTCHA_PAGE) == CAPTCHA
    assert wall_reason("https://dzen.ru/a/x", "<title>Доступ ограничен</title>") == BLOCKED
    page = sso_page("https://dzen.ru/a/x?is_autologin_ya=true")
    assert sso_retpath(page) == "https://dzen.ru/a/x?is_autologin_ya=true"
    assert wall_reason("https://sso.dzen.ru/install?uuid=1", page) == SSO
    with pytest.raises(WallError, match="captcha"):
        parse_page(CAPTCHA_PAGE, "https://dzen.ru/showcaptcha?x")


def test_dom_keeps_captions_that_survive_only_as_alt_and_cards_titles_only() -> None:
    body = ('<div itemprop="articleBody"><p><span>Текст статьи.</span></p>'
            '<div data-block-type="image"><figure><img src="https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_b/scale_1200"'
            ' alt="Гостиная после ремонта. © Иван Петров"></figure></div>'
            '<div data-block-type="image"><figure><img src="https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_c/scale_1200"'
            ' alt="-3"></figure></div>'
            '<h3><span><b>Кухня</b></span></h3>'
            '<div data-testid="embed-block_yandex-zen-publication article-render__block"><a href="https://dzen.ru/a/Zb4e_xOUjW-sR5KD">'
            '<div class="content--embed-view-text__title-iQ">Другая статья</div><span>DOMEO</span>'
            '<span>4 февраля 2024</span></a></div></div>')
    page = (f'<html><head><title>Статья | Канал | Дзен</title><meta property="og:title" content="Статья">'
            f'<link rel="canonical" href="https://dzen.ru/a/ZumWFZ9ztwDXdcQc"></head><body>{body}</body></html>')
    article = parse_page(page, "")
    assert "![](https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_b/orig)\n\n_Гостиная после ремонта. © Иван Петров_" \
        in article.markdown
    assert "-3" not in article.markdown and "### Кухня\n" in article.markdown
    assert "[Другая статья](https://dzen.ru/a/Zb4e_xOUjW-sR5KD)\n" in article.markdown


def test_og_image_optimize_size_is_a_size_segment() -> None:
    og = "https://avatars.dzeninfra.ru/get-zen-pub-og/271828/pub_65c11452f3a4ff0af260bf45_65c1fc76af01d61e4cc535b3/optimize"
    assert largest(og) == og.removesuffix("optimize") + "orig"


_HEX24 = st.text("0123456789abcdef", min_size=24, max_size=24)


@st.composite
def _feed_items(draw: st.DrawFn, depth: int = 0) -> tuple[list[dict[str, object]], set[str]]:
    """A feed's items as Dzen nests them: articles (either key style), briefs, shorts, floors of floors."""
    items: list[dict[str, object]] = []
    articles: set[str] = set()
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["article", "card", "brief", "short_video", "floor"] if depth < 2 else
                                    ["article", "card", "short_video"]))
        if kind == "floor":
            inner, found = draw(_feed_items(depth + 1))
            items.append({"type": "channel_article_floor", "items": inner})
            articles |= found
            continue
        hex_id = draw(_HEX24)
        date = draw(st.integers(1_500_000_000, 1_800_000_000))
        if kind == "card":
            items.append({"type": "card", "share_link": f"https://dzen.ru/a/{hex_to_article_id(hex_id)}",
                          "publication_date": date})
        else:
            items.append({"type": kind, "id": hex_id, "publicationDate": str(date),
                          "shareLink": f"https://dzen.ru/{'b' if kind == 'brief' else 'a'}/{hex_to_article_id(hex_id)}"})
        if kind in ("article", "card"):
            articles.add(hex_id)
    return items, articles


@given(_feed_items())
def test_every_article_of_a_nested_feed_is_listed_once_with_its_date(feed: tuple[list[dict[str, object]], set[str]]) \
        -> None:
    from dzenpress.dzen.channel import ChannelError, saved_channel_items

    from fake_dzen.channel import channel_page

    items, articles = feed
    page = channel_page("c", "Канал", {"items": items, "more": {}})
    if not articles:
        with pytest.raises(ChannelError):
            saved_channel_items(page)
        return
    listed = saved_channel_items(page)
    assert listed is not None and {i.ref.hex_id for i in listed} == articles and len(listed) == len(articles)
    assert all(i.published is not None for i in listed)


@pytest.mark.parametrize("fmt", ["jpg", "png", "webp", "gif"])
def test_an_image_cut_anywhere_does_not_decode(fmt: str) -> None:
    import sys
    from pathlib import Path

    from dzenpress.dzen.images import decodes

    sys.path.insert(0, str(Path(__file__).parent))
    from placeholders import image_bytes

    data = image_bytes(fmt, 300, 200, 5)
    assert decodes(data)
    for keep in (0.3, 0.6, 0.9):
        assert not decodes(data[: int(len(data) * keep)]), keep
    assert not decodes(data[:-30])  # (a PNG missing only its 12-byte IEND trailer has every pixel: kept)


def test_a_large_image_cut_short_does_not_decode() -> None:
    import pyvips

    from dzenpress.dzen.images import decodes

    noise = pyvips.Image.gaussnoise(1400, 1000, mean=128, sigma=50).cast("uchar")
    for fmt in (".jpg", ".png", ".webp"):
        data = bytes(noise.write_to_buffer(fmt))
        assert decodes(data) and not decodes(data[: len(data) * 4 // 5]), fmt


def test_a_host_that_refuses_connections_is_given_up_after_a_few_tries() -> None:
    import socket

    from dzenpress.dzen.client import ClientOptions, DzenClient, HostDown

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    waits: list[float] = []
    options = ClientOptions(host_map={"avatars.dzeninfra.ru": dead}, delay=0, retries=4, sleep=waits.append)
    with DzenClient(options) as client:
        with pytest.raises(HostDown):
            client.image("https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_b/orig")
        assert client.requests == 3 and len(waits) == 2 and client.down == {"avatars.dzeninfra.ru"}
        for _ in range(10):
            with pytest.raises(HostDown, match="cannot be reached"):
                client.image("https://avatars.dzeninfra.ru/get-zen_doc/1/pub_a_c/orig")
        assert client.requests == 3  # not asked again
