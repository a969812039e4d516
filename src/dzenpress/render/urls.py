"""One trailing-slash policy for every URL and output file of the site (the layout itself is routes.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dzenpress import routes
from dzenpress.config import Config
from dzenpress.content.slug import slugify


@dataclass(frozen=True)
class Urls:
    config: Config

    def path(self, route: str) -> str:
        """Site path of a route like '/blog/x/' under the configured policy."""
        return routes.path(route, self.config.trailing_slash)

    def absolute(self, route: str) -> str:
        return self.config.url + self.path(route)

    def output(self, route: str) -> str:
        """Output file (relative to the output folder) that serves `route`."""
        return routes.output_file(route, self.config.trailing_slash)

    @staticmethod
    def post(slug: str) -> str:
        return routes.post(slug)

    @staticmethod
    def blog(page: int = 1) -> str:
        return routes.blog(page)

    @staticmethod
    def tag(tag_slug: str, page: int = 1) -> str:
        return routes.tag(tag_slug, page)

    @staticmethod
    @cache
    def tag_slug(name: str) -> str:
        return slugify(name) or "tag"
