"""Every HTML page of the site: posts, blog index, tag pages, home, 404 and alias redirects.

A page is its template, the data it shows (its *context*, built lazily) and a module-level render function
that reads nothing but that context. The build keys a page by the digest of its context, so whatever a
template can show is in the key because it is in the context.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from dzenpress import plugins, routes, signals
from dzenpress.content.post import Post, read_body_bytes
from dzenpress.content.site import Site
from dzenpress.content.sitepage import SitePage
from dzenpress.content.slug import tag_slug
from dzenpress.errors import BuildError
from dzenpress.hashing import digest
from dzenpress.images.shown import ShownImages, shown_by_cards, shown_by_post
from dzenpress.render import markdown, seo
from dzenpress.render.templating import labels
from dzenpress.routes import Urls

if TYPE_CHECKING:
    from dzenpress.images import ImagePlan

RELATED_COUNT = 3
REDIRECT_TEMPLATE = "redirect.html"
_NEIGHBOURS = 6  # candidates taken around a post in each of its tags' date-ordered lists

Context = dict[str, Any]
Render = Callable[[jinja2.Environment, Context], str]


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
    status: str = ""  # "draft" or "scheduled": only a preview shows such a post, marked (status_of)


def status_of(post: Post) -> str:
    """What a preview marks a post as: not published yet, as a draft or for a later date."""
    return "draft" if post.draft else "scheduled" if post.scheduled else ""


@dataclass(frozen=True)
class Listing:
    """A post as posts.json lists it."""

    slug: str
    title: str
    description: str
    cover: str | None
    tags: tuple[str, ...]
    date: datetime
    updated: datetime | None
    source: str | None


@dataclass(frozen=True)
class Dated:
    """A post as the sitemap shows it."""

    slug: str
    modified: datetime


SHOWN = (Item, Listing, Dated)  # views of one post: a page holding one shows that post


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    url: str
    count: int


@dataclass(frozen=True)
class TagLink:
    """A tag as a post page shows it: no count, so adding a post to a tag does not change its pages."""

    name: str
    url: str


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    prev_url: str
    next_url: str


@dataclass
class Page:
    output: str  # file path relative to the output folder
    template: str  # the Jinja template it is rendered with ("" for outputs made by code)
    render: Render  # a module-level function of (env, common + context): it reads nothing else
    make_context: Callable[[], Context]
    # its context holds data besides posts and their views (a file of pages/, the clock, a key file): its key
    # is derived from the context in every build, never carried over by the fast path
    derive: bool = False
    _context: Context | None = field(default=None, repr=False)

    @property
    def context(self) -> Context:
        """The data this page shows, besides the site-wide `common` context every page gets."""
        if self._context is None:
            context = self.make_context()
            signals.send(signals.page_context, self, context=context)  # a plugin may change it: keyed after
            self._context = context
        return self._context


class Pages:
    """Derived site data (tags, related posts, neighbours) and the page list."""

    def __init__(self, site: Site, env: jinja2.Environment, css_version: str,
                 images: ImagePlan | None = None) -> None:
        self.site, self.cfg, self.env = site, site.config, env
        self.images = images
        self.urls = self.cfg.urls
        self.t = labels(self.cfg.language)
        self.posts = site.posts
        self._items: dict[int, Item] = {}
        self._listings: dict[int, Listing] = {}
        self._dated: dict[int, Dated] = {}
        self.tags: dict[str, list[int]] = {}
        self.tag_names: dict[str, str] = {}
        self.hidden_tags = frozenset(tag_slug(name) for name in self.cfg.hidden_tags)
        for i, post in enumerate(self.posts):
            for name in self.shown_tags(post):
                members = self.tags.setdefault(tag_slug(name), [])
                if not members or members[-1] != i:
                    members.append(i)
        self.warnings = self._name_tags()
        self.related_cache: list[list[int]] | None = None  # may be filled from the build state
        self._weights = {slug: 1 / math.log2(1 + len(m)) for slug, m in self.tags.items()}
        # what every page is rendered with besides its own context (and so part of every key)
        self.common: Context = {
            "site": self.cfg, "org": self.cfg.organization, "cta": self.cfg.cta, "t": self.t,
            "css_version": css_version, "home_url": self.urls.path("/"), "blog_url": self.urls.path(Urls.blog()),
            "search_url": self.urls.path(routes.SEARCH),
            "plugins": plugins.loaded(),  # installing, removing or upgrading one renders everything again
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
        return Page(self.urls.output(Urls.post(self.posts[i].slug)), "post.html", render_post,
                    partial(self._post_context, i))

    def _post_context(self, i: int) -> Context:
        post = self.posts[i]
        return {"post": post, "newer": self.item(i - 1) if i > 0 else None,
                "older": self.item(i + 1) if i + 1 < len(self.posts) else None,
                "related": tuple(self.item(j) for j in self.related(i)),
                "tags": tuple(TagLink(self.tag_names[slug], self.urls.path(Urls.tag(slug)))
                              for slug in dict.fromkeys(map(tag_slug, self.shown_tags(post)))),
                # the images it shows: its own, its Open Graph image and its cards' covers
                "images": self.shown(i, [j for j in (i - 1, i + 1) if 0 <= j < len(self.posts)] + self.related(i))}

    def list_pages(self, route: Callable[[int], str], members: list[int], heading: str, tag_slug: str,
                   nav: str) -> list[Page]:
        per = self.cfg.posts_per_page
        total = max(1, math.ceil(len(members) / per))
        return [Page(self.urls.output(route(n)), "list.html", render_list,
                     partial(self._list_context, route, members, heading, tag_slug, nav, n, total))
                for n in range(1, total + 1)]

    def _list_context(self, route: Callable[[int], str], members: list[int], heading: str, tag_slug: str,
                      nav: str, n: int, total: int) -> Context:
        per = self.cfg.posts_per_page
        pager = Pager(n, total, self.urls.path(route(n - 1)) if n > 1 else "",
                      self.urls.path(route(n + 1)) if n < total else "")
        return {"route": route(n), "heading": heading, "tag_slug": tag_slug, "nav": nav, "pager": pager,
                "items": tuple(self.item(j) for j in members[(n - 1) * per : n * per]),
                "images": self.shown(None, members[(n - 1) * per : n * per]),
                "all_tags": self.all_tags() if not tag_slug and n == 1 else ()}

    def home_page(self) -> Page:
        return Page(self.urls.output(routes.HOME), "home.html", render_home,
                    partial(self._cards_context, self.cfg.home_posts))

    def not_found_page(self) -> Page:
        return Page(routes.output_of(routes.NOT_FOUND), "404.html", render_404, partial(self._cards_context, 3))

    def _cards_context(self, count: int) -> Context:
        shown = range(min(count, len(self.posts)))
        return {"items": tuple(self.item(i) for i in shown), "images": self.shown(None, list(shown))}

    def alias_pages(self) -> list[Page]:
        pages = []
        for post in self.posts:
            target = self.urls.absolute(Urls.post(post.slug))
            outputs = set()  # '/old/' and '/old.html' are one file without trailing slashes: one redirect
            for alias in dict.fromkeys(post.aliases):
                try:
                    route = routes.alias_route(alias)  # load_site has refused bad aliases already
                except ValueError as exc:
                    raise BuildError(f"alias {alias!r} {exc}", path=post.path, field="aliases") from None
                if self.urls.output(route) in outputs:
                    continue
                outputs.add(self.urls.output(route))
                pages.append(Page(self.urls.output(route), REDIRECT_TEMPLATE, render_redirect,
                                  partial(dict, target=target)))
        return pages

    def site_page(self, page: SitePage) -> Page:
        return Page(self.urls.output(page.route), "page.html", render_site_page, partial(dict, page=page),
                    derive=True)

    def search_page(self) -> Page:
        return Page(self.urls.output(routes.SEARCH), "search.html", render_search, dict)

    # ---- derived data ----------------------------------------------------------------------

    @cached_property
    def structure(self) -> str:
        """Fingerprint of post order and tags: related posts depend on nothing else."""
        return digest("\n".join(f"{p.slug}\t{chr(9).join(self.shown_tags(p))}" for p in self.posts).encode())

    def _name_tags(self) -> list[str]:
        """Each tag's one name, wherever it is shown: its first spelling (in the oldest post), so that tags
        differing only in case (`Спина`, `спина`) are one tag under one name. A warning per other spelling."""
        others: dict[tuple[str, str], list[str]] = {}
        for post in reversed(self.posts):
            for name in self.shown_tags(post):
                first = self.tag_names.setdefault(tag_slug(name), name)
                if name != first:
                    others.setdefault((first, name), []).append(post.path.name)
        return [f"tag {name!r} ({', '.join(files[:3])}{' …' if len(files) > 3 else ''}) is shown as {first!r}, "
                "its first spelling: tags that differ only in case or punctuation are one tag"
                for (first, name), files in others.items()]

    def shown_tags(self, post: Post) -> tuple[str, ...]:
        """The post's tags less `site.hidden_tags`: those are kept in the file but never shown or listed."""
        if not self.hidden_tags:
            return post.tags
        return tuple(n for n in post.tags if tag_slug(n) not in self.hidden_tags)

    def shown(self, post: int | None, cards: list[int]) -> ShownImages | None:
        """The images a page shows: a post's own (with its Open Graph image) and its cards' covers. Its key holds
        what they turned out to be, so replacing an image re-renders exactly the pages that show it."""
        if self.images is None:
            return None
        covers = [self.posts[j] for j in cards]
        if post is None:
            return shown_by_cards(self.images, covers)
        return shown_by_post(self.images, self.posts[post], covers)

    def related(self, i: int) -> list[int]:
        if self.related_cache is None:
            self.related_cache = [self._related(j) for j in range(len(self.posts))]
        return self.related_cache[i]

    def _related(self, i: int) -> list[int]:
        """Posts sharing the most (and the rarest) tags, nearest in time first."""
        scores: dict[int, float] = {}
        for name in dict.fromkeys(map(tag_slug, self.shown_tags(self.posts[i]))):
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

    def views(self, i: int) -> tuple[Post, Item, Listing, Dated]:
        """The post and every view of it a page can show."""
        return self.posts[i], self.item(i), self.listing(i), self.dated(i)

    def listing(self, i: int) -> Listing:
        found = self._listings.get(i)
        if found is None:
            p = self.posts[i]
            found = self._listings[i] = Listing(p.slug, p.title, p.description, p.cover, p.tags, p.date, p.updated,
                                                p.source)
        return found

    def dated(self, i: int) -> Dated:
        found = self._dated.get(i)
        if found is None:
            found = self._dated[i] = Dated(self.posts[i].slug, self.posts[i].modified)
        return found

    def item(self, i: int) -> Item:
        found = self._items.get(i)
        if found is None:
            post = self.posts[i]
            found = self._items[i] = Item(post.slug, self.urls.path(Urls.post(post.slug)), post.title,
                                          post.description, post.cover or "", post.date, post.reading_minutes,
                                          status_of(post))
        return found

