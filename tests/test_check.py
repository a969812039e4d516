"""`dzenpress check`: passes on what build makes; every listed defect, planted in a built site, is caught."""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from dzenpress import dates
from dzenpress.check import check_site
from dzenpress.check.model import CheckReport
from dzenpress.cli import app
from dzenpress.scaffold import init_site

from helpers import build_site

POST = "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html"
OTHER = "blog/ploskostopie-i-bol-v-kolenyah/index.html"
URL = "https://opora-clinic.example"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE

    site = tmp_path_factory.mktemp("check") / "clinic"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    mp = pytest.MonkeyPatch()
    mp.setattr(dates, "now", lambda: datetime(2026, 5, 21, tzinfo=ZoneInfo("Europe/Moscow")))
    try:
        build_site(site)  # with an item in rss-dzen.xml, so the Dzen feed checks have something to check
    finally:
        mp.undo()
    return site


@pytest.fixture
def site(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(pristine, target)
    return target


def errors(report: CheckReport) -> set[tuple[str, str]]:
    return {(f.page, f.code) for f in report.findings if f.level == "error"}


def warnings(report: CheckReport) -> set[tuple[str, str]]:
    return {(f.page, f.code) for f in report.findings if f.level == "warning"}


def edit(site: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace `old` in a built page; `re:` before `old` makes it a pattern (image names are content digests)."""
    path = site / "dist" / rel
    text = path.read_text(encoding="utf-8")
    if old.startswith("re:"):
        assert re.search(old[3:], text), f"{old!r} not in {rel}"
        path.write_text(re.sub(old[3:], new, text, count=count), encoding="utf-8")
        return
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_built_example_passes(pristine: Path) -> None:
    report = check_site(pristine)
    assert report.findings == []  # no errors and no warnings: the build passes its own audit
    assert report.pages >= 25 and report.links_checked > 300
    assert "<item>" in (pristine / "dist/rss-dzen.xml").read_text(encoding="utf-8")


def test_built_init_site_passes(tmp_path: Path) -> None:
    init_site(tmp_path / "new")
    build_site(tmp_path / "new")
    report = check_site(tmp_path / "new")
    assert report.findings == []


def test_search_console_verification_files_are_not_pages(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    site = tmp_path / "verified"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    (site / "public/google1a2b3c4d5e6f7a8b.html").write_text("google-site-verification: google1a2b3c4d5e6f7a8b.html")
    (site / "public/yandex_0123456789abcdef.html").write_text(
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>'
        "<body>Verification: 0123456789abcdef</body></html>")
    build_site(site)
    assert "google1a2b" not in (site / "dist/sitemap.xml").read_text() and (site / "dist/google1a2b3c4d5e6f7a8b.html").is_file()
    assert errors(check_site(site)) == set()


def test_site_without_trailing_slashes_passes(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    site = tmp_path / "flat"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    config = site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("trailing_slash = true", "trailing_slash = false"),
                      encoding="utf-8")
    build_site(site)
    assert (site / "dist/blog/gryzha-diska-kogda-nuzhna-operaciya.html").is_file()
    assert errors(check_site(site)) == set()


PAGE_DEFECTS = [
    # (file, text to replace, replacement, code of the error on that file)
    (POST, "<title>", "<title>Ещё один</title><title>", "title-count"),
    (POST, "<h1>", "<h1>Два заголовка</h1><h1>", "h1-count"),
    (POST, "<title>Грыжа диска: когда нужна операция, а когда нет</title>", "<title> </title>",
     "title-empty"),
    (POST, '<meta name="description" content="Большинство', '<meta name="description" content=" "><meta name="x" '
     'content="', "description-empty"),
    (POST, 'name="description" content="Большинство', 'name="description" content="5 тыс подписчиков Подписаться. '
     "Большинство", "description-chrome"),
    (POST, 'name="description" content="Большинство', 'name="description" content="См. https://dzen.ru/a/x '
     "Большинство", "description-url"),
    (POST, '<link rel="canonical"', '<link rel="canonical" href="https://opora-clinic.example/x/"><link rel="canonical"',
     "canonical-count"),
    (POST, '<link rel="canonical" href="https://opora-clinic.example/blog/gryzha-diska-kogda-nuzhna-operaciya/">',
     "", "canonical-count"),
    (POST, '<link rel="canonical" href="https://opora-clinic.example/blog/gryzha-diska-kogda-nuzhna-operaciya/">',
     '<link rel="canonical" href="https://opora-clinic.example/blog/">', "canonical-mismatch"),
    (POST, '<link rel="canonical" href="https://opora-clinic.example/blog/gryzha-diska-kogda-nuzhna-operaciya/">',
     '<link rel="canonical" href="https://opora-clinic.example/blog/gryzha-diska-kogda-nuzhna-operaciya">',
     "canonical-mismatch"),
    (POST, r're:src="(/_img/cover-[0-9]+-[0-9a-f]+\.jpg)"', r'src="\1" srcset="/_img/x-800.avif 800w, \1 1200w"',
     "missing-image"),
    (POST, '<img src="/logo.png"', '<img src="/net.png"', "missing-image"),
    (POST, r're:<meta property="og:image" content="[^"]+">',
     '<meta property="og:image" content="https://opora-clinic.example/og/none.jpg">', "missing-image"),
    (POST, r're:<meta name="twitter:image" content="[^"]+">', '<meta name="twitter:image" content="/og/none.jpg">',
     "missing-image"),
    (POST, r're:"image":\[\{"@type":"ImageObject","url":"[^"]+"',
     '"image":[{"@type":"ImageObject","url":"https://opora-clinic.example/og/gone.jpg"', "missing-image"),
    (POST, '<a href="/contacts/">', '<a href="/kontakty/">', "missing-link"),
    (POST, '<a href="/contacts/">', '<a href="../net-takoj/">', "missing-link"),
    (POST, '<a class="skip" href="#main">', '<a class="skip" href="#net-takogo">', "broken-anchor"),
    (POST, '<a href="/contacts/">', '<a href="/blog/ploskostopie-i-bol-v-kolenyah/#net-takogo">', "broken-anchor"),
    (POST, '<a href="/contacts/">', '<a href="https://dzen.ru/away?to=https%3A%2F%2Fexample.org">', "dzen-away"),
    (POST, '<a href="/contacts/">', '<a href="https://dzen.ru/articlinic">', "dzen-channel"),
    (POST, '<a href="/contacts/">', '<a href="https://zen.yandex.ru/id/5f1d8a1b2c3d4e5f6a7b8c9d">', "dzen-channel"),
    (POST, '{"@context"', '{"@context":,', "jsonld-invalid"),
    (POST, '"@type":"BlogPosting",', "", "jsonld-invalid"),
    (POST, '"@context":"https://schema.org",', "", "jsonld-invalid"),
    (POST, '<html lang="ru">', "<html>", "lang"),
    (POST, '<meta name="viewport" content="width=device-width, initial-scale=1">', "", "viewport"),
    ("404.html", '<meta name="robots" content="noindex, follow">', "", "404-indexable"),
]


@pytest.mark.parametrize(("rel", "old", "new", "code"), PAGE_DEFECTS, ids=[d[3] + str(i) for i, d in
                                                                            enumerate(PAGE_DEFECTS)])
def test_page_defect_is_an_error(site: Path, rel: str, old: str, new: str, code: str) -> None:
    edit(site, rel, old, new)
    report = check_site(site)
    assert (rel, code) in errors(report), report.findings
    assert not report.ok


def test_link_to_a_missing_file_and_a_javascript_link(site: Path) -> None:
    (site / "dist/logo.png").unlink()
    edit(site, OTHER, '<a href="/contacts/">', '<a href="javascript:alert(1)">')
    report = check_site(site)
    assert (POST, "missing-image") in errors(report) and (OTHER, "javascript-link") in errors(report)


def test_sitemap_defects(site: Path) -> None:
    (site / "dist/extra").mkdir()
    (site / "dist/extra/index.html").write_text(
        (site / "dist/contacts/index.html").read_text(encoding="utf-8").replace("/contacts/", "/extra/"),
        encoding="utf-8")
    edit(site, "sitemap.xml", f"<url><loc>{URL}/contacts/</loc></url>", "")
    edit(site, "sitemap.xml", "</urlset>", f"<url><loc>{URL}/blog/</loc></url><url><loc>{URL}/404.html</loc></url>"
                                           f"<url><loc>{URL}/blog/mrt-ili-rentgen/</loc></url>"
                                           f"<url><loc>{URL}/net/</loc></url></urlset>")
    found = errors(check_site(site))
    assert ("contacts/index.html", "sitemap-unlisted") in found  # an HTML page from public/
    assert ("extra/index.html", "sitemap-unlisted") in found
    assert ("blog/index.html", "sitemap-duplicate") in found
    assert ("404.html", "sitemap-noindex") in found and ("blog/mrt-ili-rentgen/index.html", "sitemap-noindex") in found
    assert ("", "sitemap-broken") in found


def test_noindex_page_needs_no_sitemap_entry(site: Path) -> None:
    edit(site, "contacts/index.html", "<head>", '<head><meta name="robots" content="noindex">')
    edit(site, "sitemap.xml", f"<url><loc>{URL}/contacts/</loc></url>", "")
    assert errors(check_site(site)) == set()


def test_robots_and_missing_sitemap(site: Path) -> None:
    (site / "dist/robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    assert ("", "robots-sitemap") in errors(check_site(site))
    (site / "dist/robots.txt").unlink()
    (site / "dist/sitemap.xml").unlink()
    found = errors(check_site(site))
    assert ("", "robots-missing") in found and ("", "sitemap-missing") in found


@pytest.mark.parametrize(("rel", "old", "new", "words"), [
    ("rss.xml", "</channel>", "<item></channel", "not well-formed"),
    ("rss.xml", "<title>Клиника «Опора»</title>", "", "no <title>"),
    ("rss.xml", re.compile(r"<pubDate>[^<]*</pubDate>"), "<pubDate>вчера</pubDate>", "RFC 822"),
    ("atom.xml", "<updated>", "<updated></updated><x>", "not well-formed"),
    ("atom.xml", "<id>https://opora-clinic.example/</id>", "", "no <id>"),
    ("rss.xml", re.compile(r"<link>[^<]*/blog/[^<]*</link>"), "<link>https://opora-clinic.example/blog/net/</link>",
     "not a page of this site"),
    ("atom.xml", re.compile(r'type="text/html" href="https://opora-clinic.example/blog/[^"]+"'),
     'type="text/html" href="https://elsewhere.example/x/"', "not a page of this site"),
    ("rss-dzen.xml", re.compile(r"<link>[^<]*/blog/[^<]*</link>"), "<link>/blog/relative/</link>",
     "not a page of this site"),
    ("rss-dzen.xml", 'isPermaLink="false"', 'isPermaLink="true"', "isPermaLink"),
    ("rss-dzen.xml", "<category>index</category>", "<category>Здоровье</category>", "category"),
    ("rss-dzen.xml", '<media:rating scheme="urn:simple">nonadult</media:rating>', "", "media:rating"),
    ("rss-dzen.xml", "<![CDATA[<figure>", "<![CDATA[<div class='x'><script>1</script></div><figure>", "div, script"),
    ("rss-dzen.xml", 'type="image/jpeg"', 'type="image/webp"', "enclosure"),
    ("rss-dzen.xml", '<![CDATA[<figure><img src="https://opora-clinic.example/',
     '<![CDATA[<figure><img src="/', "absolute"),
])
def test_feed_defects(site: Path, rel: str, old: str | re.Pattern[str], new: str, words: str) -> None:
    if isinstance(old, re.Pattern):
        path = site / "dist" / rel
        path.write_text(old.sub(new, path.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    else:
        edit(site, rel, old, new)
    report = check_site(site)
    messages = [f.message for f in report.findings if f.level == "error" and f.page == ""]
    assert any(words in m and rel in m for m in messages), messages


def test_warnings(site: Path) -> None:
    long_title = "Грыжа диска: когда нужна операция, а когда нет — Клиника «Опора»"  # the headline + suffix
    edit(site, POST, "<title>Грыжа диска: когда нужна операция, а когда нет</title>", f"<title>{long_title}</title>")
    edit(site, POST, 'name="description" content="Большинство', 'name="description" content="' + "очень " * 30)
    edit(site, POST, 'alt="Грыжа диска: когда нужна операция, а когда нет" ', "")
    edit(site, POST, r're:(<img src="/logo.png" alt="") width="\d+" height="\d+"', r"\1")
    other = site / "dist" / OTHER
    text = re.sub(r"<title>.*?</title>", f"<title>{long_title}</title>", other.read_text(encoding="utf-8"), count=1)
    other.write_text(re.sub(r'<div class="prose">.*?</div>', "<p>Коротко.</p>", text, count=1, flags=re.S),
                     encoding="utf-8")
    home = (site / "dist" / "index.html").read_text(encoding="utf-8")
    said = re.search(r'<meta name="description" content="([^"]*)"', home)
    assert said is not None
    edit(site, "blog/index.html", 're:<meta name="description" content="[^"]*"',
         f'<meta name="description" content="{said.group(1)}"')
    found = warnings(check_site(site))
    for code in ("title-long", "description-long", "img-alt", "img-size", "short-article"):
        assert (POST, code) in found or (OTHER, code) in found, code
    assert (OTHER, "duplicate-title") in found or (POST, "duplicate-title") in found
    assert ("index.html", "duplicate-description") in found  # the home page repeats the blog's description


def test_report_groups_by_page_and_cli_exit_codes(site: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(site), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["ok"] is True and data["errors"] == 0 and data["pages"] >= 25
    edit(site, POST, "<h1>", "<h1>Два</h1><h1>")
    bad = runner.invoke(app, ["check", str(site)])
    assert bad.exit_code == 1
    lines = bad.stdout.splitlines()
    at = lines.index(POST)
    assert "h1-count" in lines[at + 1] and "errors" in lines[-1]
    data = json.loads(runner.invoke(app, ["check", str(site), "--format", "json"]).stdout)
    assert data["ok"] is False and data["by_page"][POST][0]["code"] == "h1-count"


def test_output_folder_alone_with_url(site: Path) -> None:
    assert errors(check_site(site / "dist")) == set()  # the URL comes from the home page's canonical
    edit(site, POST, "<h1>", "<h1>Два</h1><h1>")
    assert (POST, "h1-count") in errors(check_site(site / "dist", url=URL))


def offline(site: Path) -> None:
    """Point every outbound link of the built site away from the network: tests talk to 127.0.0.1 only."""
    for page in (site / "dist").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r'href="https?://(?!opora-clinic\.example)[^"]*"', 'href="mailto:x@example.org"', text),
                        encoding="utf-8")


class _Links:
    def __init__(self) -> None:
        self.hits: list[tuple[str, str]] = []
        links = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_HEAD(self) -> None:
                links.hits.append(("HEAD", self.path))
                code = {"/ok": 200, "/gone": 404, "/head-refused": 405, "/broken": 500}.get(self.path, 404)
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                links.hits.append(("GET", self.path))
                self.send_response(200 if self.path == "/head-refused" else 503)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.local = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.base = "http://links.test"  # a public name the host map sends to the local server


@pytest.fixture
def outbound(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Links]:
    links = _Links()
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"links.test={links.local}")
    yield links
    links.server.shutdown()


def test_external_links_checked_cached_and_bounded(site: Path, outbound: _Links) -> None:
    offline(site)
    base = outbound.base
    anchors = "".join(f'<a href="{base}/{p}">x</a>' for p in ("ok", "gone", "head-refused", "broken"))
    edit(site, POST, "<main", anchors + "<main")
    edit(site, OTHER, "<main", f'<a href="{base}/gone#frag">x</a><main')
    report = check_site(site, external=True, delay=0.0)
    found = {(f.page, f.level, f.message) for f in report.findings if f.code == "external-link"}
    assert any(p == POST and lvl == "error" and m.startswith(f"{base}/gone: HTTP 404") for p, lvl, m in found)
    assert any(p == OTHER and lvl == "error" and "gone" in m for p, lvl, m in found)
    assert any(p == POST and lvl == "warning" and "broken" in m for p, lvl, m in found)
    assert not any("/ok" in m or "head-refused" in m for _, _, m in found)
    assert ("GET", "/head-refused") in outbound.hits
    assert sum(1 for _, path in outbound.hits if path == "/gone") == 1  # the same URL once, fragment dropped
    before = len(outbound.hits)
    check_site(site, external=True, delay=0.0)
    assert len(outbound.hits) == before + 3  # only the failures are asked again: working links are cached
    assert (site / ".dzenpress/links.json").is_file()


def test_external_politeness_one_at_a_time_per_host(site: Path, outbound: _Links) -> None:
    offline(site)
    anchors = "".join(f'<a href="{outbound.base}/ok?{n}">x</a>' for n in range(4))
    edit(site, POST, "<main", anchors + "<main")
    started = datetime.now()
    check_site(site, external=True, delay=0.2)
    assert (datetime.now() - started).total_seconds() >= 0.6  # 4 requests to one host, 0.2 s apart


def test_external_limit(site: Path, outbound: _Links) -> None:
    offline(site)
    anchors = "".join(f'<a href="{outbound.base}/ok?{n}">x</a>' for n in range(6))
    edit(site, POST, "<main", anchors + "<main")
    check_site(site, external=True, delay=0.0, external_limit=2)
    assert len(outbound.hits) == 2


def test_external_check_of_an_output_folder_writes_nothing_into_it(site: Path, outbound: _Links) -> None:
    offline(site)
    edit(site, POST, "<main", f'<a href="{outbound.base}/ok">x</a><main')
    before = sorted(p for p in (site / "dist").rglob("*"))
    check_site(site / "dist", external=True, delay=0.0)
    assert outbound.hits == [("HEAD", "/ok")]
    assert sorted(p for p in (site / "dist").rglob("*")) == before


CONTACTS_HTML = """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Контакты</title>
<meta name="description" content="Адрес, телефон и часы работы клиники.">
<link rel="canonical" href="https://opora-clinic.example/contacts/">
<link rel="icon" href="/logo.png">
</head>
<body><main><h1>Контакты</h1><p>Москва, ул. Примерная, 1.</p><p><a href="/blog/">Блог</a></p></main></body>
</html>
"""


def test_public_pages_in_the_sitemap_unless_noindex(tmp_path: Path) -> None:
    from conftest import EXAMPLE

    site = tmp_path / "pub"
    shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("dist", ".dzenpress"))
    contacts = CONTACTS_HTML
    (site / "public/contacts").mkdir(parents=True, exist_ok=True)
    (site / "pages/contacts.md").unlink(missing_ok=True)
    (site / "public/contacts/index.html").write_text(contacts, encoding="utf-8")
    (site / "public/about.html").write_text(contacts.replace("/contacts/", "/about.html"), encoding="utf-8")
    (site / "public/private").mkdir()
    (site / "public/private/index.html").write_text(
        contacts.replace("/contacts/", "/private/").replace("<head>", '<head>\n<meta name="robots" content="noindex">'),
        encoding="utf-8")
    build_site(site)
    sitemap = (site / "dist/sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{URL}/contacts/</loc>" in sitemap and f"<loc>{URL}/about.html</loc>" in sitemap
    assert "/private/" not in sitemap
    assert errors(check_site(site)) == set()
    (site / "public/about.html").write_text(contacts.replace("/contacts/", "/about.html").replace("Контакты", "О нас"),
                                            encoding="utf-8")
    build_site(site)  # the sitemap is rebuilt when a public page changes
    assert f"<loc>{URL}/about.html</loc>" in (site / "dist/sitemap.xml").read_text(encoding="utf-8")
    (site / "public/about.html").write_text(
        contacts.replace("/contacts/", "/about.html").replace("<head>", '<head><meta name="robots" content="noindex">'),
        encoding="utf-8")
    build_site(site)
    assert "about.html" not in (site / "dist/sitemap.xml").read_text(encoding="utf-8")
