"""An example plugin (the one docs/api.md shows): adds a page and changes the blog list's heading."""

from __future__ import annotations

from typing import Any

from dzenpress import signals
from dzenpress.content.site import Site
from dzenpress.content.sitepage import SitePage
from dzenpress.hashing import digest

__version__ = "1.0"
BODY = "Эта страница добавлена **плагином**."


def add_page(site: Site, **_: Any) -> None:
    site.pages.append(SitePage(file=str(site.root / "plugin_demo.py"), route="/from-plugin/", title="От плагина",
                               description="", noindex=False, body=BODY, digest=digest(BODY.encode())))


def mark_lists(page: Any, *, context: dict[str, Any], **_: Any) -> None:
    if page.template == "list.html":
        context["heading"] += " (плагин)"


def register() -> None:
    signals.site_loaded.connect(add_page)
    signals.page_context.connect(mark_lists)
