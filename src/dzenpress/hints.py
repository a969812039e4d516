"""What the site owner should do next, said by the commands that notice it: posts that still look like raw
Dzen imports (`build`), a placeholder site address (`build`, `check`, `ping`). These are about the owner's
files, not the built pages, so they are messages of the commands, not findings of the audit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dzenpress.errors import DzenpressError

if TYPE_CHECKING:  # a build with nothing to do asks only about the address: it loads no posts
    from dzenpress.content.post import Post

# Addresses that only stand in for a real one: the example domains (RFC 2606/6761), local ones, and what
# templates and tutorials write
_PLACEHOLDER_HOSTS = frozenset({"example.ru", "example.com", "example.org", "example.net", "example.рф",
                                "localhost", "127.0.0.1", "site.ru", "mysite.ru", "your-site.ru",
                                "yoursite.ru", "domain.ru", "your-domain.ru", "yourdomain.com"})
_PLACEHOLDER_ZONES = (".example", ".test", ".invalid", ".localhost", ".local")

# The normaliser's rules that only fire on what a Dzen page puts around an article, and cheap signs that
# one of them might (so the normaliser runs only on posts that could be raw imports)
_RAW_RULES = ("chrome", "title", "teaser", "links")
_RAW_SIGNS = tuple(s.encode() for s in ("dzen.ru", "zen.yandex", "Дзен", "Читать далее", "Подписаться", "подписчик",
                                         "дочитывани"))


# the title rule drops a `# Title` among the first blocks (normalize/rules/title.py); `##` is a section
_H1_NEAR_START = re.compile(rb"^#[ \t]", re.MULTILINE)


def placeholder_url(url: str) -> str | None:
    """The warning for a `site.url` that is an example or local address, or None."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    www = host.removeprefix("www.")
    if www in _PLACEHOLDER_HOSTS or www.startswith("example.") or host.endswith(_PLACEHOLDER_ZONES):
        return (f"site.url is {url!r}, a placeholder: set your site's own address in dzenpress.toml before "
                "publishing (canonical links, the sitemap, feeds and IndexNow are made from it)")
    return None


def looks_raw(post: Post) -> bool:
    """Whether `dzenpress clean` would strip Dzen page chrome, teasers, a repeated title or away-links."""
    from dzenpress.content.post import read_body_bytes

    try:
        raw = read_body_bytes(post)  # loading keeps no bodies
    except DzenpressError:  # changed or gone since loading: the build says so; a hint stays quiet
        return False
    if not any(sign in raw for sign in _RAW_SIGNS) and not _H1_NEAR_START.search(raw, 0, 4096):
        return False
    from dzenpress.normalize import RULE_NAMES, normalize

    body = raw.decode("utf-8", "replace")

    off = [name for name in RULE_NAMES if name not in _RAW_RULES]
    return bool(set(normalize(body, post.title, disabled=off, settle=False).fired) & set(_RAW_RULES))


def raw_imports(posts: Iterable[Post], known: dict[str, bool] | None = None) -> str | None:
    """One warning for all the posts that look like raw Dzen imports, with their count, or None. `known`
    (post digest → verdict) is what earlier builds found: the normaliser runs only on posts not in it (on
    10,000 posts it costs about a minute), and it gets the verdicts of this build."""
    posts = list(posts)
    known = {} if known is None else known
    for post in posts:
        if post.digest not in known:
            known[post.digest] = looks_raw(post)
    raw = [p for p in posts if known[p.digest]]
    if not raw:
        return None
    first = ", ".join(p.path.name for p in raw[:3]) + (f" and {len(raw) - 3} more" if len(raw) > 3 else "")
    return (f"{len(raw)} of {len(posts)} posts look like raw Dzen imports (page chrome, «Читать далее» teasers, "
            f"dzen.ru/away links, the title repeated: {first}): run `dzenpress clean` "
            "(`dzenpress clean --check` lists them first)")
