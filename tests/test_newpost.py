"""`dzenpress new`: a draft post named by the title's slug, dated today in the site's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from dzenpress.cli import app
from dzenpress.content.post import load_post
from dzenpress.content.slug import slugify
from dzenpress.errors import DzenpressError
from dzenpress.newpost import new_post


def test_new_post_is_a_valid_draft_in_real_field_order(blank_site: Path) -> None:
    title = "Боль в плече: что делать, если «стреляет»?"
    path = new_post(blank_site, title, tags=["спина", "плечо"])
    assert path == blank_site / "content/posts" / f"{slugify(title)}.md"
    text = path.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.split("---")[1].splitlines() if line and not line.startswith(" ")]
    assert keys == ["title", "slug", "date", "draft", "tags"]
    post = load_post(path, ZoneInfo("Europe/Moscow"))
    assert post.title == title and post.draft and post.tags == ("спина", "плечо") and post.slug == path.stem


def test_date_is_today_in_the_site_time_zone(blank_site: Path) -> None:
    late_utc = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)  # already 2 March in Moscow
    path = new_post(blank_site, "Поздняя статья", now=late_utc)
    assert "date: '2026-03-02'" in path.read_text(encoding="utf-8")
    (blank_site / "dzenpress.toml").write_text((blank_site / "dzenpress.toml").read_text() +
                                               'timezone = "America/New_York"\n', encoding="utf-8")
    path = new_post(blank_site, "Поздняя статья в Нью-Йорке", now=late_utc)
    assert "date: '2026-03-01'" in path.read_text(encoding="utf-8")


def test_refuses_to_overwrite(blank_site: Path) -> None:
    path = new_post(blank_site, "Статья")
    path.write_text(path.read_text(encoding="utf-8") + "Моя правка.\n", encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(DzenpressError, match="already exists"):
        new_post(blank_site, "Статья")
    assert path.read_bytes() == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp file left


def test_quotes_in_title_survive(blank_site: Path) -> None:
    path = new_post(blank_site, "Don't panic: it's 'fine'")
    assert load_post(path, ZoneInfo("Europe/Moscow")).title == "Don't panic: it's 'fine'"


def test_cli_prints_the_path_and_fails_cleanly(blank_site: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["new", "Новая статья", "--site", str(blank_site), "--tags", "a, b"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("content/posts/novaya-statya.md")
    again = runner.invoke(app, ["new", "Новая статья", "--site", str(blank_site)])
    assert again.exit_code == 1 and "already exists" in again.output and "Traceback" not in again.output
    bad = runner.invoke(app, ["new", "!!!", "--site", str(blank_site)])
    assert bad.exit_code == 1 and "slug" in bad.output
