"""The Open Graph card of a post without a cover: site name and title on a clean background.

Text is drawn by libvips (Pango) with the DejaVu Sans Bold file shipped in dzenpress/fonts/ (full
Cyrillic coverage, Bitstream Vera licence), so the card looks the same on every machine and nothing is
fetched. The title is wrapped at word boundaries and its size fitted to the box.

A card costs a few Pango layouts of its title (one when it fits at full size), a table lookup over the
rows of blocks the title covers and a JPEG encode of those rows alone. The background with the site name is
drawn and encoded once per process and site name, with a restart marker after each row of 8×8 or 16×16
blocks: each row is then coded on its own, so a card is the background's bytes with the title's rows
swapped in. The text is coloured by a 256-entry lookup table (ink over the flat background) instead of a
blend against the canvas. A card decodes to the same pixels as the whole card encoded at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
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
_TITLE_SIZE = 64
_TEXT_WIDTH = OG_WIDTH - 2 * _MARGIN
# Letters whose ink reaches 2–6 px past their advance at some size ("f" 6, "J" 4, "K" and "j" 3, "k" and "Y" 2):
# a title with one is fitted by libvips' own steps (see _title). The others that overhang (А Ж К Т Х ж к т у х,
# A V X r t v x y…) do by 1 px, and changed no size in 2,500 Russian titles (some with Latin words) fitted both ways.
_OVERHANGING = frozenset("fjJkKY")


def render_card(site_name: str, title: str) -> Any:
    """A 1200×630 sRGB image."""
    canvas = _base(site_name)
    words = _title(title)
    return _ink(canvas, words, _INK, _MARGIN, _title_top(words)) if words is not None else canvas


def encode_card(site_name: str, title: str, quality: int) -> bytes:
    """The card as a baseline JPEG: the site's encoded background with the rows of blocks under the title
    encoded now and swapped in; the same bytes as `render_card(…)` saved whole with a restart marker per row.

    Without Huffman optimisation: it would double the cost of a card for ~13% fewer bytes, and the card is
    fetched by link-preview crawlers, never by the site's readers. (It would also make each encode's tables
    its own, and rows from two encodes could not be joined.)
    """
    background = _encoded_base(site_name, quality)
    words = _title(title)
    if words is None:
        return background.join(background.rows)
    top = _title_top(words)
    words = _clipped(words, _MARGIN, top, OG_WIDTH, OG_HEIGHT)
    step = background.block
    first, end = top // step, min(background.count, -(-(top + words.height) // step))
    y0, y1 = first * step, min(OG_HEIGHT, end * step)
    if background.flat(y0, y1):  # the usual case: the rows hold nothing but the title on the flat background
        strip = words.embed(_MARGIN, top - y0, OG_WIDTH, y1 - y0).maplut(_palette(_INK))
    else:
        strip = _ink(_base(site_name).crop(0, y0, OG_WIDTH, y1 - y0), words, _INK, _MARGIN, top - y0)
    head, rows = _scan(_save(strip, quality, background.per_row))
    if len(rows) != end - first or _without_height(head) != background.head_key:  # never seen; stay correct
        return _whole(render_card(site_name, title), quality)
    return background.join(background.rows[:first] + rows + background.rows[end:])


def _title_top(words: Any) -> int:
    height: int = words.height
    return _TITLE_TOP + max(0, (_TITLE_BOX - height) // 2)


def _title(text: str) -> Any:
    """The title's coverage mask at 64 pt, or at the largest size at which it fits the title box.

    The size libvips' own fitting (`text(…, height=…)`) finds, found with fewer layouts: at a fixed 72 dpi
    with the point size scaled (the same pixels as at that dpi; every change of dpi empties Pango's font
    caches), starting near the answer guessed from the title's length and stepping by the measured height to
    the largest size (in whole dpi of 64 pt) that fits when the next one does not. That is libvips' answer
    when a larger size never fits again; it can when a line's last glyph overhangs the box (its ink wider than
    the line): when a layout did, or the title has a letter that overhangs by more than a pixel, libvips' own
    search is followed, step by step (the layouts already made are reused).
    """
    words = _printable(text)
    if not words:
        return None
    markup = escape(words, quote=False)
    full = 72
    masks: dict[int, Any] = {}

    def fits(dpi: int) -> bool:
        if dpi not in masks:
            masks[dpi] = _layout(markup, _TITLE_SIZE * dpi / full)
        mask = masks[dpi]
        # at 64 pt only the height is checked (as before fitting existed); libvips' fitting checks both
        return bool(mask.height <= _TITLE_BOX and (dpi == full or mask.width <= _TEXT_WIDTH))

    # a title shorter than this mostly fits at 64 pt; a longer one starts near its fitted size, from above
    dpi = full if len(words) < 70 else max(1, min(full, int(720 / math.sqrt(len(words)))))
    fits_at: int | None = None
    over = full + 1  # the smallest dpi known not to fit
    while True:
        if fits(dpi):
            fits_at = dpi
            guess = min(dpi * _TITLE_BOX // masks[dpi].height, dpi * _TEXT_WIDTH // max(1, masks[dpi].width))
        else:
            over = dpi
            guess = int(dpi * math.sqrt(_TITLE_BOX / masks[dpi].height))
        if fits_at is not None and over == fits_at + 1:
            break
        if fits_at is None and dpi == 1:
            return masks[dpi]
        dpi = max(fits_at + 1 if fits_at is not None else 1, min(over - 1, guess))
    if fits_at < full and (not _OVERHANGING.isdisjoint(words)
                           or any(m.width > _TEXT_WIDTH and m.height <= _TITLE_BOX for m in masks.values())):
        fits_at = full if fits(full) else _libvips_fit(fits, full)  # libvips fitted only what overflowed at 64 pt
    return masks[fits_at]


def _libvips_fit(fits: Callable[[int], bool], start: int) -> int:
    """The dpi libvips' `text(…, height=…)` settles on (libvips/create/text.c, vips_text_autofit): halve from
    `start` until the text fits, then bisect between that and the last size that did not."""
    dpi, previous, fitted = start, start, fits(start)
    while True:
        previous = dpi
        dpi = dpi * 2 if fitted else dpi // 2
        if dpi < 2 or dpi > 10000:
            break
        if fits(dpi) != fitted:
            fitted = not fitted
            break
    lower, upper = (dpi, previous) if fitted else (previous, dpi)
    while upper - lower > 1:
        middle = (upper + lower) // 2
        if fits(middle):
            lower = middle
        else:
            upper = middle
    return lower


def _layout(markup: str, size: float) -> Any:
    import pyvips

    return pyvips.Image.text(markup, font=f"{_FONT} {size:.4f}", fontfile=str(FONT_FILE), width=_TEXT_WIDTH,
                             wrap="word-char", dpi=72)


def _fitted(text: str, size: int, box_h: int) -> Any:
    """`text` at `size`, or at the largest size at which it fits `box_h` when it is too long for it."""
    mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, None)
    if mask is not None and mask.height > box_h:
        mask = _text(text, f"{_FONT} {size}", OG_WIDTH - 2 * _MARGIN, box_h)
    return mask


@cache
def _base(site_name: str) -> Any:
    """The card without its title, drawn once per process and site name."""
    return _ink(_background(), _site_name(site_name), _ACCENT, _MARGIN, 112).copy_memory()


@cache
def _site_name(site_name: str) -> Any:
    return _fitted(site_name, 30, 76)


@cache
def _background() -> Any:
    import pyvips

    canvas = pyvips.Image.black(OG_WIDTH, OG_HEIGHT, bands=3).new_from_image(list(_BG)).copy(interpretation="srgb")
    canvas = canvas.draw_rect(list(_ACCENT), 0, OG_HEIGHT - 14, OG_WIDTH, 14, fill=True)
    return canvas.draw_rect(list(_ACCENT), _MARGIN, 78, 72, 8, fill=True).copy_memory()


def _printable(text: str) -> str:
    # control and format characters out (a NUL ends the C string: nothing left to draw is a Pango error)
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def _text(text: str, font: str, width: int, height: int | None) -> Any:
    """The grey coverage mask of `text` wrapped to `width`; None when there is nothing to draw."""
    import pyvips

    words = _printable(text)
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
    # in memory: a lookup reads its table whole, and a lazy copy would be computed again by every lookup
    return pyvips.Image.new_from_memory(table, 256, 1, 3, "uchar").copy(interpretation="srgb").copy_memory()


def _ink(canvas: Any, mask: Any, colour: tuple[int, int, int], x: int, y: int) -> Any:
    """Paint `colour` through the grey `mask` (text coverage) onto the canvas at x, y.

    The text boxes lie on the flat background, so ink over it is a function of coverage alone: one table
    lookup per pixel, and the canvas under the box is never read.
    """
    if mask is None:
        return canvas
    return canvas.insert(_clipped(mask, x, y, canvas.width, canvas.height).maplut(_palette(colour)), x, y)


def _clipped(mask: Any, x: int, y: int, width: int, height: int) -> Any:
    """What of `mask` placed at x, y lies inside width × height (an overlong word or site name)."""
    w, h = min(mask.width, width - x), min(mask.height, height - y)
    return mask.crop(0, 0, w, h) if (w, h) != (mask.width, mask.height) else mask


def _save(image: Any, quality: int, restart: int) -> bytes:
    data: bytes = image.jpegsave_buffer(Q=quality, keep="none", restart_interval=restart)
    return data


def _whole(image: Any, quality: int) -> bytes:
    """`image` encoded at once, with a restart marker per row of blocks as the joined cards have."""
    return _save(image, quality, -(-OG_WIDTH // _block(quality)))


@cache
def _block(quality: int) -> int:
    """The height and width of the JPEG encoder's blocks of pixels (MCU) at `quality`: 16 with chroma
    subsampling (libvips turns it off at high qualities), else 8."""
    import pyvips

    head, _ = _scan(pyvips.Image.black(16, 16, bands=3).copy(interpretation="srgb").jpegsave_buffer(
        Q=quality, keep="none"))
    at = _segment(head, 0xC0)  # SOF0: length (2), precision, height (2), width (2), components, then 3 bytes each
    factors = [head[at + 9 + 3 * i] for i in range(head[at + 7])]  # horizontal << 4 | vertical sampling
    return 8 * max(max(f >> 4, f & 15) for f in factors)


@dataclass(frozen=True)
class _Background:
    head: bytes  # everything up to the entropy-coded data
    head_key: bytes  # head without the frame's height, as a card's rows must have it
    rows: list[bytes]  # the coded data of each row of blocks, without restart markers
    block: int
    per_row: int  # blocks per row: the restart interval
    busy: tuple[tuple[int, int], ...]  # pixel rows where the background is not flat

    @property
    def count(self) -> int:
        return len(self.rows)

    def flat(self, y0: int, y1: int) -> bool:
        return all(y1 <= a or b <= y0 for a, b in self.busy)

    def join(self, rows: list[bytes]) -> bytes:
        """The JPEG of these rows: restart markers RST0…RST7 between them, in turn."""
        out = bytearray(self.head)
        for i, row in enumerate(rows):
            if i:
                out += bytes((0xFF, 0xD0 + (i - 1) % 8))
            out += row
        out += b"\xff\xd9"
        return bytes(out)


@cache
def _encoded_base(site_name: str, quality: int) -> _Background:
    """The card without its title, encoded once per process, site name and quality."""
    block = _block(quality)
    head, rows = _scan(_whole(_base(site_name), quality))
    name = _site_name(site_name)
    busy = ((OG_HEIGHT - 14, OG_HEIGHT), (78, 86)) + (((112, 112 + name.height),) if name is not None else ())
    return _Background(head, _without_height(head), rows, block, -(-OG_WIDTH // block), busy)


_RESTART = re.compile(rb"\xff[\xd0-\xd7]")  # 0xFF in coded data is always stuffed as FF 00: never a marker


def _scan(data: bytes) -> tuple[bytes, list[bytes]]:
    """(header up to the coded data, the coded data between restart markers) of a one-scan JPEG."""
    at = _segment(data, 0xDA)  # SOS: the coded data follows its header
    start = at + int.from_bytes(data[at : at + 2], "big")
    if not data.endswith(b"\xff\xd9"):
        raise ValueError("a JPEG ends with EOI")
    return data[:start], _RESTART.split(data[start:-2])


def _segment(data: bytes, marker: int) -> int:
    """Where the first `marker` segment of a JPEG starts (at its length), walking the segments from SOI."""
    i = 2
    while data[i] != 0xFF or data[i + 1] != marker:
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return i + 2


def _without_height(head: bytes) -> bytes:
    at = _segment(head, 0xC0)
    return head[: at + 3] + head[at + 5 :]
