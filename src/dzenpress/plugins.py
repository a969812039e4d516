"""Extension points, in Pelican's manner: blinker signals that plugins connect to, and the plugins a site
names in `[site] plugins = [...]`: an entry point of the `dzenpress.plugins` group (a package declares
`[project.entry-points."dzenpress.plugins"] name = "module:register"`), or else an importable module with a
`register()` function. `register()` connects the plugin's receivers. A site without plugins loads none of
this (no entry-point scan: a no-op build stays a few stat calls).

Signals (dzenpress/signals.py; each sent with the object as sender and keyword arguments as documented):

- `site_loaded(site)`: the posts and pages are loaded and checked. A receiver may add a page (append a
  `SitePage` to `site.pages`) or drop posts from `site.posts`.
- `post_parsed(post)`: a post was read from its file (or the parsed-post cache), before the site is checked.
- `page_context(page, context)`: a page's context was built; a receiver may change `context` (a dict) in place.
  The change is part of the page's recipe key.
- `build_finished(site, report)`: the output folder is complete and the state committed.

Which plugins are loaded (their names and versions) is part of every page's key: installing, removing or
upgrading a plugin renders everything again. A plugin must be deterministic: the same inputs, the same changes.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from pathlib import Path

from dzenpress.errors import DzenpressError

__all__ = ["ENTRY_POINTS", "load_plugins", "loaded"]

ENTRY_POINTS = "dzenpress.plugins"

_loaded: dict[str, str] = {}  # plugin name → its distribution's version ("" when not known)


def load_plugins(names: list[str], config_file: Path | None = None) -> dict[str, str]:
    """Load the named plugins (once per process); name → version. An unknown or failing plugin is an error
    naming it and the config key."""
    todo = [name for name in names if name not in _loaded]
    if not todo:
        return dict(_loaded)
    entries = {e.name: e for e in metadata.entry_points(group=ENTRY_POINTS)}
    for n, name in enumerate(names):
        if name in _loaded:
            continue
        entry = entries.get(name)
        try:
            if entry is not None:
                register, version = entry.load(), entry.dist.version if entry.dist is not None else ""
            else:
                module = importlib.import_module(name)
                register, version = module.register, str(getattr(module, "__version__", ""))
            register()
        except Exception as exc:
            raise DzenpressError(f"plugin {name!r} cannot be loaded: {type(exc).__name__}: {exc} (an entry point "
                                 f"of {ENTRY_POINTS!r} or a module with register())", path=config_file,
                                 field=f"site.plugins[{n}]") from None
        _loaded[name] = version
    return dict(_loaded)


def loaded() -> tuple[tuple[str, str], ...]:
    """The loaded plugins and their versions, in name order: part of every recipe key."""
    return tuple(sorted(_loaded.items()))
