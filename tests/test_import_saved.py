"""Import robustness against the fake Dzen: saved pages (with and without their `_files/`) equal HTTP, an
unreachable CDN, images that are cut short or missing (and retried), a kill between writing a post and
recording it, an unexpected error in one article, pages without title or date, empty channels."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dzenpress.dzen import importer
from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.importer import ImportOptions, ImportReport, import_sources
from dzenpress.hashing import digest

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import gallery, simple
from fake_dzen.pages import FakeArticle, article_page
from fake_dzen.server import FakeDzen
from placeholders import image_bytes


@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


def make_site(root: Path) -> Path:
    (root / "content/posts").mkdir(parents=True)
    (root / "public").mkdir()
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def run(site: Path, hosts: dict[str, str], *sources: str, **kwargs: object) -> ImportReport:
    sleep = kwargs.pop("sleep", None)
    client = ClientOptions(host_map=hosts, delay=0.0, backoff=float(kwargs.pop("backoff", 0.01)),  # type: ignore[arg-type]
                           **({"sleep": sleep} if sleep else {}))  # type: ignore[arg-type]
    return import_sources(site, list(sources), ImportOptions(client=client, **kwargs))  # type: ignore[arg-type]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".dzenpress" not in p.parts}


def test_saved_page_imports_exactly_like_the_same_page_over_http(tmp_path: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery("65c11452f3a4ff0af260bf45", 5))
    page = tmp_path / "saved.html"
    page.write_text(article_page(article), encoding="utf-8")
    over_http, from_file = make_site(tmp_path / "a"), make_site(tmp_path / "b")
    first = run(over_http, fake.host_map, article.url)
    second = run(from_file, fake.host_map, str(page))
    assert [o.status for o in first.outcomes + second.outcomes] == ["imported", "imported"]
    assert tree(over_http) == tree(from_file)
    post = next((over_http / "content/posts").glob("*.md")).read_text(encoding="utf-8")
    assert post.count("](/blog/") == 5 and "**" not in post and "### Комната 1\n" in post
    assert "[Другая статья канала](https://dzen.ru/a/Zb4e_xOUjW-sR5KD)" in post
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["cover"] == f"/blog/{meta['slug']}/img-0.jpg"  # the cover is the first picture: fetched once
    assert meta["date"] == "2024-02-06" and "updated" not in meta
    assert len(fake.paths("/get-zen_doc/")) == 2 * 5  # each picture once per import


def save_complete(article: FakeArticle, folder: Path) -> Path:
    """The page as a browser's "save page, complete" leaves it after scrolling: every body picture in
    `<name>_files/` under the CDN's own file name (`scale_1200`, `scale_1200(1)`…), the <img> pointing there."""
    page = folder / "Квартира — Дзен.html"
    files = folder / "Квартира — Дзен_files"
    files.mkdir(parents=True)
    html = article_page(article)
    count = 0

    def local(match: re.Match[str]) -> str:
        nonlocal count
        name = "scale_1200" + (f"({count})" if count else "")
        fmt = ("jpg", "png", "webp")[count % 3]
        (files / name).write_bytes(image_bytes(fmt, 90, 60, 40 + count))
        count += 1
        return f'{match.group(1)}src="./{files.name}/{name}"'

    page.write_text(re.sub(r'(<img itemprop="image"[^>]*?)src="[^"]*"', local, html), encoding="utf-8")
    assert count == len(article.images)
    return page


def test_saved_page_with_its_files_folder_imports_with_no_network_at_all(tmp_path: Path, site: Path) -> None:
    page = save_complete(gallery("65c11452f3a4ff0af260bf46", 6), tmp_path / "saved")
    dead = closed_port_url()
    report = run(site, {"dzen.ru": dead, "avatars.dzeninfra.ru": dead}, str(page))
    (outcome,) = report.outcomes
    assert outcome.status == "imported" and outcome.images == 6 and not outcome.warnings and not report.notes
    folder = site / "public/blog" / outcome.slug
    saved = sorted(p.read_bytes() for p in page.parent.glob("*_files/*"))
    assert sorted(p.read_bytes() for p in folder.iterdir()) == saved
    assert sorted(p.name for p in folder.iterdir()) == ["img-0.jpg", "img-1.png", "img-2.webp", "img-3.jpg",
                                                      "img-4.png", "img-5.webp"]  # sniffed, not trusted


