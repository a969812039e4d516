"""sitemap.xml (posts, lists, pages/ and indexable public HTML), robots.txt and posts.json."""

from __future__ import annotations

import re
from datetime import datetime

import jinja2

from dzenpress import routes
from dzenpress.render.pages import Context, Page, Pages, render_text
from dzenpress.routes import Urls

# each from the template of its own name
SITEMAP = routes.output_of(routes.SITEMAP)
POSTS_JSON = routes.output_of(routes.POSTS_JSON)
ROBOTS = routes.output_of(routes.ROBOTS)


def index_pages(pages: Pages) -> list[Page]:
    # derived in every build: it lists pages/ and public/ HTML, which are neither posts nor views of one
    out = [Page(SITEMAP, SITEMAP, render_sitemap, lambda: _sitemap_context(pages), derive=True),
           Page(POSTS_JSON, POSTS_JSON, render_posts_json, lambda: _posts_json_context(pages))]
    if routes.ROBOTS not in pages.site.public_files:
        out.append(Page(ROBOTS, ROBOTS, render_robots, dict))
    return out


def _sitemap_context(pages: Pages) -> Context:
    return {"posts": tuple(pages.dated(i) for i in range(len(pages.posts))),
            "tags": tuple((slug, tuple(m)) for slug, m in sorted(pages.tags.items())),
            "pages": tuple(p.route for p in pages.site.pages if not p.noindex),
            "public": tuple(public_html(pages))}


def _posts_json_context(pages: Pages) -> Context:
    return {"posts": tuple(pages.listing(i) for i in range(len(pages.posts)))}


def render_robots(env: jinja2.Environment, c: Context) -> str:
    return render_text(env, ROBOTS, c, sitemap_url=c["site"].urls.file(routes.SITEMAP))


def _urls(c: Context) -> list[tuple[str, datetime | None]]:
    posts, per, urls = c["posts"], c["site"].posts_per_page, c["site"].urls
    newest = posts[0].modified if posts else None
    entries: list[tuple[str, datetime | None]] = [(urls.absolute(routes.HOME), newest)]

    def lists(route: object, members: range | tuple[int, ...]) -> None:
        for n in range(1, max(1, -(-len(members) // per)) + 1):
            chunk = members[(n - 1) * per : n * per]
            last = max((posts[j].modified for j in chunk), default=None)
            entries.append((urls.absolute(route(n)), last))  # type: ignore[operator]

    lists(Urls.blog, range(len(posts)))
    for slug, members in c["tags"]:
        lists(lambda n, s=slug: Urls.tag(s, n), members)
    entries += [(urls.absolute(Urls.post(p.slug)), p.modified) for p in posts]
    entries += [(urls.absolute(route), None) for route in c["pages"]]
    entries += [(urls.file(route), None) for route in c["public"]]
    return entries


_NOINDEX = re.compile(rb"<meta\s[^>]*name=[\"']?robots[\"']?[^>]*content=[\"'][^\"']*noindex", re.I)
_REFRESH = re.compile(rb"<meta\s[^>]*http-equiv=[\"']?refresh", re.I)
VERIFICATION_FILE = re.compile(r"(?:google[0-9a-z]+|yandex_[0-9a-z]+)\.html", re.I)  # search consoles' proofs


def public_html(pages: Pages) -> list[str]:
    """Site paths of the HTML pages in public/ that search engines should index (not 404s, redirects, noindex)."""
    found = []
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
        found.append(pages.urls.html_route(rel))
    return found


def render_sitemap(env: jinja2.Environment, c: Context) -> str:
    return render_text(env, SITEMAP, c, entries=_urls(c))


def render_posts_json(env: jinja2.Environment, c: Context) -> str:
    urls: Urls = c["site"].urls
    records = [
        {"slug": p.slug, "url": urls.absolute(Urls.post(p.slug)), "title": p.title,
         "excerpt": p.description, "cover": p.cover, "tags": list(p.tags), "date": p.date.isoformat(),
         "updated": p.updated.isoformat() if p.updated else None, "source": p.source}
        for p in c["posts"]]
    return render_text(env, POSTS_JSON, c, records=records)
