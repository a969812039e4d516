"""What readers see beyond posts: hidden tags, Markdown pages from pages/, the sitemap's public pages,
the footer address, opening hours in JSON-LD, alias pages and the search page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dzenpress.errors import DzenpressError
from dzenpress.render.search import pagefind_binary

from conftest import MINIMAL_CONFIG, PostWriter, post_text
from helpers import build_site, jsonld, page

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def config(site: Path, extra: str) -> None:
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG + extra, encoding="utf-8")


def sitemap(site: Path) -> list[str]:
    root = ET.fromstring((site / "dist/sitemap.xml").read_bytes())
    return [loc.text or "" for loc in root.findall("sm:url/sm:loc", NS)]


def test_hidden_tags_are_not_shown_listed_or_paged(blank_site: Path, write_post: PostWriter) -> None:
    config(blank_site, 'hidden_tags = ["dzen", "Import"]\n')
    write_post("a", tags="[спина, dzen, import]")
    write_post("b", tags="[dzen]")
    build_site(blank_site)
    post = page(blank_site, "blog/a/index.html")
    assert [a.text() for a in post.css(".tags a")] == ["#спина"]
    assert 'content="dzen"' not in post.html and '"keywords":"спина"' in post.html
    assert page(blank_site, "blog/b/index.html").css(".tags") == []  # only hidden tags: no empty list
    assert not (blank_site / "dist/blog/tag/dzen").exists() and not (blank_site / "dist/blog/tag/import").exists()
    assert (blank_site / "dist/blog/tag/spina/index.html").exists()
    cloud = [a.text() for a in page(blank_site, "blog/index.html").css(".tag-cloud a")]
    assert cloud == ["#спина 1"]
    assert not any("/tag/dzen" in url for url in sitemap(blank_site))
    assert "dzen" in (blank_site / "dist/posts.json").read_text(encoding="utf-8")  # the data keeps them
    for feed in ("rss.xml", "atom.xml"):  # feeds are read by people too
        text = (blank_site / "dist" / feed).read_text(encoding="utf-8")
        categories = re.findall(r"<category(?: term=\"([^\"]*)\"/>|>([^<]*)</category>)", text)
        assert [a or b for a, b in categories] == ["спина"], feed


def test_unhiding_a_tag_brings_its_pages_back(blank_site: Path, write_post: PostWriter) -> None:
    config(blank_site, 'hidden_tags = ["dzen"]\n')
    write_post("a", tags="[dzen]")
    build_site(blank_site)
    config(blank_site, "")
    build_site(blank_site)
    assert (blank_site / "dist/blog/tag/dzen/index.html").exists()
    assert [a.text() for a in page(blank_site, "blog/a/index.html").css(".tags a")] == ["#dzen"]


def test_tags_written_as_a_string_are_a_comma_separated_list(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a", tags="спина, шея")
    build_site(blank_site)
    assert [a.text() for a in page(blank_site, "blog/a/index.html").css(".tags a")] == ["#спина", "#шея"]


def test_markdown_page_gets_the_site_layout_and_sitemap_entry(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    (blank_site / "pages/about").mkdir(parents=True)
    (blank_site / "pages/contacts.md").write_text(
        "---\ntitle: Контакты\ndescription: Адрес и телефон.\n---\n\nМосква, ул. Примерная, 7.\n\n- пн–сб\n",
        encoding="utf-8")
    (blank_site / "pages/about/index.md").write_text("---\ntitle: О нас\n---\n\nТекст.\n", encoding="utf-8")
    (blank_site / "pages/draft.md").write_text("---\ntitle: Черновик\nnoindex: true\n---\n\nТекст.\n",
                                               encoding="utf-8")
    build_site(blank_site)
    tree = page(blank_site, "contacts/index.html")
    assert tree.css_first("h1").text() == "Контакты" and len(tree.css("h1")) == 1
    assert tree.css_first(".site-header .brand") and tree.css_first(".site-footer")  # the site's layout
    assert tree.css_first(".prose li").text() == "пн–сб"
    assert tree.css_first('link[rel="canonical"]').attributes["href"] == "https://blog.example/contacts/"
    assert tree.css_first('meta[name="description"]').attributes["content"] == "Адрес и телефон."
    assert page(blank_site, "about/index.html").css_first("h1").text() == "О нас"
    assert 'content="noindex' in page(blank_site, "draft/index.html").html
    urls = sitemap(blank_site)
    assert "https://blog.example/contacts/" in urls and "https://blog.example/about/" in urls
    assert "https://blog.example/draft/" not in urls


def test_editing_a_page_rebuilds_it(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    (blank_site / "pages").mkdir()
    source = blank_site / "pages/contacts.md"
    source.write_text("---\ntitle: Контакты\n---\n\nСтарый адрес.\n", encoding="utf-8")
    build_site(blank_site)
    source.write_text("---\ntitle: Контакты\n---\n\nНовый адрес, дом 12.\n", encoding="utf-8")
    report = build_site(blank_site)
    assert report.written == ["contacts/index.html"]
    assert "Новый адрес" in page(blank_site, "contacts/index.html").body.text()


@pytest.mark.parametrize(("name", "text", "words"), [
    ("blog.md", "---\ntitle: X\n---\n", "belongs to a page dzenpress generates"),
    ("Контакты.md", "---\ntitle: X\n---\n", "cannot be part of an address"),
    ("x.md", "---\ndescription: y\n---\n", "title: is required"),
    ("y.md", "---\ntitle: X\ncolour: red\n---\n", "colour: unknown key"),
])
def test_bad_pages_are_reported_with_the_file(blank_site: Path, name: str, text: str, words: str) -> None:
    (blank_site / "pages").mkdir()
    (blank_site / "pages" / name).write_text(text, encoding="utf-8")
    with pytest.raises(DzenpressError) as err:
        build_site(blank_site)
    assert name in str(err.value) and words in str(err.value)


def test_sitemap_lists_indexable_public_html_only(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    public = blank_site / "public"
    (public / "price").mkdir()
    (public / "price/index.html").write_text("<!doctype html><title>Цены</title><p>…", encoding="utf-8")
    (public / "promo.html").write_text("<!doctype html><title>Акция</title>", encoding="utf-8")
    (public / "secret.html").write_text('<meta name="robots" content="noindex, nofollow">', encoding="utf-8")
    (public / "old.html").write_text('<meta http-equiv="refresh" content="0; url=/">', encoding="utf-8")
    (public / "404.html").write_text("<h1>нет</h1>", encoding="utf-8")
    build_site(blank_site)
    urls = sitemap(blank_site)
    assert "https://blog.example/price/" in urls and "https://blog.example/promo.html" in urls
    assert not [u for u in urls if "secret" in u or "old" in u or "404" in u]
    (public / "promo.html").write_text('<meta name="robots" content="noindex">', encoding="utf-8")
    build_site(blank_site)
    assert "https://blog.example/promo.html" not in sitemap(blank_site)


def test_no_empty_address_without_contacts(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    build_site(blank_site)
    assert page(blank_site, "index.html").css("address") == []
    config(blank_site, '[organization]\nemail = "a@b.ru"\n')
    build_site(blank_site)
    assert page(blank_site, "index.html").css_first("address a").text() == "a@b.ru"


def test_opening_hours_in_schema_org_form_and_free_text_for_readers(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    config(blank_site, '[organization]\nhours = "Пн–Сб 9:00–21:00"\nopening_hours = "Mo-Sa 09:00-21:00"\n')
    build_site(blank_site)
    home = page(blank_site, "index.html")
    org = next(item for item in jsonld(home) if item["@type"] == "Organization")
    assert org["openingHours"] == "Mo-Sa 09:00-21:00"
    assert "Пн–Сб 9:00–21:00" in home.css_first("address").text()


def test_free_text_hours_alone_stay_out_of_json_ld(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    config(blank_site, '[organization]\nhours = "Пн–Сб 9:00–21:00"\n')
    build_site(blank_site)
    org = next(item for item in jsonld(page(blank_site, "index.html")) if item["@type"] == "Organization")
    assert "openingHours" not in org


def test_alias_page_has_lang_viewport_and_heading(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a", text=post_text("a", aliases="[/old/a/]"))
    build_site(blank_site)
    tree = page(blank_site, "old/a/index.html")
    assert tree.css_first("html").attributes["lang"] == "ru"
    assert tree.css_first('meta[name="viewport"]') is not None
    assert tree.css_first("h1").text() == "Страница переехала"
    assert tree.css_first('meta[http-equiv="refresh"]').attributes["content"].endswith("https://blog.example/blog/a/")


def test_search_page_and_header_box(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a")
    build_site(blank_site)
    home = page(blank_site, "index.html")
    form = home.css_first(".site-header form[role=search]")
    assert form.attributes["action"] == "/search/" and form.css_first('input[name="q"]') is not None
    search = page(blank_site, "search/index.html")
    assert 'content="noindex' in search.html and search.css_first("h1").text() == "Поиск"
    assert 'loadIndex("/pagefind/", ' in search.html  # the runtime and shards below it (render/search.py)
    assert "https://blog.example/search/" not in sitemap(blank_site)


def test_search_can_be_switched_off(blank_site: Path, write_post: PostWriter) -> None:
    config(blank_site, "search = false\n")
    write_post("a")
    build_site(blank_site)
    assert page(blank_site, "index.html").css("form[role=search]") == []
    assert not (blank_site / "dist/search").exists() and not (blank_site / "dist/pagefind").exists()


needs_pagefind = pytest.mark.skipif(pagefind_binary() is None, reason="the pagefind binary is not installed")


@needs_pagefind
def test_search_index_is_rebuilt_only_when_pages_change(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a", body="Грыжа диска лечится без операции.")
    build_site(blank_site)
    entry = blank_site / "dist/pagefind/s1-0/pagefind-entry.json"
    first = entry.stat().st_ino
    build_site(blank_site)
    assert entry.stat().st_ino == first  # nothing changed: the index was left alone
    write_post("b", body="Шея и плечи.")
    build_site(blank_site)
    assert entry.stat().st_ino != first
    assert not [p for p in (blank_site / "dist").iterdir() if p.name.startswith(".")]  # no temp folders left
    config(blank_site, "search = false\n")
    build_site(blank_site)
    assert not (blank_site / "dist/pagefind").exists()


def test_missing_pagefind_is_a_warning_not_a_failure(blank_site: Path, write_post: PostWriter,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dzenpress.render import search

    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    write_post("a")
    report = build_site(blank_site)
    assert any("pagefind" in w for w in report.warnings)
    assert (blank_site / "dist/blog/a/index.html").exists()


def test_example_images_are_real_and_small() -> None:
    import pyvips

    from conftest import EXAMPLE

    images = sorted((EXAMPLE / "public/blog").rglob("*.jpg"))
    assert len(images) >= 20
    for image in images:
        assert image.stat().st_size < 40_000, image
        assert pyvips.Image.new_from_file(str(image)).width >= 960


def test_init_images_are_photographs_not_flat_fills(tmp_path: Path) -> None:
    import pyvips

    from dzenpress import scaffold

    photo_image = getattr(scaffold.photo_image, "__wrapped__", scaffold.photo_image)  # not conftest's memo
    first, second = photo_image(320, 180, 1), photo_image(320, 180, 2)
    assert first == photo_image(320, 180, 1) and first != second  # deterministic per seed
    image = pyvips.Image.new_from_buffer(first, "")
    assert (image.width, image.height, image.bands) == (320, 180, 3)
    assert 40 < image.avg() < 200 and image.deviate() > 5  # mid-tones with visible variation


def test_a_failing_indexer_keeps_the_pages_and_warns(blank_site: Path, write_post: PostWriter,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dzenpress.render import search

    fake = blank_site / "fake-pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: boom' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: fake)
    write_post("a")
    report = build_site(blank_site)
    assert any("search index not updated" in w and "boom" in w for w in report.warnings)
    assert (blank_site / "dist/blog/a/index.html").exists()
    assert not [p for p in (blank_site / "dist").iterdir() if p.name.startswith(".")]


def test_a_page_at_an_alias_address_is_an_error(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a", text=post_text("a", aliases="[/old/]"))
    (blank_site / "pages").mkdir()
    (blank_site / "pages/old.md").write_text("---\ntitle: X\n---\n", encoding="utf-8")
    with pytest.raises(DzenpressError, match="also an alias of"):
        build_site(blank_site)
