"""Committing a build's output (issue 7 §3, §5): link order, a killed commit rolled forward, temp files
swept by name whatever the state says, and one clear line for disk full, read-only, a file in the way and a
busy port, with the previous dist/ left as it was."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dzenpress.cli import app
from dzenpress.fsio import TEMP_MARK, temp_name
from dzenpress.render import writer
from dzenpress.render.writer import JOURNAL, recover

from helpers import build_site

runner = CliRunner()
CONFIG = '[site]\nurl = "https://blog.example"\nname = "Блог"\n\n[indexnow]\nkey = "0123456789abcdef0123456789abcdef"\n'


def post(slug: str, title: str, tag: str = "Спина") -> str:
    return (f"---\ntitle: '{title}'\nslug: {slug}\ndate: '2025-01-{10 + len(slug) % 9}'\ntags: [{tag}]\n"
            f"cover: cover.png\n---\n\nТекст статьи {slug}.\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "public/blog/odin").mkdir(parents=True)
    (root / "public/blog/odin/photo.png").write_bytes(b"\x89PNG\r\n\x1a\nphoto")
    (root / "dzenpress.toml").write_text(CONFIG, encoding="utf-8")
    (root / "content/posts/cover.png").write_bytes(b"\x89PNG\r\n\x1a\ncover")
    for slug in ("odin", "dva", "tri"):
        (root / f"content/posts/{slug}.md").write_text(post(slug, f"Пост {slug}"), encoding="utf-8")
    build_site(root)
    return root


def tree(base: Path) -> dict[str, bytes | None]:
    return {p.relative_to(base).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(base.rglob("*"))}


def temps(base: Path) -> list[Path]:
    return [p for p in base.rglob("*") if TEMP_MARK in p.name]


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def edit(site: Path) -> None:
    """A change that touches every kind of output: posts, lists, tags, feeds, a new image."""
    (site / "content/posts/dva.md").write_text(post("dva", "Пост два, новый", "Шея"), encoding="utf-8")
    (site / "content/posts/chetyre.md").write_text(post("chetyre", "Пост четыре"), encoding="utf-8")
    (site / "public/blog/odin/new.png").write_bytes(b"\x89PNG\r\n\x1a\nnew")


def _rank(rel: str) -> int:
    if rel in ("rss.xml", "atom.xml", "sitemap.xml", "posts.json", "robots.txt"):
        return 3
    if not rel.endswith(".html"):
        return 0
    if rel in ("index.html", "404.html", "blog/index.html") or rel.startswith(("blog/tag/", "blog/page/")):
        return 2
    return 1


def spy_renames(monkeypatch: pytest.MonkeyPatch, dist: Path, fail_after: int | None = None) -> list[str]:
    """Record every rename into dist/ (but the journal's); optionally die like a kill after N of them."""
    done: list[str] = []
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        rel = Path(dst).relative_to(dist).as_posix() if Path(dst).is_relative_to(dist) else ""
        if rel and rel != JOURNAL:
            if fail_after is not None and len(done) >= fail_after:
                raise KeyboardInterrupt  # what a kill leaves: nothing after this point runs
            done.append(rel)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return done


def test_commit_puts_files_before_pages_before_lists_before_feeds(site: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    edit(site)
    everything = spy_renames(monkeypatch, site / "dist")
    build_site(site, jobs=1)
    renamed = [rel for rel in everything if not rel.startswith("pagefind/")]
    index = [n for n, rel in enumerate(everything) if rel.startswith("pagefind/")]
    assert all(n >= len(renamed) for n in index), everything  # the search index, which links to pages: last
    ranks = [_rank(rel) for rel in renamed]
    assert set(ranks) == {0, 1, 2, 3}, renamed
    assert ranks == sorted(ranks), renamed
    assert not (site / "dist" / JOURNAL).exists()


def pages_only(files: dict[str, bytes]) -> dict[str, bytes]:
    return {rel: data for rel, data in files.items() if not rel.startswith("pagefind/")}


def test_killed_commit_is_finished_from_the_journal(site: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    edit(site)
    reference = tmp_path / "reference"
    shutil.copytree(site, reference, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(reference)
    spy_renames(monkeypatch, site / "dist", fail_after=3)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, jobs=1)
    monkeypatch.undo()
    dist = site / "dist"
    assert (dist / JOURNAL).exists() and temps(dist)
    assert tree(dist) != tree(reference / "dist")  # half old, half new: the window the journal closes
    recover(dist, sweep=False)
    assert pages_only(tree(dist)) == pages_only(tree(reference / "dist"))  # the search index catches up below
    build_site(site)  # the state catches up (pages it did not record are rendered again, same bytes)
    assert tree(dist) == tree(reference / "dist")


def test_temp_files_are_swept_after_the_state_is_deleted(site: Path) -> None:
    pid = dead_pid()
    planted = [site / "dist/blog/odin" / temp_name("index.html", pid), site / "dist" / temp_name("rss.xml", pid),
               site / "content/posts" / temp_name("odin.md", pid), site / "public/blog/odin" / temp_name("a.png", pid)]
    for path in planted:
        path.write_bytes(b"half")
    shutil.rmtree(site / ".dzenpress")
    build_site(site)
    assert not temps(site)


def test_temp_files_of_a_killed_build_are_swept_by_the_next_no_op_build(site: Path) -> None:
    """The journal marks dist/ from the first staged file on: the state does not need to remember."""
    tmp = site / "dist/blog/dva" / temp_name("index.html", dead_pid())
    tmp.write_bytes(b"half")
    (site / "dist" / JOURNAL).write_text("[]", encoding="utf-8")
    report = build_site(site)
    assert report.written == [] and not tmp.exists() and not (site / "dist" / JOURNAL).exists()


def test_content_temp_files_are_swept_on_every_build_but_not_a_live_writers(site: Path) -> None:
    dead = site / "content/posts" / temp_name("dva.md", dead_pid())
    live = site / "content/posts" / temp_name("tri.md", os.getppid())  # our parent: alive, maybe writing
    for path in (dead, live):
        path.write_bytes(b"half")
    build_site(site)
    assert not dead.exists() and live.exists()


# ---- one clear line, non-zero exit, previous dist/ intact --------------------------------------------

def _one_line(output: str) -> str:
    """One error line, then at most the summary every failed build ends with."""
    lines = [line for line in output.splitlines() if line.strip()]
    assert "Traceback" not in output, output
    if len(lines) == 2:
        assert lines[1] == "1 error; nothing was written", output
    assert 1 <= len(lines) <= 2, output
    return lines[0]


def _fail_with(code: int, real: Any, after: int) -> Any:
    calls: list[int] = []

    def fail(path: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) > after:
            raise OSError(code, os.strerror(code), str(path))
        return real(path, *args, **kwargs)

    return fail


# where it fails: staging a page, marking dist/ before staging, writing the journal of the commit
@pytest.mark.parametrize(("where", "after"), [("_create", 0), ("_write_journal", 0), ("_write_journal", 1)])
@pytest.mark.parametrize(("code", "needle"), [(errno.ENOSPC, "no space left"), (errno.EROFS, "cannot write here"),
                                              (errno.EACCES, "cannot write here")])
def test_disk_full_or_read_only_is_one_line_and_dist_is_intact(site: Path, monkeypatch: pytest.MonkeyPatch,
                                                               where: str, after: int, code: int,
                                                               needle: str) -> None:
    edit(site)
    before = tree(site / "dist")
    monkeypatch.setattr(writer, where, _fail_with(code, getattr(writer, where), after))
    result = runner.invoke(app, ["build", str(site), "-j", "1"])
    assert result.exit_code == 1
    line = _one_line(result.output)
    assert needle in line and "paths.output" in line and str(site / "dist") in line, line
    assert tree(site / "dist") == before


class _FullDisk:
    """A file whose writes fail as on a full disk (the file itself was created: it must not stay)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_writing_a_page_leaves_no_temp_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(site)
    before = tree(site / "dist")
    opened: list[int] = []

    def open_(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        fh = open(*args, **kwargs)  # noqa: SIM115 - closed by the wrapper
        return fh if len(opened) == 1 else _FullDisk(fh)  # the first is the journal

    monkeypatch.setattr(writer, "open", open_, raising=False)
    result = runner.invoke(app, ["build", str(site), "-j", "1"])
    assert result.exit_code == 1 and len(opened) > 1
    assert "no space left" in _one_line(result.output)
    assert tree(site / "dist") == before


@pytest.mark.parametrize("blocker", ["dist", "dist/blog"])
def test_a_file_where_the_output_needs_a_folder(site: Path, blocker: str) -> None:
    shutil.rmtree(site / "dist")
    (site / blocker).parent.mkdir(parents=True, exist_ok=True)
    (site / blocker).write_text("мой файл", encoding="utf-8")
    before = tree(site)
    result = runner.invoke(app, ["build", str(site)])
    assert result.exit_code == 1
    line = _one_line(result.output)
    assert f"{site / blocker}: paths.output: is a file where the site needs a folder" in line, line
    after = tree(site)
    assert {k: v for k, v in after.items() if not k.startswith(".dzenpress")} == {
        k: v for k, v in before.items() if not k.startswith(".dzenpress")}


def test_serve_on_a_busy_port_is_one_line(site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", str(site), "--port", str(port)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error")]
    assert "Traceback" not in result.output and len(errors) == 1, result.output
    assert f"port {port} on 127.0.0.1 is already in use" in errors[0] and "--port" in errors[0]


def test_a_public_file_where_pages_need_a_folder_fails_before_writing(site: Path) -> None:
    """public/blog as a file would otherwise fail in the middle of the commit (a folder cannot be replaced)."""
    shutil.rmtree(site / "public/blog")
    (site / "public/blog").write_text("не папка", encoding="utf-8")
    before = tree(site / "dist")
    result = runner.invoke(app, ["build", str(site)])
    assert result.exit_code == 1
    assert "'blog' would be both a file and a folder" in _one_line(result.output)
    assert tree(site / "dist") == before


def test_check_outputs() -> None:
    writer.check_outputs(["a/index.html", "b.html"], ["img/x.png", "img/x.png"])  # a repeated copy is fine
    with pytest.raises(writer.BuildError, match="two pages"):
        writer.check_outputs(["a/index.html", "a/index.html"], [])
    with pytest.raises(writer.BuildError, match="'a/b.html' would be both"):
        writer.check_outputs(["a/b.html"], ["a/b.html/c.png"])
