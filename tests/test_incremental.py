"""Rebuilds write only what changed, remove what is gone, and never leave a half-written site."""

import importlib
from pathlib import Path

import pytest

build_module = importlib.import_module("dzenpress.render.builder")
from dzenpress.errors import DzenpressError

from helpers import build_site, snapshot

HERNIA = "content/posts/gryzha-diska-kogda-nuzhna-operaciya.md"


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_noop_rebuild_writes_nothing(example_site: Path) -> None:
    first = build_site(example_site)
    assert first.written and not first.unchanged
    before = snapshot(example_site)
    again = build_site(example_site)
    assert again.written == [] and again.removed == [] and again.unchanged == len(first.written)
    assert snapshot(example_site) == before


def test_editing_body_renders_only_that_post_and_feeds(example_site: Path) -> None:
    build_site(example_site)
    edit(example_site, HERNIA, "девять из десяти", "9 из 10")
    report = build_site(example_site)
    expected = {"blog/gryzha-diska-kogda-nuzhna-operaciya/index.html", "rss.xml", "atom.xml"}
    assert set(report.rendered) == expected and set(report.written) == expected


def test_editing_body_of_an_older_post_renders_only_its_page(example_site: Path) -> None:
    edit(example_site, "dzenpress.toml", "home_posts = 6", "home_posts = 6\nfeed_items = 1")
    build_site(example_site)
    edit(example_site, HERNIA, "девять из десяти", "9 из 10")
    assert build_site(example_site).rendered == ["blog/gryzha-diska-kogda-nuzhna-operaciya/index.html"]


def test_editing_title_rewrites_pages_that_show_it(example_site: Path) -> None:
    build_site(example_site)
    edit(example_site, HERNIA, "title: 'Грыжа диска: когда нужна операция, а когда нет'",
         "title: 'Грыжа диска: когда без операции не обойтись'")
    report = build_site(example_site)
    written = set(report.written)
    assert "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html" in written
    assert "sitemap.xml" not in report.rendered  # URLs and dates did not change
    assert set(report.rendered) == written  # every page rendered shows the title
    assert {"posts.json", "rss.xml", "atom.xml", "blog/tag/gryzha/index.html"} <= written
    assert "blog/ploskostopie-i-bol-v-kolenyah/index.html" not in written  # shows neither title
    text = (example_site / "dist/blog/tag/gryzha/index.html").read_text(encoding="utf-8")
    assert "когда без операции не обойтись" in text
    assert len(written) < 25


def test_touch_without_change_renders_nothing(example_site: Path) -> None:
    build_site(example_site)
    path = example_site / HERNIA
    path.write_bytes(path.read_bytes())
    report = build_site(example_site)
    assert report.written == [] and report.rendered == []


def test_stylesheet_edit_changes_every_page_that_links_it(example_site: Path) -> None:
    from dzenpress.render.templating import package_file

    first = build_site(example_site)
    (example_site / "templates/dzenpress.css").write_text(package_file("dzenpress.css") + "\n.x{}\n")
    written = set(build_site(example_site).written)
    templated = {w for w in first.written if w.endswith(".html")
                 and w != "blog/mrt-ili-rentgen/index.html"}  # a redirect: no stylesheet
    assert written == templated | {"assets/dzenpress.css"}
    version = (example_site / "dist/index.html").read_text(encoding="utf-8").split("dzenpress.css?v=")[1][:10]
    assert all(f"dzenpress.css?v={version}" in (example_site / "dist" / w).read_text(encoding="utf-8")
               for w in templated)


def test_a_post_dated_next_year_changes_every_footer(example_site: Path) -> None:
    from conftest import post_text

    config = example_site / "dzenpress.toml"  # published at once, not held back until 2099 (content/schedule.py)
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\nfuture = true\n", 1),
                      encoding="utf-8")
    first = build_site(example_site)
    (example_site / "content/posts/future.md").write_text(
        post_text("future", date="'2099-01-01'").replace("date: '2025-01-15'\n", ""), encoding="utf-8")
    build_site(example_site)
    pages = [w for w in first.written if w.endswith(".html") and w not in
             ("contacts/index.html", "blog/mrt-ili-rentgen/index.html")]
    assert all("© 2099" in (example_site / "dist" / w).read_text(encoding="utf-8") for w in pages)


def test_deleting_a_post_removes_its_outputs(example_site: Path) -> None:
    build_site(example_site)
    (example_site / HERNIA).unlink()
    report = build_site(example_site)
    assert "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html" in report.removed
    assert "blog/tag/gryzha/index.html" in report.removed
    assert not (example_site / "dist/blog/gryzha-diska-kogda-nuzhna-operaciya/index.html").exists()
    assert "gryzha-diska" not in (example_site / "dist/sitemap.xml").read_text()


