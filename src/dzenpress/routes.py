"""The site's URL layout: the one owner of `/blog/…` routes and of route → output file.

Base level (no config, no content, no render) so that every layer can ask it: posts for their own URL and
the site path of their images, import and clean for where a post's images live, the renderer and the sitemap
for pages and their files, `serve` for what a URL serves.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

BLOG = "/blog/"
BLOG_FOLDER = BLOG.strip("/")  # public/blog/<slug>/ holds a post's images
PAGE = "page"  # /blog/page/2/
TAG = "tag"  # /blog/tag/<tag>/
# files and folders a build always generates at the site root (an alias must not land on or under them)
GENERATED_ROOT = frozenset({"index.html", "404.html", "rss.xml", "atom.xml", "sitemap.xml", "robots.txt",
                            "posts.json", "assets"})

_BAD_CHARS = re.compile(r"[\x00-\x20\x7f\\?#%<>\"'`|*:]")


def post(slug: str) -> str:
    return f"{BLOG}{slug}/"


def post_folder(slug: str) -> str:
    """Where a post's own files live, relative to public/ and to the output: blog/<slug>."""
    return f"{BLOG_FOLDER}/{slug}"


def post_file(slug: str, name: str) -> str:
    """Site path of a file that belongs to a post (its cover and images): /blog/<slug>/<name>."""
    return f"{BLOG}{slug}/{name}"


def blog(page: int = 1) -> str:
    return BLOG if page == 1 else f"{BLOG}{PAGE}/{page}/"


def tag(tag_slug: str, page: int = 1) -> str:
    base = f"{BLOG}{TAG}/{tag_slug}/"
    return base if page == 1 else f"{base}{PAGE}/{page}/"


def path(route: str, trailing_slash: bool) -> str:
    """Site path of a route like '/blog/x/' under the trailing-slash policy."""
    if route == "/" or trailing_slash or route.endswith(".html"):
        return route
    return route.rstrip("/")


def output_file(route: str, trailing_slash: bool) -> str:
    """The output file (relative to the output folder) that serves `route`.

    A route naming an .html file is that file; other routes are folders (index.html) or, without trailing
    slashes, `<route>.html`.
    """
    if route == "/":
        return "index.html"
    if route.endswith(".html"):
        return route.strip("/")
    if trailing_slash:
        return route.strip("/") + "/index.html"
    return route.strip("/") + ".html"


def alias_route(alias: str) -> str:
    """The route of an alias (`old/x`, `/old/x/`, `/old/a.html`); ValueError says why it cannot be one.

    An alias is a plain path below the site root: no `.` or `..` segments, no hidden or empty segments,
    no query, fragment, scheme or characters a file name cannot safely hold.
    """
    text = unquote(alias.strip())  # servers decode before they look for the file: so does the check
    if "://" in text or text.startswith("//"):
        raise ValueError("must be a path on this site like /old/address/, not a full URL")
    bad = _BAD_CHARS.search(text)
    if bad:
        raise ValueError(f"may not contain {bad.group()!r} (a plain path like /old/address/)")
    segments = text.strip("/").split("/")
    if segments == [""]:
        raise ValueError("is the home page")
    for segment in segments:
        if segment in ("", ".", ".."):
            raise ValueError("may not contain empty, '.' or '..' segments")
        if segment.startswith("."):
            raise ValueError(f"may not contain a hidden segment {segment!r}")
    route = "/" + "/".join(segments)
    return route if route.endswith(".html") else route + "/"


def reserved_problem(output: str) -> str | None:
    """Why an output file (an alias's) would replace a page or file every build generates, if it would."""
    first = output.split("/", 1)[0]
    if first in GENERATED_ROOT:
        return f"is the generated /{first}"
    if is_list_output(output):
        return f"is a generated blog list ({output})"
    return None


def is_list_output(output: str) -> bool:
    """Whether an output file is (or is under) the blog's list, page or tag pages."""
    return output in (f"{BLOG_FOLDER}/index.html", f"{BLOG_FOLDER}.html") or output.startswith(
        (f"{BLOG_FOLDER}/{PAGE}/", f"{BLOG_FOLDER}/{TAG}/"))
