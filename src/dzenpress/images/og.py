"""The Open Graph card of a post without a cover: site name and title on a clean background.

Text is drawn by libvips (Pango) with the DejaVu Sans Bold file shipped in dzenpress/fonts/ (full
Cyrillic coverage, Bitstream Vera licence), so the card looks the same on every machine and nothing is
fetched. The title is wrapped at word boundaries and its size fitted to the box.
"""

from __future__ import annotations

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
    import pyvips

    canvas = pyvips.Image.black(OG_WIDTH, OG_HEIGHT, bands=3).new_from_image(_BG).copy(interpretation="srgb")
    canvas = canvas.draw_rect(_ACCENT, 0, OG_HEIGHT - 14, OG_WIDTH, 14, fill=True)
    canvas = canvas.draw_rect(_ACCENT, _MARGIN, 78, 72, 8, fill=True)
    name = _text(site_name, f"{_FONT} 30", OG_WIDTH - 2 * _MARGIN, None)
    canvas = _ink(canvas, name, _ACCENT, _MARGIN, 112)
    box_h = OG_HEIGHT - 200 - 80
    words = _text(title, f"{_FONT} 64", OG_WIDTH - 2 * _MARGIN, None)
    if words.height > box_h:  # a long title: the largest size at which it fits the box
        words = _text(title, f"{_FONT} 64", OG_WIDTH - 2 * _MARGIN, box_h)
    return _ink(canvas, words, _INK, _MARGIN, 200 + max(0, (box_h - words.height) // 2))


def _text(text: str, font: str, width: int, height: int | None) -> Any:
    import pyvips

    options: dict[str, Any] = {"font": font, "fontfile": str(FONT_FILE), "width": width, "wrap": "word",
                               "dpi": 72}
    if height is not None:
        options["height"] = height
        del options["dpi"]
    mask = pyvips.Image.text(escape(" ".join(text.split()), quote=False) or " ", **options)
    if mask.width > width:
        mask = mask.crop(0, 0, width, mask.height)
    return mask


def _ink(canvas: Any, mask: Any, colour: list[int], x: int, y: int) -> Any:
    """Paint `colour` through the grey `mask` (text coverage) onto the canvas at x, y."""
    layer = mask.new_from_image(colour).bandjoin(mask).copy(interpretation="srgb")
    return canvas.composite2(layer, "over", x=x, y=y).extract_band(0, n=3)
