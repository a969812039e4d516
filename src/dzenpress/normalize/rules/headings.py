r"""Pseudo-headings become headings.

- A paragraph that is only bold text, short (≤ 120 characters), not a sentence (no final . ! … , ; :)
  and followed by prose becomes a heading: `**Причины боли**` → `## Причины боли`. Bold text that
  introduces an image, a list, a quote or code («**Посмотрим на результат:**») stays bold text. The level
  fits the outline: one below the author's own heading above it (`####` under `###`), the level of the
  pseudo-heading before it otherwise, `##` at first.
- Empty bold paragraphs (`**\n**`, `** **`) and a lone `\` (a scraper's `<p><strong><br></strong></p>`)
  vanish.
- An emphasised numbered title (`_1\\. Name_`, `**2. Name**`) followed by text in the same paragraph
  becomes a heading one level below the section it is in (`###` under a `##`, else `##`), the text
  its paragraph. Numbered titles with no text of their own (each item a single short line) become a
  numbered list instead: they are a list of points, not sections.
"""

from __future__ import annotations

import re

from dzenpress.normalize.blocks import is_code, join_blocks, split_blocks

_BOLD_ONLY = re.compile(r"^\s*(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1\s*$")
_NUMBERED_TITLE = re.compile(r"^\s*(\*\*|__|[*_])(\d{1,3})\\?\.\s*((?:(?!\1).)+?)\1\\?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s")
_MAX_HEADING = 120


_EMPTY = re.compile(r"^\s*(?:(\*\*|__)[\s\\]*\1|\\)\s*$")
_NOT_PROSE = re.compile(r"^\s{0,3}(?:!\[|\[!\[|>|\||(?:[-*+•]|\\-|\d{1,9}[.)])\s|#{1,6}\s|```|~~~|<)")


def make_headings(text: str, ctx: object) -> str:
    blocks = [b for b in split_blocks(text) if is_code(b) or not _EMPTY.match(b)]
    out: list[str] = []
    outline = _Outline()
    i = 0
    while i < len(blocks):
        run = _numbered_run(blocks, i)
        if run:
            out.append("\n".join(f"{n}. {title}" for n, title in run))
            i += len(run)
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        out += _convert(blocks[i], outline, following)
        i += 1
    return join_blocks(out)


class _Outline:
    """The heading levels so far: the author's (real `#` headings) and ours (converted pseudo-headings)."""

    def __init__(self) -> None:
        self.section = 0  # the level of the last heading of any kind
        self.pseudo = 0  # the level the next bold pseudo-heading gets

    def author(self, level: int) -> None:
        self.section = level
        self.pseudo = min(level + 1, 6)

    def bold_level(self) -> int:
        level = self.pseudo or 2
        self.section = level
        self.pseudo = level
        return level


def _introduces_prose(following: str | None) -> bool:
    return following is not None and not is_code(following) and not _NOT_PROSE.match(following) \
        and not _BOLD_ONLY.match(following)


def _convert(block: str, outline: _Outline, following: str | None) -> list[str]:
    """One block as heading(s) and text; the outline learns the headings."""
    heading = _HEADING.match(block)
    if is_code(block) or heading:
        if heading:
            outline.author(len(heading.group(1)))
        return [block]
    section_level = outline.section
    lines = block.split("\n")
    numbered = _NUMBERED_TITLE.match(lines[0])
    if numbered and (len(lines) > 1 or _is_title(numbered.group(3))):
        level = min(section_level + 1, 6) if section_level >= 2 else 2
        title = f"{'#' * level} {numbered.group(2)}. {numbered.group(3).strip()}"
        return [title, "\n".join(lines[1:]).lstrip()] if len(lines) > 1 else [title]
    bold = _BOLD_ONLY.match(block) if len(lines) == 1 else None
    if bold and _is_title(bold.group(2)) and _introduces_prose(following):
        return [f"{'#' * outline.bold_level()} {bold.group(2).strip()}"]
    return [block]


def _is_title(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= _MAX_HEADING and not re.search(r"[.!…;,:]$", text) and "**" not in text


def _numbered_run(blocks: list[str], start: int) -> list[tuple[str, str]]:
    """Two or more consecutive one-line numbered titles with no text of their own: a list."""
    run: list[tuple[str, str]] = []
    for block in blocks[start:]:
        m = _NUMBERED_TITLE.match(block) if "\n" not in block else None
        if not m:
            break
        run.append((m.group(2), m.group(3).strip()))
    return run if len(run) >= 2 else []
