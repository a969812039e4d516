"""sitemap.xml, robots.txt and posts.json."""

from __future__ import annotations

import json
from datetime import datetime
from xml.sax.saxutils import escape

from dzenpress.build.pages import Page, Pages
from dzenpress.build.plan import digest
from dzenpress.build.urls import Urls


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
    return entries


def _sitemap(pages: Pages) -> Page:
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in _urls(pages):
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        out.append(f"<url><loc>{escape(url)}</loc>{mod}</url>")
    out += ["</urlset>", ""]
    text = "\n".join(out)  # cheap enough to make while planning; its digest is the page's key
    return Page("sitemap.xml", "", ("sitemap", digest(text.encode())), lambda: text)


def _posts_json(pages: Pages) -> Page:
    records = [
        {"slug": p.slug, "url": pages.urls.absolute(Urls.post(p.slug)), "title": p.title,
         "excerpt": p.description, "cover": p.cover, "tags": list(p.tags), "date": p.date.isoformat(),
         "updated": p.updated.isoformat() if p.updated else None, "source": p.source}
        for p in pages.posts]
    text = json.dumps(records, ensure_ascii=False, separators=(",", ":")) + "\n"  # compact: the C encoder
    return Page("posts.json", "", ("posts.json", digest(text.encode())), lambda: text)
