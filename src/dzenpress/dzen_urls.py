"""Dzen URL forms: article ids (base64url ↔ 24-hex), away?to= unwrapping, tracking parameters.

Below every package (it imports nothing of dzenpress): the normaliser's links rule and import both use it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
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


_ARTICLE = re.compile(r"^/(a|b)/([A-Za-z0-9_-]{16})/?$")
_MEDIA = re.compile(r"^/media/(?:id/[0-9a-f]{24}|[\w.\-]+)/[^/]*?-?([0-9a-f]{24})/?$")
_CHANNEL_ID = re.compile(r"^/(?:media/)?id/([0-9a-f]{24})/?$")
_CHANNEL_NAME = re.compile(r"^/(?:media/)?([\w.\-]+)/?$")
RESERVED = {"a", "b", "api", "brief", "embed", "id", "media", "news", "shorts", "topic", "video", "showcaptcha",
            "away", "explore", "help", "login"}


@dataclass(frozen=True)
class ArticleRef:
    hex_id: str  # the 24-hex publication id
    kind: str  # "a" (article) or "b" (brief)

    @property
    def article_id(self) -> str:
        return hex_to_article_id(self.hex_id)

    @property
    def url(self) -> str:
        """The canonical address: `https://dzen.ru/a/<id>` with no query."""
        return f"https://dzen.ru/{self.kind}/{self.article_id}"


@dataclass(frozen=True)
class ChannelRef:
    name: str = ""
    channel_id: str = ""

    @property
    def key(self) -> str:
        return self.channel_id or self.name

    @property
    def url(self) -> str:
        return f"https://dzen.ru/id/{self.channel_id}" if self.channel_id else f"https://dzen.ru/{self.name}"


def parse_article(url: str) -> ArticleRef | None:
    """Any known article URL form (with tracking queries, old zen forms) → its reference, else None."""
    parts = urlsplit(unwrap(url.strip()))
    if not is_dzen_host(parts.netloc):
        return None
    m = _ARTICLE.match(parts.path)
    if m:
        try:
            return ArticleRef(article_id_to_hex(m.group(2)), m.group(1))
        except ValueError:
            return None
    m = _MEDIA.match(parts.path)
    return ArticleRef(m.group(1), "a") if m else None


def parse_channel(url: str) -> ChannelRef | None:
    url = url.strip()
    if "://" not in url:
        url = "https://" + url if is_dzen_host(url.split("/", 1)[0]) else "https://dzen.ru/" + url.lstrip("/")
    parts = urlsplit(url)
    if not is_dzen_host(parts.netloc):
        return None
    m = _CHANNEL_ID.match(parts.path)
    if m:
        return ChannelRef(channel_id=m.group(1))
    m = _CHANNEL_NAME.match(parts.path)
    if m and m.group(1).lower() not in RESERVED:
        return ChannelRef(name=m.group(1))
    return None


def canonical_source(url: str) -> str | None:
    """The canonical article URL of a post's `source`, whatever form it was written in."""
    ref = parse_article(url)
    return ref.url if ref else None
