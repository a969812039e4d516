"""`dzenpress init`: a working site with three example posts, their images and a config."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dzenpress import routes
from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write
from dzenpress.render.keyfile import new_key_section

_POSTS = ("kak-ustroen-etot-blog", "kak-perenesti-stati-iz-dzena", "kak-oformlyat-stati")


def placeholder_image(width: int, height: int, seed: int, fmt: str = ".jpg") -> bytes:
    """A soft two-colour gradient with a circle: a stand-in picture made locally, no downloads."""
    import pyvips

    palette = [(15, 118, 110), (56, 189, 248), (244, 114, 182), (250, 204, 21), (99, 102, 241), (34, 197, 94)]
    a, b = palette[seed % len(palette)], palette[(seed + 2) % len(palette)]
    xyz = pyvips.Image.xyz(width, height)
    t = xyz[0] / max(width - 1, 1) * 0.6 + xyz[1] / max(height - 1, 1) * 0.4
    bands = [t * (cb - ca) + ca for ca, cb in zip(a, b, strict=True)]
    img = bands[0].bandjoin(bands[1:])
    cx, cy, r = width * (0.3 + 0.1 * (seed % 4)), height * 0.5, min(width, height) * 0.28
    inside = ((xyz[0] - cx) ** 2 + (xyz[1] - cy) ** 2) < r * r
    img = inside.ifthenelse(img * 0.75 + 64, img)
    return bytes(img.cast("uchar").copy(interpretation="srgb").write_to_buffer(fmt, Q=82) if fmt == ".jpg"
                 else img.cast("uchar").write_to_buffer(fmt))


def photo_image(width: int, height: int, seed: int, quality: int = 72) -> bytes:
    """A stand-in photograph: soft colour field, out-of-focus highlights, vignette and a little grain.

    Made locally and deterministically from `seed`; a 1200×675 JPEG is about 17 KB.
    """
    import colorsys
    import random

    import pyvips

    rnd = random.Random(seed)
    hue = rnd.random()
    cols, rows = 6, 4
    cells = []
    for _ in range(cols * rows):
        shade = (hue + rnd.uniform(-0.08, 0.08)) % 1
        rgb = colorsys.hls_to_rgb(shade, rnd.uniform(0.35, 0.75), rnd.uniform(0.25, 0.55))
        cells += [int(c * 255) for c in rgb]
    img = pyvips.Image.new_from_memory(bytes(cells), cols, rows, 3, "uchar")
    img = img.resize(width / cols, vscale=height / rows, kernel="cubic").gaussblur(width / 14)
    img = img.crop(0, 0, min(img.width, width), min(img.height, height)).embed(0, 0, width, height, extend="copy")
    xyz = pyvips.Image.xyz(width, height)
    for _ in range(rnd.randint(3, 7)):
        cx, cy, r = rnd.uniform(0, width), rnd.uniform(0, height), rnd.uniform(0.04, 0.14) * width
        disc = (((xyz[0] - cx) ** 2 + (xyz[1] - cy) ** 2) < r * r).ifthenelse(1.0, 0.0)
        mask = disc.cast("float").gaussblur(r / 4) * rnd.uniform(0.15, 0.3)
        img = img * (1 - mask) + mask * 255
    nx, ny = xyz[0] / width - 0.5, xyz[1] / height - 0.5
    img = img * (1 - (nx * nx + ny * ny) * 0.9) + pyvips.Image.gaussnoise(width, height, sigma=1.2, mean=0, seed=seed)
    return bytes(img.cast("uchar").copy(interpretation="srgb").jpegsave_buffer(Q=quality, optimize_coding=True,
                                                                               strip=True))


def init_site(path: Path | str) -> list[Path]:
    """Create a new site in `path` (which must be empty or absent). Returns the files created."""
    root = Path(path)
    if root.exists() and any(root.iterdir()):
        raise DzenpressError("folder is not empty; dzenpress init never overwrites files", path=root)
    data = resources.files("dzenpress") / "scaffold"
    created: list[Path] = []

    def put(rel: str, content: bytes | str) -> None:
        target = root / rel
        atomic_write(target, content)
        created.append(target)

    put("dzenpress.toml", (data / "dzenpress.toml").read_text(encoding="utf-8") + new_key_section())
    for n, slug in enumerate(_POSTS):
        put(f"content/posts/{slug}.md", (data / f"{slug}.md").read_text(encoding="utf-8"))
        put(f"public/{routes.post_folder(slug)}/cover.jpg", photo_image(1200, 675, n * 2))
        put(f"public/{routes.post_folder(slug)}/img-0.jpg", photo_image(960, 540, n * 2 + 1))
    put("public/logo.png", placeholder_image(96, 96, 0, ".png"))
    (root / "templates").mkdir(parents=True, exist_ok=True)
    put("templates/README.md", "Put a template here with the name of a built-in one (post.html, list.html, "
        "home.html, 404.html, base.html, dzenpress.css …) to override it.\n")
    put(".gitignore", "dist/\n.dzenpress/\n")
    return created
