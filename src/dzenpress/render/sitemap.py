"""sitemap.xml, robots.txt and posts.json."""

from __future__ import annotations

import json
import re
from datetime import datetime
from xml.sax.saxutils import escape

from dzenpress.hashing import digest
from dzenpress.render.pages import Page, Pages
from dzenpress.render.urls import Urls


def index_pages(pages: Pages) -> list[Page]:
    out = [_sitemap(pages), _posts_json(pages)]
    if "/robots.txt" not in pages.site.public_files:
        out.append(Page("robots.txt", "", ("robots", pages.cfg.url),
                        lambda: f"User-agent: *\nAllow: /\n\nSitemap: {pages.cfg.url}/sitemap.xml\n"))
    return out


def _urls(pages: Pages) -> list[tuple[str, datetime | None]]:
    posts, per = pages.posts, pages.cfg.posts_per_page
    newest = posts[0].modified if posts else None
    entries: list[tuple[str, datetime | None]] = [(pages.urls.absolute("/"), newest)]

    def lists(route: object, members: list[int]) -> None:
        for n in range(1, max(1, -(-len(members) // per)) + 1):
            chunk = members[(n - 1) * per : n * per]
            last = max((posts[j].modified for j in chunk), default=None)
            entries.append((pages.urls.absolute(route(n)), last))  # type: ignore[operator]

    lists(Urls.blog, list(range(len(posts))))
    for slug, members in sorted(pages.tags.items()):
        lists(lambda n, s=slug: Urls.tag(s, n), members)
    entries += [(pages.urls.absolute(Urls.post(p.slug)), p.modified) for p in posts]
    listed = {url for url, _ in entries}
    return entries + [(url, None) for url in _public_pages(pages) if url not in listed]


_NOT_INDEXED = re.compile(r"<meta\b[^>]*(?:\bnoindex\b|http-equiv=[\"']?refresh)", re.I)
VERIFICATION_FILE = re.compile(r"(?:google[0-9a-z]+|yandex_[0-9a-z]+)\.html", re.I)  # search consoles' proofs


def _public_pages(pages: Pages) -> list[str]:
    """HTML pages copied from public/ that search engines may index (not noindex, not a redirect)."""
    urls = []
    for path in sorted(p for p in pages.site.public_files if p.endswith(".html") and p != "/404.html"
                       and not VERIFICATION_FILE.fullmatch(p.rsplit("/", 1)[-1])):
        text = (pages.site.public_dir / path.lstrip("/")).read_text(encoding="utf-8", errors="replace")
        if not _NOT_INDEXED.search(text):
            urls.append(pages.cfg.url + (path.removesuffix("index.html") if path.endswith("/index.html") else path))
    return urls


def _sitemap(pages: Pages) -> Page:
    def make() -> str:
        out = ['<?xml version="1.0" encoding="utf-8"?>',
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        for url, lastmod in _urls(pages):
            mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
            out.append(f"<url><loc>{escape(url)}</loc>{mod}</url>")
        out += ["</urlset>", ""]
        return "\n".join(out)

    # URLs follow from post order and tags (the structure); lastmod from each post's date
    dates = "\n".join(p.modified.isoformat() for p in pages.posts)
    public = tuple((p, s) for p, s in sorted(pages.site.public_files.items()) if p.endswith(".html"))
    return Page("sitemap.xml", "", ("sitemap", pages.structure, digest(dates.encode()), public), make)


def _posts_json(pages: Pages) -> Page:
    def make() -> str:
        records = [
            {"slug": p.slug, "url": pages.urls.absolute(Urls.post(p.slug)), "title": p.title,
             "excerpt": p.description, "cover": p.cover, "tags": list(p.tags), "date": p.date.isoformat(),
             "updated": p.updated.isoformat() if p.updated else None, "source": p.source}
            for p in pages.posts]
        return json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n"  # compact: the C encoder

    fields = "\n".join(f"{item.key}\t{post.tags}\t{post.updated}\t{post.source}"
                       for item, post in zip(pages.items, pages.posts, strict=True))
    return Page("posts.json", "", ("posts.json", digest(fields.encode())), make)
