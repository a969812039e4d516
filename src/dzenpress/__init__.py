"""dzenpress: your Yandex Dzen articles as a fast, SEO-complete blog on your own site.

The public, typed API is what `__all__` lists (docs/api.md describes it; the package ships py.typed). Other
modules are internal: they may change between versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dzenpress._version import __version__

if TYPE_CHECKING:
    from dzenpress import plugins, signals
    from dzenpress.config import Config
    from dzenpress.content.post import Post
    from dzenpress.content.site import Site, load_site
    from dzenpress.content.sitepage import SitePage
    from dzenpress.errors import DzenpressError, ErrorGroup
    from dzenpress.project import Project, build
    from dzenpress.render import BuildReport
    from dzenpress.routes import Urls
    from dzenpress.scaffold import init_site
    from dzenpress.settings import Settings

__all__ = ["BuildReport", "Config", "DzenpressError", "ErrorGroup", "Post", "Project", "Settings", "Site", "SitePage",
           "Urls", "__version__", "build", "init_site", "load_site", "plugins", "signals"]

_HOMES = {"Site": "dzenpress.content.site", "load_site": "dzenpress.content.site", "DzenpressError": "dzenpress.errors",
          "ErrorGroup": "dzenpress.errors", "Project": "dzenpress.project", "build": "dzenpress.project",
          "BuildReport": "dzenpress.render", "init_site": "dzenpress.scaffold", "Config": "dzenpress.config",
          "Post": "dzenpress.content.post", "SitePage": "dzenpress.content.sitepage", "Urls": "dzenpress.routes",
          "Settings": "dzenpress.settings", "plugins": "dzenpress", "signals": "dzenpress"}


def __getattr__(name: str) -> Any:
    """The public API, imported on first use: `dzenpress --help` or a no-op build loads none of it."""
    if name not in _HOMES:
        raise AttributeError(f"module 'dzenpress' has no attribute {name!r}")
    import importlib

    home = _HOMES[name]
    value = importlib.import_module(f"{home}.{name}") if home == "dzenpress" else getattr(
        importlib.import_module(home), name)
    globals()[name] = value
    return value
