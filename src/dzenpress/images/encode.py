"""libvips work, run in worker processes: probe a source, encode its missing variants into the cache.

Every load is a shrink-on-load `thumbnail` (EXIF orientation applied), converted to sRGB and saved with
all metadata stripped (`keep="none"`). One decode per size is kept in memory and saved to each format.
Errors come back as values naming what went wrong, never as exceptions, so one bad file cannot stop the
others (the build decides what a bad file means).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dzenpress.config import ImageSettings
from dzenpress.images.cache import Probe, store
from dzenpress.images.variants import (
    AVIF_SUBSAMPLE,
    AVIF_TUNE,
    OG_HEIGHT,
    OG_WIDTH,
    Variant,
    og_variant,
    variants_for,
)

# the loaders of formats a browser page may carry (TIFF and HEIF come out as AVIF/WebP/JPEG)
_LOADERS = {"jpegload": "JPEG", "pngload": "PNG", "webpload": "WebP", "gifload": "GIF", "heifload": "AVIF/HEIF",
            "tiffload": "TIFF"}
_KNOWN_UNSUPPORTED = ((b"BM", "BMP"), (b"8BPS", "Photoshop (PSD)"), (b"\x00\x00\x01\x00", "ICO"),
                      (b"\xff\x0a", "JPEG XL"), (b"\x00\x00\x00\x0cJXL ", "JPEG XL"), (b"%PDF", "PDF"))
READABLE = "JPEG, PNG, WebP, GIF, AVIF/HEIF, TIFF or SVG"


@dataclass(frozen=True)
class SourceJob:
    file: str
    digest: str
    stem: str
    roles: tuple[str, ...]
    og: bool
    settings: ImageSettings
    cache_dir: str
    probe: Probe | None = None  # known from the index: no need to read the header again


@dataclass(frozen=True)
class CardJob:
    variant: Variant
    site_name: str
    title: str
    quality: int
    cache_dir: str


@dataclass
class JobResult:
    probe: Probe = field(default_factory=Probe)
    encoded: list[str] = field(default_factory=list)  # keys of the variants made by this job


CARDS_PER_JOB = 16  # a card costs a few ms of CPU: handed to a worker one by one, it would cost half as much again


def run_chunk(jobs: list[SourceJob | tuple[CardJob, ...]]) -> list[list[JobResult]]:
    """Each job's results: one for a source image, one per card for a batch of cards."""
    import pyvips

    # libvips' operation cache only pays when the same operation on the same images comes again, which never
    # happens here; keeping its LRU order costs ~10% of a card
    pyvips.cache_set_max(0)
    return [[run_card(card) for card in job] if isinstance(job, tuple) else [run_source(job)] for job in jobs]


def run_source(job: SourceJob) -> JobResult:
    import pyvips

    probe = job.probe or probe_file(Path(job.file), job.settings.max_pixels)
    result = JobResult(probe)
    if probe.error or probe.kind != "raster":
        return result
    s = job.settings
    wanted = [v for role in job.roles for v in variants_for(job.digest, job.stem, role, s, probe.width,
                                                              probe.height, probe.alpha)]
    if job.og:
        wanted.append(og_variant(job.digest, job.stem, s))
    folder = Path(job.cache_dir)
    todo: dict[str, Variant] = {}
    for v in wanted:
        if v.key not in todo and not _cached(folder, v):
            todo[v.key] = v
    groups: dict[tuple[bool, int, int], list[Variant]] = {}
    for v in todo.values():
        groups.setdefault((v.crop, v.width, v.height), []).append(v)
    try:
        for (crop, w, h), variants in groups.items():
            image = _load(job.file, w, h, crop, upscale=(w, h) == (OG_WIDTH, OG_HEIGHT) and crop)
            for v in variants:
                store(folder / v.key[:2] / f"{v.key}.{v.ext}", save(image, v.fmt, s))
                result.encoded.append(v.key)
    except pyvips.Error as exc:
        result.probe = Probe(kind="bad", error=decode_error(exc))
    except OSError as exc:
        result.probe = Probe(kind="bad", error=f"cannot be read: {exc.strerror}")
    return result


def run_card(job: CardJob) -> JobResult:
    import pyvips

    from dzenpress.images.og import encode_card

    v = job.variant
    try:
        data = encode_card(job.site_name, job.title, job.quality)
    except pyvips.Error as exc:
        return JobResult(Probe(kind="bad", error=f"the Open Graph card could not be drawn: {decode_error(exc)}"))
    store(Path(job.cache_dir) / v.key[:2] / f"{v.key}.{v.ext}", data)
    return JobResult(Probe(OG_WIDTH, OG_HEIGHT), [v.key])


def _cached(folder: Path, v: Variant) -> bool:
    try:
        return (folder / v.key[:2] / f"{v.key}.{v.ext}").stat().st_size > 0
    except OSError:
        return False


