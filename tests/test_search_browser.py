"""The sharded search index in headless Chromium: merged shards find what one index finds, and follow edits."""

from __future__ import annotations

import json
import math
import random
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from dzenpress import build
from dzenpress.render import search
from dzenpress.serve import make_server

from conftest import CORPUS, EXAMPLE, needs_chromium

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
    """As built (a site of up to _PER_SHARD pages is one shard merged into the runtime): the results of
    Pagefind run over the site by itself, in the same order with the same scores."""
    site = example(tmp_path)
    build(site)
    assert json.loads((site / "dist" / "pagefind" / "shards.json").read_bytes()) == ["s1-0"]
    one_index(site)
    with serving(site) as base:
        assert_same_results(compare(browser, base, EXAMPLE_QUERIES))


def test_merged_shards_never_miss_what_one_index_finds(tmp_path: Path, browser: Any) -> None:
    """In shards of two pages, every page one index finds is found; more can be (Pagefind's per-index prefix
    fallback, see render/search.py), which the search page's whole-word check removes again."""
    site = example(tmp_path)
    with sharded():
        build(site)
    assert len(list((site / "dist" / "pagefind").glob("s*-*"))) > 2
    one_index(site)
    with serving(site) as base:
        found = compare(browser, base, EXAMPLE_QUERIES)
    for query, (one, merged) in found.items():
        assert {u for u, _ in one} <= {u for u, _ in merged}, query
    shown = page_results(site, browser, [(q, False) for q in EXAMPLE_QUERIES])
    for query, (one, merged) in shown.items():
        assert sorted(u for u, _ in merged) == sorted(u for u, _ in one), query
    assert shown["ксилофонище"] == ([], [])


# What the search page shows (its own shownResults, templates/search.html), over one index (as a one-shard
# site) and over the merged shards.
PAGE_RESULTS = """async ([queries]) => {
  const ranking = {ranking: {termSimilarity: 4, termFrequency: 0.6, pageLength: 0.5}};
  const one = await import("/single/pagefind.js");
  await one.options({baseUrl: "/", ...ranking});
  const shards = await (await fetch("/pagefind/shards.json")).json();
  const merged = await import("/pagefind/runtime/pagefind.js");
  await merged.options(ranking);
  await Promise.all(shards.map(name => merged.mergeIndex("/pagefind/" + name + "/", ranking)));
  const norm = w => w.toLocaleLowerCase().replaceAll("ё", "е");
  const shown = async (index, query, typing, sharded) => {
    const kept = await window.dzenpressResults(index, query, typing, sharded);
    // a page found while a word is typed holds a word that starts like it (up to an ending the stemmer
    // takes off: «просыпал» finds «просыпается»), not a shorter word another shard fell back to
    const typed = norm(query.split(/\\s+/).at(-1)), stem = typed.slice(0, Math.max(2, typed.length - 3));
    const holds = d => !typing || (norm(d.content).match(/[\\p{L}\\p{N}]+/gu) || []).some(w => w.startsWith(stem));
    return Promise.all(kept.map(r => r.data().then(d => [d.url, r.score, holds(d)])));
  };
  const out = {};
  for (const [query, typing] of queries) {
    out[query + (typing ? "…" : "")] = [await shown(one, query, typing, false), await shown(merged, query, typing, true)];
  }
  return out;
}"""


def ndcg10(one: list[tuple[str, float]], merged: list[tuple[str, float]]) -> float:
    """How good the merged shards' first ten are by one index's scores (1.0: as good as one index's own)."""
    scores = dict(one)

    def gain(urls: list[str]) -> float:
        return sum(scores.get(u, 0.0) / math.log2(i + 2) for i, u in enumerate(urls[:10]))

    best = gain([u for u, _ in one])
    return gain([u for u, _ in merged]) / best if best else 1.0


def page_results(site: Path, browser: Any, queries: list[tuple[str, bool]]) -> Found:
    """Each query (text, being typed) → (what the page shows over one index, over the merged shards)."""
    one_index(site)
    with serving(site) as base:
        page = browser.new_page()
        page.goto(base + "/search/")
        found = page.evaluate(PAGE_RESULTS, [queries])
        page.close()
    for query, (_one, merged) in found.items():
        assert all(holds for _u, _s, holds in merged), query  # no page of a shorter word
    return {query: ([(u, s) for u, s, _ in one], [(u, s) for u, s, _ in merged])
            for query, (one, merged) in found.items()}


