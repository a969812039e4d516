"""The command line: init → build works; bad input gives a clear message and a non-zero exit."""

import os
import re
import shutil
from pathlib import Path

import pytest
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
    assert page(site, "index.html").css("address") == []  # the new site has no contacts yet: no empty block
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


def test_boolean_options_are_switches_with_correct_defaults() -> None:
    result = runner.invoke(app, ["build", "--help"])
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "--no-drafts" in result.output and "default: no-drafts" in result.output
    serve = runner.invoke(app, ["serve", "--help"]).output
    assert "default: drafts" in serve and "<bool>" not in serve
    assert "[import]" in runner.invoke(app, ["import", "--help"]).output  # not eaten as Rich markup


def test_version() -> None:
    from dzenpress import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"dzenpress {__version__}"


def test_one_error_ends_like_several(tmp_path: Path) -> None:
    site = tmp_path / "s"
    runner.invoke(app, ["init", str(site)])
    (site / "content/posts/bad.md").write_text("---\ntitle: 'x'\ndate: nope\n---\n", encoding="utf-8")
    result = runner.invoke(app, ["build", str(site)])
    assert result.exit_code == 1
    assert result.output.rstrip().splitlines()[-1] == "1 error; nothing was written"


def test_messages_are_not_wrapped_off_a_terminal(tmp_path: Path) -> None:
    site = tmp_path / ("очень-длинное-имя-папки-сайта-" * 4)
    runner.invoke(app, ["init", str(site)])
    (site / "content/posts/bad.md").write_text("---\ntitle: 'x'\ndate: nope\n---\n", encoding="utf-8")
    lines = runner.invoke(app, ["build", str(site)]).output.splitlines()
    error = next(line for line in lines if line.startswith("error "))
    assert len(error) > 120 and error.endswith("is not a date (YYYY-MM-DD or an ISO 8601 date-time)")


def test_config_only_folder_fails_and_leaves_no_new_files(tmp_path: Path) -> None:
    (tmp_path / "dzenpress.toml").write_text('[site]\nurl = "https://a.ru"\nname = "A"\n', encoding="utf-8")
    result = runner.invoke(app, ["build", str(tmp_path)])
    assert result.exit_code == 1 and "paths.content" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dzenpress.toml"]


def test_failed_first_build_leaves_no_state(tmp_path: Path) -> None:
    site = tmp_path / "s"
    runner.invoke(app, ["init", str(site)])
    (site / "content/posts/bad.md").write_text("---\ntitle: 'x'\n---\n", encoding="utf-8")
    assert runner.invoke(app, ["build", str(site)]).exit_code == 1
    assert not (site / ".dzenpress").exists() and not (site / "dist").exists()
    (site / "content/posts/bad.md").unlink()
    assert runner.invoke(app, ["build", str(site)]).exit_code == 0
    (site / "content/posts/bad.md").write_text("---\ntitle: 'x'\n---\n", encoding="utf-8")
    assert runner.invoke(app, ["build", str(site)]).exit_code == 1
    assert (site / ".dzenpress").is_dir()  # state from an earlier good build is kept


def test_plain_build_arguments_are_parsed_without_typer_or_left_to_it() -> None:
    from dzenpress.entry import plain_build as _plain_build

    assert _plain_build(["build"]) == (Path("."), False, False, 0)
    assert _plain_build(["build", "site", "--clean", "-j", "2", "--drafts"]) == (Path("site"), True, True, 2)
    for argv in (["build", "--help"], ["build", "-j", "x"], ["build", "a", "b"], ["build", "--jobs"], ["clean"], []):
        assert _plain_build(argv) is None, argv


def test_main_builds_and_exits_like_the_typer_command(example_site: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from dzenpress import entry

    monkeypatch.setattr("sys.argv", ["dzenpress", "build", str(example_site), "-j", "1"])
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert exit_.value.code == 0
    assert (example_site / "dist/index.html").exists()
    monkeypatch.setattr("sys.argv", ["dzenpress", "build", str(tmp_path / "nowhere")])
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert exit_.value.code == 1


def test_plain_build_loads_neither_typer_nor_rich_and_prints_what_typer_prints(example_site: Path,
                                                                                 tmp_path: Path) -> None:
    """The console script's fast path: the same lines and exit status as the Typer command, less start-up."""
    import subprocess
    import sys

    bad = tmp_path / "bad"
    shutil.copytree(example_site, bad)
    (bad / "content/posts/broken.md").write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    probe = ("import sys, runpy\nsys.argv = ['dzenpress', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('dzenpress', run_name='__main__')\n"
             "except SystemExit as exc:\n    code = exc.code\n"
             "print(code, 'typer' in sys.modules, 'rich' in sys.modules)")
    for site, status in ((example_site, 0), (bad, 1)):
        twin = shutil.copytree(site, tmp_path / f"twin-{status}")
        fast = subprocess.run([sys.executable, "-c", probe, "build", str(site)], capture_output=True, text=True,
                              env={**os.environ, "CI": "1"}, check=False)
        assert fast.stdout.split() == [str(status), "False", "False"], fast.stderr
        typed = CliRunner().invoke(app, ["build", str(twin)])
        assert typed.exit_code == status
        assert _lines(fast.stderr.replace(str(site), "SITE")) == _lines(typed.output.replace(str(twin), "SITE"))
        assert fast.stderr.strip()


def _lines(text: str) -> list[str]:
    return [re.sub(r"in \d+\.\d+s", "in …s", line) for line in text.splitlines()]
