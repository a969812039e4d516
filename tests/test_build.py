"""What the build writes: pages, SEO head, feeds, sitemap, robots, posts.json."""

import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from dzenpress.errors import DzenpressError

from helpers import build_site, jsonld, meta, page

POST = "blog/gryzha-diska-kogda-nuzhna-operaciya/index.html"
URL = "https://opora-clinic.example"
NS = {"atom": "http://www.w3.org/2005/Atom", "content": "http://purl.org/rss/1.0/modules/content/",
      "sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def built(example_site: Path) -> Path:
    build_site(example_site)
    return example_site


def test_post_page_content(built: Path) -> None:
    tree = page(built, POST)
    assert len(tree.css("h1")) == 1
    assert tree.css_first("h1").text() == "Грыжа диска: когда нужна операция, а когда нет"
    time = tree.css_first("article time")
    assert time.attributes["datetime"].startswith("2025-10-07") and time.text() == "7 октября 2025"
    text = tree.body.text()
    assert "Анна Смирнова" in text and "Игорь Петров" in text and "мин чтения" in text
    assert re.search(r"^/_img/cover-\d+-[0-9a-f]{10}\.jpg$", tree.css_first("figure.cover img").attributes["src"])
    assert [a.text() for a in tree.css(".tags a")] == ["#спина", "#грыжа"]  # opora, dzen: site.hidden_tags
    assert tree.css(".related .card") and tree.css(".prev-next a")
    assert tree.css_first(".cta h2").text() == "Запишитесь на консультацию"
    assert tree.css_first('a[href="tel:+74951234567"]') is not None


def test_post_head_seo(built: Path) -> None:
    tree = page(built, POST)
    canonical = tree.css('link[rel="canonical"]')
    assert len(canonical) == 1
    assert canonical[0].attributes["href"] == f"{URL}/blog/gryzha-diska-kogda-nuzhna-operaciya/"
    assert tree.css_first("html").attributes["lang"] == "ru"
    assert tree.css_first("title").text().startswith("Грыжа диска")
    desc = meta(tree, "description")
    assert desc and desc.startswith("Большинство грыж") and len(desc) <= 160
    assert meta(tree, "og:type") == "article" and meta(tree, "og:locale") == "ru_RU"
    assert meta(tree, "og:url") == canonical[0].attributes["href"]
    assert re.fullmatch(rf"{URL}/_img/cover-og-1200-[0-9a-f]{{10}}\.jpg", meta(tree, "og:image") or "")
    assert (meta(tree, "og:image:width"), meta(tree, "og:image:height")) == ("1200", "630")
    assert meta(tree, "og:site_name") == "Клиника «Опора»"
    assert meta(tree, "twitter:card") == "summary_large_image"
    article, crumbs = jsonld(tree)
    assert article["@type"] == "BlogPosting" and article["headline"].startswith("Грыжа диска")
    assert article["datePublished"].startswith("2025-10-07") and article["dateModified"].startswith("2026-02-10")
    assert article["author"] == {"@type": "Person", "name": "Анна Смирнова, невролог"}
    assert article["publisher"]["logo"]["url"] == f"{URL}/logo.png"
    assert article["mainEntityOfPage"]["@id"] == canonical[0].attributes["href"]
    assert article["image"] == [{"@type": "ImageObject", "url": meta(tree, "og:image"), "width": 1200, "height": 630}]
    assert [i["position"] for i in crumbs["itemListElement"]] == [1, 2, 3]


def test_home_page_has_organisation(built: Path) -> None:
    tree = page(built, "index.html")
    org = next(d for d in jsonld(tree) if d["@type"] == "MedicalClinic")
    assert org["telephone"] == "+7 (495) 123-45-67" and org["address"]["addressLocality"] == "Москва"
    assert "https://t.me/opora_clinic" in org["sameAs"]
    assert len(tree.css(".card")) == 6 and len(tree.css("h1")) == 1


def test_pagination(built: Path) -> None:
    first, second = page(built, "blog/index.html"), page(built, "blog/page/2/index.html")
    assert len(first.css(".card")) == 4
    assert first.css_first('link[rel="next"]').attributes["href"] == f"{URL}/blog/page/2/"
    assert first.css_first('link[rel="prev"]') is None
    assert second.css_first('link[rel="prev"]').attributes["href"] == f"{URL}/blog/"
    assert second.css_first('link[rel="canonical"]').attributes["href"] == f"{URL}/blog/page/2/"
    assert meta(first, "description") != meta(second, "description")
    last = page(built, "blog/page/3/index.html")
    assert last.css_first('link[rel="next"]') is None and len(last.css(".card")) == 2


def test_tag_pages(built: Path) -> None:
    tree = page(built, "blog/tag/spina/index.html")
    assert tree.css_first("h1").text().startswith("Тема: спина")
    assert len(tree.css(".card")) == 4
    assert (built / "dist/blog/tag/spina/page/2/index.html").exists()


def test_drafts_not_published_404_noindex_aliases(built: Path) -> None:
    assert not (built / "dist/blog/chernovik-novye-metody-reabilitacii").exists()
    assert meta(page(built, "404.html"), "robots") == "noindex, follow"
    alias = page(built, "blog/mrt-ili-rentgen/index.html")
    assert alias.css_first('meta[http-equiv="refresh"]').attributes["content"].endswith(
        "/blog/mrt-ili-rentgen-chto-vybrat-pri-boli-v-spine/")
    assert meta(alias, "robots") == "noindex"


def test_rss_is_valid_rss2(built: Path) -> None:
    root = ET.parse(built / "dist/rss.xml").getroot()
    assert root.tag == "rss" and root.attrib["version"] == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for required in ("title", "link", "description", "language"):
        assert channel.findtext(required)
    items = channel.findall("item")
    assert len(items) == 10
    dates = [parsedate_to_datetime(i.findtext("pubDate") or "") for i in items]
    assert dates == sorted(dates, reverse=True)
    first = items[0]
    assert first.findtext("link") == first.findtext("guid") == f"{URL}/blog/ploskostopie-i-bol-v-kolenyah/"
    content = first.findtext("content:encoded", namespaces=NS) or ""
    assert f'src="{URL}/blog/ploskostopie-i-bol-v-kolenyah/img-0.jpg"' in content
    self_link = channel.find("atom:link", NS)
    assert self_link is not None and self_link.attrib["href"] == f"{URL}/rss.xml"


def test_atom_is_valid(built: Path) -> None:
    root = ET.parse(built / "dist/atom.xml").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"atom:{required}", NS) is not None
    entries = root.findall("atom:entry", NS)
    assert len(entries) == 10
    for entry in entries:
        for required in ("id", "title", "updated", "link", "content", "summary"):
            assert entry.find(f"atom:{required}", NS) is not None, required


