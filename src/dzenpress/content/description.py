"""The description policy, in one place: what a junk description is and how a clean one is made.

Used by post loading (the published description), `clean` (the repaired front matter), `import`
(the description it writes) and pages that shorten their own text. A description is at most
MAX_DESCRIPTION characters of plain prose from the start of the body: whole words, each sentence once,
no page chrome, no URLs, no control characters, «…» when cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dzenpress.chrome import CHROME_PHRASES
from dzenpress.content.excerpt import plain_paragraphs

MAX_DESCRIPTION = 160
ELLIPSIS = "…"
# what `clean --rules` and the README say the `description` rule does
RULE_SUMMARY = f"a junk description (chrome, URLs, cut mid-word, > {MAX_DESCRIPTION} chars) regenerated"

_URLISH = re.compile(r"https?://|www\.|(?:^|\s)/[\w\-/.]+|\.(?:jpe?g|png|webp|gif)\b", re.I)
_DOUBLED_DATE = re.compile(r"\d{4}\d{1,2}\s+[а-я]{3}\b|\d{1,2}\s+[а-я]+\d{1,2}\s+[а-я]{3}\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_TITLE_LIKE = 120  # characters: longer text without a final stop is prose all the same
_SENTENCES = re.compile(r"(?<=[.!?…])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")  # what YAML cannot print
_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W+")


def description_problem(description: str | None, body_text: str = "") -> str | None:
    """Why a front-matter description should not be published, or None if it is fine."""
    if description is None or not description.strip():
        return "missing"
    text = " ".join(description.split())
    lowered = text.lower()
    if any(p.lower() in lowered for p in CHROME_PHRASES) or _DOUBLED_DATE.search(text):
        return "Dzen page chrome"
    if _URLISH.search(text):
        return "contains URLs or paths"
    if len(text) > MAX_DESCRIPTION:
        return f"longer than {MAX_DESCRIPTION} characters"
    if _CONTROL.search(text):
        return "contains control characters"
    if _cut_mid_word(text, body_text):
        return "cut mid-word"
    return None


def make_description(markdown: str, title: str = "", limit: int = MAX_DESCRIPTION) -> str:
    """The first sentences of the body's prose, each said once, at most `limit` characters.

    Title-like lines (a subtitle, a bold pseudo-heading, «Причины:») are left out when there is prose:
    glued to the next sentence they would not read as one.
    """
    paragraphs = list(_first_paragraphs(markdown, title, limit))
    prose = [p for p in paragraphs if not _title_like(p)]
    return _sentences_once(prose or paragraphs, limit)


def _first_paragraphs(markdown: str, title: str, limit: int) -> Iterator[str]:
    length = 0
    for para in plain_paragraphs(markdown, title):
        yield para
        length += 0 if _title_like(para) else len(para)
        if length > limit:
            return


def _title_like(paragraph: str) -> bool:
    return len(paragraph) <= _TITLE_LIKE and not _SENTENCE_END.search(paragraph.rstrip(" »\"”)"))


def _sentences_once(paragraphs: list[str], limit: int) -> str:
    said: set[str] = set()
    sentences: list[str] = []
    length = 0
    for para in paragraphs:
        for sentence in _SENTENCES.split(_CONTROL.sub(" ", para)):
            key = _NON_WORD.sub("", sentence.lower())
            if not key or key in said:
                continue  # a teaser above the pictures, repeated (often in bold) below them
            said.add(key)
            sentences.append(sentence)
            length += len(sentence) + 1
        if length > limit:
            break
    return shorten(" ".join(sentences), limit)


def published_description(description: str | None, body: str, title: str) -> tuple[str, str | None]:
    """The description a page shows, and why the front matter's was replaced (None if it was not)."""
    reason = description_problem(description, body)
    text = make_description(body, title) if reason else " ".join(str(description).split())
    return text or title.strip(), reason


def repaired_description(description: str, body: str, title: str) -> str | None:
    """What `clean` writes instead of a junk description; None when it stays as it is."""
    if not description_problem(description, body):
        return None
    fresh = make_description(body, title)
    return fresh if fresh and fresh != description else None


def shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    """`text` in at most `limit` characters: whole sentences if they fill half of it, else whole words + «…»."""
    text = " ".join(_CONTROL.sub(" ", text).split())
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


def _cut_mid_word(text: str, body_text: str) -> bool:
    stripped = text.rstrip()
    if not stripped.endswith((ELLIPSIS, "...")) or not body_text:
        return False
    last = _WORD.findall(stripped.rstrip(".…"))
    if not last:
        return False
    word = last[-1]
    # A truncated word occurs in the body only as the beginning of a longer one.
    whole = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", body_text)
    return whole is None and word in body_text