def probe_file(path: Path, max_pixels: int) -> Probe:
    """Read a header: size, orientation, animation, alpha; or say in words why this is no usable image."""
    import pyvips

    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        return Probe(kind="bad", error=f"cannot be read: {exc.strerror}")
    if not head:
        return Probe(kind="bad", error="is empty (0 bytes)")
    if _is_svg(path, head):
        w, h = svg_size(head)
        return Probe(w, h, "svg")
    for magic, name in _KNOWN_UNSUPPORTED:
        if head.startswith(magic):
            return Probe(kind="bad", error=f"is a {name} file; images must be {READABLE}")
    try:
        image = pyvips.Image.new_from_file(str(path), access="sequential")
        loader = _get(image, "vips-loader") or ""
        if loader.removesuffix("_source") not in _LOADERS:
            return Probe(kind="bad", error=f"is not a web image ({loader or 'unknown format'}); images must be "
                                           f"{READABLE}")
        width, height = image.width, image.height
        pages = _get(image, "n-pages") or 1
        if (_get(image, "orientation") or 1) in (5, 6, 7, 8):
            width, height = height, width
        alpha = bool(image.hasalpha())
    except pyvips.Error as exc:
        return Probe(kind="bad", error=decode_error(exc))
    if width * height > max_pixels:
        return Probe(width, height, "bad", error=f"is {width}×{height} = {width * height:,} pixels, over the "
                                                 f"limit of {max_pixels:,} (images.max_pixels)")
    return Probe(width, height, "animated" if pages > 1 and loader.startswith(("gif", "webp")) else "raster", alpha)


def _get(image: Any, name: str) -> Any:
    return image.get(name) if image.get_typeof(name) else None


def _load(file: str, w: int, h: int, crop: bool, upscale: bool) -> Any:
    import pyvips

    image = pyvips.Image.thumbnail(file, w, height=h, crop="attention" if crop else "centre",
                                   size="both" if upscale else "down", fail_on="truncated")
    if image.interpretation not in ("srgb", "b-w"):
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.cast("uchar")
    return image.copy_memory()  # decoded once, saved to several formats


def save(image: Any, fmt: str, s: ImageSettings) -> bytes:
    if fmt == "avif":
        return bytes(image.heifsave_buffer(Q=s.avif_quality, effort=s.avif_effort, compression="av1",
                                           subsample_mode=AVIF_SUBSAMPLE, tune=AVIF_TUNE, keep="none"))
    if fmt == "webp":
        return bytes(image.webpsave_buffer(Q=s.webp_quality, effort=s.webp_effort, keep="none"))
    if fmt == "png":
        return bytes(image.pngsave_buffer(compression=6, keep="none"))
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    return bytes(image.jpegsave_buffer(Q=s.jpeg_quality, keep="none", optimize_coding=True, interlace=True))


def decode_error(exc: Exception) -> str:
    """libvips' message in one line, without its internal operation names."""
    text = " ".join(str(exc).split())
    if "truncated" in text.lower() or "premature end" in text.lower() or "out of data" in text.lower():
        return "is truncated (the file ends before the image does)"
    if "not a known" in text or "unable to load" in text:
        return f"is not an image (its bytes are no known format); images must be {READABLE}"
    detail = re.sub(r"^(?:unable to call \w+\s*)?", "", text)[:160]
    return f"is corrupt and cannot be decoded ({detail})"


_SVG_HEAD = re.compile(rb"<svg\b", re.I)
_SVG_ATTR = re.compile(rb"""\b(width|height|viewBox)\s*=\s*["']([^"']+)["']""")


def _is_svg(path: Path, head: bytes) -> bool:
    return path.suffix.lower() == ".svg" or (_SVG_HEAD.search(head) is not None and b"\x00" not in head)


def svg_size(head: bytes) -> tuple[int, int]:
    """Intrinsic size from the root element's width/height (plain px numbers) or its viewBox; 0 if unknown."""
    m = _SVG_HEAD.search(head)
    if not m:
        return 0, 0
    tag = head[m.end(): head.find(b">", m.end())]
    attrs = {k.decode(): v.decode() for k, v in _SVG_ATTR.findall(tag)}
    try:
        if re.fullmatch(r"[\d.]+(px)?", attrs.get("width", "")) and re.fullmatch(r"[\d.]+(px)?",
                                                                                 attrs.get("height", "")):
            return round(float(attrs["width"].removesuffix("px"))), round(float(attrs["height"].removesuffix("px")))
        box = [float(x) for x in re.split(r"[\s,]+", attrs.get("viewBox", "").strip())]
        if len(box) == 4:
            return round(box[2]), round(box[3])
    except ValueError:
        pass
    return 0, 0
