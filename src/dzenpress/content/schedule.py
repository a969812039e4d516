"""Scheduled posts: a post dated later than now stays out of the site (pages, lists, feeds, sitemap, search
and so ping) until its time, unless `[site] future = true`. The preview (serve, drafts shown) keeps them,
marked `scheduled`, for the templates to say so. The build remembers when the next one is due, so the
first build after that moment is not a no-op (render/builder.py), and says when it will be."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

from dzenpress import dates

if TYPE_CHECKING:
    from dzenpress.content.site import Site


def hold_back(site: Site, *, preview: bool) -> None:
    """Drop (or, in a preview, mark) the posts dated after now; note when the next one goes live."""
    if site.config.future:
        site.next_scheduled = None
        return
    at = dates.now()
    waiting = [p for p in site.posts if p.date > at]
    site.next_scheduled = min((p.date for p in waiting if not p.draft), default=None)
    if not waiting:
        return
    if preview:
        site.posts = [dataclasses.replace(p, scheduled=True) if p.date > at else p for p in site.posts]
    else:
        site.posts = [p for p in site.posts if p.date <= at]


def when(moment: datetime | None, site: Site) -> str:
    """'2026-12-07 09:00 (Europe/Moscow)' in the site's zone, for messages."""
    if moment is None:
        return ""
    return f"{moment.astimezone(site.tz):%Y-%m-%d %H:%M} ({site.config.timezone})"
