"""Every HTML page of the site: posts, blog index, tag pages, home, 404 and alias redirects.

Each page is described by what it is made of (`parts`) before anything is rendered, so the build can
tell which pages changed without rendering them.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2

from dzenpress import routes
from dzenpress.content.post import Post, read_body
from dzenpress.content.site import Site
from dzenpress.content.sitepage import SitePage
from dzenpress.errors import BuildError
from dzenpress.hashing import digest
from dzenpress.render import markdown, seo
from dzenpress.render.search import INDEX_DIR, SEARCH_ROUTE
from dzenpress.render.templating import labels
from dzenpress.render.urls import Urls

if TYPE_CHECKING:
    from dzenpress.images import ImagePlan

RELATED_COUNT = 3
_NEIGHBOURS = 6  # candidates taken around a post in each of its tags' date-ordered lists


@dataclass(frozen=True)
class Item:
    """A post as lists, cards and neighbours show it."""

    slug: str
    url: str
    title: str
    description: str
    cover: str
    date: datetime
    minutes: int
    key: str = ""  # hash of the fields above: what a page that shows this card depends on


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    url: str
    count: int


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    prev_url: str
    next_url: str


@dataclass
class Page:
    output: str  # file path relative to the output folder
    template: str
    parts: tuple[Any, ...]  # everything besides template and config that the page is made of
    make: Callable[[], str]


class Pages:
    """Derived site data (tags, related posts, neighbours) and the page list."""

    def __init__(self, site: Site, env: jinja2.Environment, css_version: str,
                 images: ImagePlan | None = None) -> None:
        self.site, self.cfg, self.env = site, site.config, env
        self.images = images
        self.urls = Urls(self.cfg)
        self.t = labels(self.cfg.language)
        self.host = (urlsplit(self.cfg.url).hostname or "").lower()
        self.posts = site.posts
        self.items = [self._item(p) for p in self.posts]
        self.position = {p.slug: i for i, p in enumerate(self.posts)}
        self.tags: dict[str, list[int]] = {}
        self.tag_names: dict[str, str] = {}
        self.hidden_tags = frozenset(self.urls.tag_slug(name) for name in self.cfg.hidden_tags)
        for i, post in enumerate(self.posts):
            for name in self.shown_tags(post):
                slug = self.urls.tag_slug(name)
                self.tag_names.setdefault(slug, name)
                members = self.tags.setdefault(slug, [])
                if not members or members[-1] != i:
                    members.append(i)
        self.related_cache: list[list[int]] | None = None  # may be filled from the build state
        self._weights = {slug: 1 / math.log2(1 + len(m)) for slug, m in self.tags.items()}
        self.common = {"site": self.cfg, "org": self.cfg.organization, "cta": self.cfg.cta, "t": self.t,
                       "css_version": css_version, "home_url": self.urls.path("/"),
                       "blog_url": self.urls.path(Urls.blog()), "search_url": self.urls.path(SEARCH_ROUTE),
                       "year": self.posts[0].date.year if self.posts else datetime.now().year}

    # ---- page list -------------------------------------------------------------------------

    def all(self) -> list[Page]:
        pages = [self.post_page(i) for i in range(len(self.posts))]
        pages += self.list_pages(Urls.blog, list(range(len(self.posts))), self.t["blog"], "", routes.BLOG)
        for slug, members in sorted(self.tags.items()):
            name = self.tag_names[slug]
            pages += self.list_pages(partial(_tag_route, slug), members, f"{self.t['tag']}: {name}", slug,
                                     routes.BLOG)
        pages.append(self.home_page())
        pages.append(self.not_found_page())
        pages += self.alias_pages()
        pages += [self.site_page(p) for p in self.site.pages]
        if self.cfg.search:
            pages.append(self.search_page())
        return pages

    def post_page(self, i: int) -> Page:
        post = self.posts[i]
        newer = self.items[i - 1] if i > 0 else None
        older = self.items[i + 1] if i + 1 < len(self.items) else None
        related = tuple(self.items[j] for j in self.related(i))
        parts = ("post", post.digest, post.description, older and older.key, newer and newer.key,
                 tuple(r.key for r in related), post.tags, self._images_key(post))
        return Page(self.urls.output(Urls.post(post.slug)), "post.html", parts,
                    lambda: self._render_post(post, older, newer, related))

    def list_pages(self, route: Callable[[int], str], members: list[int], heading: str, tag_slug: str,
                   nav: str) -> list[Page]:
        per = self.cfg.posts_per_page
        total = max(1, math.ceil(len(members) / per))
        pages = []
        for n in range(1, total + 1):
            items = tuple(self.items[j] for j in members[(n - 1) * per : n * per])
            pager = Pager(n, total, self.urls.path(route(n - 1)) if n > 1 else "",
                          self.urls.path(route(n + 1)) if n < total else "")
            all_tags = self.all_tags() if not tag_slug and n == 1 else ()
            parts = ("list", heading, tuple(i.key for i in items), pager, all_tags)
            make = partial(self._render_list, route(n), heading, tag_slug, items, pager, all_tags, nav)
            pages.append(Page(self.urls.output(route(n)), "list.html", parts, make))
        return pages

    def home_page(self) -> Page:
        items = tuple(self.items[: self.cfg.home_posts])
        return Page("index.html", "home.html", ("home", tuple(i.key for i in items)),
                    lambda: self._render_home(items))

    def not_found_page(self) -> Page:
        items = tuple(self.items[:3])
        return Page("404.html", "404.html", ("404", tuple(i.key for i in items)), lambda: self._render_404(items))

    def alias_pages(self) -> list[Page]:
        pages = []
        for post in self.posts:
            target = self.urls.absolute(Urls.post(post.slug))
            for alias in dict.fromkeys(post.aliases):
                try:
                    route = routes.alias_route(alias)  # load_site has refused bad aliases already
                except ValueError as exc:
                    raise BuildError(f"alias {alias!r} {exc}", path=post.path, field="aliases") from None
                pages.append(Page(self.urls.output(route), "", ("alias", target),
                                  partial(_redirect_html, target, self.t["redirect"], self.cfg.language)))
        return pages

    def site_page(self, page: SitePage) -> Page:
        return Page(self.urls.output(page.route), "page.html", ("page", page.digest, page.route),
                    lambda: self._render_site_page(page))

    def search_page(self) -> Page:
        return Page(self.urls.output(SEARCH_ROUTE), "search.html", ("search",), self._render_search)

    # ---- derived data ----------------------------------------------------------------------

    @property
    def structure(self) -> str:
        """Fingerprint of post order and tags: related posts depend on nothing else."""
        return digest("\n".join(f"{p.slug}\t{chr(9).join(self.shown_tags(p))}" for p in self.posts).encode())

    def shown_tags(self, post: Post) -> tuple[str, ...]:
        """The post's tags less `site.hidden_tags`: those are kept in the file but never shown or listed."""
        if not self.hidden_tags:
            return post.tags
        return tuple(n for n in post.tags if self.urls.tag_slug(n) not in self.hidden_tags)

    def related(self, i: int) -> list[int]:
        if self.related_cache is None:
            self.related_cache = [self._related(j) for j in range(len(self.posts))]
        return self.related_cache[i]

    def _related(self, i: int) -> list[int]:
        """Posts sharing the most (and the rarest) tags, nearest in time first."""
        scores: dict[int, float] = {}
        for name in dict.fromkeys(map(self.urls.tag_slug, self.shown_tags(self.posts[i]))):
            members = self.tags[name]
            weight = self._weights[name]
            at = bisect_left(members, i)
            for j in members[max(0, at - _NEIGHBOURS) : at + _NEIGHBOURS + 1]:
                scores[j] = scores.get(j, 0.0) + weight
        scores.pop(i, None)
        return sorted(scores, key=lambda j: (-scores[j], abs(j - i), j))[:RELATED_COUNT]

    def all_tags(self) -> tuple[Tag, ...]:
        return tuple(sorted((self._tag(s) for s in self.tags), key=lambda t: (-t.count, t.name)))

    def _tag(self, slug: str) -> Tag:
        return Tag(slug, self.tag_names[slug], self.urls.path(Urls.tag(slug)), len(self.tags[slug]))

    def _item(self, post: Post) -> Item:
        url = self.urls.path(Urls.post(post.slug))
        fields = (post.slug, url, post.title, post.description, post.cover or "", post.date.isoformat(),
                  str(post.reading_minutes), self.images.key(post.cover) if self.images else "")
        return Item(post.slug, url, post.title, post.description, post.cover or "", post.date,
                    post.reading_minutes, digest("\x1f".join(fields).encode()))

    def _images_key(self, post: Post) -> str:
        """Digest of every image the post page shows: replacing one re-renders exactly its pages."""
        return self.images.post_key(post) if self.images else ""

    def image_url(self, cover: str | None) -> str:
        if cover:
            return self.cfg.absolute(cover)
        return self.cfg.absolute(self.cfg.logo) if self.cfg.logo else ""

    # ---- rendering -------------------------------------------------------------------------

    def _render(self, template: str, **context: Any) -> str:
        try:
            return self.env.get_template(template).render(**self.common, **context)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            raise BuildError(f"template error: {exc}", path=getattr(exc, "filename", None) or template,
                             line=line) from None

    def _render_post(self, post: Post, older: Item | None, newer: Item | None, related: tuple[Item, ...]) -> str:
        shown = self.shown_tags(post)
        tags = tuple(self._tag(self.urls.tag_slug(n)) for n in shown)
        url = self.urls.absolute(Urls.post(post.slug))
        trail = [(self.t["home"], self.urls.path("/")), (self.t["blog"], self.urls.path(Urls.blog())),
                 (post.title, self.urls.path(Urls.post(post.slug)))]
        og = self.images.og(post) if self.images else None
        shown_post = replace(post, tags=shown) if shown != post.tags else post
        image = self.cfg.absolute(og[0]) if og else self.image_url(post.cover)
        head = seo.post_head(self.cfg, shown_post, url, image, trail, og[1:] if og else None)
        body = markdown.render(read_body(post), title=post.title, site_host=self.host,
                               pictures=self.images.body_pictures(post) if self.images else None)
        return self._render("post.html", head=head, post=post, body=body, cover=post.cover, prev=older,
                            next=newer, related=related, tags=tags, trail=trail, active_nav=routes.BLOG,
                            author=post.author or self.cfg.author, images_key=self._images_key(post))

    def _render_list(self, route: str, heading: str, tag_slug: str, items: tuple[Item, ...], pager: Pager,
                     all_tags: tuple[Tag, ...], nav: str) -> str:
        url = self.urls.absolute(route)
        title = heading if pager.number == 1 else f"{heading} — {self.t['page']} {pager.number}"
        trail = [(self.t["home"], self.urls.path("/")), (self.t["blog"], self.urls.path(Urls.blog()))]
        if tag_slug:
            trail.append((heading, self.urls.path(Urls.tag(tag_slug))))
        intro = self.cfg.description if not tag_slug else ""
        first = not tag_slug and pager.number == 1
        description = _list_description(heading, items, self.cfg.description if first else "")
        head = seo.Head(title=f"{title} — {self.cfg.name}", description=description, canonical=url,
                        image=self.image_url(items[0].cover if items else None),
                        prev=self.cfg.url + pager.prev_url if pager.prev_url else "",
                        next=self.cfg.url + pager.next_url if pager.next_url else "",
                        jsonld=[{"@context": "https://schema.org", "@type": "CollectionPage", "name": title,
                                 "url": url, "inLanguage": self.cfg.language},
                                seo.breadcrumbs(self.cfg, trail)])
        return self._render("list.html", head=head, heading=heading, intro=intro, items=items, pager=pager,
                            all_tags=all_tags, trail=trail, active_nav=nav)

    def _render_home(self, items: tuple[Item, ...]) -> str:
        description = self.cfg.description or _list_description(self.cfg.name, items, "")
        head = seo.Head(title=self.cfg.name, description=description, canonical=self.cfg.url + "/",
                        image=self.image_url(None), jsonld=[seo.organization(self.cfg), seo.website(self.cfg)])
        return self._render("home.html", head=head, items=items, active_nav="/")

    def _render_site_page(self, page: SitePage) -> str:
        url = self.urls.absolute(page.route)
        trail = [(self.t["home"], self.urls.path("/")), (page.title, self.urls.path(page.route))]
        body = markdown.render(page.body, title=page.title, site_host=self.host)
        head = seo.Head(title=f"{page.title} — {self.cfg.name}", description=page.description or self.cfg.description,
                        canonical=url, image=self.image_url(None),
                        robots="noindex, follow" if page.noindex else "index, follow",
                        jsonld=[{"@context": "https://schema.org", "@type": "WebPage", "name": page.title,
                                 "url": url, "inLanguage": self.cfg.language}, seo.breadcrumbs(self.cfg, trail)])
        return self._render("page.html", head=head, page=page, body=body, trail=trail, active_nav=page.route)

    def _render_search(self) -> str:
        url = self.urls.absolute(SEARCH_ROUTE)
        head = seo.Head(title=f"{self.t['search']} — {self.cfg.name}", description=self.t["search_label"],
                        canonical=url, robots="noindex, follow")
        return self._render("search.html", head=head, active_nav="", index_url=f"/{INDEX_DIR}/",
                            strip_html=not self.cfg.trailing_slash)

    def _render_404(self, items: tuple[Item, ...]) -> str:
        head = seo.Head(title=f"{self.t['not_found']} — {self.cfg.name}", description=self.t["not_found_text"],
                        canonical=self.cfg.url + "/404.html", robots="noindex, follow")
        return self._render("404.html", head=head, items=items, active_nav="")


def _list_description(heading: str, items: tuple[Item, ...], fallback: str) -> str:
    if fallback:
        return fallback
    titles = "; ".join(i.title for i in items[:3])
    text = f"{heading}: {titles}" if titles else heading
    from dzenpress.content.description import shorten

    return shorten(text)


def _tag_route(slug: str, page: int) -> str:
    return Urls.tag(slug, page)


def _redirect_html(target: str, title: str, lang: str = "ru") -> str:
    from html import escape

    t = escape(target, quote=True)
    return (f'<!doctype html>\n<html lang="{escape(lang, quote=True)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f'<link rel="canonical" href="{t}"><meta name="robots" content="noindex">'
            f'<meta http-equiv="refresh" content="0; url={t}"></head>'
            f'<body><h1>{escape(title)}</h1><p><a href="{t}">{t}</a></p></body></html>\n')
