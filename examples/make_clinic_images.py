"""Draw the example clinic's images: flat illustrations (SVG rasterised by libvips), one scene per article,
the cover and the body image in two palettes. Run from the repository: python examples/make_clinic_images.py
Deterministic: the same script makes the same bytes, so the committed files change only when it does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyvips

BLOG = Path(__file__).resolve().parent / "clinic" / "public" / "blog"
W, H = 1200, 675

# background top, background bottom, sun, main, accent, light
PALETTES = [("#e6f4f2", "#c9e9e4", "#fde68a", "#0f766e", "#f97362", "#ffffff"),
            ("#fdf1e7", "#f8dcc6", "#bfe3dd", "#155e75", "#e76f51", "#fffaf5")]


def spine(x: float, y: float, n: int, step: float, c: str, bulge: int = -1, accent: str = "") -> str:
    parts = []
    for i in range(n):
        w = 120 - abs(i - n / 2) * 6
        parts.append(f'<rect x="{x - w / 2:.0f}" y="{y + i * step:.0f}" width="{w:.0f}" height="{step * .62:.0f}" '
                     f'rx="14" fill="{c}"/>')
        disc = accent if i == bulge else "#ffffff"
        extra = 26 if i == bulge else 0
        parts.append(f'<rect x="{x - w / 2 + 12 - extra:.0f}" y="{y + i * step + step * .66:.0f}" '
                     f'width="{w - 24 + 2 * extra:.0f}" height="{step * .26:.0f}" rx="8" fill="{disc}" opacity=".9"/>')
    return "".join(parts)


def night_back(p: tuple[str, ...]) -> str:
    return (f'<circle cx="930" cy="150" r="70" fill="{p[2]}"/><circle cx="960" cy="130" r="62" fill="{p[0]}"/>'
            f'<rect x="170" y="400" width="760" height="90" rx="30" fill="{p[3]}"/>'
            f'<rect x="200" y="340" width="220" height="80" rx="36" fill="{p[5]}"/>'
            f'<rect x="170" y="490" width="40" height="80" rx="10" fill="{p[3]}"/>'
            f'<rect x="890" y="490" width="40" height="80" rx="10" fill="{p[3]}"/>'
            f'<path d="M470 385 q120 -70 240 0" stroke="{p[4]}" stroke-width="18" fill="none" stroke-linecap="round"/>')


def headache(p: tuple[str, ...]) -> str:
    return (f'<circle cx="600" cy="330" r="170" fill="{p[3]}"/><rect x="420" y="270" width="360" height="44" '
            f'rx="22" fill="{p[4]}"/><path d="M860 170 l-50 90 h50 l-60 110" stroke="{p[2]}" stroke-width="22" '
            f'fill="none" stroke-linejoin="round" stroke-linecap="round"/><path d="M340 170 l50 90 h-50 l60 110" '
            f'stroke="{p[2]}" stroke-width="22" fill="none" stroke-linejoin="round" stroke-linecap="round"/>'
            f'<rect x="520" y="500" width="160" height="120" rx="30" fill="{p[3]}"/>')


def hernia(p: tuple[str, ...]) -> str:
    return spine(600, 90, 7, 76, p[3], bulge=4, accent=p[4]) + (
        f'<circle cx="360" cy="340" r="90" fill="none" stroke="{p[4]}" stroke-width="14" stroke-dasharray="22 16"/>')


def pillow(p: tuple[str, ...]) -> str:
    return (f'<rect x="180" y="380" width="840" height="70" rx="24" fill="{p[3]}"/>'
            f'<rect x="180" y="450" width="840" height="60" rx="24" fill="{p[5]}"/>'
            f'<rect x="180" y="510" width="840" height="60" rx="24" fill="{p[3]}" opacity=".7"/>'
            f'<path d="M260 380 q30 -120 190 -110 q160 10 190 110 z" fill="{p[5]}"/>'
            f'<path d="M300 330 q150 -60 300 0" stroke="{p[4]}" stroke-width="12" fill="none" stroke-linecap="round"/>')


def scanner(p: tuple[str, ...]) -> str:
    return (f'<circle cx="420" cy="330" r="210" fill="{p[3]}"/><circle cx="420" cy="330" r="120" fill="{p[0]}"/>'
            f'<rect x="200" y="420" width="520" height="46" rx="18" fill="{p[5]}"/>'
            f'<rect x="770" y="130" width="260" height="380" rx="22" fill="#1d2329"/>'
            + spine(900, 160, 5, 66, p[5]))


def backpack(p: tuple[str, ...]) -> str:
    return (f'<rect x="430" y="190" width="340" height="400" rx="70" fill="{p[3]}"/>'
            f'<rect x="480" y="380" width="240" height="150" rx="30" fill="{p[4]}"/>'
            f'<path d="M520 190 q80 -110 160 0" stroke="{p[3]}" stroke-width="30" fill="none"/>'
            f'<line x1="950" y1="110" x2="950" y2="590" stroke="{p[5]}" stroke-width="16" stroke-linecap="round"/>'
            f'<circle cx="950" cy="110" r="26" fill="{p[4]}"/>')


def clipboard(p: tuple[str, ...]) -> str:
    rows = "".join(f'<circle cx="500" cy="{250 + i * 90}" r="18" fill="{p[4]}"/><rect x="540" y="{238 + i * 90}" '
                   f'width="{260 - i * 40}" height="24" rx="12" fill="{p[3]}" opacity=".8"/>' for i in range(4))
    return (f'<rect x="420" y="120" width="440" height="500" rx="30" fill="{p[5]}"/>'
            f'<rect x="560" y="95" width="160" height="60" rx="20" fill="{p[3]}"/>' + rows +
            f'<path d="M260 200 v140 a90 90 0 0 0 180 0 v-40" stroke="{p[3]}" stroke-width="16" fill="none"/>')


def feet(p: tuple[str, ...]) -> str:
    def foot(x: int, y: int, c: str) -> str:
        toes = "".join(f'<circle cx="{x - 40 + i * 22}" cy="{y - 150 + abs(i - 1) * 8}" r="{16 - i * 2}" '
                       f'fill="{c}"/>' for i in range(5))
        return f'<ellipse cx="{x}" cy="{y}" rx="70" ry="120" fill="{c}"/>' + toes
    return foot(460, 400, p[3]) + foot(740, 360, p[4]) + (
        f'<path d="M200 600 q400 -60 800 0" stroke="{p[5]}" stroke-width="14" fill="none"/>')


def desk(p: tuple[str, ...]) -> str:
    return (f'<rect x="180" y="420" width="840" height="34" rx="12" fill="{p[3]}"/>'
            f'<rect x="220" y="454" width="26" height="160" fill="{p[3]}"/><rect x="954" y="454" width="26" '
            f'height="160" fill="{p[3]}"/><rect x="520" y="190" width="330" height="200" rx="16" fill="#1d2329"/>'
            f'<rect x="540" y="210" width="290" height="160" rx="8" fill="{p[2]}"/><rect x="670" y="390" width="30" '
            f'height="30" fill="#1d2329"/><rect x="300" y="300" width="150" height="200" rx="30" fill="{p[4]}"/>'
            f'<rect x="290" y="480" width="170" height="40" rx="16" fill="{p[4]}"/>')


def exercise(p: tuple[str, ...]) -> str:
    return (f'<rect x="170" y="520" width="860" height="40" rx="20" fill="{p[3]}"/>'
            f'<circle cx="360" cy="300" r="44" fill="{p[4]}"/>'
            f'<path d="M400 340 q140 40 240 160 M640 500 l120 -10 M520 400 l-60 120 M520 400 l120 -140" '
            f'stroke="{p[3]}" stroke-width="30" fill="none" stroke-linecap="round" stroke-linejoin="round"/>'
            f'<rect x="840" y="190" width="160" height="26" rx="13" fill="{p[5]}"/>'
            f'<rect x="820" y="165" width="40" height="76" rx="10" fill="{p[3]}"/>'
            f'<rect x="980" y="165" width="40" height="76" rx="10" fill="{p[3]}"/>')


SCENES: dict[str, Callable[[tuple[str, ...]], str]] = {
    "bol-v-poyasnice-posle-sna-5-prichin": night_back,
    "golovnaya-bol-napryazheniya-chto-pomogaet": headache,
    "gryzha-diska-kogda-nuzhna-operaciya": hernia,
    "kak-vybrat-podushku-i-matras-pri-bolyah-v-shee": pillow,
    "mrt-ili-rentgen-chto-vybrat-pri-boli-v-spine": scanner,
    "osanka-u-shkolnika-chto-proverit-roditelyam": backpack,
    "pervyj-priyom-u-nevrologa-kak-podgotovitsya": clipboard,
    "ploskostopie-i-bol-v-kolenyah": feet,
    "rabochee-mesto-bez-boli-nastrojka-stola-i-kresla": desk,
    "uprazhneniya-dlya-spiny-na-kazhdyj-den": exercise,
}


def svg(scene: Callable[[tuple[str, ...]], str], p: tuple[str, ...], width: int, height: int) -> bytes:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {W} {H}" '
            f'preserveAspectRatio="xMidYMid slice"><defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">'
            f'<stop offset="0" stop-color="{p[0]}"/><stop offset="1" stop-color="{p[1]}"/></linearGradient></defs>'
            f'<rect width="{W}" height="{H}" fill="url(#bg)"/><circle cx="1080" cy="620" r="260" fill="{p[2]}" '
            f'opacity=".35"/><circle cx="90" cy="80" r="150" fill="{p[5]}" opacity=".5"/>{scene(p)}</svg>').encode()


def draw(scene: Callable[[tuple[str, ...]], str], palette: int, width: int, height: int) -> bytes:
    image = pyvips.Image.svgload_buffer(svg(scene, PALETTES[palette], width, height)).flatten(background=255)
    return bytes(image.jpegsave_buffer(Q=82, optimize_coding=True, strip=True, subsample_mode="off"))


EXTRA = {"gryzha-diska-kogda-nuzhna-operaciya/img-1.jpg": exercise}  # «лечебная гимнастика»


def logo(size: int = 96) -> bytes:
    """The clinic's mark: «О» of «Опора» on a pillar, on a teal tile (a PNG: the header shows it at 36 px)."""
    mark = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 96 96">'
            '<rect width="96" height="96" rx="22" fill="#0f766e"/>'
            '<circle cx="48" cy="38" r="20" fill="none" stroke="#fff" stroke-width="10"/>'
            '<rect x="43" y="62" width="10" height="20" rx="4" fill="#fff"/>'
            '<rect x="30" y="78" width="36" height="8" rx="4" fill="#f97362"/></svg>').encode()
    image = pyvips.Image.svgload_buffer(mark).flatten(background=[251, 250, 248])
    return bytes(image.pngsave_buffer(compression=9, strip=True))


def main() -> None:
    (BLOG.parent / "logo.png").write_bytes(logo())
    for slug, scene in SCENES.items():
        (BLOG / slug / "cover.jpg").write_bytes(draw(scene, 0, 1200, 675))
        (BLOG / slug / "img-0.jpg").write_bytes(draw(scene, 1, 960, 540))
    for path, scene in EXTRA.items():
        (BLOG / path).write_bytes(draw(scene, 1, 960, 540))


if __name__ == "__main__":
    main()
