"""The sharded search index: layout, re-indexing only what changed, commits that survive a kill."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dzenpress import build
from dzenpress.errors import DzenpressError
from dzenpress.render import search

from conftest import post_text

pytestmark = pytest.mark.skipif(search.pagefind_binary() is None, reason="the pagefind binary is not installed")


@pytest.fixture
def small_shards() -> Iterator[None]:
    """Sharding on, two pages a shard: a few posts spread over several shards."""
    saved = search.SHARDED, search._PER_SHARD
    search.SHARDED, search._PER_SHARD = True, 2
    yield
    search.SHARDED, search._PER_SHARD = saved


def write_posts(site: Path, count: int, word: str = "текст") -> None:
    for n in range(count):
        (site / "content" / "posts" / f"p{n}.md").write_text(
            post_text(f"p{n}", title=f"Статья {n}", body=f"Статья номер {n}: {word} про спину."), encoding="utf-8")


def shards(site: Path) -> dict[str, int]:
    """Each shard folder → the inode of its entry file (a re-indexed shard is a new folder)."""
    folder = site / "dist" / search.INDEX_DIR
    names = json.loads((folder / search.MANIFEST).read_text(encoding="utf-8"))
    return {name: (folder / name / "pagefind-entry.json").stat().st_ino for name in names}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_small_site_is_one_shard_and_a_big_one_is_sharded_by_default() -> None:
    """One index (exactly Pagefind's results) up to _PER_SHARD pages; shards above, so an edit re-indexes one."""
    assert search.SHARDED
    assert search.shard_count(0) == search.shard_count(search._PER_SHARD) == 1
    assert search.shard_count(search._PER_SHARD + 1) == 2
    assert search.shard_count(10_000) == 128 and search.shard_count(10**6) == search._MAX_SHARDS
    saved = search.SHARDED
    search.SHARDED = False
    try:
        assert search.shard_count(100_000) == 1
    finally:
        search.SHARDED = saved


@given(st.integers(min_value=0, max_value=100_000))
def test_shard_count_is_a_bounded_power_of_two_growing_with_the_pages(pages: int) -> None:
    saved = search.SHARDED
    search.SHARDED = True
    try:
        count = search.shard_count(pages)
        following = search.shard_count(pages + 1)
    finally:
        search.SHARDED = saved
    assert count & (count - 1) == 0 and 1 <= count <= search._MAX_SHARDS
    assert count == search._MAX_SHARDS or count * search._PER_SHARD >= pages
    assert count == 1 or (count // 2) * search._PER_SHARD < pages
    assert following >= count


@given(st.text(min_size=1), st.sampled_from([1, 2, 4, 64, 256]))
def test_a_page_splits_into_one_of_two_halves_when_the_shards_double(rel: str, count: int) -> None:
    """bucket is a hash modulo a power of two: doubling the shards splits each in two, mixing none."""
    assert search.bucket(rel, count * 2) % count == search.bucket(rel, count)


def test_an_edit_reindexes_only_the_edited_posts_shard(blank_site: Path, small_shards: None) -> None:
    write_posts(blank_site, 12)
    build(blank_site)
    before = shards(blank_site)
    assert len(before) > 2
    post = blank_site / "content" / "posts" / "p5.md"
    post.write_text(post.read_text(encoding="utf-8").replace("текст", "правка"), encoding="utf-8")
    build(blank_site)
    after = shards(blank_site)
    count = int(next(iter(after)).split("-")[0][1:])
    assert {name for name in after if before.get(name) != after[name]} == {
        f"s{count}-{search.bucket('blog/p5/index.html', count)}"}


def test_shards_hold_index_data_and_the_runtime_holds_the_code(blank_site: Path, small_shards: None) -> None:
    write_posts(blank_site, 6)
    build(blank_site)
    folder = blank_site / "dist" / search.INDEX_DIR
    for name in shards(blank_site):
        kinds = {p.name if p.is_dir() or not p.name.endswith(".pf_meta") else "meta" for p in (folder / name).iterdir()}
        assert kinds <= {"pagefind-entry.json", "meta", "index", "fragment", "filter"}
    assert (folder / search.RUNTIME / "pagefind.js").is_file()
    assert '"ru"' in (folder / search.RUNTIME / "pagefind-entry.json").read_text(encoding="utf-8")  # the stemmer


def test_a_missing_binary_warns_and_a_later_build_makes_the_index(blank_site: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    write_posts(blank_site, 2)
    binary = search.pagefind_binary()
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    report = build(blank_site)
    assert any("pagefind" in w for w in report.warnings)
    assert not (blank_site / "dist" / search.INDEX_DIR / search.MANIFEST).exists()
    monkeypatch.setattr(search, "pagefind_binary", lambda: binary)
    build(blank_site)  # nothing else changed: a no-op for the pages, not for the index
    assert len(shards(blank_site)) == 1


def test_a_deleted_shard_is_rebuilt_by_the_next_build(blank_site: Path, small_shards: None) -> None:
    write_posts(blank_site, 6)
    build(blank_site)
    folder = blank_site / "dist" / search.INDEX_DIR
    first = tree(folder)
    shutil.rmtree(folder / next(iter(shards(blank_site))))
    build(blank_site)
    assert tree(folder) == first


def test_search_switched_off_removes_the_index(blank_site: Path) -> None:
    write_posts(blank_site, 2)
    build(blank_site)
    config = blank_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\nsearch = false\n"),
                      encoding="utf-8")
    build(blank_site)
    assert not (blank_site / "dist" / search.INDEX_DIR).exists()


def test_strays_in_the_index_folder_are_swept(blank_site: Path) -> None:
    write_posts(blank_site, 2)
    build(blank_site)
    folder = blank_site / "dist" / search.INDEX_DIR
    (folder / ".new-99999" / "s1-0").mkdir(parents=True)  # a killed build's temp folder
    (folder / "s8-3").mkdir()  # a shard of another layout
    post = blank_site / "content" / "posts" / "p0.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nЕщё.\n", encoding="utf-8")
    build(blank_site)
    assert sorted(p.name for p in folder.iterdir()) == ["runtime", "s1-0", "shards.json"]


@pytest.mark.parametrize("name", ["x.html", "notes.txt"])
def test_a_public_file_inside_the_index_folder_is_an_error(blank_site: Path, name: str) -> None:
    write_posts(blank_site, 1)
    (blank_site / "public" / "pagefind").mkdir()
    (blank_site / "public" / "pagefind" / name).write_text("<p data-pagefind-body>x</p>", encoding="utf-8")
    with pytest.raises(DzenpressError, match="pagefind"):
        build(blank_site)


def _build_killed_after(site: Path, delay: float) -> None:
    """A build in a forked child (it inherits the small shards), killed with SIGKILL after `delay` seconds."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            build(site, jobs=1)
        except BaseException:
            code = 1
        os._exit(code)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_builds_killed_at_random_end_like_a_clean_build(blank_site: Path, tmp_path: Path, small_shards: None) -> None:
    """20 builds killed at random moments while posts come and go; then one build: the output, search index
    included, is byte for byte a clean build's."""
    rng = random.Random(17)
    config = blank_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + '[indexnow]\nkey = "kill-loop-key"\n', encoding="utf-8")
    write_posts(blank_site, 8)
    started = time.perf_counter()
    build(blank_site, jobs=1)
    full = time.perf_counter() - started
    posts = blank_site / "content" / "posts"
    for n in range(20):
        victim = posts / f"p{rng.randrange(12)}.md"
        if victim.exists() and rng.random() < 0.5:
            victim.unlink()
        else:
            victim.write_text(post_text(victim.stem, title=f"Статья {n}", body=f"Правка {n}, слово{n}."),
                              encoding="utf-8")
        _build_killed_after(blank_site, rng.uniform(0, full))
    build(blank_site, jobs=1)
    twin = tmp_path / "twin"
    shutil.copytree(blank_site, twin, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build(twin, jobs=1)
    ours, clean = tree(blank_site / "dist"), tree(twin / "dist")
    assert sorted(rel for rel in ours.keys() | clean.keys() if ours.get(rel) != clean.get(rel)) == []


def test_serve_reloads_before_it_indexes(blank_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve's preview builds the pages, reloads the browser, then indexes: the reload never waits for
    Pagefind. Until then the index is marked stale, so even a build with nothing to do would index."""
    from dzenpress.serve import _rebuild_reporting, _Reloader, preview_project

    write_posts(blank_site, 2)
    reloader = _Reloader()
    seen: list[int] = []
    real = search.refresh

    def refresh(*args: object, **kwargs: object) -> str | None:
        seen.append(reloader.version)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "refresh", refresh)
    with preview_project(blank_site, drafts=True) as project:
        _rebuild_reporting(project, reloader, lambda line: None)
        assert seen == [1]  # after the first bump
        folder = project.output_dir
        assert search.is_current(project.state, folder)
        write_posts(blank_site, 3)
        report = project.build()
        assert not search.is_current(project.state, folder)  # pages in place, index not yet
        assert report.written
        assert project.refresh_search() == [] and search.is_current(project.state, folder)
        assert project.refresh_search() == [] and len(seen) == 2  # current: nothing to index
