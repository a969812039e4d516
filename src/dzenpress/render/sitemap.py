"""sitemap.xml (posts, lists, pages/ and indexable public HTML), robots.txt and posts.json."""

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
    entries += [(pages.urls.absolute(p.route), None) for p in pages.site.pages if not p.noindex]
    entries += [(pages.cfg.url + route, None) for route in public_html(pages)]
    return entries


_NOINDEX = re.compile(rb"<meta\s[^>]*name=[\"']?robots[\"']?[^>]*content=[\"'][^\"']*noindex", re.I)
_REFRESH = re.compile(rb"<meta\s[^>]*http-equiv=[\"']?refresh", re.I)
VERIFICATION_FILE = re.compile(r"(?:google[0-9a-z]+|yandex_[0-9a-z]+)\.html", re.I)  # search consoles' proofs


def public_html(pages: Pages) -> list[str]:
    """Site paths of the HTML pages in public/ that search engines should index (not 404s, redirects, noindex)."""
    routes = []
    for rel in sorted(pages.site.public_files):
        name = rel.rsplit("/", 1)[-1]
        if not rel.endswith(".html") or name == "404.html" or rel == "/index.html" or VERIFICATION_FILE.fullmatch(name):
            continue
        try:
            head = (pages.site.public_dir / rel.lstrip("/")).read_bytes()[:16384]
        except OSError:
            continue
        if _NOINDEX.search(head) or _REFRESH.search(head):
            continue
        if rel.endswith("/index.html"):
            routes.append(rel.removesuffix("index.html"))
        else:
            routes.append(rel if pages.cfg.trailing_slash else rel.removesuffix(".html"))
    return routes


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
    extra = tuple((p.route, p.noindex) for p in pages.site.pages) + tuple(
        (rel, stat) for rel, stat in sorted(pages.site.public_files.items()) if rel.endswith(".html"))
    return Page("sitemap.xml", "", ("sitemap", pages.structure, digest(dates.encode()), extra), make)


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
