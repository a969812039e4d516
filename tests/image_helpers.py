"""Small test images and a tiny site that uses them (fast: ≤ 400 px, AVIF effort 0)."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pyvips

from conftest import MINIMAL_CONFIG, post_text

IMAGES_CONFIG = """
[images]
cover_widths = [200, 320, 800]
inline_widths = [100, 200]
card_widths = [160, 320]
avif_effort = 0
webp_effort = 0
"""


def photo(width: int, height: int, seed: int = 1, bands: int = 3) -> Any:
    """Photo-like content: a gradient with blurred noise (not flat colour)."""
    xy = pyvips.Image.xyz(width, height)
    base = (xy[0] * (200 / width) + 20).bandjoin([xy[1] * (180 / height) + 30, xy[0] * 0 + 90])
    noise = pyvips.Image.gaussnoise(width, height, sigma=30, mean=0, seed=seed).gaussblur(1.5)
    image = (base + noise).cast("uchar").copy(interpretation="srgb")
    return image if bands == 3 else image.bandjoin(image[0].new_from_image(200))


def write_jpeg(path: Path, width: int, height: int, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    photo(width, height, seed).jpegsave(str(path), Q=90)
    return path


def write_png(path: Path, width: int, height: int, seed: int = 1, alpha: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    photo(width, height, seed, bands=4 if alpha else 3).pngsave(str(path))
    return path


def write_gif_animation(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = [photo(40, 30, seed) for seed in (1, 2, 3)]
    strip = pyvips.Image.arrayjoin(frames, across=1).copy()
    strip.set_type(pyvips.GValue.gint_type, "page-height", 30)
    strip.set_type(pyvips.GValue.array_int_type, "delay", [100, 100, 100])
    strip.gifsave(str(path))
    return path


def exif_with_gps(orientation: int = 1) -> bytes:
    """An EXIF block (little-endian TIFF) with Orientation and a GPS IFD holding latitude 55°45'N."""
    entries0 = [(0x0112, 3, 1, orientation), (0x8825, 4, 1, 0)]  # GPS offset patched below
    ifd0_size = 2 + 12 * len(entries0) + 4
    gps_offset = 8 + ifd0_size
    gps_entries = 2
    gps_size = 2 + 12 * gps_entries + 4
    rational_offset = gps_offset + gps_size
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    out += struct.pack("<H", len(entries0))
    out += struct.pack("<HHII", 0x0112, 3, 1, orientation)
    out += struct.pack("<HHII", 0x8825, 4, 1, gps_offset)
    out += struct.pack("<I", 0)
    out += struct.pack("<H", gps_entries)
    out += struct.pack("<HHI", 0x0001, 2, 2) + b"N\x00\x00\x00"  # GPSLatitudeRef
    out += struct.pack("<HHII", 0x0002, 5, 3, rational_offset)  # GPSLatitude
    out += struct.pack("<I", 0)
    out += struct.pack("<IIIIII", 55, 1, 45, 1, 0, 1)
    return b"Exif\x00\x00" + bytes(out)


def write_jpeg_with_gps(path: Path, width: int, height: int, orientation: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = photo(width, height).copy()
    image.set_type(pyvips.GValue.blob_type, "exif-data", exif_with_gps(orientation))
    image.jpegsave(str(path), Q=90, keep="exif")
    return path


def image_site(root: Path, extra_config: str = "") -> Path:
    """A site folder with config and folders, no posts."""
    (root / "content/posts").mkdir(parents=True, exist_ok=True)
    (root / "public").mkdir(exist_ok=True)
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG + IMAGES_CONFIG + extra_config, encoding="utf-8")
    return root


def add_post(root: Path, slug: str, body: str = "Текст.", title: str = "Заголовок", **front: str) -> Path:
    path = root / "content/posts" / f"{slug}.md"
    path.write_text(post_text(slug, title=title, body=body, **front), encoding="utf-8")
    return path


def fields(path: Path) -> dict[str, Any]:
    image = pyvips.Image.new_from_file(str(path))
    return {"loader": image.get("vips-loader"), "width": image.width, "height": image.height,
            "fields": image.get_fields()}
