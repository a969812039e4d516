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
    canvas = _ink(_background(), _fitted(site_name, 30, 76), _ACCENT, _MARGIN, 112)
    box_h = OG_HEIGHT - 200 - 80
    words = _fitted(title, 64, box_h)
    if words is None:
        return canvas
    return _ink(canvas, words, _INK, _MARGIN, 200 + max(0, (box_h - words.height) // 2))


def _fitted(text: str, size: int, box_h: int) -> Any:
    """`text` at `size`, or at the largest size at which it fits `box_h` when it is too long for it."""
    mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, None)
    if mask is not None and mask.height > box_h:
        mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, box_h)
    return mask


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
    return pyvips.Image.text(escape(words, quote=False), **options)


def _ink(canvas: Any, mask: Any, colour: list[int], x: int, y: int) -> Any:
    """Paint `colour` through the grey `mask` (text coverage) onto the canvas at x, y."""
    if mask is None:
        return canvas
    width, height = min(mask.width, canvas.width - x), min(mask.height, canvas.height - y)
    if (width, height) != (mask.width, mask.height):  # an overlong word or site name: what fits the card
        mask = mask.crop(0, 0, width, height)
    region = canvas.crop(x, y, width, height)
    # an 8-bit blend of the covered box only: a float composite of the whole canvas costs 3× as much
    return canvas.insert(mask.ifthenelse(colour, region, blend=True), x, y)
