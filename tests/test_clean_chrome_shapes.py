"""Chrome placed anywhere in real articles: every shape goes, every sentence, image and alt text stays.

The articles are the hand-cleaned corpus posts (real prose, lists, images, contacts); the chrome is drawn
from tests/chrome_shapes.py and put between any two blocks: at the start, at the end, next to images,
after lists. Cleaning the article with chrome must give exactly what cleaning the article alone gives.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from chrome_shapes import CHROME, ad, advertiser, domain, price, related_card
from dzenpress.chrome import scan
from dzenpress.chrome.shapes import Kind, classify, stems
from dzenpress.content.frontmatter import split
from dzenpress.normalize import normalize
from dzenpress.normalize.blocks import split_blocks

from conftest import CORPUS

ARTICLES = sorted((CORPUS / "clean").glob("*.md"))
pytestmark = pytest.mark.skipif(not ARTICLES, reason="shared corpus not present")
LIMITS = settings(max_examples=int(os.environ.get("DZENPRESS_EXAMPLES", "60")), deadline=timedelta(seconds=10),
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)")


def article(path: Path) -> tuple[str, str]:
    doc = split(path.read_text(encoding="utf-8"), path)
    title = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", doc.front, re.M)
    return doc.body.lstrip("\n"), title.group(1) if title else ""


def gaps(body: str) -> list[int]:
    """Line numbers after which a block may be inserted without touching the article: its blank lines, the
    start and the end, never inside fenced or indented code or an indented list continuation."""
    lines = body.split("\n")
    return [0, len(lines)] + [i + 1 for i, line in enumerate(lines) if not line.strip() and i + 1 < len(lines)
                              and not lines[i + 1].startswith(("    ", "\t"))]


@st.composite
def article_with_chrome(draw: st.DrawFn) -> tuple[str, str, str, list[list[str]]]:
    body, title = article(draw(st.sampled_from(ARTICLES)))
    lines = body.split("\n")
    shapes = draw(st.lists(CHROME, min_size=1, max_size=4))
    places = gaps(body)
    inserts: dict[int, list[str]] = {}
    for shape in shapes:
        at = draw(st.sampled_from(places))
        sep = draw(st.sampled_from(["\n\n", "\n\n", "\n\n\n"]))
        inserts.setdefault(at, []).append(sep.join(shape))
    out: list[str] = []
    for i in range(len(lines) + 1):
        for shape_text in inserts.get(i, []):
            out += ["", shape_text, ""]
        if i < len(lines):
            out.append(lines[i])
    return body, "\n".join(out), title, shapes


@LIMITS
@given(article_with_chrome())
def test_chrome_anywhere_goes_and_the_article_stays(case: tuple[str, str, str, list[list[str]]]) -> None:
    body, dirty, title, shapes = case
    # an ad's own texts outside its label and button are cut only when the article never uses their words
    ads = [shape for shape in shapes if any(classify(p) in (Kind.AD_LABEL, Kind.TRACKER) for p in shape)]
    assume(not any(stems(part) & stems(body) for shape in ads for part in shape))
    got, want = normalize(dirty, title).text, normalize(body, title).text
    note(repr(shapes))
    note("".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), n=2)))
    note("".join(difflib.unified_diff(body.splitlines(True), dirty.splitlines(True), n=2)))
    assert got == want


@LIMITS
@given(article_with_chrome())
def test_every_image_and_alt_text_stays_and_clean_settles(case: tuple[str, str, str, list[list[str]]]) -> None:
    body, dirty, title, _ = case
    once = normalize(dirty, title).text
    assert normalize(once, title).text == once
    want = [(alt, url) for alt, url in _IMAGE.findall(body) if not re.fullmatch(r"-?\d+|img[-_ ]?\d*", alt)]
    got = _IMAGE.findall(once)
    for image in want:
        assert image in got


@LIMITS
@given(st.sampled_from(ARTICLES), ad(layouts=("label last",)), st.data())
def test_an_ad_whose_title_shares_the_articles_words_keeps_it_and_says_so(path: Path, parts: list[str],
                                                                           data: st.DataObject) -> None:
    """The advertiser's name just outside an ad could be the author's subtitle: kept, and reported."""
    body, title = article(path)
    blocks = split_blocks(body)
    words = sorted(w for w in set(re.findall(r"(?<![а-яёА-ЯЁ])[а-яё]{6,}", body)) if stems(w))
    assume(words)  # the ad begins with its advertiser's title, outside its label and button
    subtitle = data.draw(st.sampled_from(words)).capitalize()
    ad_lines = [f"{subtitle} {parts[0]}", *parts[1:]]
    start = next((i + 1 for i, b in enumerate(blocks) if b.startswith("# ")), 0)  # above the title all is chrome
    at = data.draw(st.integers(min_value=start, max_value=len(blocks)))
    dirty = "\n\n".join([*blocks[:at], *ad_lines, *blocks[at:]]) + "\n"
    found = scan(dirty)
    kept_lines = {dirty.split("\n")[f.line - 1] for f in found.kept}
    assert ad_lines[0] in normalize(dirty, title).text
    assert ad_lines[0] in kept_lines


@LIMITS
@given(st.sampled_from(ARTICLES), related_card(), st.data())
def test_a_related_card_teaser_that_reads_as_a_sentence_is_kept_and_reported(
        path: Path, card: list[str], data: st.DataObject) -> None:
    body, title = article(path)
    blocks = split_blocks(body)
    assume(len(blocks) > 2)
    sentence = "Эту статью стоит дочитать до конца."
    at = data.draw(st.integers(min_value=1, max_value=len(blocks) - 1))
    card = [c for c in card if not c.rstrip().endswith(("…", "..."))] + [sentence]
    dirty = "\n\n".join([*blocks[:at], *card, *blocks[at:]]) + "\n"
    assert sentence in normalize(dirty, title).text
    assert any(f.text == sentence for f in scan(dirty).kept)


@settings(max_examples=40)
@given(advertiser(), domain(), price(), st.sampled_from(["Реклама16+", "16+ Реклама", "Реклама • 18+"]))
def test_a_lone_part_of_an_ad_is_kept_and_reported(names: tuple[str, str], site: str, cost: str, label: str) -> None:
    """One ad word among prose is no ad: «Реклама» alone, a domain alone, a price alone stay."""
    prose = "Первый абзац статьи о здоровье спины. Он длинный."
    for lone in (site, cost, names[0], "Реклама"):
        text = f"{prose}\n\n{lone}\n\n{prose}\n"
        assert normalize(text).text == text
    text = f"{prose}\n\nРеклама\n\n{prose}\n"
    assert [f.shape for f in scan(text).kept] == ["ad label"]
    assert scan(f"{prose}\n\n{label}\n\n{prose}\n").cut  # a label with its age mark is never the author's
