"""The same corpus as a Pelican site (Markdown reader, default theme, pagination by 10)."""

from __future__ import annotations

from pathlib import Path

import yaml

from dzenpress.content.slug import slugify

CONFIG = """AUTHOR = "Бенчмарк"
SITENAME = "Бенчмарк"
SITEURL = "https://bench.example"
PATH = "content"
TIMEZONE = "Europe/Moscow"
DEFAULT_LANG = "ru"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
ARTICLE_URL = "blog/{slug}/"
ARTICLE_SAVE_AS = "blog/{slug}/index.html"
TAG_URL = "blog/tag/{slug}/"
TAG_SAVE_AS = "blog/tag/{slug}/index.html"
PAGINATION_PATTERNS = ((1, "{url}", "{save_as}"),
                       (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"))
"""


def make_pelican_site(source: Path, target: Path) -> None:
    content = target / "content"
    content.mkdir(parents=True)
    (target / "pelicanconf.py").write_text(CONFIG, encoding="utf-8")
    for post in (source / "content" / "posts").glob("*.md"):
        _, front, body = post.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        header = (f"Title: {meta['title']}\nDate: {meta['date']}\nSlug: {meta['slug']}\n"
                  f"Tags: {', '.join(slugify(t) for t in meta.get('tags') or [])}\n\n")
        (content / post.name).write_text(header + body, encoding="utf-8")
