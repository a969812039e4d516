"""`dzenpress clean` as a user runs it: in place, --check, --diff, --rules, bad files, chrome images."""

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dzenpress.cli import app

from conftest import CORPUS, MINIMAL_CONFIG
from placeholders import make_placeholders

runner = CliRunner()
RAW_POST = "bol-v-spine-kogda-pora-bit-trevogu"


@pytest.fixture
def raw_site(tmp_path: Path) -> Path:
    if not (CORPUS / "raw").is_dir():
        pytest.skip("corpus missing")
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    for name in (RAW_POST, "artroz-kak-zamedlit-razrushenie-sustava-i-sohranit-podvizhnost"):
        shutil.copy(CORPUS / "raw" / f"{name}.md", site / "content/posts")
    make_placeholders(site)
    return site


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["clean", *args])
    return result.exit_code, result.output


def test_clean_rewrites_in_place_and_reports_rules(raw_site: Path) -> None:
    code, out = run("--site", str(raw_site))
    assert code == 0, out
    assert f"cleaned {raw_site / 'content/posts' / RAW_POST}.md: chrome, title" in out.replace("\n", "")
    assert "2 cleaned, 0 already clean" in out
    text = (raw_site / f"content/posts/{RAW_POST}.md").read_text(encoding="utf-8")
    assert "подписчиков" not in text and "Взгляните на эти темы" not in text
    code, out = run("--site", str(raw_site), "--check")
    assert code == 0 and "0 would clean, 2 already clean" in out


def test_check_writes_nothing_and_fails(raw_site: Path) -> None:
    post = raw_site / f"content/posts/{RAW_POST}.md"
    before = (post.read_bytes(), post.stat().st_mtime_ns)
    images = sorted((raw_site / f"public/blog/{RAW_POST}").iterdir())
    code, out = run("--site", str(raw_site), "--check")
    assert code == 1 and "would clean" in out and "would delete chrome image" in out
    assert (post.read_bytes(), post.stat().st_mtime_ns) == before
    assert sorted((raw_site / f"public/blog/{RAW_POST}").iterdir()) == images


def test_diff_prints_unified_diff(raw_site: Path) -> None:
    code, out = run("--site", str(raw_site), "--check", "--diff", str(raw_site / f"content/posts/{RAW_POST}.md"))
    assert code == 1
    assert f"--- a/{RAW_POST}.md" in out and "-16 подписчиков" in out


def test_chrome_images_deleted_unless_another_post_uses_them(raw_site: Path) -> None:
    folder = raw_site / f"public/blog/{RAW_POST}"
    (raw_site / "content/posts/keeps.md").write_text(
        f"---\ntitle: 'Другой пост'\ndate: '2025-01-01'\n---\n\n![](/blog/{RAW_POST}/img-5.jpg)\n", encoding="utf-8")
    code, out = run("--site", str(raw_site))
    assert code == 0
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["cover.jpg", "img-0.jpg", "img-5.jpg"]
    assert f"deleted chrome image {folder / 'img-1.jpg'}" in out.replace("\n", "")


def test_already_clean_files_are_not_touched(example_site: Path) -> None:
    posts = sorted((example_site / "content/posts").glob("*.md"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in posts}
    code, out = run("--site", str(example_site))
    assert code == 0, out
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in posts} == before
    assert "0 cleaned" in out


def test_bad_files_reported_others_cleaned(raw_site: Path) -> None:
    posts = raw_site / "content/posts"
    bad = {"invalid.md": b"---\ntitle: [oops\n---\ntext\n", "binary.md": b"\x00\x01\x02binary",
           "empty.md": b"", "nofront.md": b"Just text, no front matter.\n"}
    for name, data in bad.items():
        (posts / name).write_bytes(data)
    code, out = run("--site", str(raw_site))
    assert code == 1
    flat = out.replace("\n", "")
    for name in bad:
        assert f"{name}" in flat
    assert "invalid.md:2" in flat and "2 cleaned" in flat and "4 failed" in flat
    for name, data in bad.items():
        assert (posts / name).read_bytes() == data


def test_rules_listed_and_disabled_by_config(raw_site: Path) -> None:
    code, out = run("--rules")
    assert code == 0
    for name in ("chrome", "title", "links", "breaks", "lists", "headings", "escapes", "description"):
        assert name in out
    config = raw_site / "dzenpress.toml"
    config.write_text(MINIMAL_CONFIG + '\n[clean]\ndisable = ["headings", "description"]\n', encoding="utf-8")
    run("--site", str(raw_site))
    text = (raw_site / f"content/posts/{RAW_POST}.md").read_text(encoding="utf-8")
    assert "**Когда идти к врачу?**" in text and "/articlinic Арти Клиник" in text
    config.write_text(MINIMAL_CONFIG + '\n[clean]\ndisable = ["nope"]\n', encoding="utf-8")
    code, out = run("--site", str(raw_site))
    assert code == 1 and "clean.disable" in out


def test_cleaned_site_builds(raw_site: Path) -> None:
    run("--site", str(raw_site))
    result = runner.invoke(app, ["build", str(raw_site)])
    assert result.exit_code == 0, result.output


def test_write_is_atomic(raw_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    post = raw_site / f"content/posts/{RAW_POST}.md"
    original = post.read_bytes()

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        from dzenpress.clean import clean

        clean(raw_site, [post])
    assert post.read_bytes() == original
    assert not [p for p in post.parent.iterdir() if ".dzp-tmp-" in p.name]
