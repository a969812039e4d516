"""The Open Graph card of a post without a cover: site name and title on a clean background.

Text is drawn by libvips (Pango) with the DejaVu Sans Bold file shipped in dzenpress/fonts/ (full
Cyrillic coverage, Bitstream Vera licence), so the card looks the same on every machine and nothing is
fetched. The title is wrapped at word boundaries and its size fitted to the box.

A card costs one Pango layout of its title, a table lookup over the title's box and one JPEG encode:
the background with the site name is drawn once per process and site name, and the text is coloured by
a 256-entry lookup table (ink over the flat background) instead of a blend against the canvas.
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
_BG = (251, 250, 248)
_INK = (29, 35, 41)
_ACCENT = (15, 118, 110)
_MARGIN = 80
_TITLE_TOP = 200
_TITLE_BOX = OG_HEIGHT - _TITLE_TOP - 80


def render_card(site_name: str, title: str) -> Any:
    """A 1200×630 sRGB image."""
    canvas = _base(site_name)
    words = _fitted(title, 64, _TITLE_BOX)
    return _ink(canvas, words, _INK, _MARGIN, _TITLE_TOP + max(0, (_TITLE_BOX - words.height) // 2)) \
        if words is not None else canvas


def encode_card(site_name: str, title: str, quality: int) -> bytes:
    """The card as a baseline JPEG.

    Without Huffman optimisation: it would double the cost of a card for ~13% fewer bytes, and the card is
    fetched by link-preview crawlers, never by the site's readers.
    """
    data: bytes = render_card(site_name, title).jpegsave_buffer(Q=quality, keep="none")
    return data


def _fitted(text: str, size: int, box_h: int) -> Any:
    """`text` at `size`, or at the largest size at which it fits `box_h` when it is too long for it."""
    mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, None)
    if mask is not None and mask.height > box_h:
        mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, box_h)
    return mask


@cache
def _base(site_name: str) -> Any:
    """The card without its title, drawn once per process and site name."""
    return _ink(_background(), _fitted(site_name, 30, 76), _ACCENT, _MARGIN, 112).copy_memory()


@cache
def _background() -> Any:
    import pyvips

    canvas = pyvips.Image.black(OG_WIDTH, OG_HEIGHT, bands=3).new_from_image(list(_BG)).copy(interpretation="srgb")
    canvas = canvas.draw_rect(list(_ACCENT), 0, OG_HEIGHT - 14, OG_WIDTH, 14, fill=True)
    return canvas.draw_rect(list(_ACCENT), _MARGIN, 78, 72, 8, fill=True).copy_memory()


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


@cache
def _palette(colour: tuple[int, int, int]) -> Any:
    """256 entries: `colour` over the background at each text coverage, rounded (within one level of libvips' blend)."""
    import pyvips

    table = bytes(round(bg + (ink - bg) * alpha / 255)
                  for alpha in range(256) for ink, bg in zip(colour, _BG, strict=True))
    return pyvips.Image.new_from_memory(table, 256, 1, 3, "uchar").copy(interpretation="srgb")


def _ink(canvas: Any, mask: Any, colour: tuple[int, int, int], x: int, y: int) -> Any:
    """Paint `colour` through the grey `mask` (text coverage) onto the canvas at x, y.

    The text boxes lie on the flat background, so ink over it is a function of coverage alone: one table
    lookup per pixel, and the canvas under the box is never read.
    """
    if mask is None:
        return canvas
    width, height = min(mask.width, canvas.width - x), min(mask.height, canvas.height - y)
    if (width, height) != (mask.width, mask.height):  # an overlong word or site name: what fits the card
        mask = mask.crop(0, 0, width, height)
    return canvas.insert(mask.maplut(_palette(colour)), x, y)
