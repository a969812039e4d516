"""rss-dzen.xml: the feed Dzen reads (dzen.md §8)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from dzenpress import dates
from dzenpress.config import load_config
from dzenpress.errors import ConfigError
from dzenpress.render.dzenrss import ALLOWED_TAGS, dzen_html
from dzenpress.render.markdown import render
from dzenpress.scaffold import placeholder_image

from helpers import build_site

URL = "https://opora-clinic.example"
NS = {"content": "http://purl.org/rss/1.0/modules/content/", "media": "http://search.yahoo.com/mrss/"}
MSK = ZoneInfo("Europe/Moscow")
FLAT_FEET = "ploskostopie-i-bol-v-kolenyah"


def at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> None:
    monkeypatch.setattr(dates, "now", lambda: when)


def configure(site: Path, text: str) -> None:
    (site / "dzenpress.toml").write_text((site / "dzenpress.toml").read_text(encoding="utf-8") + text,
                                         encoding="utf-8")


def items(site: Path) -> list[ET.Element]:
    root = ET.parse(site / "dist" / "rss-dzen.xml").getroot()
    channel = root.find("channel")
    assert channel is not None
    return channel.findall("item")


def tags_and_urls(html: str) -> tuple[set[str], list[str]]:
    tree = LexborHTMLParser(f"<body>{html}</body>")
    assert tree.body is not None
    tags = {n.tag or "" for n in tree.body.traverse()} - {"body", "-text", "-comment"}
    urls = [v for n in tree.css("[src], [href]") for v in (n.attributes.get("src"), n.attributes.get("href")) if v]
    return tags, urls


def test_fresh_post_item_has_everything_dzen_requires(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 5, 21, 12, tzinfo=MSK))
    report = build_site(example_site)
    raw = (example_site / "dist" / "rss-dzen.xml").read_text(encoding="utf-8")
    for ns in ("content", "dc", "media", "atom"):
        assert f"xmlns:{ns}=" in raw
    channel = ET.fromstring(raw).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Клиника «Опора»" and channel.findtext("link") == URL + "/"
    assert channel.findtext("language") == "ru"
    (item,) = items(example_site)  # only the post of 2026-05-19 is within 3 days
    assert item.findtext("link") == f"{URL}/blog/{FLAT_FEET}/"
    guid = item.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false" and guid.text and URL not in guid.text
    published = parsedate_to_datetime(item.findtext("pubDate") or "")
    assert published == datetime(2026, 5, 19, tzinfo=MSK)
    assert re.match(r"^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} 2026 ", item.findtext("pubDate") or "")
    assert item.findtext("description") and item.findtext("author") == "Клиника «Опора»"
    assert [c.text for c in item.findall("category")] == ["format-article", "index", "comment-all"]
    rating = item.find("media:rating", NS)
    assert rating is not None and rating.get("scheme") == "urn:simple" and rating.text == "nonadult"
    enclosure = item.find("enclosure")
    cover = example_site / "public/blog" / FLAT_FEET / "cover.jpg"
    assert enclosure is not None and enclosure.get("type") == "image/jpeg"
    assert enclosure.get("url") == f"{URL}/blog/{FLAT_FEET}/cover.jpg"
    assert enclosure.get("length") == str(cover.stat().st_size)
    content = item.findtext("content:encoded", namespaces=NS) or ""
    tags, urls = tags_and_urls(content)
    assert tags <= ALLOWED_TAGS and "p" in tags and "img" in tags
    assert urls and all(u.startswith(("https://", "http://", "mailto:", "tel:")) for u in urls)
    for junk in ("loading=", "decoding=", " id=", "class=", "<div", "<em>", "<strong>"):
        assert junk not in content
    assert not any("rss-dzen" in w for w in report.warnings)


def test_window_drafts_dzen_sources_and_limit(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 6, 2, tzinfo=MSK))
    configure(example_site, "\n[dzen_rss]\ndays = 400\nmax_items = 500\n")
    build_site(example_site, drafts=True)
    links = [i.findtext("link") or "" for i in items(example_site)]
    assert not any("dzen" in link or "chernovik" in link for link in links)  # drafts never; Dzen's own posts not
    assert not any("gryzha-diska" in link or "mrt-ili-rentgen" in link for link in links)
    assert len(links) == 6 and links[0].endswith(f"/{FLAT_FEET}/")  # newest first
    dates = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in items(example_site)]
    assert dates == sorted(dates, reverse=True)


def test_from_dzen_switch_and_max_items(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 6, 2, tzinfo=MSK))
    configure(example_site, "\n[dzen_rss]\ndays = 400\nmax_items = 3\ninclude_from_dzen = true\n"
                            'categories = ["native-draft", "format-article"]\n')
    build_site(example_site)
    feed = items(example_site)
    assert len(feed) == 3
    assert [c.text for c in feed[0].findall("category")] == ["native-draft", "format-article"]
    assert "rabochee-mesto" in (feed[2].findtext("link") or "")  # a post with a dzen.ru source, now fed


def test_future_posts_are_not_fed(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 5, 18, tzinfo=MSK))  # the day before the newest post
    configure(example_site, "\n[dzen_rss]\ndays = 45\n")
    build_site(example_site)
    assert [i.findtext("link") for i in items(example_site)] == [
        f"{URL}/blog/pervyj-priyom-u-nevrologa-kak-podgotovitsya/"]


def test_guid_follows_the_slug_only(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 5, 21, tzinfo=MSK))
    build_site(example_site)
    before = items(example_site)[0].findtext("guid")
    post = example_site / "content/posts" / f"{FLAT_FEET}.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("date: '2026-05-19'", "date: '2026-05-20'\nupdated: '2026-05-21'")
                    .replace("title: '", "title: 'Новое: ", 1), encoding="utf-8")
    build_site(example_site)
    (item,) = items(example_site)
    assert item.findtext("guid") == before and (item.findtext("title") or "").startswith("Новое: ")


@pytest.mark.parametrize(("width", "fmt", "expected"), [(699, ".jpg", None), (700, ".jpg", "image/jpeg"),
                                                         (900, ".png", "image/png"), (1200, ".webp", None)])
def test_enclosure_needs_a_wide_jpeg_or_png(example_site: Path, monkeypatch: pytest.MonkeyPatch, width: int,
                                            fmt: str, expected: str | None) -> None:
    at(monkeypatch, datetime(2026, 5, 21, tzinfo=MSK))
    name = "cover" + fmt
    (example_site / "public/blog" / FLAT_FEET / name).write_bytes(placeholder_image(width, 400, 1, fmt))
    post = example_site / "content/posts" / f"{FLAT_FEET}.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace(f"/blog/{FLAT_FEET}/cover.jpg", f"/blog/{FLAT_FEET}/{name}"), encoding="utf-8")
    report = build_site(example_site)
    (item,) = items(example_site)
    enclosure = item.find("enclosure")
    warned = [w for w in report.warnings if FLAT_FEET in w and "enclosure" in w]
    if expected is None:
        assert enclosure is None and len(warned) == 1
    else:
        assert enclosure is not None and enclosure.get("type") == expected and not warned


def test_a_build_after_the_window_moved_drops_the_item(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, datetime(2026, 5, 21, tzinfo=MSK))
    build_site(example_site)
    assert len(items(example_site)) == 1
    with monkeypatch.context() as m:  # nothing moved: still the quick no-op build, decided before loading posts
        m.setattr("dzenpress.project.Project.load", lambda *a, **k: pytest.fail("the site was loaded"))
        unchanged = build_site(example_site)
    assert unchanged.written == []
    at(monkeypatch, datetime(2026, 5, 25, tzinfo=MSK))  # no input changed, only the clock
    report = build_site(example_site)
    assert report.written == ["rss-dzen.xml"] and items(example_site) == []


def test_disabled_feed_is_not_written(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_site(example_site)
    assert (example_site / "dist/rss-dzen.xml").exists()
    configure(example_site, "\n[dzen_rss]\nenabled = false\n")
    report = build_site(example_site)
    assert "rss-dzen.xml" in report.removed and not (example_site / "dist/rss-dzen.xml").exists()


def test_categories_must_be_dzens(tmp_path: Path) -> None:
    (tmp_path / "dzenpress.toml").write_text('[site]\nurl = "https://a.ru"\nname = "A"\n[dzen_rss]\n'
                                             'categories = ["index", "native-yes"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.field == "dzen_rss.categories[1]" and "native-yes" in str(info.value)


def test_dzen_html_maps_site_markup_to_allowed_tags() -> None:
    md = ("Текст *курсив* и **жирный**, ~~зачёркнуто~~, `код`.\\\nВторая строка.\n\n##### Мелкий\n\n"
          "| A | B |\n|---|---|\n| 1 | 2 |\n\n```\nline one\nline <two>\n```\n\n![Фото](img-0.jpg)\n\n"
          "[якорь](#melkij) [сайт](/blog/) [внешняя](https://example.org/x)\n")
    out = dzen_html(render(md, site_host="opora-clinic.example"), f"{URL}/blog/post/")
    assert "<i>курсив</i>" in out and "<b>жирный</b>" in out and "<s>зачёркнуто</s>" in out
    assert "<p>Текст" in out and "</p><p>Вторая строка.</p>" in out
    assert "<h4>Мелкий</h4>" in out
    assert "<p><b>A</b> — <b>B</b></p>" in out and "<p>1 — 2</p>" in out
    assert "<blockquote><p>line one</p><p>line &lt;two&gt;</p></blockquote>" in out
    assert f'<figure><img src="{URL}/blog/post/img-0.jpg" alt="Фото"></figure>' in out
    assert f'href="{URL}/blog/post/#melkij"' in out and f'href="{URL}/blog/"' in out
    assert 'href="https://example.org/x"' in out and "rel=" not in out
    tags, _ = tags_and_urls(out)
    assert tags <= ALLOWED_TAGS


_BLOCKS = st.sampled_from([
    "Абзац с *курсивом* и **жирным**.", "## Заголовок", "###### Шестой", "- пункт\n- пункт", "1. раз\n2. два",
    "> цитата", "| a | b |\n|---|---|\n| 1 | 2 |", "```python\nx = 1 < 2\n```", "![alt](/blog/x/img.jpg)",
    "[ссылка](../other/)", "<div class=\"x\" id=\"y\"><span style=\"color:red\">сырой</span></div>",
    "<table><tr><td>ячейка</td></tr></table>", "<script>alert(1)</script>", "<iframe src=\"https://x\"></iframe>",
    "строка  \nперенос", "<video src=\"/v.mp4\"></video>", "<details><summary>s</summary>d</details>",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(_BLOCKS, min_size=1, max_size=8))
def test_dzen_html_never_leaves_the_whitelist(blocks: list[str]) -> None:
    out = dzen_html(render("\n\n".join(blocks)), f"{URL}/blog/post/")
    tags, urls = tags_and_urls(out)
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert all(u.startswith(("https://", "http://", "mailto:", "tel:")) for u in urls)
    assert "alert(1)" not in out and "style=" not in out and "class=" not in out
