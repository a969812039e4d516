"""dzenpress: your Yandex Dzen articles as a fast, SEO-complete blog on your own site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dzenpress._version import __version__

if TYPE_CHECKING:
    from dzenpress.content.site import Site, load_site
    from dzenpress.errors import DzenpressError
    from dzenpress.project import Project, build
    from dzenpress.render import BuildReport
    from dzenpress.scaffold import init_site

__all__ = ["BuildReport", "DzenpressError", "Project", "Site", "__version__", "build", "init_site", "load_site"]

_HOMES = {"Site": "dzenpress.content.site", "load_site": "dzenpress.content.site", "DzenpressError": "dzenpress.errors",
          "Project": "dzenpress.project", "build": "dzenpress.project", "BuildReport": "dzenpress.render",
          "init_site": "dzenpress.scaffold"}


def __getattr__(name: str) -> Any:
    """The public API, imported on first use: `dzenpress --help` or a no-op build loads none of it."""
    if name not in _HOMES:
        raise AttributeError(f"module 'dzenpress' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value