def test_sitemap_lists_indexable_pages(built: Path) -> None:
    root = ET.parse(built / "dist/sitemap.xml").getroot()
    locs = {u.findtext("sm:loc", namespaces=NS): u.findtext("sm:lastmod", namespaces=NS)
            for u in root.findall("sm:url", NS)}
    assert f"{URL}/" in locs and f"{URL}/blog/" in locs and f"{URL}/blog/page/3/" in locs
    assert locs[f"{URL}/blog/gryzha-diska-kogda-nuzhna-operaciya/"].startswith("2026-02-10")
    assert f"{URL}/blog/tag/spina/" in locs
    assert not any("404" in u or u.rsplit("blog/", 1)[-1] == "mrt-ili-rentgen/" for u in locs)
    assert all(u.startswith(URL) for u in locs)


def test_robots_generated_or_taken_from_public(built: Path, example_site: Path) -> None:
    assert f"Sitemap: {URL}/sitemap.xml" in (built / "dist/robots.txt").read_text()
    (example_site / "public/robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    build_site(example_site)
    assert "Disallow: /private/" in (built / "dist/robots.txt").read_text()


def test_posts_json(built: Path) -> None:
    posts = json.loads((built / "dist/posts.json").read_text(encoding="utf-8"))
    assert len(posts) == 10
    first = posts[0]
    assert set(first) == {"slug", "url", "title", "excerpt", "cover", "tags", "date", "updated", "source"}
    hernia = next(p for p in posts if p["slug"] == "gryzha-diska-kogda-nuzhna-operaciya")
    assert hernia["source"] == "https://dzen.ru/a/ZumWFZ9ztwDXdcQc" and hernia["updated"].startswith("2026-02-10")


def test_public_files_and_stylesheet_copied(built: Path) -> None:
    assert (built / "dist/logo.png").read_bytes() == (built / "public/logo.png").read_bytes()
    assert (built / "dist/contacts/index.html").exists()
    assert (built / "dist/assets/dzenpress.css").read_text().startswith("/*")


def test_no_external_resources(built: Path) -> None:
    for html in (built / "dist").rglob("*.html"):
        tree = page(built, str(html.relative_to(built / "dist")))
        for node in tree.css("link[rel=stylesheet], script[src], img"):
            ref = node.attributes.get("href") or node.attributes.get("src") or ""
            assert not ref.startswith(("http://", "https://", "//")), (html, ref)


def test_trailing_slash_off(example_site: Path) -> None:
    cfg = example_site / "dzenpress.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("trailing_slash = true", "trailing_slash = false"),
                   encoding="utf-8")
    build_site(example_site)
    tree = page(example_site, "blog/gryzha-diska-kogda-nuzhna-operaciya.html")
    assert tree.css_first('link[rel="canonical"]').attributes["href"] == f"{URL}/blog/gryzha-diska-kogda-nuzhna-operaciya"
    assert (example_site / "dist/blog.html").exists() and (example_site / "dist/blog/page/2.html").exists()
    hrefs = [a.attributes["href"] for a in page(example_site, "blog.html").css(".card-title a")]
    assert hrefs and all(not h.endswith("/") for h in hrefs)


