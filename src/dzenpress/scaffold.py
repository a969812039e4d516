"""`dzenpress init`: a working site with three example posts, their images and a config."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write
from dzenpress.ping import new_key_section

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
        put(f"public/blog/{slug}/cover.jpg", placeholder_image(1200, 675, n * 2))
        put(f"public/blog/{slug}/img-0.jpg", placeholder_image(960, 540, n * 2 + 1))
    put("public/logo.png", placeholder_image(96, 96, 0, ".png"))
    (root / "templates").mkdir(parents=True, exist_ok=True)
    put("templates/README.md", "Put a template here with the name of a built-in one (post.html, list.html, "
        "home.html, 404.html, base.html, dzenpress.css …) to override it.\n")
    put(".gitignore", "dist/\n.dzenpress/\n")
    return created