def test_offline_import_of_many_images_takes_seconds_and_says_so_once(site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery("65c11452f3a4ff0af260bf47", 18))
    hosts = {**fake.host_map, "avatars.dzeninfra.ru": closed_port_url()}
    slept: list[float] = []  # the waits the client asks for (none taken): the cost, without a wall clock
    report = run(site, hosts, article.url, backoff=1.0, sleep=slept.append)  # the real backoff: else minutes
    assert sum(slept) < 10, slept
    (outcome,) = report.outcomes
    assert outcome.status == "imported" and outcome.warnings == ["18 images not fetched (see the note below)"]
    assert report.notes == ["avatars.dzeninfra.ru could not be reached: 18 images kept as remote links; run the "
                            "import again to fetch them"]
    again = run(site, fake.host_map, article.url)  # online again: the missing pictures are fetched now
    assert again.outcomes[0].status == "updated" and again.outcomes[0].images == 18
    assert run(site, fake.host_map, article.url).outcomes[0].status == "unchanged"


def test_images_that_failed_are_fetched_again_and_cut_images_are_never_kept(site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery("65c11452f3a4ff0af260bf48", 3))
    names = [img.name for img in article.images.values()]
    fake.missing_images.add(names[1])
    fake.cut_images.add(names[2])
    (outcome,) = run(site, fake.host_map, article.url).outcomes
    assert outcome.status == "imported" and outcome.images == 1
    assert any("damaged or cut short" in w for w in outcome.warnings)
    assert any("404 at every size" in w for w in outcome.warnings)
    assert sorted(p.name for p in (site / "public/blog" / outcome.slug).iterdir()) == ["img-0.jpg"]
    assert run(site, fake.host_map, article.url).outcomes[0].status == "unchanged"  # still missing: same file
    fake.missing_images.clear()
    fake.cut_images.clear()
    (outcome,) = run(site, fake.host_map, article.url).outcomes
    assert outcome.status == "updated" and outcome.images == 3 and not outcome.warnings
    assert run(site, fake.host_map, article.url).outcomes[0].status == "unchanged"


class Killed(BaseException):
    """Stands for kill -9 right after the post file is renamed into place."""


@pytest.mark.parametrize("update", [False, True])
def test_a_kill_between_writing_a_post_and_recording_it_is_not_an_edit(site: Path, fake: FakeDzen,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       update: bool) -> None:
    article = fake.add(simple("65c11452f3a4ff0af260bf49", "Статья", 3))
    if update:
        run(site, fake.host_map, article.url)
        article.blocks[0]["text"] += " Дополнение."
    real_write = importer.atomic_write

    def write_then_die(path: Path, data: str | bytes) -> None:
        real_write(path, data)
        if path.suffix == ".md":
            raise Killed

    monkeypatch.setattr(importer, "atomic_write", write_then_die)
    with pytest.raises(Killed):
        run(site, fake.host_map, article.url)
    monkeypatch.undo()
    post = next((site / "content/posts").glob("*.md"))
    written = digest(post.read_bytes())
    (outcome,) = run(site, fake.host_map, article.url).outcomes
    assert outcome.status == "unchanged", outcome
    assert digest(post.read_bytes()) == written and not list(post.parent.glob("*.bak"))
    post.write_text(post.read_text(encoding="utf-8") + "\nМоя правка.\n", encoding="utf-8")
    article.blocks[0]["text"] += " Ещё."
    assert run(site, fake.host_map, article.url).outcomes[0].status == "skipped-edited"  # protection holds


