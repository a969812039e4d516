"""Backslash escapes a converter added where Markdown needs none (`г\\.`, `\\(`, `snake\\_case`).

An escape is removed only when the paragraph renders to exactly the same HTML without it.
"""

from __future__ import annotations

import re

from dzenpress import cmark
from dzenpress.normalize.blocks import map_blocks

_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~])")


def _html(text: str) -> str:
    return cmark.html(text.encode())


def drop_escapes(text: str, ctx: object) -> str:
    return map_blocks(text, _unescape_block)


# Each escape is tried alone (as many renders as escapes) up to _ALONE of them in a block; beyond that, by
# character and then by halves, at most _TRIALS renders. A render is linear in the block, so the rule is
# linear whatever the text: 50,000 `\\*` once took 50,000 renders of up to 100 KB each (126 s). Real paragraphs
# have a handful of escapes; a hostile one keeps the escapes the budget did not get to (they are harmless).
_ALONE = 32
_TRIALS = 64


def _unescape_block(block: str) -> str:
    if "\\" not in block:
        return block
    found = list(_ESCAPE.finditer(block))
    if not found:
        return block
    want = _html(block)
    everything = _ESCAPE.sub(r"\1", block)
    if _html(everything) == want:
        return everything
    if len(found) <= _ALONE:
        groups = [[i] for i in reversed(range(len(found)))]
    else:
        by_char: dict[str, list[int]] = {}
        for i, m in enumerate(found):
            by_char.setdefault(m.group(1), []).append(i)
        groups = sorted(by_char.values(), key=len)
    return _drop_in_groups(block, found, want, groups)


def _drop_in_groups(block: str, found: list[re.Match[str]], want: str, groups: list[list[int]]) -> str:
    """Drop each group of escapes whose removal keeps the HTML; a group that changes it is tried in halves,
    within _TRIALS renders."""
    parts: list[str] = []  # text between escapes at even places, the escape (or its character) at odd ones
    last = 0
    for m in found:
        parts += [block[last : m.start()], m.group(0)]
        last = m.end()
    parts.append(block[last:])
    pending = list(reversed(groups))  # a stack: the first group is tried first
    for _ in range(max(_TRIALS, len(groups) if len(found) <= _ALONE else 0)):
        if not pending:
            break
        group = pending.pop()
        trial = parts.copy()
        for i in group:
            trial[2 * i + 1] = found[i].group(1)
        if _html("".join(trial)) == want:
            parts = trial
        elif len(group) > 1:
            half = len(group) // 2
            pending += [group[half:], group[:half]]
    return "".join(parts)
