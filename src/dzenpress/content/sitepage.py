"""Public pages written in Markdown: `pages/contacts.md` → /contacts/ with the site's layout.

Front matter: `title` (required), `description`, `noindex` (true keeps the page out of the sitemap and
search engines). The file's path below `pages/` is its address; `index.md` is the folder's address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dzenpress import routes
from dzenpress.content import frontmatter
from dzenpress.content.post import decode_post
from dzenpress.errors import DzenpressError, PostError
from dzenpress.fsio import Stat, scan_files
from dzenpress.hashing import digest

KNOWN_KEYS = ("title", "description", "noindex")
_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class SitePage:
    file: str
    route: str  # "/contacts/"
    title: str
    description: str
    noindex: bool
    body: str
    digest: str


def load_pages(folder: Path, scanned: list[tuple[str, Stat]] | None = None, key: str | None = None
               ) -> tuple[list[SitePage], dict[str, Stat], list[DzenpressError]]:
    """Every Markdown page below `folder` (absent is fine), with file stats and the errors found. `scanned`:
    the folder's files as a build's fingerprint found them (scanned here when not given); `key`: the site's
    IndexNow key (its file is a generated address)."""
    pages: list[SitePage] = []
    stats: dict[str, Stat] = {}
    errors: list[DzenpressError] = []
    found = scan_files(folder, suffix=".md") if scanned is None else (f for f in scanned if f[0].endswith(".md"))
    for rel, stat in sorted(found):
        file = folder / rel.lstrip("/")
        stats[str(file)] = stat
        try:
            pages.append(load_page(file, route_of(rel, file, key)))
        except DzenpressError as exc:
            errors.append(exc)
        except OSError as exc:
            errors.append(PostError(f"cannot be read: {exc.strerror}", path=file))
    return pages, stats, errors


def route_of(rel: str, file: Path, key: str | None = None) -> str:
    """'/contacts.md' → '/contacts/', '/about/index.md' → '/about/'. An address the build generates (the
    registry in routes.py, the blog and everything under it, the home page) is an error."""
    parts = rel.strip("/").removesuffix(".md").split("/")
    if parts[-1] == "index":
        parts.pop()
    bad = [p for p in parts if not _SEGMENT.match(p)]
    if bad:
        raise PostError(f"{bad[0]!r} cannot be part of an address: use lowercase Latin letters, digits and '-'",
                        path=file)
    route = "/" + "/".join(parts) + "/" if parts else "/"
    if route == routes.HOME or route.startswith(routes.BLOG) or routes.reserved_problem(route, key):
        raise PostError(f"the address {route} belongs to a page dzenpress generates; rename the file", path=file)
    return route


def load_page(file: Path, route: str) -> SitePage:
    raw = file.read_bytes()
    doc = frontmatter.split(decode_post(raw, file), file)
    meta = frontmatter.parse(doc.front, file)

    def fail(key: str, message: str) -> PostError:
        return PostError(message, path=file, line=frontmatter.key_line(doc.front, key) or 1, field=key)

    unknown = [k for k in meta if k not in KNOWN_KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown key (known: {', '.join(KNOWN_KEYS)})")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        raise fail("title", "is required and must be a non-empty string")
    description = meta.get("description", "")
    if not isinstance(description, str):
        raise fail("description", "must be a string")
    noindex = meta.get("noindex", False)
    if not isinstance(noindex, bool):
        raise fail("noindex", "must be true or false")
    return SitePage(str(file), route, title.strip(), " ".join(description.split()), noindex, doc.body, digest(raw))
