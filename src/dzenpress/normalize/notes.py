"""What `clean` leaves for a person to decide, with the line it is on: kept chrome look-alikes and images
a scraper lost (Dzen's lazy-load placeholder instead of the picture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dzenpress import chrome

PLACEHOLDER = "static.dzeninfra.ru/s3/zen-lib"
_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(\s*<?([^()\s<>]+)")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
REPAIR_COMMAND = "dzenpress import --repair-images"


@dataclass(frozen=True)
class Note:
    line: int  # 1-based, in the text the note was made from
    kind: str  # "look-alike", "lost image", "front matter"
    message: str

    def shifted(self, offset: int) -> Note:
        return Note(self.line + offset, self.kind, self.message)


def lookalikes(body: str) -> list[Note]:
    return [Note(f.line, "look-alike", f"kept {f.shape} (looks like Dzen chrome, not cut): {_short(f.text)}")
            for f in chrome.scan(body).kept]


def placeholder_images(body: str) -> list[tuple[int, str, str]]:
    """(line, alt, url) of every image whose address is Dzen's lazy-load placeholder, outside code."""
    found: list[tuple[int, str, str]] = []
    fence: str | None = None
    for i, line in enumerate(body.split("\n"), 1):
        m = _FENCE.match(line)
        if fence is not None:
            fence = None if line.strip().startswith(fence) else fence
            continue
        if m:
            fence = m.group(1)
            continue
        found += [(i, img.group(1), img.group(2)) for img in _IMAGE.finditer(line) if PLACEHOLDER in img.group(2)]
    return found


def lost_images(body: str, path: Path, source: str | None) -> list[Note]:
    notes = []
    for line, alt, _url in placeholder_images(body):
        what = f"image «{alt}»" if alt.strip() else "an image"
        where = f"source: {source}" if source else "the post has no `source:` to fetch it from"
        notes.append(Note(line, "lost image", f"{what} is Dzen's lazy-load placeholder: the picture was never "
                                              f"saved ({where}); get it back with `{REPAIR_COMMAND} {path}`"))
    return notes


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
