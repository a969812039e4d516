"""The importer on the real Dzen pages in ../shared/real-dzen/ (skipped when absent): the article's real
content through the JSON path and through the DOM fallback, the real channel listing, the real walls."""

from __future__ import annotations

import json
import re
import socket
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from dzenpress.dzen.channel import saved_channel_items
from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.importer import ImportOptions, import_sources
from dzenpress.dzen.page import Article, PageError, parse_page
from dzenpress.dzen.walls import SSO, sso_retpath, wall_reason
from real_pages import (
    ARTICLE,
    ARTICLE_URL,
    CHANNEL,
    NOT_FOUND,
    real,
    with_content_state,
    without_scripts,
)
from real_pages import SSO as SSO_PAGE
from real_pages import cut_content_state as cut

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import simple
from fake_dzen.server import FakeDzen

HEADINGS = ["Хотите качественный ремонт квартиры?👇", "✅ [РАССЧИТАЙТЕ БЕСПЛАТНО ЗДЕСЬ](https://domeo.ru/remont/",
            "Прихожая", "Кухня", "Сколько стоит ремонт квартиры?👇", "✅ [РАССЧИТАЙТЕ ЗДЕСЬ](https://domeo.ru/remont/",
            "Гостиная", "Вам понравятся статьи:👇", "Дарим инструкцию, как сделать ремонт по ДОКРИЗИСНЫМ ценам!"]
EMBEDS = ["[Никогда бы не подумала! Алика Смехова живет в маленькой однушке! Посмотрим интерьер?]"
          "(https://dzen.ru/a/Zb4e_xOUjW-sR5KD)",
          "[Эти интересные товары для дома на Wildberries вам понравятся! 👍](https://dzen.ru/a/ZbzWXuQP62g2-A4Q)"]
IMAGE = re.compile(r"^!\[\]\((https://avatars\.dzeninfra\.ru/get-zen_doc/271828/pub_65c11452f3a4ff0af260bf45_"
                   r"[0-9a-f]{24}/orig)\)$")
CHROME = ("подписчик", "Подписаться", "Комментарии", "Нравится", "Показать ещё", "Реклама", "dzen.ru/away",
          "dzen.ru/topic", "zen-lib", "DOMEO | РЕМОНТ", "февраля 2024", "<", "**")


def counts(markdown: str) -> dict[str, int]:
    """Blocks of the body by kind."""
    blocks = [b.strip() for b in markdown.split("\n\n") if b.strip()]
    kinds = {"images": 0, "headings": 0, "quotes": 0, "embeds": 0, "paragraphs": 0}
    for block in blocks:
        if IMAGE.match(block):
            kinds["images"] += 1
        elif block.startswith("#"):
            kinds["headings"] += 1
        elif block.startswith(">"):
            kinds["quotes"] += 1
        elif block.startswith("[") and block.endswith(")") and "](" in block:
            kinds["embeds"] += 1
        else:
            kinds["paragraphs"] += 1
    return kinds


def check_whole_article(article: Article) -> None:
    assert article.title == "Огромная квартира Кати Лель в Москве: обзор интерьера певицы"
    assert counts(article.markdown) == {"images": 13, "headings": 9, "quotes": 5, "embeds": 2, "paragraphs": 10}
    headings = [line.lstrip("#").strip() for line in article.markdown.splitlines() if line.startswith("#")]
    assert all(h.startswith(expected) for h, expected in zip(headings, HEADINGS, strict=True)), headings
    for embed in EMBEDS:
        assert f"\n\n{embed}\n" in article.markdown
    assert len(set(article.images)) == 13 and all(IMAGE.match(f"![]({url})") for url in article.images)
    assert "[https://t.me/+D9K5FNhjTkljM2Ey](https://t.me/+D9K5FNhjTkljM2Ey)" in article.markdown
    for chrome in CHROME:
        assert chrome not in article.markdown, chrome
    assert article.published == datetime(2024, 2, 6, 9, 59, 55, 820000, tzinfo=UTC)
    assert article.cover == article.images[0]


def test_real_article_through_the_json_path() -> None:
    article = parse_page(real(ARTICLE), ARTICLE_URL)
    check_whole_article(article)
    assert article.date_source == "json" and not article.warnings
    assert article.modified is not None and article.modified.date() == article.published.date()  # type: ignore[union-attr]


def test_real_article_through_the_dom_when_content_state_is_unusable() -> None:
    article = parse_page(cut(real(ARTICLE)), ARTICLE_URL)
    check_whole_article(article)
    assert not article.warnings


def test_real_article_dom_without_content_state_matches_images_by_size_and_says_what_it_lost() -> None:
    article = parse_page(with_content_state(real(ARTICLE), None), ARTICLE_URL)
    found = counts(article.markdown)
    # two pictures of this article share their rendered size (1200×540) with an unused upload: one is
    # ambiguous without the body's order, and the span card has no address: both are reported, not guessed
    assert found == {"images": 12, "headings": 9, "quotes": 5, "embeds": 1, "paragraphs": 10}
    whole = iter(parse_page(real(ARTICLE), ARTICLE_URL).images)
    assert all(url in whole for url in article.images)  # every match by size is the right picture, in order
    assert any(w.startswith("1 lazy-loaded images could not be recovered") for w in article.warnings)
    assert any(w.startswith("1 embedded cards had no link") for w in article.warnings)