def test_template_override(example_site: Path) -> None:
    (example_site / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Своя страница</h1>{% endblock %}', encoding="utf-8")
    build_site(example_site)
    assert page(example_site, "404.html").css_first("h1").text() == "Своя страница"


def test_template_error_names_the_template(example_site: Path) -> None:
    (example_site / "templates/404.html").write_text("{% block main %}{{ nope.x }{% endblock %}", encoding="utf-8")
    with pytest.raises(DzenpressError, match="404.html"):
        build_site(example_site)


def test_output_folder_cannot_be_the_site(example_site: Path) -> None:
    cfg = example_site / "dzenpress.toml"
    cfg.write_text(cfg.read_text(encoding="utf-8") + '\n[paths]\noutput = "."\n', encoding="utf-8")
    with pytest.raises(DzenpressError, match=r"paths\.output"):
        build_site(example_site)
    assert (example_site / "content/posts").is_dir()


def test_public_well_known_is_published_other_hidden_files_are_not(example_site: Path) -> None:
    """security.txt, app links and domain checks live in /.well-known/; .git, .env and editor files do not ship."""
    (example_site / "public/.well-known").mkdir(parents=True)
    (example_site / "public/.well-known/security.txt").write_text("Contact: mailto:sec@example.org\n",
                                                                 encoding="utf-8")
    (example_site / "public/.env").write_text("SECRET=1\n", encoding="utf-8")
    (example_site / "public/docs/.well-known").mkdir(parents=True)  # only at the site's root
    (example_site / "public/docs/.well-known/x.txt").write_text("x", encoding="utf-8")
    (example_site / "content/.well-known").mkdir()
    (example_site / "content/.well-known/not-a-post.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    build_site(example_site)
    dist = example_site / "dist"
    assert (dist / ".well-known/security.txt").read_text(encoding="utf-8").startswith("Contact:")
    assert not (dist / ".env").exists() and not (dist / "docs/.well-known").exists()
    (example_site / "public/.well-known/security.txt").write_text("Contact: mailto:new@example.org\n",
                                                                 encoding="utf-8")
    assert ".well-known/security.txt" in build_site(example_site).written  # an edit is noticed
