"""RSS 2.0 (`rss.xml`) and Atom (`atom.xml`) with the latest posts in full, from the templates of those names."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2
from markupsafe import escape as escape_html

from dzenpress import routes
from dzenpress.config import Config
from dzenpress.content.post import Post
from dzenpress.content.slug import tag_slug
from dzenpress.render.pages import Context, Page, Pages, body_html, render_text, site_host

RSS_TEMPLATE = routes.output_of(routes.RSS)
ATOM_TEMPLATE = routes.output_of(routes.ATOM)
_ROOT_RELATIVE = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')


@dataclass(frozen=True)
class FeedItem:
    """A post as a feed carries it: its absolute URL, author, shown tags and HTML (absolute URLs)."""

    post: Post
    url: str
    author: str
    tags: tuple[str, ...]
    content: str


def feed_pages(pages: Pages) -> list[Page]:
    def context() -> Context:
        return {"posts": tuple(pages.posts[: pages.cfg.feed_items])}

    return [Page(routes.output_of(routes.RSS), RSS_TEMPLATE, render_rss, context),
            Page(routes.output_of(routes.ATOM), ATOM_TEMPLATE, render_atom, context)]


def render_rss(env: jinja2.Environment, c: Context) -> str:
    return render_text(env, RSS_TEMPLATE, c, **_feed(c, routes.RSS))


def render_atom(env: jinja2.Environment, c: Context) -> str:
    return render_text(env, ATOM_TEMPLATE, c, **_feed(c, routes.ATOM))


def _feed(c: Context, address: str) -> Context:
    """What the feed templates show besides the context: URLs, the newest change, each post's item."""
    cfg: Config = c["site"]
    posts: tuple[Post, ...] = c["posts"]
    urls = cfg.urls
    items = [FeedItem(post, urls.absolute(routes.post(post.slug)), post.author or cfg.author,
                      tuple(_shown_tags(cfg, post)), _content(cfg, post)) for post in posts]
    return {"items": items, "site_url": urls.absolute(routes.HOME), "feed_url": urls.file(address),
            "updated": max((p.modified for p in posts), default=None)}


def _content(cfg: Config, post: Post) -> str:
    html = body_html(post, site_host(cfg))
    if post.cover:
        # HTML escaping as in the page templates (quotes too): a front-matter value never leaves its attribute
        html = f'<figure><img src="{escape_html(post.cover)}" alt=""></figure>\n' + html
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + cfg.urls.file("/"), html)


def _shown_tags(cfg: Config, post: Post) -> list[str]:
    """Tags readers see: `site.hidden_tags` (where a post came from) stay out of feeds as they stay off pages."""
    hidden = {tag_slug(name) for name in cfg.hidden_tags}
    return [tag for tag in post.tags if tag_slug(tag) not in hidden]
