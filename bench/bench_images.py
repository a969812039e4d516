"""Image pipeline benchmark: dzenpress against a Node + sharp script making the same variants.

    python bench/bench_images.py [--posts 180] [--skip-baseline] [--sweep]

Corpus: N posts, each with a 1600×1000 cover and two 1200×800 inline images (photo-like: gradients,
blurred noise and grain, JPEG q90), in bench/out/images-site/. Runs, each in its own process:
  - dzenpress cold (empty image cache), warm (nothing changed), one image replaced;
  - the baseline: bench/out/node/baseline.mjs with sharp (`npm install sharp` into bench/out/node at
    bench time), the same variants (AVIF + WebP at each width, the fallback JPEG, cards, og.jpg)
    made one image after another with sharp's defaults (AVIF q50 effort 4, WebP q80, JPEG q80).
Prints wall, CPU, peak memory (whole process tree) and output bytes for both; with --sweep, bytes, time
and SSIM (against a plain Lanczos downscale of the source) per format and width, ours next to sharp's, then
the same on real photographs (bench_photos.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SITE = OUT / "images-site"
NODE = OUT / "node"
SHARP = "0.34.5"

WIDTHS = {"cover": [960, 1280, 1600], "inline": [400, 680, 820], "card": [400, 800]}

BASELINE_JS = r"""
import sharp from "sharp";
import fs from "node:fs";
import path from "node:path";
const [site, out] = process.argv.slice(2);
const W = JSON.parse(process.argv[4]);
const posts = fs.readdirSync(path.join(site, "public/blog")).sort();
const box = (w, crop) => crop ? {width: w, height: Math.round(w * 9 / 16), fit: "cover", position: "attention"}
                               : {width: w, withoutEnlargement: true};
async function variants(src, dest, stem, widths, crop, fallbackIndex) {
  for (const w of widths) {
    const opts = box(w, crop);
    await sharp(src).rotate().resize(opts).avif({quality: 50}).toFile(path.join(dest, `${stem}-${w}.avif`));
    await sharp(src).rotate().resize(opts).webp({quality: 80}).toFile(path.join(dest, `${stem}-${w}.webp`));
  }
  const w = widths[fallbackIndex];
  await sharp(src).rotate().resize(box(w, crop)).jpeg({quality: 80}).toFile(path.join(dest, `${stem}-${w}.jpg`));
}
for (const slug of posts) {
  const dir = path.join(site, "public/blog", slug);
  const dest = path.join(out, slug);
  fs.mkdirSync(dest, {recursive: true});
  const cover = path.join(dir, "cover.jpg");
  await variants(cover, dest, "cover", W.cover, false, 1);
  await variants(cover, dest, "card", W.card, true, 0);
  await sharp(cover).rotate().resize({width: 1200, height: 630, fit: "cover", position: "attention"})
    .jpeg({quality: 80}).toFile(path.join(dest, "og.jpg"));
  for (const name of ["img-0", "img-1"]) {
    await variants(path.join(dir, name + ".jpg"), dest, name, W.inline, false, 1);
  }
}
"""

RUN_BUILD = r"""
import json, sys
from pathlib import Path
import dzenpress.images as images_api
from dzenpress import build
counted = {"encoded": 0}
original = images_api.encode
def counting(*args, **kwargs):
    result = original(*args, **kwargs)
    counted["encoded"] = result.encoded
    return result
images_api.encode = counting
if __name__ == "__main__":
    report = build(Path(sys.argv[1]))
    print(json.dumps({"written": report.written, "encoded": counted["encoded"], "seconds": report.seconds}))