def test_real_article_without_any_json_keeps_the_text_and_reports_the_lazy_images() -> None:
    article = parse_page(without_scripts(real(ARTICLE)), ARTICLE_URL)
    found = counts(article.markdown)
    assert found["paragraphs"] == 10 and found["headings"] == 9 and found["quotes"] == 5
    assert found["images"] == 2 and len(article.images) == 2
    assert any(w.startswith("11 lazy-loaded images could not be recovered") for w in article.warnings)
    assert article.published == datetime(2024, 2, 6, tzinfo=UTC) and article.date_source == "meta"
    for chrome in CHROME:
        assert chrome not in article.markdown, chrome


def test_real_channel_page_lists_its_18_articles_with_dates() -> None:
    items = saved_channel_items(real(CHANNEL))
    assert items is not None and len(items) == 18 and len({i.ref.hex_id for i in items}) == 18
    assert all(i.kind == "article" and i.published is not None for i in items)
    assert items[0].ref.url == "https://dzen.ru/a/akySy7kSuTJ_9Qo4"
    assert items[0].published == datetime(2026, 7, 8, 13, 1, 21, tzinfo=UTC)
    assert items[-1].published == datetime(2026, 7, 7, 8, 1, 13, tzinfo=UTC)
    assert all("shorts" not in i.ref.url for i in items)


def _site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG.replace('[site]\n', '[site]\ntimezone = "UTC"\n'), encoding="utf-8")
    return site


def test_saved_real_channel_page_is_imported_article_by_article_and_since_filters(tmp_path: Path) -> None:
    items = saved_channel_items(real(CHANNEL))
    assert items is not None
    fake = FakeDzen()
    for n, item in enumerate(items):
        article = fake.add(simple(item.ref.hex_id, f"Статья {n}", 1))
        article.published = item.published  # type: ignore[assignment]
    for served in fake.serve():
        options = ImportOptions(since=date(2026, 7, 8), dry_run=True,
                                client=ClientOptions(host_map=served.host_map, delay=0, backoff=0.01))
        report = import_sources(_site(tmp_path), [str(CHANNEL)], options)
        assert [o.status for o in report.outcomes] == ["imported"] * 12, report.outcomes
        assert {o.source for o in report.outcomes} == {i.ref.url for i in items[:12]}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_import_of_the_real_page_gives_up_on_the_cdn_in_seconds(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(real(ARTICLE), encoding="utf-8")
    site = _site(tmp_path)
    dead = f"http://127.0.0.1:{_closed_port()}"
    slept: list[float] = []  # the waits the client asks for (none taken): the cost, without a wall clock
    client = ClientOptions(host_map={"avatars.dzeninfra.ru": dead, "dzen.ru": dead}, delay=0,  # real backoff
                           sleep=slept.append)
    report = import_sources(site, [str(page)], ImportOptions(client=client))
    assert sum(slept) < 10, slept
    (outcome,) = report.outcomes
    assert outcome.status == "imported" and outcome.images == 0
    assert report.notes == ["avatars.dzeninfra.ru could not be reached: 13 images kept as remote links; run the "
                            "import again to fetch them"]
    text = (site / "content/posts" / f"{outcome.slug}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["date"] == "2024-02-06" and "updated" not in meta and meta["source"] == ARTICLE_URL
    assert text.count("](https://avatars.dzeninfra.ru/") == 13


def test_real_walls_and_not_found() -> None:
    sso = real(SSO_PAGE)
    assert sso_retpath(sso) == "https://dzen.ru/id/5f0caefc6b64e45c0f6a36da?is_autologin_ya=true"
    assert wall_reason("https://dzen.ru/id/5f0caefc6b64e45c0f6a36da", sso) == SSO
    with pytest.raises(PageError, match="does not exist"):
        parse_page(real(NOT_FOUND), "https://dzen.ru/a/ZcEUUvOk_wryYL9F")


def test_real_article_with_a_body_cut_before_its_last_pictures_matches_the_rest_by_size() -> None:
    html = real(ARTICLE)
    state = re.search(r'"contentState":"', html)
    assert state is not None
    text, _ = json.JSONDecoder().raw_decode(html, state.end() - 1)
    cut_at = text.index("65c116e0f3a4ff0af2661726")  # the 12th picture: 11 stay in the salvaged order
    article = parse_page(with_content_state(html, text[:cut_at]), ARTICLE_URL)
    assert article.images == parse_page(html, ARTICLE_URL).images


def test_real_page_saved_imports_exactly_like_the_real_page_over_http(tmp_path: Path) -> None:
    html = real(ARTICLE)
    page = tmp_path / "saved.html"
    page.write_text(html, encoding="utf-8")
    fake = FakeDzen(any_image=True)
    fake.pages["/a/ZcEUUvOk_wryYL9F"] = html
    sites = []
    for served in fake.serve():
        for name, source in (("http", ARTICLE_URL + "?from=feed"), ("file", str(page))):
            site = _site(tmp_path / name)
            options = ImportOptions(client=ClientOptions(host_map=served.host_map, delay=0, backoff=0.01))
            (outcome,) = import_sources(site, [source], options).outcomes
            assert outcome.status == "imported" and outcome.images == 13 and not outcome.warnings, outcome
            sites.append(site)
    trees = [{str(p.relative_to(s)): p.read_bytes() for p in sorted(s.rglob("*"))
              if p.is_file() and ".dzenpress" not in p.parts} for s in sites]
    assert trees[0] == trees[1]
    post = next((sites[0] / "content/posts").glob("*.md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["cover"].endswith("/img-0.png") and meta["date"] == "2024-02-06" and "updated" not in meta
    assert post.count("](/blog/") == 13
    images = fake.paths("/get-zen_doc/")
    assert len(images) == 2 * 13 and all(p.endswith("/orig") for p in images)  # each once, the cover too
