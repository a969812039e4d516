"""Placeholder images for the corpus posts (real images are not shipped): real bytes, right format."""

from __future__ import annotations

import re
from pathlib import Path

import pyvips

_REF = re.compile(r"(/blog/[\w\-./]+?\.(?:jpe?g|png|webp|gif))", re.I)


def image_bytes(suffix: str, width: int = 64, height: int = 40, hue: int = 0) -> bytes:
    img = pyvips.Image.black(width, height, bands=3) + [(hue * 37) % 256, (hue * 91) % 256, 180]
    img = img.cast("uchar")
    fmt = {"jpg": ".jpg", "jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif"}[suffix.lower()]
    return bytes(img.write_to_buffer(fmt))


def make_placeholders(site: Path) -> list[Path]:
    """Create every /blog/... image the posts reference under public/, as a real image file."""
    made = []
    for post in (site / "content" / "posts").glob("*.md"):
        for n, ref in enumerate(dict.fromkeys(_REF.findall(post.read_text(encoding="utf-8")))):
            target = site / "public" / ref.lstrip("/")
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(image_bytes(target.suffix.lstrip("."), hue=n))
                made.append(target)
    return made