"""


def photo(width: int, height: int, seed: int) -> Any:
    import pyvips

    xy = pyvips.Image.xyz(width, height)
    x, y = xy[0] / width, xy[1] / height
    base = (x * 170 + 30 + (seed * 37) % 50).bandjoin([y * 150 + 50 + (seed * 11) % 40, (x + y) * 80 + 40])
    blobs = pyvips.Image.gaussnoise(width // 16, height // 16, sigma=70, mean=0, seed=seed).resize(16, kernel="cubic")
    blobs = blobs.gaussblur(10)
    detail = pyvips.Image.gaussnoise(width, height, sigma=22, mean=0, seed=seed + 1).gaussblur(1.3)
    grain = pyvips.Image.gaussnoise(width, height, sigma=5, mean=0, seed=seed + 2)
    image = base + blobs.bandjoin([blobs * 0.6, blobs * -0.4]) + detail + grain
    return image.cast("uchar").copy(interpretation="srgb")


def make_corpus(posts: int) -> None:
    marker = SITE / f".corpus-{posts}"
    if marker.exists():
        return
    shutil.rmtree(SITE, ignore_errors=True)
    (SITE / "content/posts").mkdir(parents=True)
    (SITE / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Бенчмарк"\n',
                                         encoding="utf-8")
    for n in range(posts):
        slug = f"post-{n:03d}"
        folder = SITE / "public/blog" / slug
        folder.mkdir(parents=True)
        photo(1600, 1000, n * 3).jpegsave(str(folder / "cover.jpg"), Q=90)
        photo(1200, 800, n * 3 + 1).jpegsave(str(folder / "img-0.jpg"), Q=90)
        photo(1200, 800, n * 3 + 2).jpegsave(str(folder / "img-1.jpg"), Q=90)
        body = (f"Текст статьи {n}.\n\n![Снимок позвоночника {n}](/blog/{slug}/img-0.jpg)\n\nЕщё текст.\n\n"
                f"![Упражнение {n}](/blog/{slug}/img-1.jpg)\n")
        (SITE / "content/posts" / f"{slug}.md").write_text(
            f"---\ntitle: 'Статья номер {n}'\nslug: {slug}\ndate: '2025-01-{1 + n % 28:02d}'\n"
            f"cover: /blog/{slug}/cover.jpg\ntags: [t{n % 5}]\n---\n\n{body}", encoding="utf-8")
    marker.touch()


class Measured:
    def __init__(self, wall: float, cpu: float, peak: int, stdout: str) -> None:
        self.wall, self.cpu, self.peak, self.stdout = wall, cpu, peak, stdout


def run_measured(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Measured:
    """Wall, CPU of the process tree (RUSAGE_CHILDREN), peak RSS of the tree sampled from /proc."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, cwd=cwd, text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            peak[0] = max(peak[0], tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    stop.set()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{cmd[0]} failed with status {proc.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, peak[0], out)


def tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parents[int(entry)] = int(stat[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry)] = int(line.split()[1]) * 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def folder_bytes(folder: Path, pattern: str = "*") -> tuple[int, int]:
    files = [p for p in folder.rglob(pattern) if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run_ours(posts: int) -> dict[str, Any]:
    for sub in ("dist", ".dzenpress"):
        shutil.rmtree(SITE / sub, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "DZENPRESS_IMAGE_CACHE"}
    script = OUT / "run_build.py"
    script.write_text(RUN_BUILD, encoding="utf-8")
    cmd = [sys.executable, str(script), str(SITE)]
    cold = run_measured(cmd, env)
    warm = run_measured(cmd, env)
    victim = SITE / f"public/blog/post-{min(5, posts - 1):03d}/img-0.jpg"
    photo(1200, 800, 100_000 + int(time.time()) % 100_000).jpegsave(str(victim), Q=90)  # new bytes every run
    replaced = run_measured(cmd, env)
    result = json.loads(replaced.stdout)
    files, size = folder_bytes(SITE / "dist/_img")
    return {"cold": cold, "warm": warm, "replaced": replaced, "replaced_written": result["written"],
            "replaced_encoded": result["encoded"], "cold_encoded": json.loads(cold.stdout)["encoded"],
            "files": files, "bytes": size}


def install_sharp() -> bool:
    """sharp in bench/out/node (installed once); False when node or npm is missing."""
    if not shutil.which("node") or not shutil.which("npm"):
        return False
    NODE.mkdir(parents=True, exist_ok=True)
    if not (NODE / "node_modules/sharp").is_dir():
        (NODE / "package.json").write_text('{"name": "baseline", "private": true, "type": "module"}')
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", f"sharp@{SHARP}"], cwd=NODE,
                       check=True)
    return True


def run_baseline() -> dict[str, Any]:
    install_sharp()
    (NODE / "baseline.mjs").write_text(BASELINE_JS, encoding="utf-8")
    out = NODE / "variants"
    shutil.rmtree(out, ignore_errors=True)
    measured = run_measured(["node", "baseline.mjs", str(SITE), str(out), json.dumps(WIDTHS)], cwd=NODE)
    files, size = folder_bytes(out)
    return {"run": measured, "files": files, "bytes": size}


