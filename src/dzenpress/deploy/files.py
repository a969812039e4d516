"""What a host needs to know of each file: its Content-Type, Cache-Control, whether it compresses, and
when it goes up so that no page is live before what it links to."""

from __future__ import annotations

import mimetypes
import re

from dzenpress import routes

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300, must-revalidate"  # pages, lists, feeds, the sitemap: seen within 5 minutes
DAY = "public, max-age=86400"  # post images and public/ files: their names do not change with their bytes

MIME = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
    ".avif": "image/avif", ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
    ".wasm": "application/wasm", ".pdf": "application/pdf", ".mp4": "video/mp4", ".webm": "video/webm",
    ".webmanifest": "application/manifest+json",
}
FEEDS = frozenset({"rss.xml", "atom.xml", "rss-dzen.xml", "sitemap.xml", "posts.json", "robots.txt"})
# content-addressed: the name changes when the bytes do (image variants, the stylesheet under ?v=, Pagefind's
# hashed chunks)
_HASHED = re.compile(r"^(_img/|assets/|pagefind/(fragment|index)/)|^pagefind/pagefind\.[^/]*\.pf_meta$")
_TEXT = re.compile(r"^(text/|application/(json|xml|manifest\+json|wasm)|image/svg)")
# Pagefind's entry points name the hashed files: they go up after them
_SEARCH_ENTRY = re.compile(r"^pagefind/[^/]*\.(js|json|css|pagefind)$")

PHASES = ("files", "search", "pages", "lists", "feeds")
ENTRIES = frozenset({"index.html", "404.html"})  # where visitors come in: last of their phase


def content_type(rel: str) -> str:
    dot = rel.rfind(".")
    suffix = rel[dot:].lower() if dot > rel.rfind("/") else ""
    return MIME.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


def cache_control(rel: str) -> str:
    if _HASHED.search(rel):
        return IMMUTABLE
    if rel.endswith(".html") or rel in FEEDS or rel.startswith("pagefind/"):
        return SHORT
    return DAY


def compressible(rel: str) -> bool:
    """Text worth compressing (Pagefind's chunks are compressed already)."""
    return bool(_TEXT.match(content_type(rel)))


def step(rel: str, live: bool) -> tuple[int, int, bool]:
    """Where `rel` goes in the upload order (see run.make_plan): files before pages; pages the target does
    not have yet (`live` False: nothing there links to them) before pages it has; within each, posts, then
    lists, then the home page and 404, then feeds and the sitemap."""
    kind = phase(rel)
    return (0 if kind < 2 else 1 if not live else 2), kind, rel in ENTRIES


def phase(rel: str) -> int:
    """The kind of file for the upload order: files pages point to, the search index's entry points, post
    pages (and redirects, public HTML), then lists and the home page, then feeds and the sitemap."""
    if rel in FEEDS:
        return 4
    if not rel.endswith(".html"):
        return 1 if _SEARCH_ENTRY.match(rel) else 0
    if rel in ("index.html", "404.html") or routes.is_list_output(rel):
        return 3
    return 2
