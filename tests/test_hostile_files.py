"""Hostile files in a site folder (issue 17): links out of the site, FIFOs, requests no file can answer.

A site folder often comes from a repository or an archive someone else made: a link in it must never
publish (or serve) a file from outside the site, and nothing in it may hang a command.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dzenpress
from dzenpress.errors import DzenpressError, flatten
from dzenpress.serve import PREVIEW_DIR, make_server, rebuild

from conftest import post_text
from helpers import build_site

SECRET = b"TOP-SECRET-OUTSIDE-THE-SITE"
SRC = str(Path(dzenpress.__file__).parents[1])  # the dzenpress these tests import, for subprocesses


@pytest.fixture
def site(blank_site: Path) -> Path:
    (blank_site / "content/posts/post.md").write_text(post_text("post"), encoding="utf-8")
    (blank_site.parent / "secret.svg").write_bytes(SECRET)
    (blank_site.parent / "secret.md").write_text(post_text("linked", body="TOP-SECRET-OUTSIDE-THE-SITE"),
                                                 encoding="utf-8")
    (blank_site.parent / "secret-dir").mkdir()
    (blank_site.parent / "secret-dir/x.txt").write_bytes(SECRET)
    return blank_site


def _link(site: Path, rel: str, target: str) -> Path:
    link = site / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(site.parent / target)
    return link


def _errors(site: Path) -> list[DzenpressError]:
    try:
        build_site(site)
    except DzenpressError as exc:
        return flatten(exc)
    return []


def _published_anywhere(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and SECRET in p.read_bytes()] if root.exists() else []


OUTSIDE = [  # (the link, what it points to outside the site, a post body that uses it)
    ("public/passwd.txt", "secret.svg", None),
    ("public/.well-known/security.txt", "secret.svg", None),
    ("public/media", "secret-dir", None),
    ("content/posts/pic.svg", "secret.svg", "![Схема](pic.svg)"),
    ("content/posts/pic.gif", "secret.svg", "![Схема](pic.gif)"),
    ("content/posts/img", "secret-dir", None),
    ("content/posts/linked.md", "secret.md", None),
    ("pages/about.md", "secret.md", None),
    ("templates/secret.html", "secret.svg", None),  # a template could include it
]


@pytest.mark.parametrize(("rel", "target", "body"), OUTSIDE, ids=[c[0] for c in OUTSIDE])
def test_a_link_out_of_the_site_is_an_error_naming_it(site: Path, rel: str, target: str, body: str | None) -> None:
    if body:
        (site / "content/posts/post.md").write_text(post_text("post", body=body), encoding="utf-8")
    link = _link(site, rel, target)
    errors = _errors(site)
    assert [e for e in errors if e.path == link and "outside" in e.message], errors
    assert not _published_anywhere(site / "dist")


def test_the_public_folder_itself_linked_out_is_an_error(site: Path) -> None:
    (site / "public").rmdir()
    link = _link(site, "public", "secret-dir")
    errors = _errors(site)
    assert [e for e in errors if e.path == link and "outside" in e.message], errors
    assert not _published_anywhere(site / "dist")


def test_an_image_reached_through_a_linked_folder_is_refused_when_loading(tmp_path: Path) -> None:
    """The post's own check, for callers that load a post without scanning (import, tests)."""
    from zoneinfo import ZoneInfo

    from dzenpress.content.post import load_post

    (tmp_path / "out").mkdir()
    (tmp_path / "out/pic.png").write_bytes(SECRET)
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts/img").symlink_to(tmp_path / "out")
    post = tmp_path / "posts/post.md"
    post.write_text(post_text("post", body="![Снимок](img/pic.png)"), encoding="utf-8")
    with pytest.raises(DzenpressError) as caught:
        load_post(post, ZoneInfo("UTC"))
    assert [e for e in flatten(caught.value) if "outside" in e.message and e.line == 7]


