"""The body's prose as plain text: paragraphs without headings, images, chrome, URLs or markup.

What descriptions are made of (content/description.py) and what the normaliser compares paragraphs by.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dzenpress.chrome import is_chrome_line

_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_TAG = re.compile(r"<[a-zA-Z/!][^<>\n]*(?:\n[^<>\n]*\S[^<>\n]*)*>")  # a tag never spans a blank line
_AUTOLINK = re.compile(r"<?https?://[^\s<>]+>?")
_EMPHASIS = re.compile(r"\*\*|__|\*|~~|`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_ITALIC_UNDERSCORE = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")
_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|>)[ \t]+", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HARD_BREAK = re.compile(r"(?: {2,}|\t+|\\)\n")
_LINK_ONLY = re.compile(r"\[?[^\[\]]*\]\([^()]*\)|\[", re.S)
_TEASER = re.compile(r"Читать далее|Рекламу можно отключить", re.I)
_SENTENCE_GLUE = re.compile(r"([.!?…:;,])\x00+(?=[^\W\d_])")
_TWO_LETTERS = re.compile(r"\w{2}")
_NON_WORD = re.compile(r"\W+")
_WORD = re.compile(r"\w+")


def plain_paragraphs(markdown: str, title: str = "") -> Iterator[str]:
    """The body's prose paragraphs as plain text, in order: no headings, images, chrome or raw URLs.

    Lines ended by a hard break count as paragraphs of their own (imports end every line so).
    """
    seen: set[str] = set()
    norm_title = _squash(title)
    for raw in _blocks(markdown):
        block = raw.strip()
        if not block or block.startswith(("#", "|", "```", "~~~", "<", "---")):
            continue
        if _LINK_ONLY.fullmatch(block) or _TEASER.search(block):
            continue
        if is_chrome_line(block):
            continue
        lines = block.splitlines()  # a stripped block of one line is that line: checked just above
        if len(lines) > 1 and all(is_chrome_line(line) for line in lines):
            continue
        for part in _HARD_BREAK.split(block):  # a line ended by a hard break may be a heading of its own
            text = to_plain(part)
            if len(text) < 2 or _squashes_to(text, norm_title) or not _TWO_LETTERS.search(text) or text in seen:
                continue
            seen.add(text)
            yield text


def _blocks(markdown: str) -> Iterator[str]:
    """`_BLANK_LINE.split(markdown)`, lazily: descriptions stop after the first few paragraphs."""
    start = 0
    for m in _BLANK_LINE.finditer(markdown):
        yield markdown[start : m.start()]
        start = m.end()
    yield markdown[start:]


def to_plain(markdown: str) -> str:
    # a pass whose required text is absent cannot change anything: skip its scan
    text = _IMAGE.sub(" ", markdown) if "![" in markdown else markdown
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "http" in text:
        text = _AUTOLINK.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _LIST_MARK.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("\x00", text)  # a marker between two sentences (`решает.**Часто`) kept them apart
    if "_" in text:
        text = _ITALIC_UNDERSCORE.sub("\x00\\1\x00", text)
    if "\x00" in text:
        text = _SENTENCE_GLUE.sub(r"\1 ", text).replace("\x00", "")
    return " ".join(text.split())


def _squash(text: str) -> str:
    return _NON_WORD.sub("", text.lower())


def _squashes_to(text: str, squashed: str) -> bool:
    """`_squash(text) == squashed`, word by word: a paragraph is told from the title at its first word."""
    at = 0
    for m in _WORD.finditer(text.lower()):
        if not squashed.startswith(m.group(), at):
            return False
        at = m.end() - m.start() + at
    return at == len(squashed)
