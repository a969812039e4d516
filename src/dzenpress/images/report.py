"""What the build tells the author about images: meaningless alt text, and bad files as post errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from dzenpress.content import frontmatter
from dzenpress.errors import PostError

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR = re.compile(r"""\b(src|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_MEANINGLESS = re.compile(
    r"[\W_]*|[-–—+]?\d+([.,]\d+)?|(img|image|pic|photo|dsc|screenshot)?[-_ ]?\d*|"
    r"изображение|картинка|фото|фотография|рисунок|\S+\.(jpe?g|png|webp|gif|avif|svg|heic|tiff?)", re.I)


@dataclass(frozen=True)
class BodyImage:
    src: str
    alt: str
    line: int


def body_images(body: str, first_line: int) -> list[BodyImage]:
    """Images written in a post body (Markdown or raw <img>), with their alt text and file line."""
    found: list[tuple[int, BodyImage]] = []
    for m in _MD_IMAGE.finditer(body):
        found.append((m.start(), BodyImage(m.group(2), m.group(1), first_line + body.count("\n", 0, m.start()))))
    if "<" in body:
        for m in _HTML_IMAGE.finditer(body):
            attrs = {k.lower(): a if a is not None else b for k, a, b in _ATTR.findall(m.group(0))}
            if "src" in attrs:
                found.append((m.start(), BodyImage(unescape(attrs["src"]), unescape(attrs.get("alt", "")),
                                                   first_line + body.count("\n", 0, m.start()))))
    return [image for _, image in sorted(found, key=lambda item: item[0])]


def meaningless_alt(alt: str) -> bool:
    return _MEANINGLESS.fullmatch(alt.strip()) is not None


def alt_warning(post_file: str, image: BodyImage) -> str:
    what = "has no alt text" if not image.alt.strip() else f"has meaningless alt text {image.alt.strip()!r}"
    return f"{post_file}:{image.line}: image {image.src} {what}; describe what it shows for readers and search"


def image_problem(post_file: str, site_path: str, message: str, line: int | None, field: str | None) -> PostError:
    return PostError(f"image {site_path} {message}", path=post_file, line=line or 1, field=field)


def cover_line(post_file: str) -> int:
    text = Path(post_file).read_text(encoding="utf-8")
    return frontmatter.key_line(frontmatter.split(text, Path(post_file)).front, "cover") or 1
