"""Pseudo-lists (`\\- item`, `• item` lines, or each item its own paragraph) become real Markdown lists."""

from __future__ import annotations

import re

from dzenpress.normalize.blocks import is_code, join_blocks, split_blocks

_BULLET = re.compile(r"^\s*(?:\\-|[-•●▪◦*+])\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3})(?:\\\.|[.)])\s+(?![*_]*\s*$)(.*)$")


def _as_items(block: str) -> list[str] | None:
    """The block's lines as `- x` / `1. x` list items, or None if it is not entirely a list."""
    if is_code(block):
        return None
    lines = block.split("\n")
    bullets = [_BULLET.match(line) for line in lines]
    if all(bullets):
        return [f"- {m.group(1).rstrip()}" for m in bullets if m]
    numbered = [_NUMBERED.match(line) for line in lines]
    if all(numbered) and (len(lines) > 1 or lines[0].lstrip()[0:1].isdigit()):
        return [f"{m.group(1)}. {m.group(2).rstrip()}" for m in numbered if m]
    return None


_REAL_LIST = re.compile(r"^(?:[-*+] |\d{1,9}[.)] )(?:.*\n(?:[-*+] |\d{1,9}[.)] |\s))*.*$")
_DASH = re.compile(r"^\s*[—–]\s+(.*)$")
_DASH_ITEM_END = re.compile(r"(?:[;,:]|[^.!?…»\"])\s*$")


def dash_runs(blocks: list[str]) -> list[str]:
    """Two or more consecutive `— item` lines (each ending with ; , or nothing, the last as it likes)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= 2 and all(_DASH_ITEM_END.search(item) for item in run[:-1]):
            out.append("\n".join("- " + _DASH.sub(r"\1", item).strip() for item in run))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if "\n" not in block and _DASH.match(block):
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


_ITEM_LINE = re.compile(r"^(?![-*+•#>|!\[\\]|\d{1,9}[.)]\s|```|~~~|\s)([*_]?)(?=\S)(.{1,80}?)(?<=\S)\1\s*$")
_ITEM_END = re.compile(r"[;,]$")
_LAST_END = re.compile(r"(?:[.;,]|[^.!?…:;,])$")
_INNER_SENTENCE = re.compile(r"[.!?…]\s")


def _item_text(block: str) -> str | None:
    """A one-line short phrase (italic allowed) that could be a list item, as its plain text; else None."""
    if "\n" in block:
        return None
    m = _ITEM_LINE.match(block)
    if not m or _INNER_SENTENCE.search(m.group(2)) or m.group(2).startswith(("*", "_")):
        return None
    return m.group(2).strip()


def paragraph_runs(blocks: list[str]) -> list[str]:
    """Two or more short one-line paragraphs in a row that are items in all but syntax: a list.

    Every item but the last ends with `;` or `,` (or with nothing, after a lead-in ending in `:`); the
    last ends with `.`, `;`, `,` or nothing. Items start in lower case unless a lead-in introduces them.
    """
    out: list[str] = []
    i = 0
    while i < len(blocks):
        lead_in = bool(out) and out[-1].rstrip().endswith(":") and not is_code(out[-1])
        j = i
        texts: list[str] = []
        while j < len(blocks) and not is_code(blocks[j]) and (text := _item_text(blocks[j])) is not None:
            texts.append(text)
            j += 1
            if not _ITEM_END.search(text) and not lead_in:
                break
        n = _items(texts, lead_in)
        if n >= 2:
            out.append("\n".join(f"- {blocks[k].strip()}" for k in range(i, i + n)))
            i += n
        else:
            out.append(blocks[i])
            i += 1
    return out


def _items(texts: list[str], lead_in: bool) -> int:
    """How many of `texts`, from the first, form a list (0 or 1: none)."""
    n = 0
    first_lower = texts[0][:1].islower() if texts else False
    for k, text in enumerate(texts):
        lower = text[:1].islower()
        if lower != first_lower or not (lower or lead_in):  # parallel items start alike
            break
        ends_item = bool(_ITEM_END.search(text)) or (lead_in and not re.search(r"[.!?…:]$", text))
        n = k + 1
        if not ends_item:
            break
    if n >= 2 and not _LAST_END.search(texts[n - 1]):
        n -= 1
    return n if n >= 2 and any(_ITEM_END.search(t) for t in texts[:n]) else 0


def make_lists(text: str, ctx: object) -> str:
    out: list[str] = []
    previous_kind = ""
    for block in paragraph_runs(dash_runs(split_blocks(text))):
        real = bool(_REAL_LIST.match(block))
        items = None if real else _as_items(block)  # real lists are the author's
        kind = "" if items is None else ("ol" if items[0][0].isdigit() else "ul")
        if items is None:
            out.append(block)
            kind = "ol" if real and _number(block.rsplit("\n", 1)[-1]) is not None else ""
        elif kind == previous_kind and _continues(out[-1], items, kind):
            out[-1] = out[-1] + "\n" + "\n".join(items)  # item paragraphs of one list: one tight list
        elif kind == "ol" and len(items) == 1 and items[0].startswith("1. ") is False:
            out.append(block)
        else:
            out.append("\n".join(items))
        previous_kind = kind
    return join_blocks(out)


def _continues(previous: str, items: list[str], kind: str) -> bool:
    if kind == "ul":
        return True
    last = _number(previous.rsplit("\n", 1)[-1])
    return last is not None and _number(items[0]) == last + 1


_ITEM_NUMBER = re.compile(r"^\s*(\d{1,9})(?:\\\.|[.)])")


def _number(line: str) -> int | None:
    """The number of a numbered item line (`3.`, `3)`, `3\\.`), None for any other line."""
    m = _ITEM_NUMBER.match(line)
    return int(m.group(1)) if m else None
