"""`dzenpress serve`: a preview built apart from the output folder, served like a static host, and safe."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dzenpress.serve import PREVIEW_DIR, make_server, rebuild, resolve, serve

from helpers import build_site, snapshot

DRAFT = "chernovik-novye-metody-reabilitacii"
HERNIA = "gryzha-diska-kogda-nuzhna-operaciya"


def request(port: int, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """A request with the path sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
    conn.endheaders()
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body


@pytest.fixture
def preview(example_site: Path) -> Iterator[tuple[Path, int]]:
    (example_site / "secret.txt").write_text("TOP-SECRET", encoding="utf-8")
    public = example_site / "public"
    (public / "media").mkdir()
    (public / "media/pic.avif").write_bytes(b"\x00\x00\x00\x1cftypavif")
    (public / "media/pic.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    rebuild(example_site, drafts=True)
    out = example_site / PREVIEW_DIR / "site"
    os.symlink(example_site / "secret.txt", out / "link.txt")
    server, _ = make_server(example_site, 0, out)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield example_site, int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_preview_never_touches_the_output_folder(example_site: Path) -> None:
    build_site(example_site)
    before = snapshot(example_site)
    summary = rebuild(example_site, drafts=True)
    assert "written" in summary
    assert snapshot(example_site) == before  # dist/: same files, same bytes, same mtimes
    preview = example_site / PREVIEW_DIR / "site"
    assert (preview / f"blog/{DRAFT}/index.html").is_file()
    assert DRAFT in (preview / "sitemap.xml").read_text(encoding="utf-8")
    assert not (example_site / f"dist/blog/{DRAFT}").exists()
    assert DRAFT not in (example_site / "dist/sitemap.xml").read_text(encoding="utf-8")
    build_site(example_site)  # and the real build after a preview still writes nothing new
    assert snapshot(example_site) == before


def test_no_drafts_switch(example_site: Path) -> None:
    rebuild(example_site, drafts=True)
    rebuild(example_site, drafts=False)
    assert not (example_site / PREVIEW_DIR / f"site/blog/{DRAFT}").exists()
    assert not (example_site / "dist").exists()


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/../../secret.txt", "/../../../secret.txt", "/%2e%2e/%2e%2e/%2e%2e/secret.txt",
    "/%2E%2E/%2E%2E/%2E%2E/secret.txt", "/blog/..%2f..%2f..%2f..%2fsecret.txt", "/..%5c..%5c..%5csecret.txt",
    "/blog/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt", "/%252e%252e/%252e%252e/%252e%252e/secret.txt",
    "/./../../../secret.txt", "/link.txt", "/secret.txt%00.html", "//secret.txt", "/..", "/%2e%2e",
    "/" + "../" * 12 + "etc/passwd",
])
def test_nothing_outside_the_preview_root_is_served(preview: tuple[Path, int], path: str) -> None:
    _, port = preview
    status, _, body = request(port, path)
    assert b"TOP-SECRET" not in body and b"root:" not in body
    assert status in (301, 400, 404)


def test_resolve_refuses_every_escape(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a/index.html").write_text("x")
    (tmp_path / "out.html").write_text("secret")
    for raw in ("/../out.html", "/a/../../out.html", "/%2e%2e/out.html", "/a/%2E%2E/%2e%2e/out", "/..\\out.html"):
        assert resolve(root, raw) is None, raw
    assert resolve(root, "/a/") == (root / "a/index.html").resolve()
    assert resolve(root, "/a") == "/a/"


@pytest.mark.parametrize(("path", "kind"), [
    ("/media/pic.avif", "image/avif"), ("/media/pic.webp", "image/webp"), ("/rss.xml", "application/xml"),
    ("/sitemap.xml", "application/xml"), ("/rss-dzen.xml", "application/xml"), ("/atom.xml", "application/xml"),
    ("/assets/dzenpress.css", "text/css"), ("/logo.png", "image/png"), ("/posts.json", "application/json"),
    ("/robots.txt", "text/plain"), (f"/blog/{HERNIA}/cover.jpg", "image/jpeg"), ("/blog/", "text/html"),
])
def test_mime_types(preview: tuple[Path, int], path: str, kind: str) -> None:
    _, port = preview
    status, headers, body = request(port, path)
    assert status == 200 and headers["content-type"].split(";")[0] == kind and body
    head_status, head_headers, head_body = request(port, path, "HEAD")
    assert head_status == 200 and head_body == b"" and head_headers["content-type"] == headers["content-type"]


def test_directory_urls_like_a_static_host(preview: tuple[Path, int]) -> None:
    _, port = preview
    assert request(port, "/blog/")[0] == 200
    status, headers, _ = request(port, "/blog")
    assert status == 301 and headers["location"] == "/blog/"
    status, headers, _ = request(port, f"/blog/{HERNIA}?utm=1")
    assert status == 301 and headers["location"] == f"/blog/{HERNIA}/?utm=1"
    assert request(port, f"/blog/{HERNIA}/index.html")[0] == 200
    assert request(port, "/contacts/")[0] == 200 and request(port, "/")[0] == 200


def test_404_page_with_status_404(preview: tuple[Path, int]) -> None:
    site, port = preview
    status, headers, body = request(port, "/net-takoj-stranicy/")
    assert status == 404 and headers["content-type"].startswith("text/html")
    assert "Страница не найдена" in body.decode() and b"EventSource" in body
    assert request(port, "/missing.png")[0] == 404
    assert b"EventSource" not in (site / PREVIEW_DIR / "site/404.html").read_bytes()


def test_flat_urls_without_trailing_slash(example_site: Path) -> None:
    config = example_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("trailing_slash = true", "trailing_slash = false"),
                      encoding="utf-8")
    rebuild(example_site, drafts=False)
    root = example_site / PREVIEW_DIR / "site"
    assert resolve(root, f"/blog/{HERNIA}") == (root / f"blog/{HERNIA}.html").resolve()
    assert resolve(root, f"/blog/{HERNIA}/") == f"/blog/{HERNIA}"
    assert resolve(root, "/blog/") == "/blog"


