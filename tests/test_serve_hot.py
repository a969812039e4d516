"""serve renders an edited post's page at once (dzenpress/hot.py): the same bytes the build then makes, only
for edits the last build's pages can show, and a reload only for the tabs whose page changed."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dzenpress.hashing import digest
from dzenpress.hot import render_edited
from dzenpress.project import Project
from dzenpress.serve import preview_project
from test_serve import HERNIA, serving, wait_for

from conftest import needs_chromium

PAGE = f"blog/{HERNIA}/index.html"


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def opened(example_site: Path) -> Iterator[tuple[Path, Project]]:
    project = preview_project(example_site, drafts=True)
    project.open()
    project.build()
    try:
        yield example_site, project
    finally:
        project.close()


def post_file(site: Path) -> Path:
    return site / "content" / "posts" / f"{HERNIA}.md"


def test_an_edited_body_is_rendered_at_once_as_the_build_renders_it(opened: tuple[Path, Project]) -> None:
    site, project = opened
    post = post_file(site)
    post.write_text(post.read_text(encoding="utf-8") + "\nНовый абзац о грыже, дописанный только что.\n",
                    encoding="utf-8")
    hot = render_edited(project.kept, [post], project.output_dir)
    page = project.output_dir / PAGE
    assert list(hot) == [PAGE] and "дописанный только что" in page.read_text(encoding="utf-8")
    assert digest(page.read_bytes()) == hot[PAGE]
    project.build()
    assert digest(page.read_bytes()) == hot[PAGE]  # the build made the same bytes: no second reload


def test_after_a_hot_render_the_build_equals_a_clean_build(opened: tuple[Path, Project], tmp_path: Path) -> None:
    site, project = opened
    post = post_file(site)
    post.write_text(post.read_text(encoding="utf-8").replace("Решение принимают", "Решение всегда принимают"),
                    encoding="utf-8")
    assert render_edited(project.kept, [post], project.output_dir)
    project.build()
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("preview"))  # the IndexNow key stays
    with preview_project(fresh, drafts=True) as other:
        other.build()
        assert files(project.output_dir) == files(other.output_dir)


EDITS = {
    "slug": lambda t: t.replace(f"slug: {HERNIA}", "slug: gryzha-novyj-adres", 1) if f"slug: {HERNIA}" in t
    else t.replace("---\n", "---\nslug: gryzha-novyj-adres\n", 1),
    "tags": lambda t: t.replace("tags:\n", "tags:\n  - Совсем новая тема\n", 1),
    "draft": lambda t: t.replace("draft: false", "draft: true", 1),
    "image": lambda t: t + "\n![Схема](/blog/gryzha-disk/new-figure.png)\n",
    "broken": lambda t: t.replace("title: ", "title: [", 1),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_edits_the_last_pages_cannot_show_are_left_to_the_build(opened: tuple[Path, Project], edit: str) -> None:
    site, project = opened
    post = post_file(site)
    text = post.read_text(encoding="utf-8")
    changed = EDITS[edit](text)
    assert changed != text
    post.write_text(changed, encoding="utf-8")
    before = files(project.output_dir)
    assert render_edited(project.kept, [post], project.output_dir) == {}
    assert files(project.output_dir) == before


def test_files_that_are_not_posts_of_the_last_build_are_left_to_the_build(opened: tuple[Path, Project]) -> None:
    site, project = opened
    new = site / "content" / "posts" / "novaya-statya.md"
    new.write_text("---\ntitle: Новая\ndate: 2024-01-01\n---\n\nТекст.\n", encoding="utf-8")
    assert render_edited(project.kept, [new], project.output_dir) == {}
    assert render_edited(project.kept, [post_file(site), new], project.output_dir) == {}
    assert render_edited(None, [post_file(site)], project.output_dir) == {}


BLOCKS = st.sampled_from([
    "Ещё один абзац текста про спину и сон.", "## Новый раздел", "- пункт первый\n- пункт второй",
    "1. шаг\n2. шаг", "> Цитата врача.", "**Важно:** не поднимайте тяжёлое.", "Строка с `кодом` и [ссылкой](/blog/).",
    "| A | B |\n|---|---|\n| 1 | 2 |", "<script>alert(1)</script>", "Текст с «кавычками» и — тире."])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(BLOCKS, min_size=1, max_size=6), st.booleans())
def test_any_body_edit_renders_at_once_what_the_build_renders(opened: tuple[Path, Project], blocks: list[str],
                                                              cut: bool) -> None:
    site, project = opened
    post = post_file(site)
    front, _, body = post.read_text(encoding="utf-8").partition("\n---\n")
    paragraphs = body.split("\n\n")
    if cut and len(paragraphs) > 3:
        paragraphs = paragraphs[: len(paragraphs) // 2]
    post.write_text(front + "\n---\n" + "\n\n".join([*paragraphs, *blocks]) + "\n", encoding="utf-8")
    hot = render_edited(project.kept, [post], project.output_dir)
    assert hot or cut  # a cut may take an image away: then the build renders the page
    project.build()
    assert not hot or hot == {PAGE: digest((project.output_dir / PAGE).read_bytes())}


def events(port: int, found: list[Any], stop: threading.Event) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/__dzenpress/events")
    answer = conn.getresponse()
    while not stop.is_set():
        line = answer.fp.readline()
        if line.startswith(b"data: "):
            found.append((time.monotonic(), json.loads(line[6:])))


def test_serve_reloads_the_edited_post_first_and_only_the_tabs_whose_page_changed(example_site: Path) -> None:
    with serving(example_site) as (ports, _logs):
        found: list[Any] = []
        stop = threading.Event()
        threading.Thread(target=events, args=(ports[0], found, stop), daemon=True).start()
        time.sleep(0.5)
        post = post_file(example_site)
        post.write_text(post.read_text(encoding="utf-8") + "\nПравка для проверки перезагрузки.\n", encoding="utf-8")
        saved = time.monotonic()
        wait_for(lambda: len(found) >= 2)
        stop.set()
    (first_at, first), (_second_at, second) = found[:2]
    assert first == [PAGE]  # the hot render: the edited post's tabs, before the build
    assert isinstance(second, list) and PAGE not in second  # the build made the same bytes; only other pages
    print(f"edit to reload event: {first_at - saved:.3f} s (the watcher waits for 50 ms of quiet)")


@needs_chromium
def test_a_tab_reloads_only_when_its_page_changed(example_site: Path, browser: Any) -> None:
    with serving(example_site) as (ports, _logs):
        base = f"http://127.0.0.1:{ports[0]}"
        edited, other = browser.new_page(), browser.new_page()
        edited.goto(f"{base}/blog/{HERNIA}/")
        other.goto(f"{base}/contacts/")
        for tab in (edited, other):
            tab.evaluate("window.notReloaded = true")
        post = post_file(example_site)
        post.write_text(post.read_text(encoding="utf-8") + "\nАбзац, который видно сразу.\n", encoding="utf-8")
        edited.wait_for_function("!window.notReloaded", timeout=20_000)
        edited.get_by_text("Абзац, который видно сразу.").wait_for(timeout=20_000)
        time.sleep(1.5)  # the build after the hot render: nothing on the contacts page changed
        assert other.evaluate("window.notReloaded === true")
        assert edited.evaluate("window.notReloaded === undefined")
        edited.close()
        other.close()
