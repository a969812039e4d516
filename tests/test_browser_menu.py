"""The header's menu in headless Chromium: on phones a disclosure button and a panel that holds any number of
nav entries (with and without JavaScript, by mouse and by keyboard); on desktops the entries in a row.
Every entry is visible when the menu is open, none is cut, and the page never scrolls sideways."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dzenpress.serve import make_server

from conftest import needs_chromium
from helpers import build_site

pytestmark = needs_chromium

EXTRA_NAV = [("Врачи", "/vrachi/"), ("Цены", "/ceny/"), ("Услуги и направления лечения", "/uslugi/"),
             ("Отзывы пациентов", "/otzyvy/")]
PHONES = (320, 360, 390, 768)


def _site(root: Path, entries: int) -> Path:
    from conftest import EXAMPLE

    site = root / f"nav{entries}"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    extra = EXTRA_NAV[: entries - 3]
    with (site / "dzenpress.toml").open("a", encoding="utf-8") as toml:
        for title, url in extra:
            toml.write(f'\n[[nav]]\ntitle = "{title}"\nurl = "{url}"\n')
            (site / "pages" / f"{url.strip('/')}.md").write_text(
                f"---\ntitle: {title}\n---\n\n{title}: страница для проверки меню.\n", encoding="utf-8")
    build_site(site)
    return site


@pytest.fixture(scope="module", params=[3, 7], ids=["3-entries", "7-entries"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    entries: int = request.param
    site = _site(tmp_path_factory.mktemp("menu"), entries)
    server, _ = make_server(site, 0, site / "dist")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", entries
    server.shutdown()


def _open(browser: Any, url: str, width: int, js: bool = True) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 700}, java_script_enabled=js)
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


def _overflow(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _entries_shown_whole(page: Any, selector: str, width: int) -> list[str]:
    """The entries' texts, after checking each is visible, inside the viewport and not cut."""
    links = page.locator(selector)
    texts = []
    for i in range(links.count()):
        link = links.nth(i)
        link.scroll_into_view_if_needed()
        assert link.is_visible(), f"entry {i} is hidden"
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (i, box)
        cut = link.evaluate("a => a.scrollWidth - a.clientWidth")
        assert cut <= 0, f"entry {i} is cut by {cut}px"
        texts.append(link.inner_text().strip())
    return texts


@pytest.mark.parametrize("width", PHONES)
def test_phone_menu_opens_and_shows_every_entry(served: tuple[str, int], browser: Any, width: int) -> None:
    base, entries = served
    page = _open(browser, base + "/blog/", width)
    assert page.locator(".site-nav").is_hidden(), "the desktop row shows on a phone"
    button = page.locator(".menu summary")
    assert button.is_visible() and page.locator(".menu-panel").is_hidden()
    box = button.bounding_box()
    assert box["height"] >= 40 and box["x"] + box["width"] <= width, "the menu button is small or off screen"
    assert page.evaluate("(() => { const s = document.querySelector('.brand span');"
                         " return s.scrollWidth - s.clientWidth; })()") <= 0, "the site name is cut off"
    button.click()
    texts = _entries_shown_whole(page, ".menu-panel a", width)
    assert len(texts) == entries and all(texts)
    assert page.locator('.menu-panel a[aria-current="page"]').inner_text() == "Блог"
    assert _overflow(page) <= 0, f"horizontal scroll at {width}px with the menu open"
    page.mouse.click(width // 2, 650)  # outside the menu
    assert page.locator(".menu-panel").is_hidden()
    assert _overflow(page) <= 0
    page.context.close()


@pytest.mark.parametrize("width", [320, 768])
def test_phone_menu_works_without_javascript(served: tuple[str, int], browser: Any, width: int) -> None:
    base, entries = served
    page = _open(browser, base + "/", width, js=False)
    page.locator(".menu summary").click()
    assert len(_entries_shown_whole(page, ".menu-panel a", width)) == entries
    page.locator(".menu-panel a").last.click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith(("/contacts", "/otzyvy"))
    page.context.close()


def test_phone_menu_by_keyboard(served: tuple[str, int], browser: Any) -> None:
    """Tab reaches the button, Enter opens it, Tab walks the entries, Escape closes it and returns focus."""
    base, entries = served
    page = _open(browser, base + "/", 360)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.menu summary')"):
            break
    else:
        pytest.fail("Tab never reaches the menu button")
    role = page.locator(".menu summary")
    assert role.get_attribute("aria-expanded") in (None, "false")  # <summary> carries its state natively
    page.keyboard.press("Enter")
    assert page.locator(".menu-panel").is_visible()
    seen = []
    for _ in range(entries):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.textContent"))
    assert len(seen) == entries and all(seen)
    page.keyboard.press("Escape")
    assert page.locator(".menu-panel").is_hidden()
    assert page.evaluate("document.activeElement.matches('.menu summary')")
    page.context.close()


@pytest.mark.parametrize("width", [1024, 1366])
def test_desktop_shows_every_entry_in_the_header(served: tuple[str, int], browser: Any, width: int) -> None:
    base, entries = served
    page = _open(browser, base + "/", width)
    assert page.locator(".menu").is_hidden()
    assert len(_entries_shown_whole(page, ".site-nav a", width)) == entries
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= (80 if entries <= 3 else 120), header  # one row, or a second for a long nav
    assert _overflow(page) <= 0
    page.context.close()
