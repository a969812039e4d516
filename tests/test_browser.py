"""The built site in headless Chromium (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dzenpress.serve import make_server

from helpers import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object, Path]]:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("browser") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(site)
    server, reloader = make_server(site, 0, site / "dist")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", reloader, site
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def open_page(browser: object, url: str, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    return page, errors


@pytest.mark.parametrize("width", [1280, 390])
def test_post_page_renders_cleanly(served: tuple[str, object, Path], browser: object, width: int) -> None:
    base, _, _ = served
    page, errors = open_page(browser, f"{base}/blog/gryzha-diska-kogda-nuzhna-operaciya/", width)
    assert page.locator("h1").count() == 1
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("[...document.images].every(i => i.complete)")
    broken = page.evaluate("[...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"horizontal scroll at {width}px"
    font = page.evaluate("getComputedStyle(document.querySelector('.prose p')).fontSize")
    assert float(font.rstrip("px")) >= 16
    assert errors == []
    page.context.close()


def test_navigation_from_home_to_post_and_tag(served: tuple[str, object, Path], browser: object) -> None:
    base, _, _ = served
    page, errors = open_page(browser, f"{base}/")
    page.locator(".card-title a").first.click()
    page.wait_for_load_state()
    assert "/blog/" in page.url and page.locator("article.post h1").is_visible()
    page.locator(".tags a").first.click()
    page.wait_for_load_state()
    assert "/blog/tag/" in page.url and page.locator(".card").count() >= 1
    page.goto(f"{base}/blog/")
    page.locator('.pagination a[rel="next"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/blog/page/2/")
    assert errors == []
    page.context.close()


def test_missing_page_gets_404_page(served: tuple[str, object, Path], browser: object) -> None:
    base, _, _ = served
    page, _ = open_page(browser, f"{base}/net-takoj-stranicy/")
    assert page.locator("h1").inner_text() == "Страница не найдена"
    page.context.close()


def test_live_reload(served: tuple[str, object, Path], browser: object) -> None:
    base, reloader, _ = served
    page, errors = open_page(browser, f"{base}/blog/")
    page.evaluate("window.__marker = 1")
    page.wait_for_timeout(300)  # let the EventSource connect
    with page.expect_navigation(timeout=10_000):
        reloader.bump()  # type: ignore[attr-defined]
    assert page.evaluate("window.__marker") is None
    assert errors == []
    page.context.close()


def test_built_files_carry_no_reload_script(served: tuple[str, object, Path]) -> None:
    _, _, site = served
    for html in (site / "dist").rglob("*.html"):
        assert "EventSource" not in html.read_text(encoding="utf-8")
