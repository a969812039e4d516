"""Dzen URL forms: article ids (base64url ↔ 24-hex), away?to= unwrapping, tracking parameters."""

from __future__ import annotations

import base64
import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

DZEN_HOSTS = ("dzen.ru", "zen.yandex.ru", "zen.yandex.com")
_HEX_ID = re.compile(r"-([0-9a-f]{24})$")
_MAX_UNWRAP = 8


def is_dzen_host(host: str) -> bool:
    host = host.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in DZEN_HOSTS)


def hex_to_article_id(hex_id: str) -> str:
    """24-hex publication id → the 16-character base64url id of /a/<id> URLs."""
    return base64.urlsafe_b64encode(bytes.fromhex(hex_id)).decode().rstrip("=")


def article_id_to_hex(article_id: str) -> str:
    return base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4)).hex()


def unwrap(url: str) -> str:
    """Follow `…/away?to=<target>` wrappers (they nest) to the real target."""
    for _ in range(_MAX_UNWRAP):
        parts = urlsplit(url)
        if not parts.path.rstrip("/").endswith("/away"):
            return url
        target = parse_qs(parts.query).get("to")
        if not target or not target[0].startswith(("http://", "https://", "//")):
            return url
        url = target[0] if not target[0].startswith("//") else "https:" + target[0]
    return url


def clean_url(url: str) -> str:
    """A link's real target: wrappers unwrapped, Dzen tracking dropped, old zen article URLs modernised."""
    url = unwrap(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not is_dzen_host(parts.netloc):
        return url
    path = parts.path
    old = _HEX_ID.search(path) if path.startswith("/media/") else None
    if old:
        return f"https://dzen.ru/a/{hex_to_article_id(old.group(1))}"
    host = "dzen.ru" if parts.netloc.lower() in ("zen.yandex.ru", "zen.yandex.com", "www.dzen.ru") else parts.netloc
    return urlunsplit(("https", host, path, "", parts.fragment))
