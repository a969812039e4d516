"""The site's IndexNow key (kept in `.dzenpress/indexnow.json` with the ping log) and `<key>.txt`, the output
every build publishes so the endpoint can verify the site owns the key. `dzenpress ping` uses the same store."""

from __future__ import annotations

import json
import re
import secrets
from functools import partial
from pathlib import Path
from typing import Any

from dzenpress.config import Config
from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write
from dzenpress.render.pages import Context, Page, Pages

STORE = "indexnow.json"


# ---- the key ---------------------------------------------------------------------------------------


def _store_path(root: Path) -> Path:
    return root / ".dzenpress" / STORE


def _load_store(root: Path) -> dict[str, Any]:
    path = _store_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise DzenpressError(f"is not valid JSON ({exc}); delete it to start a new IndexNow log",
                             path=path) from None
    return data if isinstance(data, dict) else {}


def _save_store(root: Path, store: dict[str, Any]) -> None:
    atomic_write(_store_path(root), json.dumps(store, ensure_ascii=False, indent=0, sort_keys=True) + "\n")


def new_key_section() -> str:
    """`[indexnow]` with a fresh key, for a new site's config: the key then travels with the site."""
    return f'\n[indexnow]\nkey = "{secrets.token_hex(16)}"  # IndexNow: published as /<key>.txt by every build\n'


def ensure_key(root: Path, config: Config) -> str:
    """The site's IndexNow key: `[indexnow] key`, else the stored one, else a new one (stored)."""
    if config.indexnow.key:
        return config.indexnow.key
    store = _load_store(root)
    key = store.get("key")
    if isinstance(key, str) and re.fullmatch(r"[A-Za-z0-9-]{8,128}", key):
        return key
    store["key"] = secrets.token_hex(16)
    _save_store(root, store)
    return str(store["key"])


def key_file_pages(pages: Pages) -> list[Page]:
    """`<key>.txt` in the output root, so the endpoint can verify the site owns the key."""
    key = ensure_key(pages.site.root, pages.cfg)
    return [Page(f"{key}.txt", "", render_key_file, partial(dict, key=key), derive=True)]


def render_key_file(env: Any, c: Context) -> str:
    return str(c["key"])
