"""The example site as `dzenpress serve` previews it, in headless Chromium: every page clean, links working,
live reload on a post edit, and the draft kept out of the output folder."""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dzenpress.serve import EVENTS, PREVIEW_DIR, serve

from conftest import needs_chromium
from helpers import build_site

DRAFT = "chernovik-novye-metody-reabilitacii"
HERNIA = "gryzha-diska-kogda-nuzhna-operaciya"

pytestmark = needs_chromium


@dataclass
class Preview:
    site: Path
    base: str
    logs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("browser-site") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(site)  # the published site, built first: the preview must leave it alone
    stop = threading.Event()
    ports: list[int] = []
    logs: list[str] = []
    thread = threading.Thread(target=serve, args=(site,), daemon=True,
                              kwargs={"port": 0, "drafts": True, "log": logs.append, "stop": stop,
                                      "ready": ports.append})
    thread.start()
    deadline = time.monotonic() + 30
    while not ports and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ports, logs
    yield Preview(site, f"http://127.0.0.1:{ports[0]}", logs)
    stop.set()
    thread.join(15)



class Tab:
    """A page that records console errors and failed requests."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    def _request_failed(self, request: Any) -> None:
        # the reload stream is cut whenever a page is left, and leaving a page aborts what it still loads
        # (reported late, during the next visit); a missing or broken file shows as a status or a decode error
        if EVENTS not in request.url and "ERR_ABORTED" not in str(request.failure):
            self.failed.append(f"{request.failure} {request.url}")

    def open(self, url: str) -> Any:
        return self.page.goto(url, wait_until="load")

    def images_decoded(self) -> list[str]:
        """Sources of images that fail to decode (lazy ones are made eager first)."""
        return list(self.page.evaluate("""async () => {
            const bad = [];
            await Promise.all([...document.images].map(async img => {
                img.loading = 'eager';
                try { await img.decode(); } catch (e) { bad.push(img.currentSrc || img.src); }
                if (img.naturalWidth === 0 && !bad.includes(img.src)) bad.push(img.src);
            }));
            return bad;
        }"""))

    def close(self) -> None:
        self.context.close()


def clean_visit(browser: Any, url: str, status: int = 200, tab: Tab | None = None) -> Tab:
    tab = tab or Tab(browser)
    tab.errors.clear()
    tab.failed.clear()
    response = tab.open(url)
    assert response is not None and response.status == status, url
    assert tab.images_decoded() == [], url  # after "load" and every image decoded, every request has finished
    document_404 = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert tab.errors == (document_404 if status == 404 else []), (url, tab.errors)  # only the page itself
    assert tab.failed == ([f"404 {url}"] if status == 404 else []), (url, tab.failed)
    assert tab.page.locator("h1").count() == 1, url
    return tab


def preview_posts(site: Path) -> list[str]:
    records = json.loads((site / PREVIEW_DIR / "site/posts.json").read_text(encoding="utf-8"))
    return [r["slug"] for r in records]


@pytest.mark.parametrize("path", ["/", "/blog/", "/blog/page/2/", "/blog/tag/spina/", "/contacts/"])
def test_list_pages_are_clean(preview: Preview, browser: Any, path: str) -> None:
    clean_visit(browser, preview.base + path).close()


def test_every_post_is_clean(preview: Preview, browser: Any) -> None:
    slugs = preview_posts(preview.site)
    assert len(slugs) == 11 and DRAFT in slugs  # the preview shows the draft
    tab = Tab(browser)
    for slug in slugs:
        clean_visit(browser, f"{preview.base}/blog/{slug}/", tab=tab)
        assert tab.page.locator("article h1").is_visible()
    tab.close()


def test_404_page_returns_404(preview: Preview, browser: Any) -> None:
    tab = clean_visit(browser, f"{preview.base}/net-takoj-stranicy/", status=404)
    assert tab.page.locator("h1").inner_text() == "Страница не найдена"
    tab.page.locator("main .card-title a").first.click()  # its suggestions lead to real posts
    tab.page.wait_for_load_state()
    assert tab.page.locator("article h1").count() == 1
    tab.close()


def test_pagination_links_work(preview: Preview, browser: Any) -> None:
    tab = clean_visit(browser, f"{preview.base}/blog/")
    seen = [tab.page.locator(".card-title a").first.inner_text()]
    while tab.page.locator('.pagination a[rel="next"]').count():
        tab.page.locator('.pagination a[rel="next"]').click()
        tab.page.wait_for_load_state()
        assert tab.page.url.startswith(f"{preview.base}/blog/page/")
        seen.append(tab.page.locator(".card-title a").first.inner_text())
    assert len(seen) == 3 and len(set(seen)) == 3  # 11 posts, 4 a page
    tab.page.locator('.pagination a[rel="prev"]').click()
    tab.page.wait_for_load_state()
    assert tab.page.url == f"{preview.base}/blog/page/2/"
    assert tab.errors == [] and tab.failed == []
    tab.close()


def test_tag_links_work(preview: Preview, browser: Any) -> None:
    tab = clean_visit(browser, f"{preview.base}/blog/{HERNIA}/")
    tags = tab.page.locator(".tags a")
    hrefs = [tags.nth(i).get_attribute("href") for i in range(tags.count())]
    assert hrefs and all(h and h.startswith("/blog/tag/") for h in hrefs)
    for href in hrefs:
        tab.open(preview.base + str(href))
        assert tab.page.locator(".card").count() >= 1
        cards = tab.page.locator(".card-title a")
        titles = [cards.nth(i).get_attribute("href") for i in range(cards.count())]
        assert f"/blog/{HERNIA}/" in titles or tab.page.locator('.pagination a[rel="next"]').count()
    assert tab.errors == [] and tab.failed == []
    tab.close()


def test_live_reload_after_editing_a_post(preview: Preview, browser: Any) -> None:
    tab = clean_visit(browser, f"{preview.base}/blog/{HERNIA}/")
    tab.page.evaluate("window.__marker = 1")
    tab.page.wait_for_timeout(300)  # let the EventSource connect
    post = preview.site / f"content/posts/{HERNIA}.md"
    text = post.read_text(encoding="utf-8")
    with tab.page.expect_navigation(timeout=20_000):
        post.write_text(text.replace("Решение принимают", "Решение всегда принимают"), encoding="utf-8")
    tab.page.wait_for_load_state()
    assert tab.page.evaluate("window.__marker") is None
    assert "Решение всегда принимают" in tab.page.locator(".prose").inner_text()
    assert tab.errors == []
    tab.close()


def test_the_draft_never_reaches_the_output_folder(preview: Preview) -> None:
    dist = preview.site / "dist"
    assert (preview.site / PREVIEW_DIR / f"site/blog/{DRAFT}/index.html").is_file()
    assert not (dist / "blog" / DRAFT).exists()
    for name in ("sitemap.xml", "rss.xml", "atom.xml", "posts.json", "blog/index.html"):
        assert DRAFT not in (dist / name).read_text(encoding="utf-8"), name
    for html in dist.rglob("*.html"):
        assert "EventSource" not in html.read_text(encoding="utf-8")