def ssim(a: Any, b: Any) -> float:
    """Mean SSIM of the luminance of two equally sized images (Gaussian window, sigma 1.5)."""
    x = a.colourspace("b-w")[0].cast("float")
    y = b.colourspace("b-w")[0].cast("float")
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def g(image: Any) -> Any:
        return image.gaussblur(1.5)

    mx, my = g(x), g(y)
    sxx, syy, sxy = g(x * x) - mx * mx, g(y * y) - my * my, g(x * y) - mx * my
    s = ((mx * my * 2 + c1) * (sxy * 2 + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.avg())


def sweep(samples: int) -> None:
    """Bytes, encode time and SSIM per format and width: candidate settings and sharp's output."""
    import pyvips

    from dzenpress.config import ImageSettings
    from dzenpress.images.encode import save

    candidates = [("avif", q, e) for q, e in ((50, 3), (50, 4), (50, 2), (50, 0))]
    candidates += [("webp", q, e) for q, e in ((79, 2), (80, 4), (75, 2))]
    rows: dict[tuple[str, int, int, int], list[float]] = {}
    sources = [(SITE / f"public/blog/post-{n:03d}" / name, role) for n in range(samples)
               for name, role in (("cover.jpg", "cover"), ("img-0.jpg", "inline"))]
    for src, role in sources:
        for width in WIDTHS[role]:
            image = pyvips.Image.thumbnail(str(src), width).copy_memory()
            reference = pyvips.Image.new_from_file(str(src)).resize(width / 1600 if role == "cover" else width / 1200,
                                                                    kernel="lanczos3")
            for fmt, q, e in candidates:
                settings = ImageSettings(avif_quality=q, avif_effort=e, webp_quality=q, webp_effort=e)
                started = time.process_time()
                data = save(image, fmt, settings)
                cpu = time.process_time() - started
                decoded = pyvips.Image.new_from_buffer(data, "")
                row = rows.setdefault((fmt, q, e, width), [0, 0, 0, 0])
                row[0] += len(data)
                row[1] += cpu
                row[2] += ssim(decoded.crop(0, 0, reference.width, reference.height), reference)
                row[3] += 1
            theirs = NODE / "variants" / src.parent.name / f"{src.stem.replace('cover', 'cover')}-{width}"
            for fmt, ext in (("avif", "avif"), ("webp", "webp")):
                file = Path(f"{theirs}.{ext}")
                if file.exists():
                    decoded = pyvips.Image.new_from_file(str(file))
                    row = rows.setdefault((f"{fmt} (sharp)", 0, 0, width), [0, 0, 0, 0])
                    row[0] += file.stat().st_size
                    row[2] += ssim(decoded.crop(0, 0, reference.width, reference.height), reference)
                    row[3] += 1
    print(f"\n{'format':14} {'q':>3} {'effort':>6} {'width':>5} {'KB/image':>9} {'CPU ms':>7} {'SSIM':>7}")
    for (fmt, q, e, width), (size, cpu, total, n) in sorted(rows.items(), key=lambda kv: (kv[0][3], kv[0][0])):
        cpu_text = f"{cpu / n * 1000:7.0f}" if cpu else "      –"
        print(f"{fmt:14} {q or '':>3} {e if q else '':>6} {width:>5} {size / n / 1024:9.1f} {cpu_text} "
              f"{total / n:7.4f}")


def report(ours: dict[str, Any], base: dict[str, Any] | None) -> None:
    mb = 1024 * 1024
    print(f"\n{'':28} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'files':>6} {'MB':>8}")
    cold = ours["cold"]
    print(f"{'dzenpress cold':28} {cold.wall:8.1f} {cold.cpu:8.1f} {cold.peak / mb:8.0f} {ours['files']:6} "
          f"{ours['bytes'] / mb:8.1f}")
    if base:
        run = base["run"]
        print(f"{'node + sharp (baseline)':28} {run.wall:8.1f} {run.cpu:8.1f} {run.peak / mb:8.0f} "
              f"{base['files']:6} {base['bytes'] / mb:8.1f}")
        print(f"\ncold build is {run.wall / cold.wall:.1f}× faster than the baseline (target ≥ 10×); output "
              f"{ours['bytes'] / base['bytes']:.2f}× the baseline's bytes (target ≤ 1)")
    warm = ours["warm"]
    print(f"warm build (nothing changed): {json.loads(warm.stdout)['seconds']:.2f} s in build() "
          f"({warm.wall:.2f} s wall with interpreter start and site loading; target ≤ 0.5 s)")
    pages = [p for p in ours["replaced_written"] if p.endswith(".html")]
    print(f"one image replaced: {ours['replaced_encoded']} variants encoded (of {ours['cold_encoded']} cold), "
          f"{len(pages)} pages re-rendered: {', '.join(pages)}; {ours['replaced'].wall:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=180)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--sweep", type=int, default=0, metavar="POSTS",
                        help="also compare settings on the images of this many posts")
    args = parser.parse_args()
    started = time.perf_counter()
    make_corpus(args.posts)
    print(f"corpus: {args.posts} posts, {args.posts * 3} images ({time.perf_counter() - started:.0f} s to make)")
    ours = run_ours(args.posts)
    base = None if args.skip_baseline or not shutil.which("node") else run_baseline()
    report(ours, base)
    if args.sweep:
        sweep(args.sweep)
        from bench_photos import default_photos, sweep_photos

        photos = default_photos()
        if photos:
            sweep_photos(photos)
        else:
            print("\n(no real photographs: `pip install scikit-image`, or bench_photos.py --photos DIR)")


if __name__ == "__main__":
    main()
