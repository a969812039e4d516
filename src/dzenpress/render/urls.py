"""One trailing-slash policy for every URL and output file of the site."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dzenpress.config import Config
from dzenpress.content.slug import slugify


@dataclass(frozen=True)
class Urls:
    config: Config

    def path(self, route: str) -> str:
        """Site path of a route like '/blog/x/' under the configured policy."""
        if route == "/" or self.config.trailing_slash:
            return route
        return route.rstrip("/")

    def absolute(self, route: str) -> str:
        return self.config.url + self.path(route)

    def output(self, route: str) -> str:
        """Output file (relative to the output folder) that serves `route`."""
        if route == "/":
            return "index.html"
        if self.config.trailing_slash:
            return route.strip("/") + "/index.html"
        return route.strip("/") + ".html"

    @staticmethod
    def post(slug: str) -> str:
        return f"/blog/{slug}/"

    @staticmethod
    def blog(page: int = 1) -> str:
        return "/blog/" if page == 1 else f"/blog/page/{page}/"

    @staticmethod
    def tag(tag_slug: str, page: int = 1) -> str:
        base = f"/blog/tag/{tag_slug}/"
        return base if page == 1 else f"{base}page/{page}/"

    @staticmethod
    @cache
    def tag_slug(name: str) -> str:
        return slugify(name) or "tag"
