"""content/postfile.py: plain fields → a post file the site's own loader accepts, in the usual order."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from dzenpress.content import frontmatter
from dzenpress.content.postfile import PostFields, render_post_file
from dzenpress.errors import PostError

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip)


@given(title=TEXT, source=TEXT, tags=st.lists(TEXT, max_size=3), day=st.dates(date(2000, 1, 1), date(2030, 1, 1)),
       later=st.integers(-3, 3))
def test_fields_round_trip_through_the_front_matter_reader(title: str, source: str, tags: list[str], day: date,
                                                           later: int) -> None:
    updated = date.fromordinal(day.toordinal() + later)
    text = render_post_file(PostFields(title=title, slug="a-b", date=day, updated=updated, source=source,
                                       tags=tags, body="Первый абзац.\n", draft=True))
    split = frontmatter.split(text, Path("p.md"))
    meta = frontmatter.parse(split.front, Path("p.md"))
    assert meta["title"] == title and meta["source"] == source and meta["slug"] == "a-b"
    assert str(meta["date"]) == day.isoformat() and meta["draft"] is True
    assert ("updated" in meta) == (later > 0)
    assert list(meta.get("tags") or []) == tags
    assert text.endswith("---\n\nПервый абзац.\n")


def test_field_order_and_description_default() -> None:
    text = render_post_file(PostFields(title="Заголовок", slug="zagolovok", date=date(2024, 2, 6), cover="/c.jpg",
                                       body="Короткий текст статьи.\n", tags=("a",)))
    keys = [line.split(":")[0] for line in text.split("---\n")[1].splitlines() if not line.startswith((" ", "-"))]
    assert keys == ["title", "slug", "date", "cover", "description", "draft", "tags"]
    assert "description: Короткий текст статьи." in text
    assert "description" not in render_post_file(PostFields(title="T", slug="t", date=date(2024, 1, 1), body="",
                                                            description=""))


_BITS = st.lists(st.sampled_from(["---", "...", "\n", "\r\n", "\r", " ", "\t", "a: 1", "ё", "x", "\ufeff", "-", ":"]),
                 max_size=12).map("".join)
_EOL = st.sampled_from(["\n", "\r\n", "\r", "", " \n", "\t\r\n"])
# mostly files with front matter (BOM or not, either line end, `---` or `...` closing it), some broken ones
_FILE = st.tuples(st.sampled_from(["", "\ufeff"]), st.sampled_from(["---", "--", "- --"]), _EOL, _BITS, _EOL,
                  st.sampled_from(["---", "...", "--"]), _EOL, _BITS).map("".join)


@given(_FILE)
def test_body_offset_finds_the_body_split_finds(text: str) -> None:
    """Rendering takes the body from the file's bytes: the same body `split` takes from the text."""
    raw = text.encode()
    try:
        body = frontmatter.split(text, Path("p.md")).body
    except PostError:
        assert frontmatter.body_offset(raw) is None
        return
    offset = frontmatter.body_offset(raw)
    assert offset is not None and raw[offset:] == body.encode()
