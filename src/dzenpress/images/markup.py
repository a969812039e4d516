"""<picture> markup: AVIF and WebP sources with srcset + sizes matching the theme's CSS, a sized <img>.

The sizes follow dzenpress.css: the post column is `--measure` (42rem = 672 px) inside a page padded by
1.25rem a side; cards fill a grid of ≥ 19rem columns (one on phones, two on tablets, three from 72rem).
"""

from __future__ import annotations

from html import escape

from dzenpress.images.variants import MIME, Variant

COLUMN = 672  # px: .post { max-width: var(--measure) }
_GUTTER = 40  # px: .wrap leaves 1.25rem on each side
SIZES = {
    "cover": f"(max-width: {COLUMN + _GUTTER}px) calc(100vw - {_GUTTER}px), {COLUMN}px",
    "card": "(max-width: 40rem) calc(100vw - 2.5rem), (max-width: 72rem) calc(50vw - 2rem), 23rem",
}


def inline_sizes(width: int) -> str:
    shown = min(width, COLUMN)
    return f"(max-width: {shown + _GUTTER}px) calc(100vw - {_GUTTER}px), {shown}px"


def picture(variants: list[Variant], alt: str, role: str, *, eager: bool = False, priority: bool = False,
            source_width: int = 0) -> str:
    fallback = next(v for v in variants if v.fallback)
    by_format: dict[str, list[Variant]] = {}
    for v in variants:
        if not v.fallback:
            by_format.setdefault(v.fmt, []).append(v)
    if role == "inline":
        largest = max(variants, key=lambda v: v.width)
        sizes = inline_sizes(largest.width)
        width = min(largest.width, COLUMN)
        height = largest.height if width == largest.width else max(1, round(width * largest.height / largest.width))
    else:
        sizes = SIZES.get(role, SIZES["cover"])
        width, height = fallback.width, fallback.height
    parts = ["<picture>"]
    for fmt, items in by_format.items():
        srcset = ", ".join(f"{v.url} {v.width}w" for v in sorted(items, key=lambda v: v.width))
        parts.append(f'<source type="{MIME[fmt]}" srcset="{srcset}" sizes="{sizes}">')
    parts.append(img_tag(fallback.url, alt, width, height, eager=eager, priority=priority))
    parts.append("</picture>")
    return "".join(parts)


def img_tag(src: str, alt: str, width: int = 0, height: int = 0, *, eager: bool = False,
            priority: bool = False) -> str:
    """A plain <img> (SVG, animated GIF, a remote or a bad image), sized when the size is known."""
    attrs = [f'src="{escape(src, quote=True)}"', f'alt="{escape(alt, quote=True)}"']
    if width and height:
        attrs.append(f'width="{width}" height="{height}"')
    if priority:
        attrs.append('fetchpriority="high"')
    attrs.append('loading="eager"' if eager else 'loading="lazy" decoding="async"')
    return f"<img {' '.join(attrs)}>"
