"""RSS 2.0 (`rss.xml`) and Atom (`atom.xml`) with the latest posts in full."""

from __future__ import annotations

import re
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

import jinja2
from markupsafe import escape as escape_html

from dzenpress import routes
from dzenpress.config import Config
from dzenpress.content.post import Post
from dzenpress.content.slug import tag_slug
from dzenpress.render.pages import Context, Page, Pages, body_html, site_host
from dzenpress.routes import Urls

_ROOT_RELATIVE = re.compile(r'(\s(?:src|href|poster)=")/(?!/)')


def feed_pages(pages: Pages) -> list[Page]:
    def context() -> Context:
        return {"posts": tuple(pages.posts[: pages.cfg.feed_items])}

    return [Page(routes.output_of(routes.RSS), "", render_rss, context),
            Page(routes.output_of(routes.ATOM), "", render_atom, context)]


def render_rss(env: jinja2.Environment, c: Context) -> str:
    return rss(c["site"], c["posts"])


def render_atom(env: jinja2.Environment, c: Context) -> str:
    return atom(c["site"], c["posts"])


def _content(cfg: Config, post: Post) -> str:
    html = body_html(post, site_host(cfg))
    if post.cover:
        # HTML escaping as in the page templates (quotes too): a front-matter value never leaves its attribute
        html = f'<figure><img src="{escape_html(post.cover)}" alt=""></figure>\n' + html
    return _ROOT_RELATIVE.sub(lambda m: m.group(1) + cfg.urls.file("/"), html)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss(cfg: Config, posts: tuple[Post, ...]) -> str:
    urls = cfg.urls
    updated = max((p.modified for p in posts), default=None)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           f"<title>{escape(cfg.name)}</title>",
           f"<link>{escape(urls.absolute(routes.HOME))}</link>",
           f"<description>{escape(cfg.description or cfg.name)}</description>",
           f"<language>{escape(cfg.language)}</language>",
           f'<atom:link href={quoteattr(urls.file(routes.RSS))} rel="self" type="application/rss+xml"/>',
           "<generator>dzenpress</generator>"]
    if updated:
        out.append(f"<lastBuildDate>{format_datetime(updated)}</lastBuildDate>")
    for post in posts:
        url = urls.absolute(Urls.post(post.slug))
        out += item_head(post, url, f'<guid isPermaLink="true">{escape(url)}</guid>')
        author = post.author or cfg.author
        if author:
            out.append(f"<dc:creator>{escape(author)}</dc:creator>")
        out += [f"<category>{escape(tag)}</category>" for tag in _shown_tags(cfg, post)]
        out += [f"<content:encoded>{_cdata(_content(cfg, post))}</content:encoded>", "</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def item_head(post: Post, url: str, guid: str) -> list[str]:
    """The start of an RSS <item>, ours and Dzen's alike: title, link, the `guid` element, date, description."""
    return ["<item>", f"<title>{escape(post.title)}</title>", f"<link>{escape(url)}</link>", guid,
            f"<pubDate>{format_datetime(post.date)}</pubDate>",
            f"<description>{escape(post.description)}</description>"]


def atom(cfg: Config, posts: tuple[Post, ...]) -> str:
    urls = cfg.urls
    updated = max((p.modified for p in posts), default=None)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(cfg.language)}>',
           f"<id>{escape(urls.absolute(routes.HOME))}</id>", f"<title>{escape(cfg.name)}</title>",
           f'<link rel="self" type="application/atom+xml" href={quoteattr(urls.file(routes.ATOM))}/>',
           f'<link rel="alternate" type="text/html" href={quoteattr(urls.absolute("/"))}/>',
           f"<updated>{(updated.isoformat() if updated else '1970-01-01T00:00:00+00:00')}</updated>",
           f"<author><name>{escape(cfg.author or cfg.organization.name or cfg.name)}</name></author>",
           '<generator uri="https://pypi.org/project/dzenpress/">dzenpress</generator>']
    if cfg.description:
        out.append(f"<subtitle>{escape(cfg.description)}</subtitle>")
    for post in posts:
        url = urls.absolute(Urls.post(post.slug))
        out += ["<entry>", f"<id>{escape(url)}</id>", f"<title>{escape(post.title)}</title>",
                f'<link rel="alternate" type="text/html" href={quoteattr(url)}/>',
                f"<published>{post.date.isoformat()}</published>", f"<updated>{post.modified.isoformat()}</updated>"]
        if post.author:
            out.append(f"<author><name>{escape(post.author)}</name></author>")
        out += [f"<category term={quoteattr(tag)}/>" for tag in _shown_tags(cfg, post)]
        out += [f"<summary>{escape(post.description)}</summary>",
                f'<content type="html">{escape(_content(cfg, post))}</content>', "</entry>"]
    out += ["</feed>", ""]
    return "\n".join(out)


def _shown_tags(cfg: Config, post: Post) -> list[str]:
    """Tags readers see: `site.hidden_tags` (where a post came from) stay out of feeds as they stay off pages."""
    hidden = {tag_slug(name) for name in cfg.hidden_tags}
    return [tag for tag in post.tags if tag_slug(tag) not in hidden]