def assert_same_pages_near_ranking(found: Found, mean: float, least: float, recall: float) -> list[float]:
    """The same pages as one index for every query whose words are finished; for a half-typed word, most of
    those one index shows (and only pages holding a word it starts: page_results). The first ten are as good
    by one index's scores as its own (each shard ranks with its own word statistics).

    One index can find fewer pages for a half-typed word than its shards: Pagefind looks a prefix up in the
    index chunk the prefix sorts into, and one index's bigger chunks can split the words starting with it
    («поясница» | «поясничный»)."""
    kept = []
    for query, (one, merged) in found.items():
        urls, reference = {u for u, _ in merged}, {u for u, _ in one}
        if query.endswith("…"):
            kept.append(len(urls & reference) / len(reference) if reference else 1.0)
        else:
            assert urls == reference, query
    assert not kept or sum(kept) / len(kept) >= recall, kept
    quality = [ndcg10(one, merged) for one, merged in found.values()  # pages one index missed have no score
               if one and {u for u, _ in merged} == {u for u, _ in one}]
    print("NDCG@10", sorted(round(q, 3) for q in quality), "recall while typing", sorted(round(k, 3) for k in kept))
    assert quality and min(quality) >= least and sum(quality) / len(quality) >= mean, quality
    return quality


def search_on(site: Path) -> None:
    config = site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("search = false", "search = true"),
                      encoding="utf-8")


@pytest.mark.slow
def test_the_shards_of_1000_posts_find_what_one_index_finds(tmp_path: Path, browser: Any) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from corpus import write_corpus

    site = tmp_path / "corpus"
    write_corpus(site, 1000)
    search_on(site)
    build(site)  # as a user's build shards it
    assert len(json.loads((site / "dist" / "pagefind" / "shards.json").read_bytes())) >= 8
    queries = ["17", "Статья 250", "999", "грыжа подушка кресло массаж", "позвоночника", "утренний", "тема-3",
               "ксилофонище", "кресло", "подуш"]
    found = page_results(site, browser, [(q, False) for q in queries] + [("подуш", True), ("Статья 25", True)])
    assert_same_pages_near_ranking(found, mean=0.95, least=0.85, recall=0.9)
    assert [u for u, _ in found["Статья 250"][1]] == ["/blog/post-00250/"]
    assert len(found["кресло"][1]) > 500


@pytest.mark.slow
def test_the_shards_of_1000_real_posts_find_what_one_index_finds(tmp_path: Path, browser: Any) -> None:
    """Posts made of the real corpus' paragraphs (real words at real frequencies): rare, middling and common
    words, whole and half typed, and pairs of words."""
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present")
    paragraphs = [part.strip() for path in sorted((CORPUS / "clean").glob("*.md"))
                  for part in path.read_text(encoding="utf-8").split("---", 2)[2].split("\n\n")
                  if len(part.strip()) > 80 and not part.lstrip().startswith(("!", "#", "|", "<"))]
    rng = random.Random(3)
    site = tmp_path / "real"
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Б"\nsearch = true\n'
                                         '[images]\nog_cards = false\n', encoding="utf-8")
    for i in range(1000):
        text = "\n\n".join(rng.sample(paragraphs, rng.randint(5, 12)))
        (posts / f"p{i:04d}.md").write_text(f"---\ntitle: 'Заметка {i}'\ndate: '2024-01-{1 + i % 28:02d}'\n---\n\n"
                                            f"{text}\n", encoding="utf-8")
    build(site)
    assert len(json.loads((site / "dist" / "pagefind" / "shards.json").read_bytes())) >= 8
    counts = Counter(re.findall(r"[а-яё]{5,}", " ".join(paragraphs).lower()))
    vocabulary = sorted(counts)
    queries: list[tuple[str, bool]] = []
    for band in ([w for w in vocabulary if counts[w] == 1], [w for w in vocabulary if 5 <= counts[w] <= 30],
                 [w for w, _ in counts.most_common(60)]):
        for word in rng.sample(band, 8):
            queries += [(word, False), (word[:max(3, len(word) - 3)], True)]
    middling = [w for w in vocabulary if 5 <= counts[w] <= 30]
    queries += [(" ".join(rng.sample(middling, 2)), False) for _ in range(6)]
    found = page_results(site, browser, queries)
    assert_same_pages_near_ranking(found, mean=0.93, least=0.8, recall=0.9)


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