# ---- rendering: module-level functions of (env, context) only ---------------------------------


def render_post(env: jinja2.Environment, c: Context) -> str:
    cfg, t, post = c["site"], c["t"], c["post"]
    urls: Urls = cfg.urls
    url = urls.absolute(Urls.post(post.slug))
    trail = [(t["home"], urls.path("/")), (t["blog"], urls.path(Urls.blog())),
             (post.title, urls.path(Urls.post(post.slug)))]
    images: ShownImages | None = c["images"]
    og = images.og_image(post) if images else None
    shown = tuple(tag.name for tag in c["tags"])
    shown_post = replace(post, tags=shown) if shown != post.tags else post
    image = cfg.urls.file(og[0]) if og else image_url(cfg, post.cover)
    head = seo.post_head(cfg, shown_post, url, image, trail, og[1:] if og else None)
    body = body_html(post, site_host(cfg), images)
    return _render(env, "post.html", c, head=head, body=body, cover=post.cover, status=status_of(post),
                   prev=c["older"], next=c["newer"], trail=trail, active_nav=routes.BLOG,
                   author=post.author or cfg.author)


def render_list(env: jinja2.Environment, c: Context) -> str:
    cfg, t, pager, heading, tag_slug, items = c["site"], c["t"], c["pager"], c["heading"], c["tag_slug"], c["items"]
    urls: Urls = cfg.urls
    url = urls.absolute(c["route"])
    title = heading if pager.number == 1 else f"{heading} — {t['page']} {pager.number}"
    trail = [(t["home"], urls.path("/")), (t["blog"], urls.path(Urls.blog()))]
    if tag_slug:
        trail.append((heading, urls.path(Urls.tag(tag_slug))))
    head = seo.Head(title=seo.titled(title, cfg.name),
                    description=_list_description(heading, items, ""),  # the home page has the site's
                    canonical=url, image=image_url(cfg, items[0].cover if items else None),
                    prev=urls.file(pager.prev_url) if pager.prev_url else "",
                    next=urls.file(pager.next_url) if pager.next_url else "",
                    jsonld=[{"@context": "https://schema.org", "@type": "CollectionPage", "name": title,
                             "url": url, "inLanguage": cfg.language},
                            seo.breadcrumbs(cfg, trail)])
    return _render(env, "list.html", c, head=head, intro=cfg.description if not tag_slug else "", trail=trail,
                   active_nav=c["nav"])