def test_links_inside_the_site_are_files_like_any_other(site: Path) -> None:
    (site / "public/real.txt").write_text("внутри", encoding="utf-8")
    (site / "public/alias.txt").symlink_to(site / "public/real.txt")
    (site / "content/posts/pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (site / "content/posts/same.png").symlink_to("pic.png")
    (site / "content/posts/post.md").write_text(post_text("post", body="![Снимок](same.png)"), encoding="utf-8")
    build_site(site)
    assert (site / "dist/alias.txt").read_text(encoding="utf-8") == "внутри"
    assert (site / "dist/blog/post/same.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


# ---- serve answers every request with a status, and never with a file from outside ----------------------

def _request(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    conn.endheaders()
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer.status, body


@pytest.fixture
def preview(site: Path) -> Iterator[tuple[Path, int]]:
    rebuild(site, drafts=True)
    server, _ = make_server(site, 0, site / PREVIEW_DIR / "site")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/" + "a" * 256, "/blog/" + quote("я" * 200) + "/", "/" + "a" * 300 + ".html",
                                  "/" + "%41" * 4000, "/index.html/x", "/" + "a/" * 2100])
def test_serve_answers_a_path_no_file_can_have_with_a_status(preview: tuple[Path, int], path: str) -> None:
    _, port = preview
    status, _ = _request(port, path)
    assert status in (404, 414)
    assert _request(port, "/")[0] == 200  # and goes on serving


@pytest.mark.parametrize("raw", [b"GARBAGE\r\n\r\n", b"GET /%ff%fe%00 HTTP/1.1\r\n\r\n",
                                 b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
                                 b"GET / HTTP/1.1\r\nX: " + b"b" * 70_000 + b"\r\n\r\n",
                                 b"DELETE / HTTP/1.1\r\n\r\n", b"GET /" + b"a" * 300 + b"/ HTTP/1.0\r\n\r\n"])
def test_serve_answers_any_request_with_a_status_line(preview: tuple[Path, int], raw: bytes) -> None:
    import socket

    _, port = preview
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        answer = b"".join(iter(lambda: conn.recv(65536), b""))
    assert answer.startswith(b"HTTP/1."), answer


def test_serve_never_answers_200_with_a_file_from_outside(preview: tuple[Path, int]) -> None:
    site, port = preview
    _link(site, "public/passwd.txt", "secret.svg")
    with pytest.raises(DzenpressError, match="outside"):
        rebuild(site, drafts=True)
    status, body = _request(port, "/passwd.txt")
    assert status == 404 and SECRET not in body


# ---- FIFOs and other files that are not files --------------------------------------------------------

def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "dzenpress", *args], cwd=cwd, env=env, capture_output=True, check=False,
                          text=True, timeout=60)


@pytest.mark.parametrize("command", [["clean", "."], ["clean", "--check", "."], ["build", "."],
                                     ["clean", "content/posts/fifo.md"]])
def test_a_fifo_among_the_posts_is_skipped_with_a_warning(site: Path, command: list[str]) -> None:
    os.mkfifo(site / "content/posts/fifo.md")
    result = _run(*command, cwd=site)  # a hang is a TimeoutExpired here
    assert "fifo.md" in result.stderr and "not a regular file" in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


# ---- the temp sweep removes only our own temp files --------------------------------------------------

def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def _lookalikes(site: Path) -> list[Path]:
    """User files whose names merely contain `.dzp-tmp-`, in every folder a build or clean sweeps."""
    pid = _dead_pid()
    names = [".notes.dzp-tmp-draft", ".report.dzp-tmp-v2", f".notes.txt.dzp-tmp-{pid}",
             f".a.md.dzp-tmp-{pid}-0123456789abcdef", f".b.md.dzp-tmp-{pid}-{pid}", "notes.dzp-tmp-1"]
    files = []
    for folder in ("content/posts", "public", "public/blog", "dist", "dist/blog/post", "templates"):
        for name in names:
            path = site / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("мои заметки", encoding="utf-8")
            files.append(path)
    return files


@pytest.mark.parametrize("how", ["build", "build-without-state", "interrupted-build", "clean"])
def test_the_temp_sweep_never_removes_a_users_file(site: Path, how: str) -> None:
    from dzenpress.render.writer import JOURNAL

    build_site(site)
    files = _lookalikes(site)
    if how == "build-without-state":
        import shutil

        shutil.rmtree(site / ".dzenpress")
    if how == "interrupted-build":
        (site / "dist" / JOURNAL).write_text("[]", encoding="utf-8")
    if how == "clean":
        from dzenpress.clean import clean

        clean(site)
    else:
        build_site(site)
    assert [p for p in files if not p.exists()] == []


def test_our_own_leftovers_are_still_swept(site: Path) -> None:
    from dzenpress.fsio import temp_name

    build_site(site)
    pid = _dead_pid()
    ours = [site / "content/posts" / temp_name("post.md", pid), site / "public" / temp_name("x.png", pid),
            site / "dist/blog/post" / temp_name("index.html", pid)]
    for path in ours:
        path.write_text("half", encoding="utf-8")
    import shutil

    shutil.rmtree(site / ".dzenpress")  # the state cannot vouch for dist/: it is swept
    build_site(site)
    assert [p for p in ours if p.exists()] == []


