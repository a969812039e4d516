"""Rendering: CommonMark + GFM extensions, one H1, heading ids, safe HTML."""

import os
from pathlib import Path

import cmarkgfm
import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from dzenpress import cmark
from dzenpress.render.markdown import render


def test_gfm_extensions() -> None:
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~старое~~ и https://wa.me/x\n")
    assert '<div class="table-wrap"><table>' in html and "<td>1</td>" in html
    assert "<del>старое</del>" in html
    assert '<a rel="noopener" href="https://wa.me/x">' in html


def test_title_h1_dropped_other_h1_demoted() -> None:
    html = render("# Мой заголовок\n\nТекст\n\n# Ещё раздел\n", title="Мой  заголовок")
    assert "<h1" not in html
    assert '<h2 id="eshyo-razdel">Ещё раздел</h2>' in html
    assert "Мой заголовок" not in html


def test_h1_that_differs_from_title_is_kept_as_h2() -> None:
    html = render("# Другое\n\nТекст", title="Заголовок")
    assert '<h2 id="drugoe">Другое</h2>' in html


def test_heading_ids_are_unique_and_transliterated() -> None:
    html = render("## Причины\n\n## Причины\n\n### Что делать?\n")
    assert 'id="prichiny"' in html and 'id="prichiny-2"' in html and 'id="chto-delat"' in html


def test_internal_links_have_no_rel() -> None:
    html = render("[a](https://blog.example/x) [b](/blog/y/) [c](https://other.ru)", site_host="blog.example")
    assert '<a href="https://blog.example/x">' in html and '<a href="/blog/y/">' in html
    assert '<a rel="noopener" href="https://other.ru">' in html


def test_images_lazy() -> None:
    assert 'loading="lazy"' in render("![x](/a.jpg)")


def test_raw_html_is_sanitised() -> None:
    html = render('<script>alert(1)</script>\n\n<p onclick="x()">hi</p>\n\n<iframe src="https://evil"></iframe>\n\n'
                  '[x](javascript:alert(1)) <img src=x onerror=alert(1)> <a href="vbscript:x">v</a>\n\n'
                  '<style>body{}</style><b>ok</b>')
    lowered = html.lower()
    for bad in ("<script", "onclick", "<iframe", "javascript:", "onerror", "vbscript:", "<style"):
        assert bad not in lowered, bad
    assert "<b>ok</b>" in html and "hi" in html


def test_markdown_only_javascript_link_is_dropped() -> None:
    assert "javascript" not in render("[x](javascript:alert(1))").lower()


_PIECES = st.sampled_from(list("<>\"'=/ascriptonloadimgsvgjv:()&#;*_[]!\n -") + [
    "<script>", "onerror=", "javascript:", "<img src=x ", "<svg/onload=", "<a href=", "<iframe", "](", "\n\n"])


@given(st.lists(_PIECES, max_size=80).map("".join))
def test_no_script_survives_any_input(text: str) -> None:
    tree = HTMLParser(render(text))
    assert not tree.css("script, iframe, svg, style, object, embed")
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (name, text)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(("javascript:", "vbscript:", "data:")), text


_MARKDOWN = st.sampled_from(list("ab цё\n\t-*_`~\\[]()!<>#|:.") + [
    "\n\n", "## ", "# ", "\n- ", "\n1. ", "**", "https://x.ru/a", "www.y.ru", "<b>", "</b>", "<img src=a.jpg>",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "~~", "&amp;", "```\ncode\n```", "\r\n", "\ufeff", "\x00"])


@given(st.lists(_MARKDOWN, max_size=60).map("".join), st.sampled_from(["", "a", "Заголовок"]))
def test_bytes_render_as_their_text_and_as_cmarkgfm_does(text: str, title: str) -> None:
    """The file's bytes are fed to cmark as they are; the HTML is the one cmarkgfm's own wrapper makes."""
    html = render(text, title=title, site_host="x.ru")
    assert render(text.encode(), title=title, site_host="x.ru") == html
    for options in (cmark.SAFE, cmark.UNSAFE):
        expected = cmarkgfm.markdown_to_html_with_extensions(text, options=options, extensions=cmark.EXTENSIONS)
        assert cmark.html(text.encode(), options) == expected


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident size from /proc")
def test_rendering_frees_what_cmark_allocates() -> None:
    """cmarkgfm's wrapper leaks the tree and the HTML of every call (~100 KB for this body): 10,000 posts
    would keep a gigabyte."""
    assert cmark.FREE is not None  # Linux wheels export the library's free functions
    body = ("## Раздел\n\n" + "Текст статьи о спине и шее, " * 40 + "\n\n- пункт\n- пункт\n\n") * 12

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    render(body)
    before = resident()
    for _ in range(1500):
        render(body)
    assert resident() - before < 30_000_000


def test_images_get_lazy_loading_once() -> None:
    html = render('![a](/x.jpg) ![b](/y.jpg)\n\n<img loading="eager" src="/z.jpg">\n')
    assert html.count('loading="lazy"') == 2 and html.count("loading=") == 3
    assert html.count('<img loading="lazy" decoding="async" ') == 2
    assert render("![a](/x.jpg) ![b](/y.jpg)").count('<img loading="lazy" decoding="async" ') == 2


def test_without_the_free_functions_cmarkgfm_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the library does not export them, cmarkgfm's own wrapper makes the same HTML."""
    text = "# T\n\nТекст **жирный** https://x.ru\n\n| a |\n|---|\n| 1 |\n\n<b>b</b>\n"
    html = render(text.encode(), title="T")
    monkeypatch.setattr(cmark, "FREE", None)
    assert render(text.encode(), title="T") == html


def test_only_the_cmark_module_calls_cmarkgfm() -> None:
    """Every other caller would bring the leak back (clean renders each paragraph several times)."""
    src = Path(__file__).resolve().parent.parent / "src" / "dzenpress"
    callers = sorted(str(p.relative_to(src)) for p in src.rglob("*.py") if "cmarkgfm" in p.read_text(encoding="utf-8"))
    assert callers == ["cmark.py"]
