"""Real photographs, not generated ones: our AVIF/WebP settings next to sharp's defaults.

    python bench/bench_photos.py [--photos DIR]

Photos: DIR, or the sample photographs scikit-image ships (astronaut, coffee, chelsea, rocket, ihc, retina,
motorcycle_left) when it is installed (`pip install scikit-image`; the bench only reads its files). Each
photo is encoded at its own size; SSIM is taken over all three colour channels against the source.
sharp runs from bench/out/node (installed there by bench_images.py, or here when missing).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import time
from pathlib import Path
from typing import Any

from bench_images import NODE, install_sharp

PHOTOS_JS = r"""
import sharp from "sharp";
import fs from "node:fs";
import path from "node:path";
const [out, ...files] = process.argv.slice(2);
fs.mkdirSync(out, {recursive: true});
const cpu = {};
for (const [fmt, opts] of [["avif", {quality: 50}], ["webp", {quality: 80}]]) {
  const t = process.cpuUsage();
  for (const f of files) await sharp(f)[fmt](opts).toFile(path.join(out, path.parse(f).name + "." + fmt));
  const u = process.cpuUsage(t);
  cpu[fmt] = (u.user + u.system) / 1e6;
}
console.log(JSON.stringify(cpu));
"""
SAMPLES = ("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg", "ihc.png", "retina.jpg", "motorcycle_left.png")


def default_photos() -> list[Path]:
    try:
        import skimage
    except ImportError:
        return []
    folder = Path(skimage.__file__).parent / "data"
    return [folder / name for name in SAMPLES if (folder / name).is_file()]


def ssim3(a: Any, b: Any) -> float:
    """Mean SSIM over the three colour channels (Gaussian window, sigma 1.5)."""
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    total = 0.0
    for band in range(3):
        x, y = a[band].cast("float"), b[band].cast("float")
        mx, my = x.gaussblur(1.5), y.gaussblur(1.5)
        sxx = (x * x).gaussblur(1.5) - mx * mx
        syy = (y * y).gaussblur(1.5) - my * my
        sxy = (x * y).gaussblur(1.5) - mx * my
        s = ((mx * my * 2 + c1) * (sxy * 2 + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
        total += s.avg()
    return total / 3


def sweep_photos(photos: list[Path]) -> None:
    import pyvips

    from dzenpress.config import ImageSettings
    from dzenpress.images.encode import save

    images = [pyvips.Image.new_from_file(str(p)).colourspace("srgb").copy_memory() for p in photos]
    images = [i[0:3] if i.bands > 3 else i for i in images]
    defaults = ImageSettings()
    candidates = [("avif", defaults.avif_quality, defaults.avif_effort, "defaults"), ("avif", 50, 0, "before"),
                  ("webp", defaults.webp_quality, defaults.webp_effort, "defaults"), ("webp", 75, 2, "before")]
    print(f"\n{len(photos)} real photographs at their own size ({', '.join(p.stem for p in photos)})")
    print(f"{'':24} {'KB':>8} {'SSIM':>7} {'CPU s':>6}")
    for fmt, q, e, label in candidates:
        settings = ImageSettings(avif_quality=q, avif_effort=e, webp_quality=q, webp_effort=e)
        started = time.process_time()
        blobs = [save(image, fmt, settings) for image in images]
        cpu = time.process_time() - started
        quality = sum(ssim3(pyvips.Image.new_from_buffer(b, "").colourspace("srgb"), i)
                      for b, i in zip(blobs, images, strict=True)) / len(images)
        print(f"{f'{fmt} q{q} e{e} ({label})':24} {sum(map(len, blobs)) / 1024:8.1f} {quality:7.4f} {cpu:6.2f}")
    theirs = sharp_photos(photos)
    if theirs is None:
        return
    out, cpu_by_fmt = theirs
    for fmt in ("avif", "webp"):
        files = [out / f"{p.stem}.{fmt}" for p in photos]
        quality = sum(ssim3(pyvips.Image.new_from_file(str(f)).colourspace("srgb"), i)
                      for f, i in zip(files, images, strict=True)) / len(images)
        size = sum(f.stat().st_size for f in files)
        print(f"{f'{fmt} sharp defaults':24} {size / 1024:8.1f} {quality:7.4f} {cpu_by_fmt[fmt]:6.2f}")


def sharp_photos(photos: list[Path]) -> tuple[Path, dict[str, float]] | None:
    if not install_sharp():
        print("(sharp not available: node/npm missing)")
        return None
    (NODE / "photos.mjs").write_text(PHOTOS_JS, encoding="utf-8")
    out = NODE / "photos"
    done = subprocess.run(["node", "photos.mjs", str(out), *map(str, photos)], cwd=NODE, capture_output=True,
                          text=True, check=True)
    return out, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=Path, help="a folder of photographs (JPEG/PNG)")
    args = parser.parse_args()
    photos = sorted(p for p in args.photos.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"}) \
        if args.photos else default_photos()
    if not photos:
        raise SystemExit("no photographs: pass --photos DIR or `pip install scikit-image`")
    sweep_photos(photos)


if __name__ == "__main__":
    main()
