"""Slugs as the existing Dzen-imported sites made them, plus a cleaner word-boundary cut."""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache
from typing import Literal

MAX_LENGTH = 80
SlugStyle = Literal["word", "legacy"]

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian letters, so their titles do not lose whole words.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}
_TABLE = str.maketrans(_TRANSLIT | {"/": ""})  # the old slug maker deleted "/" outright
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_VALID = re.compile(r"[a-z0-9-]+")


def transliterate(text: str) -> str:
    return text.lower().translate(_TABLE)


def slugify(title: str, style: SlugStyle = "word", max_length: int = MAX_LENGTH) -> str:
    """Title → slug. `legacy` reproduces the old importer's hard cut (which may end in "-")."""
    slug = _NON_SLUG.sub("-", transliterate(title)).strip("-")
    if len(slug) <= max_length:
        return slug
    if style == "legacy":
        return slug[:max_length]
    cut = slug[: max_length + 1]
    boundary = cut.rfind("-")
    return (cut[:boundary] if boundary > 0 else slug[:max_length]).strip("-")


def unique_slug(slug: str, taken: Container[str], max_length: int = MAX_LENGTH) -> str:
    """`slug`, or `slug-2`, `slug-3` … whichever is free, kept within max_length."""
    if slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def slug_problem(slug: object) -> str | None:
    """Why `slug` cannot be a URL segment, or None when it can."""
    if not isinstance(slug, str) or not slug:
        return "must be a non-empty string"
    if not _VALID.fullmatch(slug):
        return f"{slug!r} may only contain a-z, 0-9 and '-'"
    if len(slug) > MAX_LENGTH:
        return f"is {len(slug)} characters long; at most {MAX_LENGTH}"
    return None


@cache
def tag_slug(name: str) -> str:
    """A tag's address part: its slug, or `tag` for a name with no Latin or Cyrillic letter or digit."""
    return slugify(name) or "tag"
