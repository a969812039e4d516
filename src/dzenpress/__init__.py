"""dzenpress: your Yandex Dzen articles as a fast, SEO-complete blog on your own site."""

from __future__ import annotations

from dzenpress._version import __version__
from dzenpress.content.site import Site, load_site
from dzenpress.errors import DzenpressError
from dzenpress.project import Project, build
from dzenpress.render import BuildReport
from dzenpress.scaffold import init_site

__all__ = ["BuildReport", "DzenpressError", "Project", "Site", "__version__", "build", "init_site", "load_site"]
