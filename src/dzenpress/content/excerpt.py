"""Meta descriptions: recognise imported junk and make a clean excerpt from the body instead."""

from __future__ import annotations

import re
from collections.abc import Iterator

from dzenpress.chrome import CHROME_PHRASES, is_chrome_line

MAX_DESCRIPTION = 160
ELLIPSIS = "…"

_URLISH = re.compile(r"https?://|www\.|(?:^|\s)/[\w\-/.]+|\.(?:jpe?g|png|webp|gif)\b", re.I)
_DOUBLED_DATE = re.compile(r"\d{4}\d{1,2}\s+[а-я]{3}\b|\d{1,2}\s+[а-я]+\d{1,2}\s+[а-я]{3}\b", re.I)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_AUTOLINK = re.compile(r"<?https?://\S+>?")
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~|`)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_ITALIC_UNDERSCORE = re.compile(r"(?<!\w)_(.+?)_(?!\w)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_LINK_ONLY = re.compile(r"\[?[^\[\]]*\]\([^)]*\)|\[", re.S)
_TEASER = re.compile(r"Читать далее|Рекламу можно отключить", re.I)


def description_problem(description: str | None, body_text: str = "") -> str | None:
    """Why a front-matter description should not be published, or None if it is fine."""
    if description is None or not description.strip():
        return "missing"
    text = " ".join(description.split())
    if any(p.lower() in text.lower() for p in CHROME_PHRASES) or _DOUBLED_DATE.search(text):
        return "Dzen page chrome"
    if _URLISH.search(text):
        return "contains URLs or paths"
    if len(text) > MAX_DESCRIPTION:
        return f"longer than {MAX_DESCRIPTION} characters"
    if _cut_mid_word(text, body_text):
        return "cut mid-word"
    return None


def _cut_mid_word(text: str, body_text: str) -> bool:
    stripped = text.rstrip()
    if not stripped.endswith((ELLIPSIS, "...")) or not body_text:
        return False
    last = re.findall(r"\w+", stripped.rstrip(".…"))
    if not last:
        return False
    word = last[-1]
    # A truncated word occurs in the body only as the beginning of a longer one.
    whole = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", body_text)
    return whole is None and word in body_text


def plain_paragraphs(markdown: str, title: str = "") -> Iterator[str]:
    """The body's prose paragraphs as plain text, in order: no headings, images, chrome or raw URLs."""
    seen: set[str] = set()
    norm_title = _squash(title)
    for raw in _BLANK_LINE.split(markdown):
        block = raw.strip()
        if not block or block.startswith(("#", "|", "```", "<", "---")):
            continue
        if _LINK_ONLY.fullmatch(block) or _TEASER.search(block):
            continue
        if is_chrome_line(block) or all(is_chrome_line(line) for line in block.splitlines()):
            continue
        text = to_plain(block)
        if len(text) < 2 or _squash(text) == norm_title or not re.search(r"\w{2}", text) or text in seen:
            continue
        seen.add(text)
        yield text


def to_plain(markdown: str) -> str:
    text = _IMAGE.sub(" ", markdown)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = re.sub(r"^[ \t]*(?:[-*+]|\d+[.)]|>)[ \t]+", "", text, flags=re.M)
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    text = _ITALIC_UNDERSCORE.sub(r"\1", text)
    return " ".join(text.split())


def make_excerpt(markdown: str, title: str = "", limit: int = MAX_DESCRIPTION) -> str:
    """First sentences of the body, at most `limit` characters, whole words, «…» when cut."""
    text = ""
    for para in plain_paragraphs(markdown, title):
        text = f"{text} {para}" if text else para
        if len(text) > limit:
            break
    return shorten(text, limit)


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    window = text[:limit]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] >= limit // 2:
        return window[: ends[-1]]
    cut = window[: limit - 1]
    if text[limit - 1].isalnum() and cut and cut[-1].isalnum():
        space = cut.rfind(" ")
        cut = cut[:space] if space > 0 else cut
    return cut.rstrip(" ,;:—–-") + ELLIPSIS


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())
