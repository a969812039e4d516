"""Which files an image becomes: roles, widths, formats, output names and cache keys. Pure functions.

A variant's key is the digest of the source's content digest and every parameter that changes the bytes
(crop, size, format, quality, effort, pipeline version). The key names the cached file and ends the
output name, so an output URL never changes meaning: replacing an image gives it new URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dzenpress import routes
from dzenpress.config import ImageSettings
from dzenpress.hashing import digest

PIPELINE = "1"  # bump whenever encoding changes the bytes it makes for the same parameters
OUTPUT_DIR = routes.IMAGES.strip("/")
OG_WIDTH, OG_HEIGHT = 1200, 630
CARD_RATIO = 16 / 9
ROLES = ("cover", "inline", "card")
EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class Variant:
    key: str  # digest of source + parameters: the cache file's name
    output: str  # path inside the output folder
    fmt: str  # avif | webp | jpeg | png
    width: int
    height: int
    crop: bool  # cropped to the target box around the interesting part (cards, Open Graph)
    fallback: bool = False  # the <img src> for browsers without AVIF/WebP

    @property
    def url(self) -> str:
        return "/" + self.output

    @property
    def ext(self) -> str:
        return EXTENSIONS[self.fmt]


# Measured on real photographs (bench_images.py --sweep): full-resolution chroma and aom's SSIM tuning at
# effort 3 give fewer bytes than sharp's AVIF defaults (q50, effort 4, 4:4:4) at an equal or higher SSIM,
# at a sixth of its CPU; chroma subsampling costs more SSIM on photos than the bytes it saves.
AVIF_SUBSAMPLE = "off"
AVIF_TUNE = "ssim"


def encoder_params(fmt: str, s: ImageSettings) -> tuple[object, ...]:
    if fmt == "avif":
        return (s.avif_quality, s.avif_effort, AVIF_SUBSAMPLE, AVIF_TUNE)
    if fmt == "webp":
        return (s.webp_quality, s.webp_effort)
    if fmt == "jpeg":
        return (s.jpeg_quality,)
    return ()


def role_widths(role: str, s: ImageSettings) -> list[int]:
    return {"cover": s.cover_widths, "inline": s.inline_widths, "card": s.card_widths}[role]


def sizes_for(role: str, s: ImageSettings, width: int, height: int) -> list[tuple[int, int]]:
    """(width, height) of each size a role gets from a width×height source, never upscaled."""
    if role == "card":
        limit = min(width, int(height * CARD_RATIO))
        widths = sorted({min(w, limit) for w in role_widths(role, s)})
        return [(w, max(1, round(w / CARD_RATIO))) for w in widths]
    widths = sorted({min(w, width) for w in role_widths(role, s)})
    return [(w, max(1, round(height * w / width))) for w in widths]


def variants_for(src_digest: str, stem: str, role: str, s: ImageSettings, width: int, height: int,
                 alpha: bool) -> list[Variant]:
    """Every variant of one source in one role: each format at each size, plus one fallback."""
    crop = role == "card"
    stem = stem + "-card" if crop else stem
    sizes = sizes_for(role, s, width, height)
    out = [_variant(src_digest, stem, fmt, w, h, crop, s) for w, h in sizes for fmt in s.formats]
    fw, fh = sizes[(len(sizes) - 1) // 2]
    out.append(_variant(src_digest, stem, "png" if alpha else "jpeg", fw, fh, crop, s, fallback=True))
    return out


def og_variant(src_digest: str, stem: str, s: ImageSettings) -> Variant:
    """The 1200×630 Open Graph JPEG cropped from a cover."""
    return _variant(src_digest, stem + "-og", "jpeg", OG_WIDTH, OG_HEIGHT, True, s, fallback=True)


def card_key(site_name: str, title: str, font_id: str, s: ImageSettings) -> Variant:
    """The generated Open Graph card of a post without a cover."""
    key = digest(repr((PIPELINE, "og-card-restart-rows", site_name, title, font_id, s.jpeg_quality)).encode())
    return Variant(key, f"{OUTPUT_DIR}/og-{key[:16]}.jpg", "jpeg", OG_WIDTH, OG_HEIGHT, True, True)


def _variant(src_digest: str, stem: str, fmt: str, w: int, h: int, crop: bool, s: ImageSettings,
             fallback: bool = False) -> Variant:
    key = digest(repr((PIPELINE, src_digest, crop, w, h, fmt, encoder_params(fmt, s))).encode())
    return Variant(key, f"{OUTPUT_DIR}/{safe_stem(stem)}-{w}-{key[:10]}.{EXTENSIONS[fmt]}", fmt, w, h, crop,
                   fallback)


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_stem(stem: str) -> str:
    return _UNSAFE.sub("-", stem).strip("-")[:40] or "img"
