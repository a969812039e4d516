"""Plain fields → the text of `content/posts/<slug>.md`, in the field order real posts use.

Used by import (dzen/) and meant for `new`: it knows nothing about Dzen. The body is written as given;
the caller normalises it first if it wants to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from dzenpress.content.description import make_description
from dzenpress.content.frontmatter import dump_value


@dataclass
class PostFields:
    title: str
    slug: str
    date: dt.date
    body: str
    updated: dt.date | None = None
    cover: str | None = None
    description: str | None = None  # None: a clean excerpt of the body
    source: str | None = None
    draft: bool = False
    tags: Sequence[str] = field(default_factory=tuple)


def _quoted(key: str, value: str) -> str:
    """`key: 'value'` the way the existing posts quote titles, dates and sources."""
    if "\n" in value:
        return dump_value(key, value)
    return f"{key}: '" + value.replace("'", "''") + "'\n"


def render_post_file(post: PostFields) -> str:
    """Front matter + body. `updated` is written only when it is a later day than `date`."""
    front = [_quoted("title", post.title), f"slug: {post.slug}\n", _quoted("date", post.date.isoformat())]
    if post.updated and post.updated > post.date:
        front.append(_quoted("updated", post.updated.isoformat()))
    if post.cover:
        front.append(dump_value("cover", post.cover))
    description = post.description if post.description is not None else make_description(post.body, post.title)
    if description:
        front.append(dump_value("description", description))
    if post.source:
        front.append(_quoted("source", post.source))
    front.append(f"draft: {'true' if post.draft else 'false'}\n")
    if post.tags:
        front.append(dump_value("tags", list(post.tags)))
    return "---\n" + "".join(front) + "---\n\n" + post.body
