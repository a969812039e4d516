"""Dzen's access walls, recognised and explained in one actionable sentence each (dzen.md §6)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from dzenpress.errors import DzenpressError

_IT = re.compile(r"var\s+it\s*=\s*(\{.*?\})\s*;", re.S)
_LOGIN_HOSTS = ("passport.yandex", "sso.dzen.ru", "oauth.yandex", "login.vk.com")


class WallError(DzenpressError):
    """Dzen did not show the page: a sign-on bounce, a captcha, a block or a login form."""


SSO = ("Dzen asked this client to sign in (SSO) and following its retpath did not help: export your browser's "
       "dzen.ru cookies and pass them with --cookies FILE, or save the pages in the browser and import the .html files")
CAPTCHA = ("Dzen answered with a captcha (too many requests, or an unfamiliar client): wait a while and retry with a "
           "larger --delay, pass browser cookies with --cookies FILE, or import pages saved from the browser")
BLOCKED = ("Dzen says «Доступ ограничен» for this network (it often serves only Russian IP addresses): run the import "
           "from such a network, or save the pages in a browser that can see them and import the .html files")
LOGIN = ("this page needs a signed-in Dzen account (for example Дзен Про articles): pass your browser's cookies "
         "with --cookies FILE, or import the page saved from a signed-in browser")


def sso_retpath(html: str) -> str | None:
    """The retpath of an SSO bounce page (`var it = {...,"retpath":...}`), if this is one."""
    m = _IT.search(html)
    if not m or "retpath" not in m.group(1):
        return None
    try:
        data = json.loads(m.group(1))
    except json.JSONDecodeError:
        found = re.search(r'"retpath"\s*:\s*"([^"]+)"', m.group(1))
        return found.group(1).replace("\\/", "/") if found else None
    value = data.get("retpath")
    return value if isinstance(value, str) and value.startswith("http") else None


def wall_reason(url: str, html: str) -> str | None:
    """Which wall a response is, or None for a real page."""
    parts = urlsplit(url)
    if parts.path.startswith("/showcaptcha") or "showcaptcha" in parts.query:
        return CAPTCHA
    if any(h in parts.netloc for h in _LOGIN_HOSTS) or parts.path.startswith("/login"):
        return LOGIN if sso_retpath(html) is None else SSO
    head = html[:20000]
    title = re.search(r"<title[^>]*>(.*?)</title>", head, re.S | re.I)
    if title and "Доступ ограничен" in title.group(1):
        return BLOCKED
    if sso_retpath(head):
        return SSO
    if re.search(r"action=\"[^\"]*(?:checkcaptcha|showcaptcha)", head) or "smart-captcha" in head:
        return CAPTCHA
    return None


_NOT_FOUND_TITLES = ("Страница не найдена", "Смотреть видео от авторов и СМИ")


def not_found(html: str) -> bool:
    """Dzen's "page not found" page (its own 404 layout, or the older generic title)."""
    head = html[:20000]
    title = re.search(r"<title[^>]*>(.*?)</title>", head, re.S | re.I)
    if title and any(t in title.group(1) for t in _NOT_FOUND_TITLES):
        return True
    return "zen-ui-error-page-main" in html and "Такой страницы не существует" in html