def render_home(env: jinja2.Environment, c: Context) -> str:
    cfg = c["site"]
    description = cfg.description or _list_description(cfg.name, c["items"], "")
    head = seo.Head(title=cfg.name, description=description, canonical=cfg.urls.absolute(routes.HOME),
                    image=image_url(cfg, None), jsonld=[seo.organization(cfg), seo.website(cfg)])
    return _render(env, "home.html", c, head=head, active_nav="/")


def render_404(env: jinja2.Environment, c: Context) -> str:
    cfg, t = c["site"], c["t"]
    head = seo.Head(title=seo.titled(t['not_found'], cfg.name), description=t["not_found_text"],
                    canonical=cfg.urls.file(routes.NOT_FOUND), robots="noindex, follow")
    return _render(env, "404.html", c, head=head, active_nav="")


def render_site_page(env: jinja2.Environment, c: Context) -> str:
    cfg, t, page = c["site"], c["t"], c["page"]
    urls: Urls = cfg.urls
    url = urls.absolute(page.route)
    trail = [(t["home"], urls.path("/")), (page.title, urls.path(page.route))]
    body = markdown.render(page.body, title=page.title, site_host=site_host(cfg))
    head = seo.Head(title=seo.titled(page.title, cfg.name), description=page.description or cfg.description,
                    canonical=url, image=image_url(cfg, None),
                    robots="noindex, follow" if page.noindex else "index, follow",
                    jsonld=[{"@context": "https://schema.org", "@type": "WebPage", "name": page.title,
                             "url": url, "inLanguage": cfg.language}, seo.breadcrumbs(cfg, trail)])
    return _render(env, "page.html", c, head=head, body=body, trail=trail, active_nav=page.route)


