"""Under serve, the page of an edited post rendered at once, before the incremental build that follows.

The watcher names the files that changed. When they are posts the last build showed, each is parsed and
its page rendered with the last build's pages (the edited post swapped in) and written to the preview, and
open tabs of that page reload. The build then checks every input as always and renders the page again with
everything in its place; the tab reloads a second time only if those bytes differ (what the page shows of
other posts, its neighbours and related cards, may be one build old for that moment).

Anything the last build's pages cannot show the same way is left to the build: a new or removed post, a
changed address, draft state or tag set, an image the last build did not prepare, a post that fails to
parse (the build reports it).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

from dzenpress import signals
from dzenpress.content.post import Post, load_post
from dzenpress.fsio import atomic_write
from dzenpress.hashing import digest

if TYPE_CHECKING:
    from dzenpress.render.builder import Kept
    from dzenpress.render.pages import Pages


def render_edited(kept: Kept | None, files: list[Path], out_dir: Path) -> dict[str, str]:
    """Write the page of each edited post: output path → digest of its bytes. Empty when any of `files` is
    not a post this can render (the build does it all)."""
    if kept is None or kept.pages is None or kept.env is None or not files:
        return {}
    pages, env = kept.pages, kept.env
    at = {p.file: i for i, p in enumerate(pages.posts)}
    edited: list[tuple[int, Post]] = []
    for file in files:
        i = at.get(str(file))
        post = _reparsed(pages, i, file) if i is not None else None
        if i is None or post is None:
            return {}
        edited.append((i, post))
    hot = copy.copy(pages)  # the last build's pages, shared, with the edited posts in their places
    hot.posts = list(pages.posts)
    for i, post in edited:
        hot.posts[i] = post
    written: dict[str, str] = {}
    for i, _post in edited:
        page = hot.post_page(i)
        try:
            data = page.render(env, {**hot.common, **page.context}).encode("utf-8")
        except Exception:  # the build that follows renders it again and reports what is wrong
            return written
        atomic_write(out_dir / page.output, data)
        written[page.output] = digest(data)
    return written


def _reparsed(pages: Pages, i: int, file: Path) -> Post | None:
    """The post as the file now says, if its page can be rendered with the last build's pages."""
    old = pages.posts[i]
    try:
        post = load_post(file, pages.site.tz)  # keeps the body: rendering does not read the file again
    except Exception:  # a bad post: the build reports it with its line
        return None
    if signals.post_parsed.receivers:
        signals.post_parsed.send(post)
    post.scheduled = old.scheduled
    same = (post.slug == old.slug and post.draft == old.draft and post.tags == old.tags
            and post.images == old.images and post.cover == old.cover and post.aliases == old.aliases)
    return post if same else None
