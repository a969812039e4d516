"""Article pages of every era, generated with random blocks and Dzen's chrome at random places (before the
article, between its blocks, after it): every paragraph, heading, quote, list item, image and caption
arrives in order, the title is right, no chrome does. And a saved page imports exactly as over HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.importer import ImportOptions, import_sources
from dzenpress.dzen.page import parse_page

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import block, image
from fake_dzen.furniture import CHROME, TELLS
from fake_dzen.pages import LAZY_AFTER, FakeArticle, FakeImage, article_page
from fake_dzen.server import FakeDzen
from fake_dzen.zen2018 import zen_url

HEX = "5ac515b20422b4ef011c57d1"
WORDS = ("резистор", "ток", "напряжение", "схема", "диод", "катод", "анод", "прибор", "цепь", "мощность",
         "провод", "лампа", "закон", "сила", "опыт", "ответ", "вопрос", "пример", "деталь", "плата")


def text(min_words: int = 3) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=12).map(
        lambda ws: " ".join(ws).capitalize() + ".")


def _block(kind: str, words: str, n: int) -> list[dict[str, Any]]:
    unique = f"{words.rstrip('.')} номер {n}."
    if kind == "p":
        return [block(unique)]
    if kind == "bold-p":
        return [block(unique, styles=[{"offset": 0, "length": len(unique.split(maxsplit=1)[0]), "style": "BOLD"}])]
    if kind in ("h2", "h3"):
        return [block(unique.rstrip("."), "header-two" if kind == "h2" else "header-three")]
    if kind == "quote":
        return [block(unique, "blockquote")]
    if kind in ("ul", "ol"):
        item = "unordered-list-item" if kind == "ul" else "ordered-list-item"
        return [block(f"{unique.rstrip('.')} пункт {m}", item) for m in range(2)]
    return [image(f"i{n}", unique.rstrip(".") if kind == "captioned-image" else "")]


BLOCK_KINDS = st.sampled_from(("p", "p", "p", "bold-p", "h2", "h3", "quote", "ul", "ol", "image", "captioned-image"))


@st.composite
def articles(draw: st.DrawFn) -> FakeArticle:
    era = draw(st.sampled_from(("zen2018", "zen2018", "zen", "dom")))
    kinds = draw(st.lists(st.tuples(BLOCK_KINDS, text()), min_size=1, max_size=14))
    blocks: list[dict[str, Any]] = []
    for n, (kind, words) in enumerate(kinds):
        if blocks and kind in ("ul", "ol") and blocks[-1]["type"].endswith("list-item"):
            blocks.append(block(f"{words.rstrip('.')} разделитель {n}."))  # two lists in a row are one list
        blocks += _block(kind, words, n)
    images = {b["data"]["image"]["id"]: FakeImage(str(100 + n), f"pub_{HEX}_{n:024x}")
              for n, b in enumerate(blocks) if b["type"] == "atomic:image"}
    names = sorted(CHROME)
    chrome = draw(st.dictionaries(st.integers(-1, len(blocks)), st.lists(st.sampled_from(names), min_size=1,
                                                                          max_size=3), max_size=6))
    title = draw(text(2)).rstrip(".") + draw(st.sampled_from(("", "?", ": заметки", " | часть 2")))
    article = FakeArticle(HEX, title, blocks, {}, images, era=era, chrome=chrome, channel="Заметки электротехника")
    if era == "zen2018":
        article.wrapper = draw(st.booleans())
        article.h1 = draw(st.sampled_from(("closed", "open", "none")))
    return article


def expected_pieces(article: FakeArticle) -> list[str]:
    """What the body must say, in order, as Markdown."""
    pieces: list[str] = []
    figures = 0
    number = 0
    for b in article.blocks:
        kind = b["type"]
        number = number + 1 if kind == "ordered-list-item" else 0
        if kind == "atomic:image":
            if article.era != "dom" or figures < LAZY_AFTER:
                pieces.append(f"![]({image_url(article, b['data']['image']['id'])})")
            figures += 1
            if b["text"]:
                pieces.append(f"_{b['text']}_")
        elif kind == "header-two":
            pieces.append(f"## {b['text']}\n")
        elif kind == "header-three":
            pieces.append(f"### {b['text']}\n")
        elif kind == "blockquote":
            pieces.append(f"> {b['text']}")
        elif kind == "unordered-list-item":
            pieces.append(f"- {b['text']}")
        elif kind == "ordered-list-item":
            pieces.append(f"{number}. {b['text']}")
        else:
            pieces.append(b["text"])
    return pieces


def image_url(article: FakeArticle, image_id: str) -> str:
    img = article.images[image_id]
    host = "avatars.mds.yandex.net" if article.era == "zen2018" else "avatars.dzeninfra.ru"
    return f"https://{host}/get-zen_doc/{img.group}/{img.name}/orig"


def plain(markdown: str) -> str:
    return re.sub(r"\*\*", "", markdown)


HASH = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=2, max_size=5)


def restyle(page: str, suffix: str, zen_ui: bool) -> str:
    """The same shapes under other names: CSS-module hashes change with every dzen.ru build, and the UI kit
    prefixes its names with `zen-ui-`."""
    page = re.sub(r"(content--[a-z-]+__[A-Za-z0-9]+-)[A-Za-z0-9_]{2}\b", lambda m: m.group(1) + suffix, page)
    return page.replace("article-render__block", "zen-ui-article-render__block") if zen_ui else page


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(), HASH, st.booleans())
def test_generated_pages_of_every_era_import_whole_without_chrome(article: FakeArticle, suffix: str,
                                                                  zen_ui: bool) -> None:
    parsed = parse_page(restyle(article_page(article), suffix, zen_ui), "")
    assert parsed.title == article.title
    body = plain(parsed.markdown)
    at = 0
    for piece in expected_pieces(article):
        found = body.find(piece, at)
        assert found >= 0, (piece, body)
        at = found + len(piece)
    for tell in TELLS:
        assert tell not in parsed.markdown, (tell, parsed.markdown)
    assert parsed.markdown.split("\n\n")[0].lstrip("# ").strip("*") != article.title  # the h1 is not repeated
    if article.era == "dom":
        lost = sum(1 for b in article.blocks if b["type"] == "atomic:image") - LAZY_AFTER
        assert (lost > 0) == any("lazy-loaded images could not be recovered" in w for w in parsed.warnings)


def test_the_older_era_page_is_the_2018_shape_with_its_chrome() -> None:
    article = FakeArticle(HEX, "Закон Ома", [block("Абзац."), image("i0")], {}, {"i0": FakeImage("7", f"pub_{HEX}_0")},
                          era="zen2018", wrapper=False, chrome={1: ["safeframe", "rtb"], 2: ["footer"]})
    page = article_page(article)
    assert '<p class="article-block article-block-unstyled">' in page and "itemprop=\"articleBody\"" not in page
    assert 'id="sf-' in page and "avatars.mds.yandex.net/get-zen_doc/7/" in page and "| Яндекс Дзен</title>" in page
    assert page.index("sf-") < page.index("<figure") < page.index("<footer")


# ---- saved page == HTTP ---------------------------------------------------------------------------

@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


def _site(root: Path) -> Path:
    (root / "content/posts").mkdir(parents=True)
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".dzenpress" not in p.parts}


@pytest.mark.parametrize(("wrapper", "h1"), [(True, "closed"), (False, "open"), (False, "none")])
def test_a_saved_2018_page_imports_exactly_like_the_page_over_http(tmp_path: Path, fake: FakeDzen, wrapper: bool,
                                                                  h1: str) -> None:
    blocks = [block("Резистор ограничивает ток в цепи."), image("i0", "Резистор на схеме"),
              block("Виды резисторов", "header-two"), block("Постоянные и переменные.", "blockquote"),
              block("Реостат", "unordered-list-item"), block("Потенциометр", "unordered-list-item"),
              image("i1"), block("Надеюсь, понятно.")]
    images = {f"i{n}": FakeImage(str(50 + n), f"pub_{HEX}_{n:024x}", ("jpeg", "png")[n]) for n in range(2)}
    article = fake.add(FakeArticle(HEX, "Для чего нужен резистор?", blocks, {}, images, era="zen2018",
                                   wrapper=wrapper, h1=h1, chrome={-1: ["header"], 2: ["rtb", "safeframe"],
                                                                   len(blocks): ["comments", "related", "yatag"]}))
    saved = tmp_path / "saved.html"
    saved.write_text(article_page(article), encoding="utf-8")
    sites = []
    for name, source in (("http", zen_url(article)), ("file", str(saved))):
        site = _site(tmp_path / name)
        options = ImportOptions(client=ClientOptions(host_map=fake.host_map, delay=0, backoff=0.01))
        (outcome,) = import_sources(site, [source], options).outcomes
        assert outcome.status == "imported" and outcome.images == 2, outcome
        sites.append(site)
    assert _tree(sites[0]) == _tree(sites[1])
    post = next((sites[0] / "content/posts").glob("*.md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["title"] == "Для чего нужен резистор?" and meta["source"].startswith("https://dzen.ru/a/")
    assert post.count("](/blog/") == 2 and "_Резистор на схеме_" in post and "> Постоянные и переменные." in post
    for tell in TELLS:
        assert tell not in post
    assert all(p.endswith("/orig") for p in fake.paths("/get-zen_doc/"))


UI_WORDS = ("Подписаться", "Реклама • 16+", "Читать далее", "Комментарии", "Нравится", "4 минуты",
            "Подпишитесь на канал, чтобы не пропустить новые публикации", "Статьи и видео без рекламы")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(("zen2018", "zen", "dom")), st.lists(st.sampled_from(UI_WORDS), min_size=1, max_size=4),
       st.booleans())
def test_an_authors_block_that_says_what_chrome_says_is_kept(era: str, phrases: list[str], wrapper: bool) -> None:
    """The DOM side cuts by structure only: the author's own block is never chrome, whatever its words."""
    blocks = [block("Обычный абзац про резистор.")] + [block(p) for p in phrases] + [block("Конец.")]
    article = FakeArticle(HEX, "Заметка", blocks, {}, {}, era=era, wrapper=wrapper,
                          chrome={1: ["rtb"], len(blocks): ["subscribe", "comments"]})
    markdown = parse_page(article_page(article), "").markdown
    at = 0
    for phrase in ["Обычный абзац про резистор.", *phrases, "Конец."]:
        at = markdown.find(phrase, at)
        assert at >= 0, (phrase, markdown)
    assert "an.yandex" not in markdown and "0 / 2500" not in markdown
