"""Responsive images: variants, <picture> markup, the cache, metadata, bad input, Open Graph images."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dzenpress.images as images_api
from dzenpress.config import ImageSettings, config_from_dict
from dzenpress.errors import ConfigError, DzenpressError
from dzenpress.images.report import meaningless_alt
from dzenpress.images.variants import sizes_for

from helpers import build_site, jsonld, meta, page
from image_helpers import add_post, fields, image_site, write_gif_animation, write_jpeg, write_jpeg_with_gps, write_png

LOADERS = {".avif": "heifload", ".webp": "webpload", ".jpg": "jpegload", ".png": "pngload"}


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own image cache, so encode counts are not shared with other tests."""
    folder = tmp_path / "image-cache"
    monkeypatch.setenv("DZENPRESS_IMAGE_CACHE", str(folder))
    return folder


@pytest.fixture
def encodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Variants encoded by each build, in order."""
    counts: list[int] = []
    original = images_api.encode

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        counts.append(result.encoded)
        return result

    monkeypatch.setattr(images_api, "encode", counting)
    return counts


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A cover 400×250 (JPEG), an inline 300×200 PNG with a good alt and a post without images."""
    root = image_site(tmp_path / "site")
    write_jpeg(root / "public/blog/spina/cover.jpg", 400, 250, seed=1)
    write_png(root / "public/blog/spina/img-0.png", 300, 200, seed=2)
    add_post(root, "spina", title="Боль в спине", cover="/blog/spina/cover.jpg",
             body="Текст.\n\n![Снимок позвоночника](/blog/spina/img-0.png)\n\nЕщё.")
    add_post(root, "bez-kartinok", title="Статья без картинок: как выбрать подушку и матрас при болях в шее")
    return root


def pictures(root: Path, rel: str) -> list[Any]:
    return page(root, rel).css("picture")


def test_variants_have_the_right_formats_and_sizes_never_upscaled(site: Path) -> None:
    build_site(site)
    dist = site / "dist"
    cover, inline = pictures(site, "blog/spina/index.html")
    seen = {}
    for picture, source_size in ((cover, (400, 250)), (inline, (300, 200))):
        for node in picture.css("source"):
            for item in node.attributes["srcset"].split(", "):
                url, width = item.split(" ")
                info = fields(dist / url.lstrip("/"))
                assert info["loader"] == {"image/avif": "heifload", "image/webp": "webpload"}[node.attributes["type"]]
                assert info["width"] == int(width.rstrip("w"))
                assert abs(info["height"] - info["width"] * source_size[1] / source_size[0]) <= 1
                seen.setdefault(picture is cover, set()).add(info["width"])
        img = picture.css_first("img")
        info = fields(dist / img.attributes["src"].lstrip("/"))
        assert info["loader"] == "jpegload"
    assert seen[True] == {200, 320, 400}  # 800 asked for, 400 is all there is
    assert seen[False] == {100, 200}
    card = page(site, "index.html").css_first(".card-image picture img")
    info = fields(dist / card.attributes["src"].lstrip("/"))
    assert (info["width"], info["height"]) == (160, 90)  # cards are cropped to 16:9


def test_picture_markup_is_valid_and_sized(site: Path) -> None:
    build_site(site)
    tree = page(site, "blog/spina/index.html")
    for picture in tree.css("picture"):
        children = [n.tag for n in picture.iter()]
        assert children == ["source", "source", "img"]
        assert [n.attributes["type"] for n in picture.css("source")] == ["image/avif", "image/webp"]
        assert all(n.attributes.get("sizes") for n in picture.css("source"))
        img = picture.css_first("img")
        assert int(img.attributes["width"]) > 0 and int(img.attributes["height"]) > 0
        assert "alt" in img.attributes
    cover = tree.css_first("figure.cover img")
    assert cover.attributes["alt"] == "Боль в спине"
    assert cover.attributes["loading"] == "eager" and cover.attributes["fetchpriority"] == "high"
    body = tree.css_first(".prose picture img")
    assert body.attributes["alt"] == "Снимок позвоночника"
    assert body.attributes["loading"] == "lazy" and "fetchpriority" not in body.attributes
    assert (body.attributes["width"], body.attributes["height"]) == ("200", "133")
    assert len(tree.css("[fetchpriority]")) == 1
    home = page(site, "index.html")
    first = home.css_first(".card-image img")
    assert first.attributes["loading"] == "eager"


