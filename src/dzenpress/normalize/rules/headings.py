"""Pseudo-headings become headings.

- A paragraph that is only bold text, short (≤ 120 characters) and not a sentence (no final . ! …)
  becomes `##` (a final colon is dropped): `**Причины боли**` → `## Причины боли`.
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


def make_headings(text: str, ctx: object) -> str:
    blocks = split_blocks(text)
    out: list[str] = []
    section_level = 0
    i = 0
    while i < len(blocks):
        run = _numbered_run(blocks, i)
        if run:
            out.append("\n".join(f"{n}. {title}" for n, title in run))
            i += len(run)
            continue
        converted, section_level = _convert(blocks[i], section_level)
        out += converted
        i += 1
    return join_blocks(out)


def _convert(block: str, section_level: int) -> tuple[list[str], int]:
    """One block as heading(s) and text, and the section level after it."""
    heading = _HEADING.match(block)
    if is_code(block) or heading:
        return [block], len(heading.group(1)) if heading else section_level
    lines = block.split("\n")
    numbered = _NUMBERED_TITLE.match(lines[0])
    if numbered and (len(lines) > 1 or _is_title(numbered.group(3))):
        level = min(section_level + 1, 6) if section_level >= 2 else 2
        title = f"{'#' * level} {numbered.group(2)}. {numbered.group(3).strip()}"
        return ([title, "\n".join(lines[1:]).lstrip()] if len(lines) > 1 else [title]), section_level
    bold = _BOLD_ONLY.match(block) if len(lines) == 1 else None
    if bold and _is_title(bold.group(2)):
        return [f"## {bold.group(2).strip().rstrip(':').strip()}"], 2
    return [block], section_level


def _is_title(text: str) -> bool:
    text = text.strip()
    return 0 < len(text) <= _MAX_HEADING and not re.search(r"[.!…;,]$", text) and "**" not in text


def _numbered_run(blocks: list[str], start: int) -> list[tuple[str, str]]:
    """Two or more consecutive one-line numbered titles with no text of their own: a list."""
    run: list[tuple[str, str]] = []
    for block in blocks[start:]:
        m = _NUMBERED_TITLE.match(block) if "\n" not in block else None
        if not m:
            break
        run.append((m.group(2), m.group(3).strip()))
    return run if len(run) >= 2 else []
