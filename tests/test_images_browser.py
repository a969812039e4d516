"""Responsive images in headless Chromium: every image decodes, AVIF is chosen, nothing shifts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from dzenpress.serve import make_server

from conftest import needs_chromium
from helpers import build_site
from image_helpers import add_post, image_site, write_jpeg

pytestmark = needs_chromium

LONG = "\n\n".join(f"Абзац {n}: упражнения для спины выполняют медленно и без боли." * 3 for n in range(12))
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = image_site(tmp_path_factory.mktemp("images-browser") / "site")
    write_jpeg(root / "public/blog/spina/cover.jpg", 800, 500, seed=1)
    write_jpeg(root / "public/blog/spina/img-0.jpg", 600, 400, seed=2)
    write_jpeg(root / "public/blog/spina/img-1.jpg", 400, 600, seed=3)
    add_post(root, "spina", title="Упражнения для спины", cover="/blog/spina/cover.jpg",
             body=f"Коротко.\n\n![Упражнение «кошка»](/blog/spina/img-0.jpg)\n\n{LONG}\n\n"
                  f"![Планка на локтях](/blog/spina/img-1.jpg)\n\n{LONG}")
    build_site(root)
    server, _ = make_server(root, 0, root / "dist")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()



@pytest.mark.parametrize("width", [390, 1280])
def test_post_images_decode_as_avif_without_layout_shift(served: str, browser: object, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    page.add_init_script(CLS_OBSERVER)

    def slowly(route: Any) -> None:  # images arrive after the text is laid out, as on a slow phone
        time.sleep(0.3)
        route.continue_()

    page.route("**/_img/**", slowly)
    page.goto(f"{served}/blog/spina/", wait_until="load")
    for _ in range(12):  # scroll down in steps so lazy images load while they come into view
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(100)
    page.wait_for_function("[...document.images].every(i => i.complete)")
    images = page.evaluate("""[...document.querySelectorAll('picture img')].map(i => ({
        src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width}))""")
    assert len(images) == 3
    for image in images:
        assert image["natural"] > 0, image
        assert image["src"].endswith(".avif"), image
        assert image["shown"] <= width
    page.wait_for_timeout(300)
    assert page.evaluate("window.__cls") == 0
    context.close()
