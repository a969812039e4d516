"""The site's URL layout: the one registry of the addresses a build generates, and `Urls`, the one URL
builder (route → site path, absolute URL, output file), which alone applies the trailing-slash policy.

Base level (no config, no content, no render) so that every layer can ask it: posts for their own URL and
the site path of their images, import and clean for where a post's images live, aliases and pages/ for the
addresses they may not take, the renderer, feeds and the sitemap for pages and their files, `serve` for what
a URL serves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

__all__ = ["ATOM", "BLOG", "BLOG_FOLDER", "DZEN_RSS", "GENERATED_ROOT", "HOME", "IMAGES", "NOT_FOUND", "PAGE",
           "PAGEFIND", "PAGEFIND_SCRIPT", "POSTS_JSON", "ROBOTS", "RSS", "SEARCH", "SITEMAP", "STYLESHEET", "TAG",
           "Urls", "alias_route", "blog", "is_list_output", "is_list_route", "key_file", "output_of", "post",
           "post_file", "post_folder", "reserved_problem", "tag"]

BLOG = "/blog/"
BLOG_FOLDER = BLOG.strip("/")  # public/blog/<slug>/ holds a post's images
PAGE = "page"  # /blog/page/2/
TAG = "tag"  # /blog/tag/<tag>/

# ---- the registry: every address a build generates at the site root --------------------------------------
HOME = "/"
NOT_FOUND = "/404.html"
RSS = "/rss.xml"
ATOM = "/atom.xml"
DZEN_RSS = "/rss-dzen.xml"
SITEMAP = "/sitemap.xml"
ROBOTS = "/robots.txt"
POSTS_JSON = "/posts.json"
STYLESHEET = "/assets/dzenpress.css"
SEARCH = "/search/"  # the search page
PAGEFIND = "/pagefind/"  # the search index and its script (written by Pagefind, not by the page list)
PAGEFIND_SCRIPT = PAGEFIND + "runtime/pagefind.js"  # render/search.py: the runtime that merges the shards
IMAGES = "/_img/"  # responsive image variants and Open Graph cards
# first path segments nothing else may use: a page, alias or file there would be replaced or deleted by a build
GENERATED_ROOT = frozenset({"index.html", *(a.strip("/").split("/")[0] for a in (
    NOT_FOUND, RSS, ATOM, DZEN_RSS, SITEMAP, ROBOTS, POSTS_JSON, STYLESHEET, SEARCH, PAGEFIND, IMAGES))})

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


def key_file(key: str) -> str:
    """The IndexNow key's file at the site root, `/<key>.txt` (the key is the site's, so is its address)."""
    return f"/{key}.txt"


def output_of(site_path: str) -> str:
    """The output file of a generated file's site path (`/rss.xml` → `rss.xml`): no policy, it is a file."""
    return site_path.lstrip("/")


@dataclass(frozen=True)
class Urls:
    """The one URL builder. `base` is the site's URL without a trailing slash; `trailing_slash` the policy,
    which applies to routes (folders like '/blog/x/') and never to files ('/rss.xml', '/a.html', images)."""

    base: str
    trailing_slash: bool = True

    def path(self, route: str) -> str:
        """Site path of a route like '/blog/x/' under the policy."""
        if route == "/" or self.trailing_slash or route.endswith(".html"):
            return route
        return route.rstrip("/")

    def absolute(self, route: str) -> str:
        """Absolute URL of a route, under the policy."""
        return self.base + self.path(route)

    def file(self, site_path: str) -> str:
        """Absolute URL of a file's site path (a cover, the logo, a feed); a full URL stays as it is."""
        if site_path.startswith(("http://", "https://")):
            return site_path
        return self.base + "/" + site_path.lstrip("/")

    def output(self, route: str) -> str:
        """The output file (relative to the output folder) that serves `route`.

        A route naming an .html file is that file; other routes are folders (index.html) or, without trailing
        slashes, `<route>.html`.
        """
        if route == "/":
            return "index.html"
        if route.endswith(".html"):
            return route.strip("/")
        if self.trailing_slash:
            return route.strip("/") + "/index.html"
        return route.strip("/") + ".html"

    def html_route(self, site_path: str) -> str:
        """The address an HTML file's site path is served at ('/a/index.html' → '/a/', '/b.html' → '/b' or
        itself): what a link to a public/ page should say."""
        if site_path.endswith("/index.html"):
            return site_path.removesuffix("index.html")
        return site_path if self.trailing_slash else site_path.removesuffix(".html")

    @staticmethod
    def post(slug: str) -> str:
        return post(slug)

    @staticmethod
    def blog(page: int = 1) -> str:
        return blog(page)

    @staticmethod
    def tag(tag_slug: str, page: int = 1) -> str:
        return tag(tag_slug, page)


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


def reserved_problem(route: str, key: str | None = None) -> str | None:
    """Why a route (an alias's or a page's) would replace a page or file every build generates, if it would.
    `key`: the site's IndexNow key, whose file the build also publishes at the root."""
    first = route.strip("/").split("/", 1)[0]
    reserved = GENERATED_ROOT | ({key_file(key).lstrip("/")} if key else set())
    for name in (first, first.removesuffix(".html")):  # '/search.html' is the search page without slashes
        if name in reserved:
            return f"is the generated /{name}"
    if is_list_route(route):
        return f"is a generated blog list ({route})"
    return None


def is_list_route(route: str) -> bool:
    """Whether a route is (or is under) the blog's list, page or tag pages."""
    return route in (BLOG, f"/{BLOG_FOLDER}.html") or route.startswith((f"{BLOG}{PAGE}/", f"{BLOG}{TAG}/"))


def is_list_output(output: str) -> bool:
    """Whether an output file is (or is under) the blog's list, page or tag pages."""
    return output in (f"{BLOG_FOLDER}/index.html", f"{BLOG_FOLDER}.html") or output.startswith(
        (f"{BLOG_FOLDER}/{PAGE}/", f"{BLOG_FOLDER}/{TAG}/"))
