"""Search in headless Chromium, as a reader uses it: Russian queries find the posts that hold every
significant word in some form (not words that merely start the same way, not every word starting with «в»),
the posts that must come first come first, results come in pages with "show more", and the column is centred."""

from __future__ import annotations

import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dzenpress.render.search import pagefind_binary
from dzenpress.scaffold import init_site
from dzenpress.serve import make_server
from search_corpus import QUERIES, Post, write_corpus

from conftest import needs_chromium
from helpers import build_site

pytestmark = [needs_chromium,
              pytest.mark.skipif(pagefind_binary() is None, reason="the pagefind binary is not installed")]

EXAMPLE_QUERIES = [  # query → the post that must come first on the bundled example
    ("боль в спине", "МРТ или рентген: что выбрать при боли в спине"),
    ("грыжи", "Грыжа диска: когда нужна операция, а когда нет"),
    ("подушка матрас", "Как выбрать подушку и матрас при болях в шее"),
    ("мрт", "МРТ или рентген: что выбрать при боли в спине"),
    ("упражнения для спины", "6 упражнений для спины на каждый день"),
    ("головная боль", "Головная боль напряжения: что действительно помогает"),
    ("школьник осанка", "Осанка у школьника: что проверить родителям"),
    ("колени", "Плоскостопие и боль в коленях: есть ли связь"),
    ("как подготовиться к приёму", "Первый приём у невролога: как подготовиться"),
    ("стол и кресло", "Рабочее место без боли: настройка стола и кресла"),
    ("боль в пояснице", "Боль в пояснице после сна: 5 частых причин"),
]


def _serve(site: Path) -> Iterator[str]:
    build_site(site)
    server, _ = make_server(site, 0, site / "dist")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("search") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    yield from _serve(site)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[Post]]]:
    site = tmp_path_factory.mktemp("search") / "generated"
    init_site(site)
    posts_dir = site / "content" / "posts"
    shutil.rmtree(posts_dir)
    posts_dir.mkdir()
    posts = write_corpus(posts_dir)
    for base in _serve(site):
        yield base, posts


def _search(browser: Any, base: str, query: str, width: int = 1366) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/search/?q={urllib.parse.quote(query)}")
    try:
        page.wait_for_function("/\\d|Ничего/.test(document.getElementById('search-status').textContent)")
    except Exception:
        print(page.locator("#search-status").inner_text(), page.url, errors)
        raise
    assert errors == []
    return page


def _all_titles(page: Any) -> list[str]:
    """Every result, pressing "show more" until it goes away."""
    more = page.locator("#search-more")
    while more.is_visible():
        count = page.locator(".search-results li").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('.search-results li').length > {count}")
    return [t.strip() for t in page.locator(".search-results h2").all_inner_texts()]


@pytest.mark.parametrize("query", QUERIES, ids=[q.text for q in QUERIES])
def test_generated_corpus_relevance(corpus: tuple[str, list[Post]], browser: Any, query: Any) -> None:
    base, posts = corpus
    page = _search(browser, base, query.text)
    titles = _all_titles(page)
    expected = {p.title for p in posts if query.concepts <= p.concepts}
    assert set(titles) == expected, (sorted(set(titles) - expected), sorted(expected - set(titles)))
    assert set(titles[: len(query.first)]) == query.first, titles[:5]
    page.context.close()


@pytest.mark.parametrize(("query", "first"), EXAMPLE_QUERIES, ids=[q for q, _ in EXAMPLE_QUERIES])
def test_example_relevance(example: str, browser: Any, query: str, first: str) -> None:
    page = _search(browser, example, query)
    titles = _all_titles(page)
    assert titles and titles[0] == first, titles
    marks = {m.lower().strip(".,:;!?«»") for m in page.locator(".search-results mark").all_inner_texts()}
    assert "в" not in marks and "и" not in marks, marks  # stop words are not searched when others remain
    page.context.close()


def test_results_come_in_pages(corpus: tuple[str, list[Post]], browser: Any) -> None:
    base, posts = corpus
    page = _search(browser, base, "клиника")
    results, more = page.locator(".search-results li"), page.locator("#search-more")
    assert results.count() == 10 and more.is_visible()
    assert str(len(posts)) in page.locator("#search-status").inner_text()
    more.click()
    page.wait_for_function("document.querySelectorAll('.search-results li').length === 20")
    assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('.search-results li')[10]")
    assert len(_all_titles(page)) == len(posts) and more.is_hidden()
    page.context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_results_column_is_centred(example: str, browser: Any, width: int) -> None:
    page = _search(browser, example, "боль", width)
    box = page.locator(".search-results").bounding_box()
    main = page.locator("main").bounding_box()
    left, right = box["x"] - main["x"], main["x"] + main["width"] - box["x"] - box["width"]
    assert abs(left - right) <= 2, (left, right)
    page.context.close()


def test_the_word_being_typed_is_a_prefix_the_finished_ones_are_whole(corpus: tuple[str, list[Post]],
                                                                      browser: Any) -> None:
    base, posts = corpus
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{base}/search/")
    page.locator("#search-q").press_sequentially("массаж сп")  # faster than the index loads
    page.wait_for_function("/\\d/.test(document.getElementById('search-status').textContent)")
    page.wait_for_timeout(400)  # the debounced search for the last keystroke
    titles = _all_titles(page)
    assert len(titles) == len(set(titles)), titles  # the index was loaded (and its shards merged) once
    typing = set(titles)
    whole = {p.title for p in posts if {"массаж", "спина"} <= p.concepts}
    assert whole <= typing  # «сп» may still become «спина»
    assert all("массаж" in p.concepts for p in posts if p.title in typing)  # «массаж» is finished: whole word
    assert "?q=" in page.url
    page.context.close()
