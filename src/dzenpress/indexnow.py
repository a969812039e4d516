"""The site's IndexNow key and its store, `.dzenpress/indexnow.json` (the key, and `ping`'s log of what each
URL looked like when it was last submitted). Builds publish the key as `/<key>.txt`; `ping` submits with it."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

from dzenpress.config import Config
from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write

__all__ = ["STORE", "ensure_key", "known_key", "load_store", "new_key", "new_key_section", "save_store"]

STORE = "indexnow.json"
_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")


def load_store(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise DzenpressError(f"is not valid JSON ({exc}); delete it to start a new IndexNow log",
                             path=path) from None
    return data if isinstance(data, dict) else {}


def save_store(path: Path, store: dict[str, Any]) -> None:
    atomic_write(path, json.dumps(store, ensure_ascii=False, indent=0, sort_keys=True) + "\n")


def new_key() -> str:
    return secrets.token_hex(16)


def new_key_section() -> str:
    """`[indexnow]` with a fresh key, for a new site's config: the key then travels with the site."""
    return f'\n[indexnow]\nkey = "{new_key()}"  # IndexNow: published as /<key>.txt by every build\n'


def known_key(store_path: Path, config: Config) -> str | None:
    """`[indexnow] key`, else the stored one; None when the site has none yet."""
    if config.indexnow.key:
        return config.indexnow.key
    key = load_store(store_path).get("key")
    return key if isinstance(key, str) and _KEY.fullmatch(key) else None


def ensure_key(store_path: Path, config: Config) -> str:
    """The site's key: the known one, else a new one, stored (a site's first build or ping makes it)."""
    key = known_key(store_path, config)
    if key is None:
        store = load_store(store_path)
        key = store["key"] = new_key()
        save_store(store_path, store)
    return key