def render_search(env: jinja2.Environment, c: Context) -> str:
    cfg, t = c["site"], c["t"]
    url = cfg.urls.absolute(routes.SEARCH)
    head = seo.Head(title=seo.titled(t['search'], cfg.name), description=t["search_label"], canonical=url,
                    robots="noindex, follow")
    return _render(env, "search.html", c, head=head, active_nav="", index_url=routes.PAGEFIND,
                   strip_html=not cfg.trailing_slash)


def render_redirect(env: jinja2.Environment, c: Context) -> str:
    return render_text(env, REDIRECT_TEMPLATE, c)


def render_text(env: jinja2.Environment, template: str, context: Context, **derived: Any) -> str:
    """A generated file (feed, sitemap, robots.txt, posts.json, alias page) from its template, ending in one
    newline whatever the template's last line."""
    return _render(env, template, context, **derived).rstrip("\n") + "\n"


def _render(env: jinja2.Environment, template: str, context: Context, **derived: Any) -> str:
    """A template with the page's context: `picture()` shows the images the context holds, and no others."""
    images = context.get("images")
    if isinstance(images, ShownImages):
        derived["picture"] = _markup(images.picture)
    try:
        return env.get_template(template).render(**context, **derived)
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", None)
        raise BuildError(f"template error: {exc}", path=getattr(exc, "filename", None) or template,
                         line=line) from None


def image_url(cfg: Any, cover: str | None) -> str:
    if cover:
        return str(cfg.urls.file(cover))
    return str(cfg.urls.file(cfg.logo)) if cfg.logo else ""


def site_host(cfg: Any) -> str:
    return (urlsplit(cfg.url).hostname or "").lower()


def _markup(picture: Callable[..., str]) -> Callable[..., Markup]:
    return lambda *args, **kwargs: Markup(picture(*args, **kwargs))  # noqa: S704 - markup built escaped


# A memo of a pure function: the HTML follows from its key alone (the source file is read only when its digest is
# the post's, which every key holds). The three feeds render the same posts: each body is made once per process.
_BODIES: dict[tuple[str, str, str, str, object], str] = {}


def body_html(post: Post, host: str, images: ShownImages | None = None) -> str:
    """The post's body as HTML, from the source file whose digest the post (and so every key) holds; with the
    page's images, its images as responsive pictures (the post page's context holds them)."""
    memo = (post.file, post.digest, post.title, host, images.key() if images else "")
    html = _BODIES.get(memo)
    if html is None:
        if len(_BODIES) > 64:
            _BODIES.clear()
        pictures = images.body_pictures(post) if images else None
        source = read_body_bytes(post)
        html = _BODIES[memo] = markdown.render(source, title=post.title, site_host=host, pictures=pictures)
    return html


def _list_description(heading: str, items: tuple[Item, ...], fallback: str) -> str:
    if fallback:
        return fallback
    titles = "; ".join(i.title for i in items[:3])
    text = f"{heading}: {titles}" if titles else heading
    from dzenpress.content.description import shorten

    return shorten(text)


def _tag_route(slug: str, page: int) -> str:
    return Urls.tag(slug, page)
