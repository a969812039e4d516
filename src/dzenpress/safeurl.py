"""Which URLs from front matter and config may become an href or src: checked by scheme, as browsers read it."""

from __future__ import annotations

import re

WEB = frozenset({"http", "https"})
CONTACT = WEB | {"mailto", "tel"}
# messenger deep links seen on clinic and shop sites (viber://chat?number=…, tg://resolve?domain=…)
MESSENGER = CONTACT | {"sms", "viber", "tg", "whatsapp", "skype"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


def link_problem(value: str, schemes: frozenset[str] = WEB) -> str | None:
    """Why `value` is not a safe link (None when it is): an absolute URL with an allowed scheme, or relative.

    Browsers drop tabs and newlines anywhere in a URL and control characters and spaces around it before
    reading the scheme (`java\\tscript:` is `javascript:`), so any control character is refused outright.
    """
    if _CONTROL.search(value):
        return "may not contain control characters (tabs, newlines)"
    text = value.strip()
    found = _SCHEME.match(text)
    if found is None:
        return None  # relative: a path, ./x.jpg, //host/…, ?query or #fragment
    scheme = found.group(1).lower()
    if scheme not in schemes:
        allowed = ", ".join(f"{s}:" for s in sorted(schemes))
        return f"{scheme}: links are not allowed here ({allowed} or a path on the site)"
    return None
