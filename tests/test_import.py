"""`import` against the fake Dzen on 127.0.0.1: every input form, both extraction paths, sync rules,
walls and faults."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.images import sniff
from dzenpress.dzen.importer import ImportOptions, ImportReport, import_sources

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import back_pain, simple
from fake_dzen.pages import article_page
from fake_dzen.server import FakeDzen

SLUG = "bol-v-spine-otdaet-v-poyasnicu-uznajte-chto-eto-znachit-i-kak-s-etim-borotsya"
CHROME = ("подписчик", "Подписаться", "Комментарии", "Взгляните на эти темы", "Рекомендуем почитать", "Реклама",
          "dzen.ru/away", "dzen.ru/topic", "zen-lib", "Дзен Про", "Статья автора", "<script", "<iframe", "alert(")


@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "public").mkdir()
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG + '\n[import]\ntags = ["arti-clinic", "dzen"]\n',
                                         encoding="utf-8")
    return root


def run(site: Path, fake: FakeDzen, *sources: str, **kwargs: object) -> ImportReport:
    sleep = kwargs.pop("sleep", None)
    client = ClientOptions(host_map=fake.host_map, delay=float(kwargs.pop("delay", 0.0)),  # type: ignore[arg-type]
                           backoff=0.01, timeout=float(kwargs.pop("timeout", 5.0)),  # type: ignore[arg-type]
                           concurrency=int(kwargs.pop("concurrency", 2)),  # type: ignore[call-overload]
                           cookies=kwargs.pop("cookies", None),  # type: ignore[arg-type]
                           **({"sleep": sleep} if sleep else {}))  # type: ignore[arg-type]
    return import_sources(site, list(sources), ImportOptions(client=client, **kwargs))  # type: ignore[arg-type]


def front(path: Path) -> tuple[dict[str, object], str, str]:
    text = path.read_text(encoding="utf-8")
    _, raw_front, body = text.split("---\n", 2)
    return yaml.safe_load(raw_front), body, raw_front


def test_article_becomes_the_improved_post_of_post_format_md(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    report = run(site, fake, article.url + "?from=feed&utm_referrer=x")
    (outcome,) = report.outcomes
    assert outcome.status == "imported", outcome
    meta, body, raw_front = front(site / f"content/posts/{SLUG}.md")
    assert list(meta) == ["title", "slug", "date", "cover", "description", "source", "draft", "tags"]
    assert raw_front.startswith("title: 'Боль в спине отдает в поясницу? Узнайте, что это значит и как с этим бороться'")
    assert meta["slug"] == SLUG and meta["date"] == "2024-11-18" and meta["draft"] is False
    assert meta["source"] == article.url and meta["tags"] == ["arti-clinic", "dzen"]
    assert meta["cover"] == f"/blog/{SLUG}/cover.png"
    description = str(meta["description"])
    assert description.startswith("Боль в спине, особенно когда она отдает в поясницу") and len(description) <= 160
    assert not body.lstrip().startswith("# ") and "\n# " not in body
    assert "## Причины боли в спине, отдающей в поясницу" in body
    assert "### 1. Грыжа межпозвонкового диска\n\nЭто одна из самых частых причин боли." in body
    assert "- Комплексный подход: мы используем только проверенные и безопасные методы.\n- Опытные" in body
    assert "- WhatsApp: <https://wa.me/message/FHPEY53FP6B5I1>" in body
    assert f"![](/blog/{SLUG}/img-0.jpg)" in body and f"![](/blog/{SLUG}/img-1.webp)" in body
    assert "_Точки боли в пояснице_" in body
    assert "В **Арти Клиник** мы" in body
    assert "> Не стоит терпеть боль" in body
    assert "[Упражнения для спины](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert not re.search(r" {2,}$", body, re.M) and "\\-" not in body
    for chrome in CHROME:
        assert chrome not in body, chrome
    folder = site / "public/blog" / SLUG
    assert sorted(p.name for p in folder.iterdir()) == ["cover.png", "img-0.jpg", "img-1.webp"]
    for file in folder.iterdir():
        assert sniff(file.read_bytes()) == file.suffix.lstrip(".").replace("jpg", "jpg")
    assert all("/orig" in p for p in fake.paths("/get-zen_doc"))
    assert not fake.paths("/s3/")


@pytest.mark.parametrize("era", ["dom", "zen"])
def test_pages_without_embedded_json_use_the_article_dom(site: Path, fake: FakeDzen, era: str) -> None:
    article = fake.add(back_pain(era=era))
    url = article.url if era == "dom" else f"https://zen.yandex.ru/media/articlinic/stati-{article.hex_id}"
    (outcome,) = run(site, fake, url).outcomes
    assert outcome.status == "imported", outcome
    meta, body, _ = front(site / f"content/posts/{SLUG}.md")
    assert meta["source"] == article.url
    assert "## Причины боли в спине, отдающей в поясницу" in body
    assert "Это одна из самых частых причин боли." in body
    assert "**Арти Клиник**" in body and "<https://wa.me/message/FHPEY53FP6B5I1>" in body
    assert f"/blog/{SLUG}/img-0.jpg" in body and "zen-lib" not in body
    assert "[Упражнения для спины](https://www.youtube.com/embed/dQw4w9WgXcQ)" in body
    for chrome in CHROME:
        assert chrome not in body, chrome


@pytest.mark.parametrize(("shape", "api"), [("page", "/api/web/v1/channel-more"),
                                            ("floors", "/api/web/v1/channel-more"),
                                            ("export", "/api/v3/launcher/channel-more")])
def test_channel_paging_dedupe_and_briefs(site: Path, fake: FakeDzen, shape: str, api: str) -> None:
    fake.channel_page, fake.article_floors = shape != "export", shape == "floors"
    ids = [f"6{n:023x}" for n in range(5)]
    for n, hex_id in enumerate(ids):
        fake.add(simple(hex_id, f"Статья номер {n}", 20 - n), channel="articlinic")
    fake.channels["articlinic"].append(ids[1])  # listed twice: imported once
    fake.add(simple("7" * 24, "Короткий пост", 1), channel="articlinic")
    fake.briefs.add("7" * 24)
    report = run(site, fake, "https://dzen.ru/articlinic")
    assert report.counts()["imported"] == 5 and report.ok
    assert len(list((site / "content/posts").glob("*.md"))) == 5
    assert api in fake.paths("/api/")
    report = run(site, fake, "https://dzen.ru/articlinic", include_posts=True)
    assert report.counts()["imported"] == 1 and report.counts()["unchanged"] == 5


def test_channel_falls_back_to_launcher_more(site: Path, fake: FakeDzen) -> None:
    fake.export_enabled = fake.channel_page = False
    for n in range(3):
        fake.add(simple(f"8{n:023x}", f"Старая статья {n}", 10 + n), channel="articlinic")
    report = run(site, fake, "zen.yandex.ru/articlinic")
    assert report.counts()["imported"] == 3
    assert "/api/v3/launcher/more" in fake.paths("/api/")


def test_since_and_limit(site: Path, fake: FakeDzen) -> None:
    for n in range(4):
        fake.add(simple(f"9{n:023x}", f"Статья {n}", 1 + n * 5), channel="articlinic")
    import datetime as dt

    report = run(site, fake, "https://dzen.ru/articlinic", since=dt.date(2025, 3, 10))
    assert report.counts()["imported"] == 2
    report = run(site, fake, "https://dzen.ru/articlinic", limit=1)
    assert len(report.outcomes) == 1


def test_rerun_is_idempotent_and_updates_only_changed_articles(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    run(site, fake, article.url)
    post = site / f"content/posts/{SLUG}.md"
    before = (post.read_bytes(), post.stat().st_mtime_ns)
    images_before = len(fake.paths("/get-"))
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "unchanged"
    assert (post.read_bytes(), post.stat().st_mtime_ns) == before
    assert len(fake.paths("/get-")) == images_before  # nothing downloaded again
    article.blocks[0]["text"] = "Новый первый абзац статьи о боли в спине."
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "updated"
    assert "Новый первый абзац" in post.read_text(encoding="utf-8")
    assert not post.with_name(post.name + ".bak").exists()


def test_locally_edited_post_is_left_alone_unless_forced(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    run(site, fake, article.url)
    post = site / f"content/posts/{SLUG}.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nМоя приписка.\n", encoding="utf-8")
    edited = post.read_text(encoding="utf-8")
    article.blocks[0]["text"] = "Изменённый абзац."
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "skipped-edited" and "--force" in outcome.reason
    assert post.read_text(encoding="utf-8") == edited
    (outcome,) = run(site, fake, article.url, force=True).outcomes
    assert outcome.status == "updated"
    assert post.with_name(post.name + ".bak").read_text(encoding="utf-8") == edited
    assert "Изменённый абзац." in post.read_text(encoding="utf-8")


def test_posts_imported_by_other_tools_are_adopted(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    legacy = site / "content/posts/staraya-statya.md"
    legacy.write_text(f"---\ntitle: 'Старая'\nslug: staraya-statya\ndate: '2024-11-18'\n"
                      f"source: '{article.url}?utm_source=old'\n---\n\nТекст, почищенный руками.\n", encoding="utf-8")
    original = legacy.read_text(encoding="utf-8")
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "skipped-edited" and "another tool" in outcome.reason
    assert legacy.read_text(encoding="utf-8") == original
    assert not (site / f"content/posts/{SLUG}.md").exists()
    (outcome,) = run(site, fake, article.url, force=True).outcomes
    assert outcome.status == "updated" and outcome.slug == "staraya-statya"
    assert (site / "content/posts/staraya-statya.md.bak").read_text(encoding="utf-8") == original
    meta, _, _ = front(legacy)
    assert meta["slug"] == "staraya-statya" and (site / "public/blog/staraya-statya/img-0.jpg").exists()


def test_slug_clash_gets_a_suffix(site: Path, fake: FakeDzen) -> None:
    a = fake.add(simple("a" * 24, "Одинаковый заголовок", 3))
    b = fake.add(simple("b" * 24, "Одинаковый заголовок", 4))
    report = run(site, fake, a.url, b.url, concurrency=1)
    assert sorted(o.slug for o in report.outcomes) == ["odinakovyj-zagolovok", "odinakovyj-zagolovok-2"]


def test_user_files_are_never_deleted_or_clobbered(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    folder = site / "public/blog" / SLUG
    folder.mkdir(parents=True)
    (folder / "img-0.jpg").write_bytes(b"\xff\xd8\xffmy own picture")
    (folder / "notes.txt").write_text("мои заметки")
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "imported"
    assert (folder / "img-0.jpg").read_bytes() == b"\xff\xd8\xffmy own picture"
    assert (folder / "notes.txt").read_text() == "мои заметки"
    assert any("changed locally" in w for w in outcome.warnings)


def test_sso_bounce_is_followed_once_like_a_browser(site: Path, fake: FakeDzen) -> None:
    fake.sso = True
    first = fake.add(simple("c" * 24, "За SSO", 5))
    second = fake.add(simple("cd" * 12, "Уже с куками", 6))
    report = run(site, fake, first.url, second.url, concurrency=1)
    assert [o.status for o in report.outcomes] == ["imported", "imported"], report
    assert [h.host for h in fake.hits].count("sso.dzen.ru") == 1
    assert any("zen_sso_checked=1" in h.cookie for h in fake.hits if h.path == f"/a/{second.article_id}")


@pytest.mark.parametrize(("setup", "words"), [
    ("sso_always", "--cookies"), ("captcha", "captcha"), ("blocked", "Доступ ограничен"), ("missing", "404")])
def test_walls_are_explained(site: Path, fake: FakeDzen, setup: str, words: str) -> None:
    article = simple("d" * 24, "Закрытая", 5)
    if setup != "missing":
        fake.add(article)
    path = f"/a/{article.article_id}"
    if setup == "sso_always":
        fake.sso = fake.sso_always = True
    elif setup == "captcha":
        fake.captcha.add(path)
    elif setup == "blocked":
        fake.blocked.add(path)
    report = run(site, fake, article.url)
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and words in outcome.reason
    assert not report.ok and not list((site / "content/posts").iterdir())


def test_server_errors_rate_limits_and_truncation_are_retried(site: Path, fake: FakeDzen) -> None:
    article = fake.add(simple("e" * 24, "Нестабильная", 6))
    path = f"/a/{article.article_id}"
    fake.faults[path] = [500, 503, 429]
    fake.truncate.add("/get-zen_doc/77/" + article.images["i"].name + "/orig")
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "imported", outcome
    assert fake.paths(path).count(path) == 4


def test_retry_after_is_honoured(site: Path, fake: FakeDzen) -> None:
    article = fake.add(simple("f" * 24, "Медленнее", 6))
    fake.faults[f"/a/{article.article_id}"] = [429]
    fake.retry_after = "1"
    slept: list[float] = []
    (outcome,) = run(site, fake, article.url, sleep=slept.append).outcomes
    assert outcome.status == "imported" and 1.0 in slept  # the wait the server asked for, not the backoff


def test_persistent_failures_and_timeouts_fail_cleanly(site: Path, fake: FakeDzen) -> None:
    a = fake.add(simple("1" * 24, "Всегда 500", 6))
    b = fake.add(simple("2" * 24, "Очень медленная", 7))
    fake.faults[f"/a/{a.article_id}"] = [500] * 10
    fake.slow[f"/a/{b.article_id}"] = 1.5
    report = run(site, fake, a.url, b.url, timeout=0.3)
    reasons = {o.source: o.reason for o in report.outcomes}
    assert all(o.status == "failed" for o in report.outcomes)
    assert "HTTP 500" in reasons[a.url] and "network error" in reasons[b.url]


def test_politeness_concurrency_and_delay(site: Path, fake: FakeDzen) -> None:
    for n in range(4):
        fake.add(simple(f"3{n:023x}", f"Вежливая {n}", 1 + n), channel="articlinic")
    fake.slow = {f"/a/{a.article_id}": 0.2 for a in fake.articles.values()}
    run(site, fake, "https://dzen.ru/articlinic", concurrency=2)
    assert fake.max_in_flight <= 2
    fake.hits.clear()
    fake.slow.clear()
    run(site, fake, "https://dzen.ru/articlinic", delay=0.15, force=True)
    page_hits = [h.at for h in fake.hits if h.host == "dzen.ru"]
    gaps = [b - a for a, b in itertools.pairwise(page_hits)]
    assert gaps and min(gaps) >= 0.1  # 0.15 s apart when sent; arrival jitters on a loaded machine


def test_interrupted_import_resumes_where_it_stopped(site: Path, fake: FakeDzen) -> None:
    articles = [fake.add(simple(f"4{n:023x}", f"Продолжение {n}", 1 + n), channel="articlinic") for n in range(4)]

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    client = ClientOptions(host_map=fake.host_map, delay=0, concurrency=1)
    with pytest.raises(KeyboardInterrupt):
        import_sources(site, ["https://dzen.ru/articlinic"], ImportOptions(client=client), stop_after_two)
    first = set(fake.paths("/a/"))
    assert 2 <= len(first) < 4
    fake.hits.clear()
    report = import_sources(site, ["https://dzen.ru/articlinic"], ImportOptions(client=client))
    statuses = [o.status for o in report.outcomes]
    assert statuses.count("skipped") == len(first) and statuses.count("imported") == 4 - len(first)
    second = set(fake.paths("/a/"))
    assert not first & second and first | second == {f"/a/{a.article_id}" for a in articles}
    report = import_sources(site, ["https://dzen.ru/articlinic"], ImportOptions(client=client))
    assert report.counts()["unchanged"] == 4  # that run finished: the next one checks everything again


def test_saved_html_pages_and_url_lists(site: Path, fake: FakeDzen, tmp_path: Path) -> None:
    saved = fake.add(back_pain())
    page = tmp_path / "Боль в спине — Дзен.html"
    page.write_text(article_page(saved), encoding="utf-8")
    other = fake.add(simple("5" * 24, "Из списка", 9))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# мои статьи\n\n{other.url}?from=feed\n", encoding="utf-8")
    report = run(site, fake, str(page), str(urls))
    assert [o.status for o in report.outcomes] == ["imported", "imported"]
    assert not [h for h in fake.hits if h.path == f"/a/{saved.article_id}"]  # the saved page was not fetched


def test_dry_run_writes_nothing(site: Path, fake: FakeDzen) -> None:
    article = fake.add(back_pain())
    report = run(site, fake, article.url, dry_run=True)
    assert report.dry_run and report.outcomes[0].status == "imported"
    assert not list((site / "content/posts").iterdir()) and not list((site / "public").iterdir())


def test_images_come_only_from_dzens_cdn(site: Path, fake: FakeDzen) -> None:
    article = simple("6" * 24, "Чужая картинка", 9)
    article.blocks.append({"key": "x", "text": "", "type": "atomic:image", "depth": 0, "inlineStyleRanges": [],
                           "entityRanges": [], "data": {"image": {"url": "https://evil.example/track.jpg"}}})
    fake.add(article)
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "imported"
    assert any("evil.example" in w and "not fetched" in w for w in outcome.warnings)
    assert not [h for h in fake.hits if "evil" in h.host]


def test_paywalled_article_imports_what_is_visible_and_warns(site: Path, fake: FakeDzen) -> None:
    article = simple("7a" * 12, "Только для Про", 9)
    article.visibility = "premium_subscribers_only"
    fake.add(article)
    (outcome,) = run(site, fake, article.url).outcomes
    assert outcome.status == "imported" and any("Дзен Про" in w for w in outcome.warnings)


def test_draft_and_tags_options(site: Path, fake: FakeDzen) -> None:
    article = fake.add(simple("8a" * 12, "Черновик", 9))
    (outcome,) = run(site, fake, article.url, draft=True, tags=["спина"]).outcomes
    meta, _, _ = front(Path(outcome.path))
    assert meta["draft"] is True and meta["tags"] == ["спина"]


def test_cookies_files_are_sent(site: Path, fake: FakeDzen, tmp_path: Path) -> None:
    article = fake.add(simple("9a" * 12, "С куками", 9))
    netscape = tmp_path / "cookies.txt"
    netscape.write_text("# Netscape HTTP Cookie File\n.dzen.ru\tTRUE\t/\tTRUE\t0\tSession_id\tabc123\n",
                        encoding="utf-8")
    run(site, fake, article.url, cookies=netscape)
    assert any("Session_id=abc123" in h.cookie for h in fake.hits)
    exported = tmp_path / "cookies.json"
    exported.write_text(json.dumps([{"name": "zen_sso_checked", "value": "1", "domain": ".dzen.ru", "path": "/"}]),
                        encoding="utf-8")
    fake.hits.clear()
    run(site, fake, article.url, cookies=exported)
    assert any("zen_sso_checked=1" in h.cookie for h in fake.hits)


def test_imported_site_builds(site: Path, fake: FakeDzen) -> None:
    from dzenpress import build, load_site

    run(site, fake, fake.add(back_pain()).url)
    report = build(load_site(site))
    assert f"blog/{SLUG}/index.html" in report.written
    html = (site / f"dist/blog/{SLUG}/index.html").read_text(encoding="utf-8")
    assert html.count("<h1") == 1 and "<script>alert" not in html


def test_unreadable_list_of_urls_is_reported(site: Path, fake: FakeDzen, tmp_path: Path) -> None:
    bad = tmp_path / "urls.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    (outcome,) = run(site, fake, str(bad)).outcomes
    assert outcome.status == "failed" and "UTF-8" in outcome.reason
