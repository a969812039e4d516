"""Scheduled posts: dated after now, a post stays out of every output until its time, the preview shows it
marked, and the build's no-op check notices when one comes due: an incremental build at any moment of the
clock equals a clean build of the same inputs at that moment (differential, over generated schedules)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dzenpress import build, dates
from dzenpress.content.site import load_site

from conftest import MINIMAL_CONFIG

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def write_post(site: Path, slug: str, when: datetime, tags: str = "сон") -> None:
    (site / "content/posts" / f"{slug}.md").write_text(
        f"---\ntitle: 'Статья {slug}'\ndate: '{when.isoformat()}'\ntags: [{tags}]\n---\n\n"
        f"Текст статьи {slug}, достаточно длинный, чтобы из него вышло описание.\n", encoding="utf-8")


def make_site(root: Path, offsets: list[int], extra: str = "") -> Path:
    """Posts dated START + offset hours (the first one always in the past)."""
    (root / "content/posts").mkdir(parents=True)
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG + extra + '[indexnow]\nkey = "schedule-test-key"\n'
                                         '[dzen_rss]\nenabled = false\n', encoding="utf-8")
    for n, hours in enumerate(offsets):
        write_post(root, f"post-{n}", START + timedelta(hours=hours))
    return root


def outputs(dist: Path) -> dict[str, bytes]:
    """The built files; Pagefind's index by name only (its bytes follow the file system's listing order)."""
    return {p.relative_to(dist).as_posix(): b"" if "pagefind" in p.parts else p.read_bytes()
            for p in dist.rglob("*") if p.is_file() and not p.name.startswith(".")}


def test_a_future_post_is_nowhere_until_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "s", [-48, 5])
    monkeypatch.setattr(dates, "now", lambda: START)
    report = build(site)
    dist = site / "dist"
    assert "post-1" not in "".join(p.as_posix() for p in dist.rglob("*"))
    for rel in ("index.html", "blog/index.html", "rss.xml", "atom.xml", "sitemap.xml", "posts.json",
                "blog/tag/son/index.html"):
        if (dist / rel).exists():
            assert "post-1" not in (dist / rel).read_text(encoding="utf-8"), rel
    assert "next scheduled post goes live 2026-06-01 17:00" in report.summary()  # 14:00 UTC in Moscow
    assert build(site).next_scheduled  # a no-op build says it too

    preview = load_site(site, drafts=True)
    assert [(p.slug, p.scheduled) for p in preview.posts] == [("post-1", True), ("post-0", False)]
    monkeypatch.setattr(dates, "now", lambda: START + timedelta(hours=6))
    due = build(site)
    assert "blog/post-1/index.html" in due.written and not due.next_scheduled


def test_future_true_publishes_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path / "s", [-48, 5], extra="future = true\n")
    monkeypatch.setattr(dates, "now", lambda: START)
    build(site)
    assert (site / "dist/blog/post-1/index.html").exists()


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(offsets=st.lists(st.integers(-72, 72), min_size=1, max_size=4),
       steps=st.lists(st.integers(0, 60), min_size=1, max_size=3))
def test_incremental_equals_clean_as_the_clock_moves(tmp_path_factory: pytest.TempPathFactory, offsets: list[int],
                                                     steps: list[int]) -> None:
    tmp = tmp_path_factory.mktemp("schedule")
    site = make_site(tmp / "inc", [-100, *offsets])
    clock = START
    saved = dates.now
    try:
        dates.now = lambda: clock  # type: ignore[assignment]
        build(site)
        for hours in steps:
            before = clock
            clock = clock + timedelta(hours=hours)
            report = build(site)
            clean = tmp / f"clean-{hours}-{len(report.written)}"
            shutil.rmtree(clean, ignore_errors=True)
            shutil.copytree(site, clean, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
            build(clean)
            assert outputs(site / "dist") == outputs(clean / "dist")
            came_due = [h for h in offsets if before < START + timedelta(hours=h) <= clock]
            if not came_due:
                assert not report.rendered, report.rendered  # nothing the clock changed: a no-op
    finally:
        dates.now = saved  # type: ignore[assignment]
