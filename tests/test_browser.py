"""The built site in headless Chromium (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dzenpress.render.search import pagefind_binary
from dzenpress.serve import make_server

from conftest import needs_chromium
from helpers import build_site

pytestmark = needs_chromium


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



def open_page(browser: object, url: str, width: int = 1280):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="load")
    return page, errors


def load_images(page) -> None:  # type: ignore[no-untyped-def]
    """Scroll through the page a screen at a time so lazy images load, then back to the top."""
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise(r => setTimeout(r, 30));
        }
        scrollTo(0, 0); }""")
    page.wait_for_function("[...document.images].every(i => i.complete)")


@pytest.mark.parametrize("width", [1280, 390])
def test_post_page_renders_cleanly(served: tuple[str, object, Path], browser: object, width: int) -> None:
    base, _, _ = served
    page, errors = open_page(browser, f"{base}/blog/gryzha-diska-kogda-nuzhna-operaciya/", width)
    assert page.locator("h1").count() == 1
    load_images(page)
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


POST_URL = "/blog/gryzha-diska-kogda-nuzhna-operaciya/"
ARTIFACTS = Path(__file__).parent / "artifacts" / "screenshots"
SCREENS = {"home": "/", "list": "/blog/", "post": POST_URL, "tag": "/blog/tag/spina/", "404": "/net-takoj-stranicy/",
           "page": "/contacts/", "search": "/search/?q=грыжи"}


def box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    found = page.evaluate("s => { const r = document.querySelector(s)?.getBoundingClientRect();"
                          " return r && {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; }",
                          selector)
    assert found is not None, f"{selector} is not on the page"
    return found  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [1366, 390])
def test_paragraphs_and_images_in_a_post_have_space_between_them(served: tuple[str, object, Path], browser: object,
                                                                 width: int) -> None:
    base, _, _ = served
    page, _ = open_page(browser, base + POST_URL, width)
    gaps = page.evaluate("""() => {
        const out = [];
        for (const p of document.querySelectorAll('.prose > p')) {
            const next = p.nextElementSibling;
            if (!next || !(next.tagName === 'P' || next.tagName === 'FIGURE')) continue;
            const kind = next.querySelector('img') ? 'image' : 'text';
            out.push([kind, next.getBoundingClientRect().top - p.getBoundingClientRect().bottom]);
        }
        return out; }""")
    font = float(page.evaluate("getComputedStyle(document.querySelector('.prose p')).fontSize").rstrip("px"))
    text_gaps = [g for kind, g in gaps if kind == "text"]
    image_gaps = [g for kind, g in gaps if kind == "image"]
    assert len(text_gaps) >= 3 and image_gaps, gaps  # the example has paragraphs in a row and images after text
    assert min(text_gaps + image_gaps) >= 0.8 * font, gaps
    page.context.close()


def test_phone_header_takes_at_most_two_rows(served: tuple[str, object, Path], browser: object) -> None:
    base, _, _ = served
    page, _ = open_page(browser, base + POST_URL, 390)
    header = box(page, ".site-header")
    rows = {round((box(page, s)["top"] + box(page, s)["bottom"]) / 32)
            for s in (".brand", ".menu", ".phone", ".search-form")}
    assert len(rows) <= 2 and header["height"] <= 110, (rows, header)
    brand = page.evaluate("(() => { const s = document.querySelector('.brand span');"
                          " return s.scrollWidth - s.clientWidth; })()")
    assert brand <= 0, "the site name is cut off"
    page.context.close()


def test_desktop_alignment(served: tuple[str, object, Path], browser: object) -> None:
    base, _, _ = served
    page, _ = open_page(browser, base + "/", 1366)
    cards, cta, button = box(page, ".cards"), box(page, ".cta"), box(page, ".all-posts .button")
    assert abs(cta["left"] - cards["left"]) < 1 and abs(button["left"] - cards["left"]) < 1
    assert abs(cta["right"] - cards["right"]) < 1
    footer, address, wrap = box(page, ".footer-grid"), box(page, ".site-footer address"), box(page, "main")
    assert abs(footer["right"] - wrap["right"]) < 1 and abs(address["right"] - footer["right"]) < 2
    page.goto(base + POST_URL)
    crumbs, title = box(page, ".breadcrumbs ol"), box(page, "article.post h1")
    assert abs(crumbs["left"] - title["left"]) < 1
    page.context.close()


@pytest.mark.skipif(pagefind_binary() is None, reason="the pagefind binary is not installed")
def test_search_finds_another_word_form(served: tuple[str, object, Path], browser: object) -> None:
    base, _, _ = served
    page, errors = open_page(browser, base + "/blog/")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.locator('.site-header input[name="q"]').fill("грыжи")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/" in page.url
    first = page.locator(".search-results li h2 a").first
    first.wait_for(timeout=10_000)
    titles = page.locator(".search-results li h2 a").all_inner_texts()
    assert "Грыжа диска: когда нужна операция, а когда нет" in titles
    assert page.locator(".search-results mark").count() >= 1
    page.locator("#search-q").fill("подушка матрас")
    page.wait_for_function("[...document.querySelectorAll('.search-results h2')].some(h => h.textContent.includes('подушку'))")
    assert "?q=" in page.url
    first = page.locator(".search-results li h2 a").first
    with page.expect_navigation():
        first.click()
    assert "/blog/kak-vybrat-podushku" in page.url
    assert all(url.startswith(base) for url in requests), "search made an external request"
    assert errors == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_screenshots_of_every_page_type(served: tuple[str, object, Path], browser: object, width: int) -> None:
    """Saved to tests/artifacts/screenshots/ for people to look at; checked here for the defects a machine sees."""
    base, _, _ = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in SCREENS.items():
        page, errors = open_page(browser, base + path, width)
        load_images(page)
        if name == "404":  # the page's own status
            errors = [e for e in errors if "status of 404" not in e]
        if name == "search" and pagefind_binary() is not None:
            page.locator(".search-results li").first.wait_for(timeout=10_000)
        broken = page.evaluate("[...document.images].filter(i => i.naturalWidth === 0).map(i => i.src)")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert broken == [] and overflow <= 0 and errors == [], (name, broken, overflow, errors)
        assert page.locator("h1").count() == 1, name
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        page.context.close()
    assert len(list(ARTIFACTS.glob(f"*-{width}.png"))) >= len(SCREENS)
