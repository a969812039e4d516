"""The generated Open Graph card: what the cheaper drawing makes must look as the card always did.

The reference is a frozen copy of the card as drawn before its title was fitted by our own search and encoded
as rows swapped into the site's encoded background (libvips' `text(…, height=…)` fitting, the whole card
encoded at once): each title's card must keep SSIM ≥ 0.98 against it. Cards are also byte-for-byte
deterministic, and the joined rows are exactly the bytes of the whole card encoded at once.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import pytest
import pyvips

from dzenpress.images import og

SITE = "Клиника доктора Иванова"
TITLES = [
    "Боль в спине",  # a few words
    "Остеохондроз",  # one word
    "Как выбрать подушку и матрас при болях в шее: советы врача",
    "Почему «правильная» осанка не спасает от боли в пояснице, и что делать вместо «упражнений для спины»",
    "Межпозвонковая грыжа: симптомы, диагноз, лечение без операции, упражнения, массаж, сон, работа за столом "
    "и отдых в выходные — полный разбор для пациента",  # ~150 characters: fitted to the box
    "Ёлочки «вот так» и „лапки“, кавычки ‹одиночные› — и тире",
    "Спина 🙂 и шея 👍🏽 — эмодзи 🧘‍♀️ в заголовке",
    "Табуляция\tперевод\nстроки\u0007звонок\u202eи\u200bневидимые",  # control and format characters
    "<b>разметка</b> & «амперсанд» &amp;",
    " ".join(["Очень длинный заголовок статьи про боль в спине и шее, который не помещается"] * 6),  # ~460 chars
    "Остеохондроз" * 40,  # one unbreakable word of 480 letters
    "W" * 600,
    "Ёж",
    "",
    # a line's last glyph overhangs the box at some sizes (the "t" of "JavaScript"): libvips' own search is followed
    "спину зачем лечить лечить как JavaScript спину лечить диагноз SEO 100% диагноз межпозвоночный Max спину Pro "
    "{фигурные} йога лечи",
    "½ 2024 пилатес Python SEO №1 боль SEO {фигурные} шея межпозвоночный — SEO «цитата» 10:30 грыжа $500 «цитата» ² "
    "спину JavaScript SEO спину Pro межпозвоночный №1 1",
    # letters that overhang by several pixels ("f", "j"): libvips' own search, though no layout of ours overhung
    "fly TV y Physio traffic jiffy Wyoming lazy y stiff yearly of staff fifty efficient j jiffy jiffy yearly stiff "
    "TV Wyoming j efficient fifty Wyoming lazy fl",
]


def test_cards_look_as_before_for_every_title() -> None:
    worst = min((_ssim(_decode(og.encode_card(SITE, title, 80)), _decode(_reference(SITE, title, 80))), title)
                for title in TITLES)
    assert worst[0] >= 0.98, f"SSIM {worst[0]:.4f} for {worst[1]!r}"


@pytest.mark.parametrize("quality", [60, 80, 95])  # 95: no chroma subsampling, 8×8 blocks
def test_joined_rows_are_the_whole_card_encoded_at_once(quality: int) -> None:
    for title in TITLES[:6] + TITLES[-4:]:
        assert og.encode_card(SITE, title, quality) == og._whole(og.render_card(SITE, title), quality), title


def test_card_bytes_are_deterministic() -> None:
    here = [hashlib.sha256(og.encode_card(SITE, title, 80)).hexdigest() for title in TITLES]
    assert here == [hashlib.sha256(og.encode_card(SITE, title, 80)).hexdigest() for title in TITLES]
    script = ("import hashlib, json, sys\nfrom dzenpress.images import og\n"
              "print(json.dumps([hashlib.sha256(og.encode_card(sys.argv[1], t, 80)).hexdigest() "
              "for t in json.loads(sys.stdin.read())]))")
    import json

    fresh = subprocess.run([sys.executable, "-c", script, SITE], input=json.dumps(TITLES), capture_output=True,
                           text=True, check=True, env=_env())
    assert json.loads(fresh.stdout) == here  # another process: its own caches, the same bytes


def test_title_rows_over_a_busy_background_are_drawn_on_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows the background is not flat in (none today: the site name is fitted above the title's box) get the
    title drawn over the background as it is, not over flat colour."""
    monkeypatch.setattr(og._Background, "flat", lambda self, y0, y1: False)
    for title in (TITLES[0], TITLES[4]):
        assert og.encode_card(SITE, title, 80) == og._whole(og.render_card(SITE, title), 80)


