"""Every era of Dzen's article markup on real pages (../shared/real-dzen, skipped when absent): the 2018
zen.yandex.ru pages with and without their articleBody wrapper and without <body>, an <h1> never closed,
the title from the sources that agree; pages nested 100,000 deep; image names with control characters.

The expected counts come from an independent reading of each page (the standard library's HTML parser
counting the blocks with text), not from the importer."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dzenpress.dzen import dom
from dzenpress.dzen.importer import import_sources
from dzenpress.dzen.page import PageError, parse_page
from dzenpress.dzen.pagetitle import page_title
from real_pages import ARTICLE, ARTICLE_URL, REAL, real

from conftest import MINIMAL_CONFIG

ZEN_2018 = REAL / "zen-2018-elektronik"
PAGES_2018 = ("Comp0", "Comp2", "Comp4", "Equip0", "News0", "News2", "Theory2", "Theory4")


class _Expected(HTMLParser):
    """og:title; blocks with text (p, h2, h3, blockquote) and loose text runs outside any element but
    <body>/<html>; figures."""

    def __init__(self) -> None:
        super().__init__()
        self.og = ""
        self.paragraphs = 0
        self.figures = 0
        self._open: str | None = None
        self._text = ""
        self._skip = 0
        self._depth = 0
        self._loose = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("property") == "og:title":
            self.og = " ".join((values.get("content") or "").split())
        if tag in ("script", "style", "title", "iframe"):
            self._skip += 1
        if tag not in ("html", "body", "head", "br", "meta", "link", "img"):
            self._end_loose()
            self._depth += 1
        if tag in ("p", "h2", "h3", "blockquote") and self._open is None:
            self._open, self._text = tag, ""
        if tag == "figure":
            self.figures += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title", "iframe"):
            self._skip = max(0, self._skip - 1)
        if tag not in ("html", "body", "head", "br", "meta", "link", "img"):
            self._depth = max(0, self._depth - 1)
        if tag == self._open:
            self.paragraphs += bool(self._text.strip())
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._open:
            self._text += data
        elif self._depth == 0:
            self._loose += data

    def _end_loose(self) -> None:
        self.paragraphs += bool(self._loose.strip())
        self._loose = ""


def expected(html: str) -> _Expected:
    counter = _Expected()
    counter.feed(html)
    counter.close()
    return counter


def prose_blocks(markdown: str) -> int:
    """Body blocks that are not pictures nor the caption under one."""
    blocks = [b for b in markdown.split("\n\n") if b.strip()]
    return sum(1 for n, b in enumerate(blocks)
               if not b.startswith("![") and not (n and blocks[n - 1].startswith("![") and b.startswith("_")))


@pytest.mark.parametrize("name", PAGES_2018)
def test_every_2018_page_imports_with_its_title_and_every_paragraph(name: str) -> None:
    html = real(ZEN_2018 / f"{name}.html")
    want = expected(html)
    article = parse_page(html)
    assert article.title == want.og
    assert prose_blocks(article.markdown) == want.paragraphs
    assert len(article.images) == want.figures
    assert all(url.startswith("https://avatars.mds.yandex.net/get-zen_doc/") and url.endswith("/orig")
               for url in article.images)
    assert article.source.startswith("https://dzen.ru/a/") and not article.warnings
    for chrome in ("safeframe", "yastatic", "yandexadexchange", "Яндекс Дзен", "<", "help-button"):
        assert chrome not in article.markdown


def _unclosed(html: str) -> str:
    closed = html.count("</h1>")
    assert closed == 1
    return html.replace("</h1>", "")


@pytest.mark.parametrize("name", ["Comp0", "Comp2", "Theory2", "Theory4"])
def test_an_h1_never_closed_is_not_the_title_and_keeps_the_article_in_the_body(name: str) -> None:
    html = real(ZEN_2018 / f"{name}.html")
    whole = parse_page(html)
    article = parse_page(_unclosed(html))
    assert article.title == whole.title and len(article.title) < 100
    assert article.markdown == whole.markdown


@pytest.mark.parametrize("name", ["Comp0", "Theory2", "Theory4"])
def test_blocks_a_stray_end_tag_put_after_the_wrapper_still_arrive(name: str) -> None:
    html = real(ZEN_2018 / f"{name}.html")
    whole = parse_page(html)
    third = [m.start() for m in re.finditer(r'<(?:p|figure|h3|blockquote) class="article-block', html)][3]
    broken = parse_page(html[:third] + "</div></div>" + html[third:])  # an embed's HTML closes too much
    assert broken.title == whole.title and broken.markdown == whole.markdown


def test_without_og_title_the_document_title_loses_channel_and_dzen_suffix() -> None:
    html = real(ZEN_2018 / "Comp4.html")
    without_og = html.replace('property="og:title"', 'property="og:nothing"').replace("twitter:image:alt", "x")
    assert parse_page(without_og).title == "Электроника для чайников. Трансформатор."


@pytest.mark.parametrize(("title", "og", "h1", "channel", "want"), [
    ("Статья | Канал | Яндекс Дзен", "", "", "", "Статья"),
    ("Статья | Канал | Яндекс.Дзен", "", "", "Канал", "Статья"),
    ("Статья — Яндекс Дзен", "", "", "", "Статья"),
    ("Статья | Дзен", "", "", "", "Статья"),
    ("Статья | Канал | Дзен", "Статья", "", "", "Статья"),
    ("Вопрос | ответ | Канал | Дзен", "", "", "Канал", "Вопрос | ответ"),
    ("Другое", "Заголовок", "Заголовок", "", "Заголовок"),
    ("Заголовок | Дзен", "Что-то ещё", "Заголовок.", "", "Заголовок."),
    ("", "", "<p>" + "Текст статьи. " * 300, "", ""),
])
def test_title_sources(title: str, og: str, h1: str, channel: str, want: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    head = f"<title>{title}</title>" + (f'<meta property="og:title" content="{og}">' if og else "")
    tree = LexborHTMLParser(f"<html><head>{head}</head><body><h1>{h1}</body></html>")
    assert page_title(tree, channel=channel) == want


def test_the_dzen_ru_article_still_imports_whole_through_the_dom() -> None:
    from real_pages import cut_content_state
    from test_import_real import check_whole_article
    check_whole_article(parse_page(cut_content_state(real(ARTICLE)), ARTICLE_URL))


# ---- depth ----------------------------------------------------------------------------------------

CANONICAL = '<link rel="canonical" href="https://dzen.ru/a/ZcEUUvOk_wryYL9F">'


def nested(depth: int, tag: str = "div", closed: bool = True) -> str:
    inner = "<p class='article-block'>Глубоко внутри.</p>"
    return (f'<html><head><meta property="og:title" content="Глубина">{CANONICAL}</head><body>'
            f'<div itemprop="articleBody"><p class="article-block">Первый абзац.</p>'
            + f"<{tag}>" * depth + inner + (f"</{tag}>" * depth if closed else "")
            + '<p class="article-block">Последний абзац.</p></div></body></html>')


@pytest.mark.parametrize(("tag", "closed"), [("div", True), ("div", False), ("span", True), ("blockquote", True),
                                              ("section", False), ("b", True), ("div/", False),
                                              ("x-card/", False)])
def test_a_page_nested_100000_deep_imports_its_text_in_linear_time(tag: str, closed: bool) -> None:
    html = nested(100_000, tag, closed)  # `<div/>`, `<x-card/>` open an element: `/>` closes only in SVG
    started = time.process_time()
    article = parse_page(html)
    spent = time.process_time() - started
    assert spent < 3.0, spent  # was 26 s of CPU for the <div> page, then RecursionError
    assert "Первый абзац." in article.markdown and "Глубоко внутри." in article.markdown
    if closed:
        assert "Последний абзац." in article.markdown
    assert any("nests its elements" in w for w in article.warnings) or tag == "b"


def test_a_page_deep_and_wide_without_blocks_costs_linear_time() -> None:
    """400 chains 250 deep (just under the bound): chrome is looked for by content only beside the blocks,
    not in every element's subtree (2.8 s of CPU before, most of it in that search)."""
    chain = "<div>" * 250 + "текст" + "</div>" * 250
    html = (f'<html><head><meta property="og:title" content="T">{CANONICAL}</head><body>'
            f'<div itemprop="articleBody"><p>Абзац.</p>{chain * 400}</div></body></html>')
    started = time.process_time()
    article = parse_page(html)
    assert time.process_time() - started < 2.0
    assert article.markdown.count("текст") == 400


def test_bounding_the_depth_costs_one_pass_and_keeps_shallow_pages_as_they_are() -> None:
    page = real(ZEN_2018 / "Comp0.html")
    parsed = dom.parse(page)
    assert parsed.flattened == 0 and parsed.depth < 20
    assert parsed.tree.html == dom.LexborHTMLParser(page).html
    deep = dom.parse(nested(1000))
    assert deep.depth == 1003 and deep.flattened == 2 * (1003 - dom.MAX_DEPTH)  # html, body, the wrapper
    assert deep.tree.css_first("p") is not None


def test_a_deep_saved_page_fails_or_imports_alone_and_quickly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    page = tmp_path / "deep.html"
    page.write_text(nested(100_000), encoding="utf-8")
    started = time.process_time()
    (outcome,) = import_sources(site, [str(page)]).outcomes
    assert time.process_time() - started < 5.0
    assert outcome.status == "imported" and any("nests its elements" in w for w in outcome.warnings)


def test_a_page_of_nothing_says_so() -> None:
    with pytest.raises(PageError, match="no article body"):
        parse_page(f"<html><head>{CANONICAL}<title>x</title></head><body><div></div></body></html>")
