"""The Open Graph card of a post without a cover: site name and title on a clean background.

Text is drawn by libvips (Pango) with the DejaVu Sans Bold file shipped in dzenpress/fonts/ (full
Cyrillic coverage, Bitstream Vera licence), so the card looks the same on every machine and nothing is
fetched. The title is wrapped at word boundaries and its size fitted to the box.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from dzenpress.images.variants import OG_HEIGHT, OG_WIDTH

FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans-Bold.ttf"
FONT_ID = "DejaVuSans-Bold-2.37"  # part of every card's key: a new font file means new cards
_FONT = "DejaVu Sans Bold"
_BG = [251, 250, 248]
_INK = [29, 35, 41]
_ACCENT = [15, 118, 110]
_MARGIN = 80


def render_card(site_name: str, title: str) -> Any:
    """A 1200×630 sRGB image."""
    canvas = _background()
    name = _text(site_name, f"{_FONT} 30", OG_WIDTH - 2 * _MARGIN, None)
    canvas = _ink(canvas, name, _ACCENT, _MARGIN, 112)
    box_h = OG_HEIGHT - 200 - 80
    words = _text(title, f"{_FONT} 64", OG_WIDTH - 2 * _MARGIN, None)
    if words is not None and words.height > box_h:  # a long title: the largest size at which it fits the box
        words = _text(title, f"{_FONT} 64", OG_WIDTH - 2 * _MARGIN, box_h)
    if words is None:
        return canvas
    return _ink(canvas, words, _INK, _MARGIN, 200 + max(0, (box_h - words.height) // 2))


@cache
def _background() -> Any:
    """The card without its text, drawn once per process (half of a card's cost when drawn each time)."""
    import pyvips

    canvas = pyvips.Image.black(OG_WIDTH, OG_HEIGHT, bands=3).new_from_image(_BG).copy(interpretation="srgb")
    canvas = canvas.draw_rect(_ACCENT, 0, OG_HEIGHT - 14, OG_WIDTH, 14, fill=True)
    return canvas.draw_rect(_ACCENT, _MARGIN, 78, 72, 8, fill=True).copy_memory()


def _text(text: str, font: str, width: int, height: int | None) -> Any:
    """The grey coverage mask of `text` wrapped to `width`; None when there is nothing to draw."""
    import pyvips

    # control and format characters out (a NUL ends the C string: nothing left to draw is a Pango error)
    words = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    if not words:
        return None
    options: dict[str, Any] = {"font": font, "fontfile": str(FONT_FILE), "width": width, "wrap": "word-char",
                               "dpi": 72}
    if height is not None:
        options["height"] = height
        del options["dpi"]
    mask = pyvips.Image.text(escape(words, quote=False), **options)
    if mask.width > width or mask.height > OG_HEIGHT:
        mask = mask.crop(0, 0, min(width, mask.width), min(OG_HEIGHT // 2, mask.height))
    return mask


def _ink(canvas: Any, mask: Any, colour: list[int], x: int, y: int) -> Any:
    """Paint `colour` through the grey `mask` (text coverage) onto the canvas at x, y."""
    if mask is None:
        return canvas
    region = canvas.crop(x, y, mask.width, mask.height)
    # an 8-bit blend of the covered box only: a float composite of the whole canvas costs 3× as much
    return canvas.insert(mask.ifthenelse(colour, region, blend=True), x, y)
