"""An Article → the text of `content/posts/<slug>.md` (through content/postfile.py), and its content hash."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from dzenpress.content.postfile import PostFields, render_post_file
from dzenpress.dzen.page import Article
from dzenpress.hashing import digest
from dzenpress.normalize import normalize


def content_hash(article: Article) -> str:
    """What Dzen served, in a form that changes only when the article does."""
    parts = [article.title, article.markdown, str(article.cover or ""),
             article.published.isoformat() if article.published else "",
             article.modified.isoformat() if article.modified else ""]
    return digest("\x1f".join(parts).encode())


def render_post(article: Article, slug: str, local: Mapping[str, str], cover: str | None, *, tags: Sequence[str],
                draft: bool, tz: tzinfo) -> str:
    """Front matter + normalised body; `local` maps remote image URLs to their site paths."""
    body = article.markdown
    for remote, path in sorted(local.items(), key=lambda kv: -len(kv[0])):
        body = body.replace(remote, path)
    body = normalize(body, article.title).text
    published = (article.published or datetime.now(tz)).astimezone(tz)
    modified = article.modified.astimezone(tz).date() if article.modified else None
    return render_post_file(PostFields(title=article.title, slug=slug, date=published.date(), updated=modified,
                                       cover=cover, source=article.source, draft=draft, tags=tuple(tags), body=body))
