"""The sharded search index in headless Chromium: merged shards find what one index finds, and follow edits."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dzenpress import build
from dzenpress.render import search
from dzenpress.serve import make_server

from conftest import EXAMPLE, needs_chromium

pytestmark = [needs_chromium,
              pytest.mark.skipif(search.pagefind_binary() is None, reason="the pagefind binary is not installed")]

# One Pagefind index over the whole site (as before shards) and the merged shards, searched side by side.
COMPARE = """async ([queries]) => {
  const one = await import("/single/pagefind.js");
  await one.options({baseUrl: "/"});
  const shards = await (await fetch("/pagefind/shards.json")).json();
  const merged = await import("/pagefind/runtime/pagefind.js");
  await Promise.all(shards.map(name => merged.mergeIndex("/pagefind/" + name + "/")));
  const urls = async (index, query) => {
    const found = await index.search(query);
    return Promise.all(found.results.map(r => r.data().then(d => [d.url, r.score])));
  };
  const out = {};
  for (const query of queries) out[query] = [await urls(one, query), await urls(merged, query)];
  return out;
}"""


@contextmanager
def serving(site: Path) -> Iterator[str]:
    server, _ = make_server(site, 0, site / "dist")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def one_index(site: Path) -> None:
    """Pagefind's own CLI over the built site, into dist/single/: the reference the shards must match."""
    binary = search.pagefind_binary()
    assert binary is not None
    subprocess.run([str(binary), "--site", str(site / "dist"), "--output-path", str(site / "dist" / "single"),
                    "--silent"], check=True, timeout=600)


Found = dict[str, tuple[list[tuple[str, float]], list[tuple[str, float]]]]


def compare(browser: Any, base: str, queries: list[str]) -> Found:
    """Each query → (one index's results, the merged shards' results), as (url, score) in result order."""
    page = browser.new_page()
    page.goto(base + "/search/")  # the site's language (<html lang>) picks the stemmer, as for readers
    found = page.evaluate(COMPARE, [queries])
    page.close()
    return {query: ([(u, s) for u, s in one], [(u, s) for u, s in merged]) for query, (one, merged) in found.items()}


def assert_same_results(found: Found) -> None:
    """The same pages with the same scores, in the same order but among equal scores (Pagefind numbers pages
    in the order it reads them, and orders ties by that number)."""
    for query, (one, merged) in found.items():
        assert sorted(u for u, _ in merged) == sorted(u for u, _ in one), query
        scores = dict(one)
        assert all(abs(scores[u] - s) <= 1e-5 * max(1.0, s) for u, s in merged), query  # float sums in another order
        assert [s for _, s in merged] == pytest.approx([s for _, s in one], rel=1e-5), query
    assert sum(len(one) for one, _ in found.values()) > len(found)  # the queries do find things


@contextmanager
def sharded(per_shard: int = 2) -> Iterator[None]:
    saved = search.SHARDED, search._PER_SHARD
    search.SHARDED, search._PER_SHARD = True, per_shard
    try:
        yield
    finally:
        search.SHARDED, search._PER_SHARD = saved


def example(tmp_path: Path) -> Path:
    site = tmp_path / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    return site


EXAMPLE_QUERIES = ["грыжи", "подушка", "спина", "боль в спине", "сон", "врач", "упражнения", "операция",
                   "ксилофонище", "шея"]


def test_the_index_finds_what_pagefind_alone_finds_in_the_same_order(tmp_path: Path, browser: Any) -> None:
    """As built (one shard merged into the runtime): the results of Pagefind run over the site by itself."""
    site = example(tmp_path)
    build(site)
    one_index(site)
    with serving(site) as base:
        assert_same_results(compare(browser, base, EXAMPLE_QUERIES))


def test_merged_shards_never_miss_what_one_index_finds(tmp_path: Path, browser: Any) -> None:
    """Sharded, every page one index finds is found; more can be (Pagefind's per-index prefix fallback, see
    render/search.py: why sharding is off)."""
    site = example(tmp_path)
    with sharded():
        build(site)
    assert len(list((site / "dist" / "pagefind").glob("s*-*"))) > 2
    one_index(site)
    with serving(site) as base:
        found = compare(browser, base, EXAMPLE_QUERIES)
    for query, (one, merged) in found.items():
        assert {u for u, _ in one} <= {u for u, _ in merged}, query


def test_the_index_of_1000_posts_finds_what_pagefind_alone_finds(tmp_path: Path, browser: Any) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from corpus import write_corpus

    site = tmp_path / "corpus"
    write_corpus(site, 1000)
    config = site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("search = false", "search = true"),
                      encoding="utf-8")
    build(site)
    one_index(site)
    with serving(site) as base:
        found = compare(browser, base, ["17", "Статья 250", "999", "грыжа подушка кресло массаж", "позвоночника",
                                        "утренний", "тема-3", "ксилофонище"])
    assert_same_results(found)


def test_a_search_over_merged_shards_finds_a_post_just_edited(tmp_path: Path, browser: Any) -> None:
    site = example(tmp_path)
    with sharded():
        build(site)
        with serving(site) as base:
            page = browser.new_page()
            page.goto(base + "/search/?q=подушка")
            page.locator(".search-results li").first.wait_for(timeout=15_000)
            post = next(p for p in (site / "content" / "posts").glob("*.md")
                        if "подушк" in p.read_text(encoding="utf-8"))
            post.write_text(post.read_text(encoding="utf-8") + "\nСлово-метка ксилофонище для поиска.\n",
                            encoding="utf-8")
            build(site)
            page.goto(base + "/search/?q=ксилофонище")
            link = page.locator(".search-results li h2 a").first
            link.wait_for(timeout=15_000)
            with page.expect_navigation():
                link.click()  # the best result: the edited post (other shards add their prefix matches below it)
            assert "ксилофонище" in page.content()
            page.close()
