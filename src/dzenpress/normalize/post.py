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
from dzenpress.normalize import normalize

_LOCAL_REF = re.compile("(" + re.escape(routes.BLOG) + r"[^\s)\"'<>]+?\.(?:jpe?g|png|webp|gif|avif))", re.I)


@dataclass
class CleanedPost:
    text: str
    fired: list[str] = field(default_factory=list)
    dropped_images: list[str] = field(default_factory=list)  # site paths only removed chrome referenced

    @property
    def changed(self) -> bool:
        return bool(self.fired)


def clean_text(text: str, path: Path, disabled: Iterable[str] = (), settle: bool = True) -> CleanedPost:
    if not text.strip():
        raise PostError("is empty", path=path)
    doc = frontmatter.split(text, path)
    meta = frontmatter.parse(doc.front, path)
    title = meta.get("title") if isinstance(meta.get("title"), str) else ""
    off = set(disabled)
    result = normalize(doc.body.lstrip("\n"), str(title), off, settle)  # the blank line after `---` is layout
    body = result.text
    front = doc.front
    fired = list(result.fired)
    if "description" not in off:
        key = "description" if "description" in meta or "excerpt" not in meta else "excerpt"
        current = meta.get(key)
        fresh = repaired_description(current, body, str(title)) if isinstance(current, str) else None
        if fresh is not None:
            front = frontmatter.set_key(front, key, fresh)
            fired.append("description")
    if not fired:
        return CleanedPost(text)
    new_text = f"---\n{front}---\n\n{body}" if body else f"---\n{front}---\n"
    before = set(_LOCAL_REF.findall(doc.body))
    after = set(_LOCAL_REF.findall(body)) | set(_LOCAL_REF.findall(front))
    return CleanedPost(new_text, fired, sorted(before - after))


def local_refs(text: str) -> set[str]:
    return set(_LOCAL_REF.findall(text))
