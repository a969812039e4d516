"""Every text pass is linear or bounded: hostile 100 KB posts load, render, describe and clean quickly.

Quadratic regular expressions took ~28 s (build) and minutes (clean) on some of these; linear code takes
well under a second. CPU time of this process is measured, so a busy machine does not make them flaky.
"""

import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dzenpress.content.description import make_description
from dzenpress.content.post import load_post
from dzenpress.normalize.post import clean_text
from dzenpress.render.markdown import render

SIZE = 100_000
BOUND = 2.0  # seconds of CPU for each stage
HOSTILE = {
    "images": "![",
    "brackets": "[",
    "links": "[a](",
    "closers": "](",
    "autolinks": "<https://a",
    "img-tags": "<img ",
    "angles": "<",
    "div-nest": "<div>",
    "underscores": "_a ",
    "stars": "**a",
    "escapes": "\\",
    "digits": "1",
    "digit-words": "1 ",
    "fences": "```\n",
    "breaks": "a  \n",
    "dashes": "— a\n",
    "quotes": "> ",
    "bullets": "\\- a\n",
    "headings": "**1\\. a**\n",
}


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_post_builds_and_cleans_in_bounded_time(tmp_path: Path, unit: str) -> None:
    body = unit * (SIZE // len(unit))
    text = f"---\ntitle: 'Враждебный пост'\ndate: '2025-01-15'\n---\n\n{body}\n"
    path = tmp_path / "hostile.md"
    path.write_text(text, encoding="utf-8")

    def build() -> None:
        try:
            post = load_post(path, ZoneInfo("Europe/Moscow"))
        except Exception:  # a post with missing images is an error: its text was still read
            post = None
        render(body, title="Враждебный пост")
        make_description(body, "Враждебный пост")
        assert post is None or post.description

    assert cpu(build) < BOUND
    assert cpu(lambda: clean_text(text, path)) < BOUND


def test_deep_html_nest_is_rendered_flat_beyond_a_limit() -> None:
    html = render("<div>" * 50_000 + "текст" + "</div>" * 50_000)
    assert html.count("<div>") <= 256 and "текст" in html
    normal = render("<div><div><p>абзац</p></div></div>")
    assert normal.count("<div>") == 2