def _env() -> dict[str, str]:
    import os

    src = str(Path(og.__file__).resolve().parents[2])
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _decode(data: bytes) -> Any:
    image = pyvips.Image.new_from_buffer(data, "")
    assert (image.width, image.height, image.bands) == (1200, 630, 3)
    return image


def _ssim(a: Any, b: Any) -> float:
    """Mean SSIM over the three colour channels (Gaussian window, sigma 1.5), as scikit-image computes it."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    total = 0.0
    for band in range(3):
        x, y = a[band].cast("float"), b[band].cast("float")
        mx, my = x.gaussblur(1.5, precision="float"), y.gaussblur(1.5, precision="float")
        sxx = (x * x).gaussblur(1.5, precision="float") - mx * mx
        syy = (y * y).gaussblur(1.5, precision="float") - my * my
        sxy = (x * y).gaussblur(1.5, precision="float") - mx * my
        total += (((mx * my * 2 + c1) * (sxy * 2 + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))).avg()
    return total / 3


# ---- the card as drawn before (frozen: constants and all) ---------------------------------------------------

_FONT = "DejaVu Sans Bold"
_BG = (251, 250, 248)
_INK = (29, 35, 41)
_ACCENT = (15, 118, 110)


def _reference(site_name: str, title: str, quality: int) -> bytes:
    canvas = _old_base(site_name)
    words = _old_fitted(title, 64, 350)
    if words is not None:
        canvas = _old_ink(canvas, words, _INK, 80, 200 + max(0, (350 - words.height) // 2))
    data: bytes = canvas.jpegsave_buffer(Q=quality, keep="none")
    return data


def _old_fitted(text: str, size: int, box_h: int) -> Any:
    mask = _old_text(text, f"{_FONT} {size}", 1040, None)
    if mask is not None and mask.height > box_h:
        mask = _old_text(text, f"{_FONT} {size}", 1040, box_h)
    return mask


@cache
def _old_base(site_name: str) -> Any:
    canvas = pyvips.Image.black(1200, 630, bands=3).new_from_image(list(_BG)).copy(interpretation="srgb")
    canvas = canvas.draw_rect(list(_ACCENT), 0, 630 - 14, 1200, 14, fill=True)
    canvas = canvas.draw_rect(list(_ACCENT), 80, 78, 72, 8, fill=True).copy_memory()
    return _old_ink(canvas, _old_fitted(site_name, 30, 76), _ACCENT, 80, 112).copy_memory()


def _old_text(text: str, font: str, width: int, height: int | None) -> Any:
    words = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    if not words:
        return None
    options: dict[str, Any] = {"font": font, "fontfile": str(og.FONT_FILE), "width": width, "wrap": "word-char"}
    if height is None:
        options["dpi"] = 72
    else:
        options["height"] = height  # libvips searches the dpi at which the text fits
    return pyvips.Image.text(escape(words, quote=False), **options)


def _old_ink(canvas: Any, mask: Any, colour: tuple[int, int, int], x: int, y: int) -> Any:
    if mask is None:
        return canvas
    width, height = min(mask.width, canvas.width - x), min(mask.height, canvas.height - y)
    if (width, height) != (mask.width, mask.height):
        mask = mask.crop(0, 0, width, height)
    table = bytes(round(bg + (ink - bg) * alpha / 255) for alpha in range(256) for ink, bg in zip(colour, _BG))
    palette = pyvips.Image.new_from_memory(table, 256, 1, 3, "uchar").copy(interpretation="srgb")
    return canvas.insert(mask.maplut(palette), x, y)
