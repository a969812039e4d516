"""The site's IndexNow key (kept in `.dzenpress/indexnow.json` with the ping log) and `<key>.txt`, the output
every build publishes so the endpoint can verify the site owns the key. `dzenpress ping` uses the same store."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from dzenpress import indexnow, routes
from dzenpress.config import Config
from dzenpress.indexnow import new_key_section
from dzenpress.render.pages import Context, Page, Pages
from dzenpress.settings import STATE_DIR

__all__ = ["_load_store", "_save_store", "ensure_key", "key_file_pages", "new_key_section", "render_key_file"]

# ---- the key (the store lives in dzenpress/indexnow.py; these take the site folder, as `ping` does) ----------


def _store_path(root: Path) -> Path:
    return root / STATE_DIR / indexnow.STORE


def _load_store(root: Path) -> dict[str, Any]:
    return indexnow.load_store(_store_path(root))


def _save_store(root: Path, store: dict[str, Any]) -> None:
    indexnow.save_store(_store_path(root), store)


def ensure_key(root: Path, config: Config) -> str:
    """The site's IndexNow key: `[indexnow] key`, else the stored one, else a new one (stored)."""
    return indexnow.ensure_key(_store_path(root), config)


def key_file_pages(pages: Pages) -> list[Page]:
    """`<key>.txt` in the output root, so the endpoint can verify the site owns the key."""
    key = pages.site.settings.indexnow_key()  # made by the site's first build (Project.open); listing only reads
    if key is None:
        return []
    return [Page(routes.output_of(routes.key_file(key)), "", render_key_file, partial(dict, key=key), derive=True)]


def render_key_file(env: Any, c: Context) -> str:
    return str(c["key"])
