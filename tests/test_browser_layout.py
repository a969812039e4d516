"""The card grid in headless Chromium: for any number of cards, no card stands alone in a row it does not
fill (a full list page never ends with an orphan), at phone, tablet and desktop widths."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from dzenpress.serve import make_server

from conftest import needs_chromium
from helpers import build_site

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("layout") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(site)
    server, _ = make_server(site, 0, site / "dist")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


LONE_CARDS = """n => {
  const grid = document.querySelector('.cards'), card = grid.querySelector('.card');
  grid.replaceChildren(...Array.from({length: n}, () => card.cloneNode(true)));
  const width = grid.getBoundingClientRect().width, rows = new Map();
  for (const c of grid.children) {
    const r = c.getBoundingClientRect(), top = Math.round(r.top);
    rows.set(top, [...(rows.get(top) || []), r.width]);
  }
  return [...rows.values()].filter(row => row.length === 1 && row[0] < width - 2).length;
}"""


@pytest.mark.parametrize("width", [390, 768, 1024, 1366])
def test_no_card_is_left_alone_in_a_row(served: str, browser: Any, width: int) -> None:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(served + "/blog/")
    lone = {n: page.evaluate(LONE_CARDS, n) for n in range(1, 14)}
    assert all(v == 0 for v in lone.values()), lone
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.context.close()