def test_files_dzenpress_did_not_write_are_never_removed(example_site: Path) -> None:
    build_site(example_site)
    mine = example_site / "dist/blog/gryzha-diska-kogda-nuzhna-operaciya/notes.txt"
    mine.write_text("мои заметки")
    (example_site / HERNIA).unlink()
    build_site(example_site)
    assert mine.read_text() == "мои заметки"


def test_template_change_rerenders_exactly_its_pages(example_site: Path) -> None:
    build_site(example_site)
    (example_site / "templates/list.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>{{ heading }}</h1>{% endblock %}', encoding="utf-8")
    report = build_site(example_site)
    written = set(report.written)
    assert set(report.rendered) == written  # only list pages: every key of another page came out the same
    assert written and all(w.startswith("blog/") and w.endswith("index.html") for w in written)
    assert not any("gryzha-diska-kogda" in w for w in written)
    assert "index.html" not in written


def test_base_template_change_rerenders_all_html(example_site: Path) -> None:
    first = build_site(example_site)
    from dzenpress.render.templating import package_file

    (example_site / "templates/base.html").write_text(package_file("base.html").replace("<main", "<main data-x"),
                                                      encoding="utf-8")
    written = set(build_site(example_site).written)
    generated_html = {w for w in first.written if w.endswith(".html")}
    assert written == generated_html - {"blog/mrt-ili-rentgen/index.html"}  # redirects use no template


def test_config_change_rerenders_everything_generated(example_site: Path) -> None:
    build_site(example_site)
    edit(example_site, "dzenpress.toml", 'phone = "+7 (495) 123-45-67"', 'phone = "+7 (495) 765-43-21"')
    written = build_site(example_site).written
    assert "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html" in written and "index.html" in written
    assert "logo.png" not in written


def test_deleted_output_is_restored(example_site: Path) -> None:
    build_site(example_site)
    (example_site / "dist/blog/index.html").unlink()
    assert build_site(example_site).written == ["blog/index.html"]


def test_public_file_change_is_copied(example_site: Path) -> None:
    build_site(example_site)
    (example_site / "public/logo.png").write_bytes(b"new")
    assert build_site(example_site).written == ["logo.png"]
    assert (example_site / "dist/logo.png").read_bytes() == b"new"


def test_bad_post_stops_build_and_keeps_previous_output(example_site: Path) -> None:
    build_site(example_site)
    before = snapshot(example_site)
    (example_site / "content/posts/new.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(DzenpressError):
        build_site(example_site)
    assert snapshot(example_site) == before


def test_interrupted_build_leaves_previous_site_and_no_temp_files(example_site: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(example_site)
    before = snapshot(example_site)
    edit(example_site, HERNIA, "девять из десяти", "9 из 10")
    edit(example_site, "dzenpress.toml", 'name = "Клиника «Опора»"', 'name = "Клиника «Опора+»"')
    real = build_module._render_one
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 20:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "_render_one", flaky)
    with pytest.raises(KeyboardInterrupt):
        build_site(example_site, jobs=1)
    assert snapshot(example_site) == before
    assert not [p for p in (example_site / "dist").rglob("*") if ".dzp-tmp-" in p.name]
    monkeypatch.setattr(build_module, "_render_one", real)
    report = build_site(example_site)
    assert "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html" in report.written
    assert "Опора+" in (example_site / "dist/index.html").read_text(encoding="utf-8")


def test_clean_rebuilds_everything(example_site: Path) -> None:
    first = build_site(example_site)
    report = build_site(example_site, clean=True)
    assert report.unchanged + len(report.written) == len(first.written)


def test_parallel_build_matches_serial(example_site: Path, tmp_path: Path) -> None:
    import shutil

    from conftest import post_text

    for n in range(150):
        body = f"## Раздел {n}\n\nТекст статьи номер {n}.\n\n- пункт\n- ещё пункт\n"
        (example_site / f"content/posts/copy-{n}.md").write_text(
            post_text(f"copy-{n}", title=f"Статья {n}", body=body, tags=f"[спина, t{n % 7}]"), encoding="utf-8")
    twin = tmp_path / "twin"
    shutil.copytree(example_site, twin)
    for site in (example_site, twin):  # the same IndexNow key: it is random per site otherwise
        (site / "dzenpress.toml").write_text((site / "dzenpress.toml").read_text() + '[indexnow]\nkey = "k1234567"\n')
    build_site(example_site, jobs=2)
    build_site(twin, jobs=1)
    a = {k: v[1] for k, v in snapshot(example_site).items()}
    b = {k: v[1] for k, v in snapshot(twin).items()}
    assert a == b and len(a) > 200


def test_clean_still_removes_outputs_of_deleted_posts(example_site: Path) -> None:
    build_site(example_site)
    (example_site / HERNIA).unlink()
    report = build_site(example_site, clean=True)
    assert "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html" in report.removed
    assert not (example_site / "dist/blog/gryzha-diska-kogda-nuzhna-operaciya/index.html").exists()
