"""The signals plugins connect to (blinker). See dzenpress/plugins.py for how plugins are found and docs/api.md
for an example. Sending costs nothing when no receiver is connected."""

from __future__ import annotations

from typing import Any

from blinker import Namespace

__all__ = ["build_finished", "page_context", "post_parsed", "send", "site_loaded"]

_signals = Namespace()
site_loaded = _signals.signal("site-loaded", doc="the site is loaded: site_loaded.send(site)")
post_parsed = _signals.signal("post-parsed", doc="a post was read: post_parsed.send(post)")
page_context = _signals.signal("page-context", doc="page_context.send(page, context=dict): change it in place")
build_finished = _signals.signal("build-finished", doc="build_finished.send(site, report=BuildReport)")


def send(signal: Any, sender: object, **kwargs: Any) -> None:
    if signal.receivers:
        signal.send(sender, **kwargs)
