"""End to end: the bundled example site builds into the expected tree, every local link resolves."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import build_site, page


def test_example_site_output_tree(example_site: Path) -> None:
    report = build_site(example_site)
    out = example_site / "dist"
    expected = {
        "index.html", "404.html", "rss.xml", "atom.xml", "sitemap.xml", "robots.txt", "posts.json",
        "assets/dzenpress.css", "logo.png", "contacts/index.html", "blog/index.html", "blog/page/2/index.html",
        "blog/page/3/index.html", "blog/tag/spina/index.html", "blog/mrt-ili-rentgen/index.html", "search/index.html",
    }
    files = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.parts[len(out.parts)] != "pagefind"}
    assert expected <= files
    posts = [p for p in (example_site / "content/posts").glob("*.md") if "draft: true" not in p.read_text()]
    for post in posts:
        assert f"blog/{post.stem}/index.html" in files
        assert f"blog/{post.stem}/cover.jpg" in files
    assert sorted(report.written) == sorted(files)


def test_every_local_link_and_image_resolves(example_site: Path) -> None:
    build_site(example_site)
    out = example_site / "dist"
    for html in out.rglob("*.html"):
        tree = page(example_site, str(html.relative_to(out)))
        for node in tree.css("a[href], img[src], link[href]"):
            ref = node.attributes.get("href") or node.attributes.get("src") or ""
            parts = urlsplit(ref)
            if parts.scheme in ("mailto", "tel") or (parts.netloc and parts.netloc != "opora-clinic.example"):
                continue
            path = unquote(parts.path)
            if not path:
                continue
            target = out / path.lstrip("/")
            assert target.is_file() or (target / "index.html").is_file(), (html, ref)