def wait_for(check: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@contextlib.contextmanager
def serving(site: Path) -> Iterator[tuple[list[int], list[str]]]:
    """`serve` in a thread until the block ends: (the port once it listens, the log lines)."""
    stop = threading.Event()
    ports: list[int] = []
    logs: list[str] = []
    thread = threading.Thread(target=serve, args=(site,), daemon=True,
                              kwargs={"port": 0, "log": logs.append, "stop": stop, "ready": ports.append})
    thread.start()
    try:
        wait_for(lambda: bool(ports))
        yield ports, logs
    finally:
        stop.set()
        thread.join(15)
    assert not thread.is_alive()


@pytest.fixture
def running(example_site: Path) -> Iterator[tuple[Path, list[int], list[str]]]:
    with serving(example_site) as (ports, logs):
        yield example_site, ports, logs


def test_build_error_is_shown_and_the_server_keeps_running(running: tuple[Path, list[int], list[str]]) -> None:
    site, ports, logs = running
    port = ports[0]
    assert request(port, "/blog/")[0] == 200
    post = site / f"content/posts/{HERNIA}.md"
    good = post.read_text(encoding="utf-8")
    post.write_text(good.replace("title: 'Грыжа", "title: [broken", 1), encoding="utf-8")
    wait_for(lambda: b"dzenpress-build-error" in request(port, "/blog/")[2])
    status, _, body = request(port, "/blog/")
    assert status == 200 and HERNIA.encode() in body  # the last good site, with the error over it
    assert any("build failed" in line and f"{HERNIA}.md" in line for line in logs)
    post.write_text(good.replace("Решение принимают", "Решение всегда принимают"), encoding="utf-8")
    wait_for(lambda: "всегда принимают" in request(port, f"/blog/{HERNIA}/")[2].decode()
             and b"dzenpress-build-error" not in request(port, "/blog/")[2])  # the files land just before
    assert not (site / "dist").exists()


def test_serve_starts_even_when_the_first_build_fails(example_site: Path) -> None:
    post = example_site / f"content/posts/{HERNIA}.md"
    post.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    with serving(example_site) as (ports, _logs):
        status, _, body = request(ports[0], "/")
        assert status == 500 and b"dzenpress-build-error" in body and f"{HERNIA}.md".encode() in body
    shutil.rmtree(example_site / ".dzenpress")


def test_serve_keeps_the_preview_open_and_still_sees_the_config_change(
        running: tuple[Path, list[int], list[str]]) -> None:
    """The preview stays open between builds (its state in memory); an edited dzenpress.toml is read again,
    a broken one is an error on the page, and a fixed one builds again."""
    site, ports, _logs = running
    config = site / "dzenpress.toml"
    good = config.read_text(encoding="utf-8")
    name = good.split('name = "', 1)[1].split('"', 1)[0]
    config.write_text(good.replace(f'name = "{name}"', 'name = "Новое имя клиники"', 1), encoding="utf-8")
    wait_for(lambda: "Новое имя клиники" in request(ports[0], "/")[2].decode())
    # another time zone: the posts parsed under the old one are parsed again (dates carry the new offset)
    zoned = good.replace("[site]\n", '[site]\ntimezone = "America/New_York"\n', 1)
    config.write_text(zoned, encoding="utf-8")
    wait_for(lambda: re.search(rb'"datePublished":"[^"]+-0[45]:00"', request(ports[0], f"/blog/{HERNIA}/")[2]))
    config.write_text(good.replace(f'name = "{name}"', "name = 5", 1), encoding="utf-8")
    wait_for(lambda: b"dzenpress-build-error" in request(ports[0], "/")[2])
    config.write_text(good, encoding="utf-8")
    wait_for(lambda: name in request(ports[0], "/")[2].decode()
             and b"dzenpress-build-error" not in request(ports[0], "/")[2])


def test_a_second_preview_of_the_same_site_says_one_is_running(
        running: tuple[Path, list[int], list[str]]) -> None:
    from dzenpress.errors import DzenpressError

    site, _ports, _logs = running
    with pytest.raises(DzenpressError, match="another build of this site is running"):
        serve(site, port=0, log=lambda _line: None)
