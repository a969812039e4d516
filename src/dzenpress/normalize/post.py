"""A whole post file through the normaliser: body rules + the description; other keys byte-identical."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dzenpress import routes
from dzenpress.content import frontmatter
from dzenpress.content.description import repaired_description
from dzenpress.errors import PostError
from dzenpress.normalize import RULE_NAMES, normalize
from dzenpress.normalize import meta as clipped
from dzenpress.normalize.notes import Note, lookalikes, lost_images

_LOCAL_REF = re.compile("(" + re.escape(routes.BLOG) + r"[^\s)\"'<>]+?\.(?:jpe?g|png|webp|gif|avif))", re.I)


@dataclass
class CleanedPost:
    text: str
    fired: list[str] = field(default_factory=list)
    dropped_images: list[str] = field(default_factory=list)  # site paths only removed chrome referenced
    notes: list[Note] = field(default_factory=list)  # what a person should decide, lines of `text`
    front_notes: list[Note] = field(default_factory=list)  # front matter left unsettled (also in `notes`)

    @property
    def changed(self) -> bool:
        return bool(self.fired)


def clean_text(text: str, path: Path, disabled: Iterable[str] = (), settle: bool = True) -> CleanedPost:
    if not text.strip():
        raise PostError("is empty", path=path)
    off = set(disabled)
    lifted = clipped.lift(text) if "frontmatter" not in off else None
    doc = frontmatter.split(lifted or text, path)
    meta = frontmatter.parse(doc.front, path)
    front = doc.front
    fired: list[str] = ["frontmatter"] if lifted else []
    settled_notes: list[Note] = []
    if "frontmatter" not in off:
        settled = clipped.settle(front, meta, doc.body, path)
        if settled.fired:
            front = settled.front
            meta = frontmatter.parse(front, path)
            if not lifted:
                fired.append("frontmatter")
        settled_notes = settled.notes
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    # the blank line after `---` is layout
    result = normalize(doc.body.lstrip("\n"), str(title), off & set(RULE_NAMES), settle)
    body = result.text
    fired = list(result.fired) + fired
    if "description" not in off:
        key = "description" if "description" in meta or "excerpt" not in meta else "excerpt"
        current = meta.get(key)
        fresh = repaired_description(current, body, str(title)) if isinstance(current, str) else None
        if fresh is not None:
            front = frontmatter.set_key(front, key, fresh)
            fired.append("description")
    if not fired:
        return CleanedPost(text, notes=_merge(settled_notes, file_notes(text, path, "chrome" in off)),
                           front_notes=settled_notes)
    new_text = f"---\n{front}---\n\n{body}" if body else f"---\n{front}---\n"
    before = set(_LOCAL_REF.findall(doc.body))
    after = set(_LOCAL_REF.findall(body)) | set(_LOCAL_REF.findall(front))
    notes = _merge(settled_notes, file_notes(new_text, path, "chrome" in off))
    return CleanedPost(new_text, fired, sorted(before - after), notes, settled_notes)


def _merge(*groups: list[Note]) -> list[Note]:
    return sorted((n for group in groups for n in group), key=lambda n: n.line)


def file_notes(text: str, path: Path, chrome_off: bool = False) -> list[Note]:
    """Kept look-alikes and lost images of a whole post file, with the file's line numbers."""
    doc = frontmatter.split(text, path)
    source = frontmatter.parse(doc.front, path).get("source")
    offset = doc.body_line - 1
    notes = [] if chrome_off else lookalikes(doc.body)
    notes += lost_images(doc.body, path, source if isinstance(source, str) else None)
    return sorted((n.shifted(offset) for n in notes), key=lambda n: n.line)


def local_refs(text: str) -> set[str]:
    return set(_LOCAL_REF.findall(text))
