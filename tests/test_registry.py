"""The registry of generated addresses (routes.py) and the one URL builder (routes.Urls).

Every address a build generates is refused as an alias and as a page of pages/, with an error naming the post
(or page), its line and field; and the registry is checked against what a build really writes, so a new output
that is not registered fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dzenpress import routes
from dzenpress.content.site import load_site
from dzenpress.errors import DzenpressError, flatten
from dzenpress.project import build

from conftest import EXAMPLE, MINIMAL_CONFIG, post_text

KEY = "0123456789abcdef0123456789abcdef"
RESERVED = ["/search/", "/search", "/search.html", "/search/old/", "/pagefind/", "/pagefind/pagefind.js",
            "/pagefind/old/", "/rss.xml", "/atom.xml", "/rss-dzen.xml", "/sitemap.xml", "/robots.txt",
            "/posts.json", "/assets/", "/assets/dzenpress.css", "/index.html", "/404.html", f"/{KEY}.txt",
            "/blog/", "/blog/page/2/", "/blog/tag/x/"]


def _site(tmp_path: Path, trailing_slash: bool = True) -> Path:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(
        MINIMAL_CONFIG + f"trailing_slash = {str(trailing_slash).lower()}\n[indexnow]\nkey = \"{KEY}\"\n",
        encoding="utf-8")
    return site


def _errors(site: Path) -> list[DzenpressError]:
    with pytest.raises(DzenpressError) as caught:
        load_site(site)
    return flatten(caught.value)


@pytest.mark.parametrize("trailing_slash", [True, False])
@pytest.mark.parametrize("alias", RESERVED)
def test_an_alias_on_a_generated_address_names_post_line_and_field(tmp_path: Path, alias: str,
                                                                    trailing_slash: bool) -> None:
    site = _site(tmp_path, trailing_slash)
    text = post_text("p", aliases=f"['{alias}']")
    (site / "content/posts/p.md").write_text(text, encoding="utf-8")
    (error,) = _errors(site)
    assert error.path == site / "content/posts/p.md"
    assert error.field == "aliases"
    assert error.line == text.splitlines().index(f"aliases: ['{alias}']") + 1
    assert "generated" in str(error), str(error)


@pytest.mark.parametrize("name", ["search.md", "pagefind/old.md", "rss.xml.md", "sitemap.xml.md", "robots.txt.md",
                                  "assets/x.md", "posts.json.md", f"{KEY}.txt.md", "404.html.md", "index.md",
                                  "blog/x.md"])
def test_a_page_on_a_generated_address_is_refused(tmp_path: Path, name: str) -> None:
    site = _site(tmp_path)
    (site / "content/posts/p.md").write_text(post_text("p"), encoding="utf-8")
    page = site / "pages" / name
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: Страница\n---\nТекст.\n", encoding="utf-8")
    (error,) = _errors(site)
    assert error.path == page and "belongs to a page dzenpress generates" in str(error)


def test_the_stored_indexnow_key_is_reserved_too(tmp_path: Path) -> None:
    site = _site(tmp_path)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")  # no key in the config
    (site / ".dzenpress").mkdir()
    (site / ".dzenpress/indexnow.json").write_text('{"key": "abcdef0123456789"}', encoding="utf-8")
    (site / "content/posts/p.md").write_text(post_text("p", aliases="['/abcdef0123456789.txt']"), encoding="utf-8")
    (error,) = _errors(site)
    assert error.field == "aliases" and "generated /abcdef0123456789.txt" in str(error)


def test_the_registry_covers_every_file_a_build_generates(tmp_path: Path) -> None:
    """Differential: whatever a build of the example writes at the site root (not copied from public/) is in
    the registry, so an alias or a page can never land on it."""
    site = tmp_path / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    build(site)
    public = {p.name for p in (site / "public").iterdir()}
    key = load_site(site).settings.indexnow_key()
    made = {p.name for p in (site / "dist").iterdir()} - public - {"blog", "contacts"}  # posts, pages/
    assert made, "the build wrote nothing"
    assert {name for name in made if routes.reserved_problem("/" + name, key) is None} == set()


@given(st.sampled_from(["/", "/blog/", "/blog/x/", "/a/b/", "/a.html", "/blog/page/2/"]), st.booleans())
def test_urls_apply_the_policy_to_routes_only(route: str, trailing_slash: bool) -> None:
    urls = routes.Urls("https://example.ru", trailing_slash)
    path = urls.path(route)
    assert urls.absolute(route) == "https://example.ru" + path
    assert path.endswith("/") == (route == "/" or (trailing_slash and route.endswith("/")))
    output = urls.output(route)
    assert output.endswith(".html") and not output.startswith("/")
    assert urls.file("/rss.xml") == "https://example.ru/rss.xml" == urls.file("rss.xml")
    assert urls.file("https://cdn.example/x.png") == "https://cdn.example/x.png"


def test_two_aliases_that_are_one_file_give_one_redirect(tmp_path: Path) -> None:
    """Without trailing slashes `/old/` and `/old.html` are both old.html: one redirect, not a clash."""
    site = _site(tmp_path, trailing_slash=False)
    (site / "content/posts/p.md").write_text(post_text("p", aliases="['/old/', '/old.html']"), encoding="utf-8")
    report = build(site)
    assert "old.html" in report.written
    assert "https://blog.example/blog/p" in (site / "dist/old.html").read_text(encoding="utf-8")