def test_an_unexpected_error_fails_one_article_and_the_others_go_on(site: Path, fake: FakeDzen,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    good = [fake.add(simple(f"65c11452f3a4ff0af260bf5{n}", f"Хорошая {n}", 3 + n)) for n in range(2)]
    bad = fake.add(simple("65c11452f3a4ff0af260bf59", "Плохая", 9))
    real_render = importer.render_post

    def render(article: importer.Article, *args: object, **kwargs: object) -> str:
        if article.title == "Плохая":
            raise RuntimeError("boom")
        return real_render(article, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "render_post", render)
    report = run(site, fake.host_map, good[0].url, bad.url, good[1].url)
    assert [o.status for o in report.outcomes] == ["imported", "failed", "imported"] and not report.ok
    assert report.outcomes[1].source == bad.url
    assert report.outcomes[1].reason.startswith("unexpected error (RuntimeError: boom)")


def test_a_page_without_title_fails_and_a_missing_date_comes_from_the_feed(site: Path, fake: FakeDzen) -> None:
    untitled = fake.add(simple("65c11452f3a4ff0af260bf60", "", 3))
    (outcome,) = run(site, fake.host_map, untitled.url).outcomes
    assert outcome.status == "failed" and "no article title" in outcome.reason
    dated = fake.add(simple("65c11452f3a4ff0af260bf61", "Без даты на странице", 17), channel="articlinic")
    dated.undated = True
    (outcome,) = run(site, fake.host_map, "https://dzen.ru/articlinic").outcomes
    assert outcome.status == "imported" and not outcome.warnings
    meta = yaml.safe_load((site / "content/posts" / f"{outcome.slug}.md").read_text(encoding="utf-8").split("---\n")[1])
    assert meta["date"] == "2025-03-17"
    (outcome,) = run(site, fake.host_map, dated.url, force=True).outcomes
    assert any("no publication date" in w for w in outcome.warnings)


def test_a_channel_listing_with_no_article_is_a_failure_with_a_reason(site: Path, fake: FakeDzen) -> None:
    fake.channels["shortsonly"] = []
    (outcome,) = run(site, fake.host_map, "https://dzen.ru/shortsonly").outcomes
    assert outcome.status == "failed"
    assert "no article to import" in outcome.reason and "short_video" in outcome.reason
    fake.add(simple("65c11452f3a4ff0af260bf62", "Пост", 3), channel="briefsonly")
    fake.briefs.add("65c11452f3a4ff0af260bf62")
    (outcome,) = run(site, fake.host_map, "https://dzen.ru/briefsonly").outcomes
    assert outcome.status == "failed" and "--include-posts" in outcome.reason


def test_a_post_with_an_impossible_unquoted_date_does_not_stop_import(site: Path, fake: FakeDzen) -> None:
    (site / "content/posts/broken.md").write_text("---\ntitle: x\ndate: 2025-02-30\n---\n\nТекст.\n", encoding="utf-8")
    article = fake.add(simple("65c11452f3a4ff0af260bf63", "Новая", 3))
    assert run(site, fake.host_map, article.url).outcomes[0].status == "imported"


def test_saved_page_uses_what_it_kept_and_fetches_only_the_rest(tmp_path: Path, site: Path, fake: FakeDzen) -> None:
    article = fake.add(gallery("65c11452f3a4ff0af260bf64", 5))
    page = tmp_path / "s" / "page.html"
    files = tmp_path / "s" / "page_files"
    files.mkdir(parents=True)
    shown = 0

    def keep(match: re.Match[str]) -> str:  # saved without scrolling: only the rendered pictures are there
        nonlocal shown
        (files / f"scale_1200({shown})").write_bytes(image_bytes("png", 50, 50, 70 + shown))
        shown += 1
        return f'{match.group(1)}src="page_files/scale_1200({shown - 1})"'

    page.write_text(re.sub(r'(<img itemprop="image"[^>]*?)src="(https://[^"]*)"', keep, article_page(article)),
                    encoding="utf-8")
    assert shown == 2
    (outcome,) = run(site, fake.host_map, str(page)).outcomes
    assert outcome.status == "imported" and outcome.images == 5 and not outcome.warnings
    fetched = {p.split("/")[3] for p in fake.paths("/get-zen_doc/")}
    assert fetched == {img.name for img in list(article.images.values())[2:]}
    folder = site / "public/blog" / outcome.slug
    assert (folder / "img-0.png").read_bytes() == (files / "scale_1200(0)").read_bytes()


def test_saved_page_without_its_json_still_uses_its_files(tmp_path: Path, site: Path) -> None:
    page = save_complete(gallery("65c11452f3a4ff0af260bf65", 4), tmp_path / "saved")
    page.write_text(re.sub(r"<script\b.*?</script>", "", page.read_text(encoding="utf-8"), flags=re.S),
                    encoding="utf-8")
    dead = closed_port_url()
    report = run(site, {"dzen.ru": dead, "avatars.dzeninfra.ru": dead}, str(page))
    (outcome,) = report.outcomes
    assert outcome.status == "imported" and outcome.images == 4 and not report.notes, outcome
    assert outcome.warnings == ["1 embedded cards had no link on the page and were left out"]  # no JSON to ask
    text = (site / "content/posts" / f"{outcome.slug}.md").read_text(encoding="utf-8")
    assert "_files" not in text and text.count(f"](/blog/{outcome.slug}/img-") == 4


def test_an_unexpected_error_in_a_channel_listing_fails_that_source_only(site: Path, fake: FakeDzen,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    article = fake.add(simple("65c11452f3a4ff0af260bf66", "Отдельная", 3))
    fake.add(simple("65c11452f3a4ff0af260bf67", "В канале", 4), channel="articlinic")

    def broken(*args: object, **kwargs: object) -> Iterator[object]:
        raise KeyError("items")
        yield

    monkeypatch.setattr(importer, "channel_items", broken)
    report = run(site, fake.host_map, "https://dzen.ru/articlinic", article.url)
    assert [o.status for o in report.outcomes] == ["failed", "imported"]
    assert report.outcomes[0].reason == "channel listing: unexpected error (KeyError: 'items')"


@pytest.mark.parametrize("era", ["dzen", "dom", "zen"])
def test_a_control_character_in_an_image_name_keeps_that_image_as_a_link(site: Path, fake: FakeDzen,
                                                                         era: str) -> None:
    """A NUL in one picture's name (in the page's JSON or its DOM) used to fail the whole article."""
    article = fake.add(gallery("65c11452f3a4ff0af260bf48", 2))
    article.era = era
    article.images["g1"].name += "\x00evil\x01(x)"
    (outcome,) = run(site, fake.host_map, article.url).outcomes
    assert outcome.status == "imported" and outcome.images == 1, outcome
    assert any("kept as a remote link" in w for w in outcome.warnings)
    post = (site / "content/posts" / f"{outcome.slug}.md").read_text(encoding="utf-8")
    (link,) = [line for line in post.splitlines() if "evil" in line]
    assert "\x00" not in post and "\x01" not in post and link.endswith("evil%01%28x%29/orig)")


def test_a_saved_page_pointing_at_a_file_name_with_a_nul_fetches_that_picture(tmp_path: Path, site: Path,
                                                                           fake: FakeDzen) -> None:
    article = fake.add(gallery("65c11452f3a4ff0af260bf49", 3))
    page = save_complete(article, tmp_path / "saved")
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("/scale_1200(1)\"", "/scale_1200%00(1)\"", 1), encoding="utf-8")
    (outcome,) = run(site, fake.host_map, str(page)).outcomes
    assert outcome.status == "imported" and outcome.images == 3 and not outcome.warnings, outcome
    assert len(fake.paths("/get-zen_doc/")) == 1  # that one from the CDN, the others from the folder