def test_first_body_image_is_eager_without_a_cover(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    write_jpeg(root / "public/blog/a/img-0.jpg", 300, 200)
    write_jpeg(root / "public/blog/a/img-1.jpg", 300, 200, seed=5)
    add_post(root, "a", body="![Первый снимок](/blog/a/img-0.jpg)\n\n![Второй снимок](/blog/a/img-1.jpg)")
    build_site(root)
    first, second = page(root, "blog/a/index.html").css(".prose picture img")
    assert first.attributes["loading"] == "eager" and first.attributes["fetchpriority"] == "high"
    assert second.attributes["loading"] == "lazy" and "fetchpriority" not in second.attributes


def test_unchanged_images_are_never_encoded_twice(site: Path, own_cache: Path, encodes: list[int]) -> None:
    build_site(site)
    assert encodes[-1] > 0
    variants = sorted((site / "dist/_img").iterdir())
    build_site(site, clean=True)
    assert encodes[-1] == 0
    import shutil

    shutil.rmtree(site / "dist")
    shutil.rmtree(site / ".dzenpress")
    build_site(site)
    assert encodes[-1] == 0 and sorted((site / "dist/_img").iterdir()) == variants
    # another post with the same bytes under another name shares the encodes
    shutil.copy(site / "public/blog/spina/cover.jpg", site / "public/blog/spina/copy.jpg")
    add_post(site, "vtoraya", title="Вторая", cover="/blog/spina/copy.jpg")
    build_site(site)
    assert encodes[-1] == 0


def test_replacing_an_image_reencodes_only_it_and_rerenders_the_pages_that_show_it(site: Path, own_cache: Path,
                                                                                   encodes: list[int]) -> None:
    build_site(site)
    old = {p.name for p in (site / "dist/_img").iterdir()}
    write_png(site / "public/blog/spina/img-0.png", 300, 200, seed=9)
    report = build_site(site)
    assert encodes[-1] == 2 * 2 + 1  # AVIF and WebP at 100 and 200 px, and the fallback JPEG
    pages = {p for p in report.written if p.endswith(".html")}
    assert pages == {"blog/spina/index.html"}
    new = {p.name for p in (site / "dist/_img").iterdir()}
    assert len(new - old) == len(old - new) == 5 and all(n.startswith("img-0-") for n in new - old)
    assert {f"_img/{n}" for n in old - new} <= set(report.removed)


def test_metadata_is_stripped_and_orientation_applied(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    src = write_jpeg_with_gps(root / "public/blog/gps/cover.jpg", 300, 200, orientation=6)
    assert "exif-ifd3-GPSLatitude" in fields(src)["fields"]
    add_post(root, "gps", cover="/blog/gps/cover.jpg")
    build_site(root)
    outputs = list((root / "dist/_img").iterdir())
    assert outputs
    for out in outputs:
        info = fields(out)
        assert not [f for f in info["fields"] if f.startswith(("exif", "xmp", "iptc", "icc"))], out.name
        if "-og-" not in out.name and "-card-" not in out.name:
            assert info["height"] > info["width"], out.name  # rotated upright: 200 wide, 300 high
    assert b"GPS" not in b"".join(p.read_bytes() for p in outputs)


BAD = {
    "zero-byte": (b"", "is empty"),
    "truncated": (None, "truncated"),
    "non-image": ("Это не картинка, а текст.\n".encode(), "is not an image"),
    "unsupported": (b"BM" + bytes(64), "BMP"),
    "corrupt": (b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, ""),
    "bomb": (None, "pixels, over the limit"),
}


def _write_bad(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data, _ = BAD[kind]
    if kind == "truncated":
        write_jpeg(path, 300, 200)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "bomb":
        write_png(path, 1200, 1000)
    else:
        assert data is not None
        path.write_bytes(data)


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_image_is_reported_with_post_and_file_and_the_build_goes_on(tmp_path: Path, kind: str) -> None:
    root = image_site(tmp_path / "site", "max_pixels = 1000000\n")
    _write_bad(root / "public/blog/a/img-0.jpg", kind)
    write_jpeg(root / "public/blog/a/img-1.jpg", 200, 100)
    post = add_post(root, "a", body="Текст.\n\n![Снимок](/blog/a/img-0.jpg)\n\n![Другой снимок](/blog/a/img-1.jpg)")
    report = build_site(root)
    problems = [w for w in report.warnings if "img-0.jpg" in w]
    assert len(problems) == 1
    assert problems[0].startswith(f"{post}:9: image /blog/a/img-0.jpg ")
    assert BAD[kind][1] in problems[0]
    assert "Traceback" not in problems[0] and "unable to call" not in problems[0]
    html = (root / "dist/blog/a/index.html").read_text(encoding="utf-8")
    assert 'src="/blog/a/img-0.jpg"' in html  # shown as it is
    assert html.count("<picture>") == 1  # the good image still gets its variants
    assert not [p for p in (root / "dist").rglob("*") if ".dzp-tmp-" in p.name]


@pytest.mark.parametrize("kind", ["truncated", "non-image"])
def test_bad_image_stops_the_build_when_configured(tmp_path: Path, kind: str) -> None:
    root = image_site(tmp_path / "site", 'on_error = "stop"\n')
    _write_bad(root / "public/blog/a/cover.jpg", kind)
    post = add_post(root, "a", cover="/blog/a/cover.jpg")
    with pytest.raises(DzenpressError) as caught:
        build_site(root)
    assert str(caught.value).startswith(f"{post}:5: cover: image /blog/a/cover.jpg ")
    assert not (root / "dist").exists()


def test_missing_image_is_an_error_naming_post_and_line(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    post = add_post(root, "a", body="Текст.\n\n![Снимок](/blog/a/net.jpg)")
    with pytest.raises(DzenpressError) as caught:
        build_site(root)
    assert f"{post}:9" in str(caught.value) and "/blog/a/net.jpg" in str(caught.value)


def test_animated_gif_and_svg_are_copied_as_they_are(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    gif = write_gif_animation(root / "public/blog/a/anim.gif")
    svg = root / "public/blog/a/schema.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="9" height="9"/></svg>')
    add_post(root, "a", body="![Анимация упражнения](/blog/a/anim.gif)\n\n![Схема позвоночника](/blog/a/schema.svg)")
    build_site(root)
    tree = page(root, "blog/a/index.html")
    assert not tree.css(".prose picture")
    imgs = {n.attributes["src"]: n.attributes for n in tree.css(".prose img")}
    assert imgs["/blog/a/anim.gif"]["width"] == "40" and imgs["/blog/a/schema.svg"]["width"] == "120"
    assert (root / "dist/blog/a/anim.gif").read_bytes() == gif.read_bytes()
    assert (root / "dist/blog/a/schema.svg").read_bytes() == svg.read_bytes()
    assert fields(root / "dist/blog/a/anim.gif")["fields"].count("n-pages") == 1
    import pyvips

    assert pyvips.Image.new_from_file(str(root / "dist/blog/a/anim.gif")).get("n-pages") == 3
    assert not [p for p in (root / "dist/_img").iterdir() if not p.name.startswith("og-")]


def test_open_graph_card_for_a_post_without_cover(site: Path) -> None:
    import pyvips

    build_site(site)
    tree = page(site, "blog/bez-kartinok/index.html")
    url = meta(tree, "og:image")
    assert url and url.startswith("https://blog.example/_img/og-") and url.endswith(".jpg")
    assert (meta(tree, "og:image:width"), meta(tree, "og:image:height")) == ("1200", "630")
    assert meta(tree, "twitter:image") == url and meta(tree, "twitter:card") == "summary_large_image"
    article = next(item for item in jsonld(tree) if item["@type"] == "BlogPosting")
    assert article["image"][0]["url"] == url
    card = pyvips.Image.new_from_file(str(site / "dist" / url.split("/", 3)[3]))
    assert (card.width, card.height) == (1200, 630)
    grey = card.colourspace("b-w")[0]
    assert grey.deviate() > 20  # text on a background, not a blank canvas
    dark = (grey < 100).avg() / 255  # share of pixels that are title ink
    assert 0.02 < dark < 0.5


def test_og_cards_off_shares_the_logo_and_makes_no_cards(site: Path) -> None:
    build_site(site)
    config = site / "dzenpress.toml"
    text = config.read_text(encoding="utf-8").replace("[site]\n", '[site]\nlogo = "/logo.png"\n', 1)
    config.write_text(text + "og_cards = false\n", encoding="utf-8")  # the last table is [images]
    build_site(site)
    tree = page(site, "blog/bez-kartinok/index.html")
    assert meta(tree, "og:image") == "https://blog.example/logo.png"
    assert meta(tree, "og:image:width") is None
    assert not list((site / "dist/_img").glob("og-*")), "the cards of the first build are removed"
    assert "/cover-og-1200-" in (meta(page(site, "blog/spina/index.html"), "og:image") or ""), "covers still crop"


@given(st.text(max_size=400) | st.sampled_from(["W" * 600, "Остеохондроз" * 40, " \u200b ", "<b>&amp;</b>", "\x000"]),
       st.text(max_size=80) | st.just("Клиника " * 400))
def test_open_graph_card_is_drawn_for_any_title(title: str, site_name: str) -> None:
    """Unbreakable words, markup, invisible-only or empty titles: still a 1200×630 card, never a Pango error."""
    import pyvips

    from dzenpress.images.og import encode_card, render_card

    card = render_card(site_name, title)
    assert (card.width, card.height, card.bands) == (1200, 630, 3)
    encoded = pyvips.Image.new_from_buffer(encode_card(site_name, title, 80), "")
    assert (encoded.width, encoded.height, encoded.bands) == (1200, 630, 3)


def test_open_graph_image_of_a_post_with_cover_is_a_1200x630_crop(site: Path) -> None:
    build_site(site)
    url = meta(page(site, "blog/spina/index.html"), "og:image")
    assert url and "/_img/cover-og-1200-" in url
    info = fields(site / "dist" / url.split("/", 3)[3])
    assert (info["loader"], info["width"], info["height"]) == ("jpegload", 1200, 630)


def test_meaningless_alt_text_is_reported(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    for n in range(5):
        write_jpeg(root / f"public/blog/a/img-{n}.jpg", 120, 80, seed=n)
    post = add_post(root, "a", body="![](/blog/a/img-0.jpg)\n\n![-2](/blog/a/img-1.jpg)\n\n"
                                    "![img-2.jpg](/blog/a/img-2.jpg)\n\n![17](/blog/a/img-3.jpg)\n\n"
                                    "![Упражнение «кошка»](/blog/a/img-4.jpg)")
    report = build_site(root)
    alts = [w for w in report.warnings if "alt text" in w]
    # an empty alt says "decorative" (as Lighthouse and `check` take it): only meaningless text is reported
    assert [w.split(": image")[0] for w in alts] == [f"{post}:{line}" for line in (9, 11, 13)]


@pytest.mark.parametrize(("alt", "bad"), [("", True), ("-2", True), ("17", True), ("IMG_0042.JPG", True),
                                          ("img-3", True), ("фото", True), ("Снимок МРТ", False),
                                          ("2 упражнения", False)])
def test_meaningless_alt(alt: str, bad: bool) -> None:
    assert meaningless_alt(alt) is bad


@given(st.integers(1, 5000), st.integers(1, 5000), st.sampled_from(["cover", "inline", "card"]))
def test_sizes_are_never_upscaled_and_keep_the_shape(width: int, height: int, role: str) -> None:
    sizes = sizes_for(role, ImageSettings(), width, height)
    assert sizes and sizes == sorted(set(sizes))
    for w, h in sizes:
        assert 1 <= w <= width and 1 <= h <= max(height, 1) + 1
        ratio = 16 / 9 if role == "card" else width / height
        assert abs(w / h - ratio) <= ratio * (1 / h + 1 / w) + 1e-9


def test_images_config_is_checked() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"site": {"url": "https://a.b", "name": "x"}, "images": {"formats": ["gif"]}})
    assert caught.value.field == "images.formats"
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"site": {"url": "https://a.b", "name": "x"}, "images": {"on_error": "ignore"}})
    assert caught.value.field == "images.on_error"


def test_the_font_is_shipped_with_its_licence() -> None:
    from dzenpress.images.og import FONT_FILE

    assert FONT_FILE.stat().st_size > 100_000
    assert (FONT_FILE.parent / "LICENSE-DejaVu.txt").is_file()
    assert os.path.commonpath([FONT_FILE, Path(images_api.__file__).parent.parent]) == str(
        Path(images_api.__file__).parent.parent)


def test_incremental_build_after_replacing_an_image_equals_a_clean_build(site: Path) -> None:
    from helpers import snapshot

    build_site(site)
    write_jpeg(site / "public/blog/spina/cover.jpg", 400, 250, seed=42)
    build_site(site)
    incremental = {k: v[1] for k, v in snapshot(site).items()}
    build_site(site, clean=True)
    assert {k: v[1] for k, v in snapshot(site).items()} == incremental


def test_replacing_an_image_beside_the_post_is_seen(tmp_path: Path) -> None:
    root = image_site(tmp_path / "site")
    write_jpeg(root / "content/posts/shema.jpg", 300, 200, seed=1)
    add_post(root, "a", body="![Схема упражнения](shema.jpg)")
    build_site(root)
    before = page(root, "blog/a/index.html").css_first(".prose img").attributes["src"]
    write_jpeg(root / "content/posts/shema.jpg", 300, 200, seed=2)
    report = build_site(root)
    after = page(root, "blog/a/index.html").css_first(".prose img").attributes["src"]
    assert "blog/a/index.html" in report.written and after != before


def test_image_cache_is_portable_to_another_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      encodes: list[int]) -> None:
    """CI restores `.dzenpress/` into a fresh clone: another path, every mtime new. Nothing is encoded again."""
    import os
    import shutil

    monkeypatch.delenv("DZENPRESS_IMAGE_CACHE", raising=False)
    first = image_site(tmp_path / "first")
    write_jpeg(first / "public/blog/spina/cover.jpg", 400, 250, seed=3)
    add_post(first, "spina", title="Боль в спине", cover="/blog/spina/cover.jpg")
    add_post(first, "bez-kartinok", title="Статья без картинок, у которой есть карточка")
    build_site(first)
    assert encodes[-1] > 0
    assert [p for p in (first / "dist/_img").iterdir() if p.name.startswith("og-")], "a generated card is among them"
    clone = tmp_path / "elsewhere" / "clone"
    shutil.copytree(first, clone, ignore=shutil.ignore_patterns("dist"))
    for path in clone.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    build_site(clone)
    assert encodes[-1] == 0
    assert sorted(p.name for p in (clone / "dist/_img").iterdir()) == sorted(
        p.name for p in (first / "dist/_img").iterdir())


@given(st.binary(min_size=64, max_size=64), st.sampled_from([(29, 35, 41), (15, 118, 110)]))
def test_card_text_palette_matches_a_blend_over_the_background(coverage: bytes, colour: tuple[int, int, int]) -> None:
    """The card colours text by table lookup; it must look as a blend of ink over the background does."""
    import pyvips

    from dzenpress.images.og import _BG, _ink

    mask = pyvips.Image.new_from_memory(coverage, 8, 8, 1, "uchar")
    canvas = pyvips.Image.black(8, 8, bands=3).new_from_image(list(_BG)).copy(interpretation="srgb")
    drawn = _ink(canvas, mask, colour, 0, 0)
    blended = mask.ifthenelse(list(colour), canvas, blend=True)
    assert (drawn.cast("int") - blended.cast("int")).abs().max() <= 1