def test_a_killed_writers_temp_file_is_recorded_and_swept(site: Path) -> None:
    """A real process writes a temp file and is killed: the next build removes it."""
    code = ("import os, sys; from pathlib import Path; from dzenpress.fsio import temp_path; "
            "t = temp_path(Path(sys.argv[1])); t.write_text('half'); print(t, flush=True); os._exit(0)")
    env = {**os.environ, "PYTHONPATH": SRC}
    out = subprocess.run([sys.executable, "-c", code, str(site / "content/posts/post.md")], env=env,
                         capture_output=True, text=True, check=True, timeout=60)
    left = Path(out.stdout.strip())
    assert left.exists()
    build_site(site)
    assert not left.exists()


def test_import_does_not_hang_on_a_fifo_among_the_posts(site: Path) -> None:
    from dzenpress.dzen.importer import ImportOptions, import_sources

    os.mkfifo(site / "content/posts/fifo.md")
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(import_sources(site, [], ImportOptions())), daemon=True)
    worker.start()
    worker.join(60)  # a hang leaves the (daemon) thread blocked in open()
    assert done, "import hung on the FIFO"


# ---- any arrangement of links: what leaves its folder is named, nothing from outside is published -------

TARGETS = {  # a link's target, relative to the folder the link is in (public/ or content/posts/)
    "outside-file": "../../../secret.svg", "outside-dir": "../../../secret-dir", "absolute": "/etc/hostname",
    "config": "../dzenpress.toml", "state": "../.dzenpress", "inside-file": "real.png", "inside-dir": "sub",
    "self": "loop", "dangling": "nowhere.png",
}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["public", "content/posts"]), st.sampled_from(sorted(TARGETS)),
                          st.booleans()), min_size=1, max_size=4, unique_by=lambda t: (t[0], t[1])))
def test_any_links_leave_nothing_from_outside_in_the_output(tmp_path_factory: pytest.TempPathFactory,
                                                             links: list[tuple[str, str, bool]]) -> None:
    base = tmp_path_factory.mktemp("links")
    site = base / "a/b/site"
    (site / "content/posts").mkdir(parents=True)
    (site / "public/sub").mkdir(parents=True)
    (site / "dzenpress.toml").write_text('# TOP-SECRET-CONFIG\n[site]\nurl = "https://blog.example"\nname = "Блог"\n',
                                         encoding="utf-8")
    (base / "secret.svg").write_bytes(SECRET)
    (base / "secret-dir").mkdir()
    (base / "secret-dir/x.txt").write_bytes(SECRET)
    body = []
    for folder, kind, chained in links:
        (site / folder / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        (site / folder / "sub").mkdir(exist_ok=True)
        name = f"{kind}.png"
        if chained:  # a link to a link in the same folder, which leads on
            (site / folder / f"via-{name}").symlink_to(TARGETS[kind])
            (site / folder / name).symlink_to(f"via-{name}")
        else:
            (site / folder / name).symlink_to(TARGETS[kind])
        if folder == "content/posts":
            body.append(f"![x]({name})")
    (site / "content/posts/post.md").write_text(post_text("post", body="\n\n".join(body) or "Текст."),
                                                encoding="utf-8")
    errors = _errors(site)
    named = {Path(e.path).name for e in errors if e.path is not None and "outside" in e.message}
    for folder, kind, chained in links:
        real = os.path.realpath(site / folder / f"{kind}.png")
        leaves = not real.startswith(os.path.realpath(site / folder) + os.sep)
        if leaves and kind != "dangling":
            assert f"{kind}.png" in named or f"via-{kind}.png" in named, (folder, kind, errors)
    for path in (site / "dist").rglob("*") if (site / "dist").exists() else ():
        if path.is_file():
            data = path.read_bytes()
            assert SECRET not in data and b"TOP-SECRET-CONFIG" not in data, path


def test_clean_reads_no_post_from_outside_and_minds_only_posts(site: Path) -> None:
    from dzenpress.clean import clean

    _link(site, "public/passwd.txt", "secret.svg")  # not a post: clean reads no such file
    link = _link(site, "content/posts/linked.md", "secret.md")
    outside_text = (site.parent / "secret.md").read_bytes()
    with pytest.raises(DzenpressError) as caught:
        clean(site, [site])
    assert [e.path for e in flatten(caught.value)] == [link]
    assert (site.parent / "secret.md").read_bytes() == outside_text
