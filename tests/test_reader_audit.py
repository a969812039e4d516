"""The site passes its own audit (titles that fit, distinct descriptions), and the owner's messages say what
happened: unclosed quotes at their own line, an error's last line that fits the command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dzenpress.check import check_site
from dzenpress.cli import app
from dzenpress.content.frontmatter import parse
from dzenpress.errors import PostError
from dzenpress.render.seo import TITLE_MAX, titled

from helpers import build_site, page

words = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщыьэюя ABCxyz«»:—-", min_size=1, max_size=90).map(str.strip)


@given(words.filter(bool), words.filter(bool))
def test_the_site_name_is_added_only_when_the_whole_fits(title: str, name: str) -> None:
    whole = titled(title, name)
    assert whole.startswith(title)  # the page's own words are never cut or replaced
    if len(title) + len(" — ") + len(name) <= TITLE_MAX:
        assert whole == f"{title} — {name}"
    else:
        assert whole == title


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("audit") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build_site(site)
    return site


def _title(site: Path, rel: str) -> str:
    node = page(site, rel).css_first("title")
    assert node is not None
    return node.text()


def _description(site: Path, rel: str) -> str:
    node = page(site, rel).css_first('meta[name="description"]')
    assert node is not None
    return node.attributes.get("content") or ""


def test_titles_fit_and_home_and_blog_describe_themselves(example: Path) -> None:
    titles = {rel: _title(example, rel) for rel in
              [str(p.relative_to(example / "dist")) for p in (example / "dist").rglob("*.html")]}
    assert all(len(t) <= TITLE_MAX or "—" not in t for t in titles.values()), titles
    assert titles["blog/index.html"] == "Блог — Клиника «Опора»"
    assert _description(example, "index.html") != _description(example, "blog/index.html")
    assert check_site(example).findings == []


def test_check_warns_when_an_addition_makes_the_title_long(example: Path) -> None:
    rel = "blog/rabochee-mesto-bez-boli-nastrojka-stola-i-kresla/index.html"
    path = example / "dist" / rel
    text = path.read_text(encoding="utf-8")
    headline = _title(example, rel)
    assert len(headline) + len(" — Клиника «Опора»") > TITLE_MAX  # the build left the suffix out
    path.write_text(text.replace(f"<title>{headline}</title>", f"<title>{headline} — Клиника «Опора»</title>"),
                    encoding="utf-8")
    try:
        found = {(f.page, f.code) for f in check_site(example).findings}
        assert (rel, "title-long") in found
    finally:
        path.write_text(text, encoding="utf-8")


keys = st.lists(st.from_regex(r"[a-z]{2,8}", fullmatch=True), min_size=2, max_size=8, unique=True)


@settings(max_examples=60)
@given(keys, st.data())
def test_an_unclosed_quote_is_reported_at_its_own_line(names: list[str], data: st.DataObject) -> None:
    bad = data.draw(st.integers(0, len(names) - 1))
    quote = data.draw(st.sampled_from(["'", '"']))
    lines = []
    for i, key in enumerate(names):
        closed = quote if i != bad else ""
        # later values are quoted too, so YAML finds a closing quote further down and errs there
        lines.append(f"{key}: {quote}значение {i}{closed}")
    front = "\n".join(lines) + "\n"
    with pytest.raises(PostError) as caught:
        parse(front, Path("post.md"))
    assert caught.value.line == bad + 2, (front, str(caught.value))  # line 1 of the file is the opening ---
    assert names[bad] in str(caught.value)


def test_check_on_an_unbuilt_site_does_not_say_nothing_was_written(tmp_path: Path) -> None:
    from dzenpress.scaffold import init_site

    init_site(tmp_path / "site")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "site")])
    assert result.exit_code == 1
    last = result.output.rstrip().splitlines()[-1]
    assert last == "1 error", result.output


def test_ping_help_shows_the_indexnow_table() -> None:
    result = CliRunner().invoke(app, ["ping", "--help"], env={"COLUMNS": "200"})
    assert "[indexnow]" in result.output and "default:  " not in result.output, result.output
