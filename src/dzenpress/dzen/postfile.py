"""An Article → the text of `content/posts/<slug>.md`, in the field order real posts use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo

from dzenpress.content.description import make_description
from dzenpress.content.frontmatter import dump_value
from dzenpress.dzen.page import Article
from dzenpress.hashing import digest
from dzenpress.normalize import normalize


def content_hash(article: Article) -> str:
    """What Dzen served, in a form that changes only when the article does."""
    parts = [article.title, article.markdown, str(article.cover or ""),
             article.published.isoformat() if article.published else "",
             article.modified.isoformat() if article.modified else ""]
    return digest("\x1f".join(parts).encode())


def _quoted(key: str, value: str) -> str:
    """`key: 'value'` the way the existing posts quote titles, dates and sources."""
    if "\n" in value:
        return dump_value(key, value)
    return f"{key}: '" + value.replace("'", "''") + "'\n"


def render_post(article: Article, slug: str, local: Mapping[str, str], cover: str | None, *, tags: Sequence[str],
                draft: bool, tz: tzinfo) -> str:
    """Front matter + normalised body; `local` maps remote image URLs to their site paths."""
    body = article.markdown
    for remote, path in sorted(local.items(), key=lambda kv: -len(kv[0])):
        body = body.replace(remote, path)
    body = normalize(body, article.title).text
    published = (article.published or datetime.now(tz)).astimezone(tz)
    front = [_quoted("title", article.title), f"slug: {slug}\n", _quoted("date", published.date().isoformat())]
    if article.modified and article.modified.astimezone(tz).date() > published.date():
        front.append(_quoted("updated", article.modified.astimezone(tz).date().isoformat()))
    if cover:
        front.append(dump_value("cover", cover))
    description = make_description(body, article.title)
    if description:
        front.append(dump_value("description", description))
    front.append(_quoted("source", article.source))
    front.append(f"draft: {'true' if draft else 'false'}\n")
    if tags:
        front.append(dump_value("tags", list(tags)))
    return "---\n" + "".join(front) + "---\n\n" + body
