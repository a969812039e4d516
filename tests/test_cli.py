"""The command line: init → build works; bad input gives a clear message and a non-zero exit."""

from pathlib import Path

from typer.testing import CliRunner

from dzenpress.cli import app

from helpers import page

runner = CliRunner()


def test_init_then_build(tmp_path: Path) -> None:
    site = tmp_path / "new"
    result = runner.invoke(app, ["init", str(site)])
    assert result.exit_code == 0, result.output
    posts = sorted(p.name for p in (site / "content/posts").glob("*.md"))
    assert len(posts) == 3
    assert (site / "templates").is_dir() and (site / "public/logo.png").exists()
    result = runner.invoke(app, ["build", str(site)])
    assert result.exit_code == 0, result.output
    assert "written" in result.output
    tree = page(site, "blog/kak-oformlyat-stati/index.html")
    assert len(tree.css("h1")) == 1 and tree.css("blockquote") and tree.css(".prose ul li")
    assert tree.css_first(".prose picture img").attributes["src"].startswith("/_img/img-0-")
    second = runner.invoke(app, ["build", str(site)])
    assert "0 written" in second.output


def test_init_refuses_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("мой файл")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1 and "not empty" in result.output
    assert (tmp_path / "keep.txt").read_text() == "мой файл"


def test_build_errors_exit_non_zero_and_name_the_file(tmp_path: Path) -> None:
    site = tmp_path / "s"
    runner.invoke(app, ["init", str(site)])
    (site / "content/posts/bad.md").write_text("---\ntitle: 'x'\ndate: nope\n---\n", encoding="utf-8")
    (site / "content/posts/worse.md").write_text("---\ndate: '2024-01-01'\n---\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(site)])
    assert result.exit_code == 1
    assert "bad.md:3: date:" in result.output and "worse.md:1: title:" in result.output
    assert "2 errors" in result.output
    assert not (site / "dist").exists()


def test_build_with_drafts(example_site: Path) -> None:
    result = runner.invoke(app, ["build", str(example_site), "--drafts"])
    assert result.exit_code == 0
    assert (example_site / "dist/blog/chernovik-novye-metody-reabilitacii/index.html").exists()


def test_missing_config_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path)])
    assert result.exit_code == 1 and "dzenpress.toml" in result.output
    assert not (tmp_path / ".dzenpress").exists()
