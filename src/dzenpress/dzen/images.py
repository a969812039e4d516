"""Article images: fetched at the largest size the CDN gives, format sniffed from the bytes."""

from __future__ import annotations

import re

import pyvips

from dzenpress.dzen.client import DzenClient, FetchError

_SIZE = re.compile(r"/(?:orig|optimize|scale_\d+|smart_crop_\d+x\d+|\d+x\d+(?:_2x)?|xh|xxh|xxxl)$")
_CDN_PATH = ("dzeninfra.ru/get-", "mds.yandex.net/get-")
_UNSAFE_URL = re.compile(r"[\x00-\x20\x7f-\x9f()<>\"'\\\ufffd]")


def safe_url(url: str) -> str:
    """A URL as a Markdown link target and a request: spaces, control characters, brackets and quotes
    percent-encoded (a NUL in an image's name leaves a link that fails to fetch, not an article that fails)."""
    return _UNSAFE_URL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _with_size(url: str, size: str) -> str:
    """A CDN image URL with its size segment (the last path segment) set to `size`."""
    return _SIZE.sub(f"/{size}", url) if _SIZE.search(url) else url.rstrip("/") + f"/{size}"


def largest(url: str) -> str:
    """The CDN URL of an image's largest size: the size segment swapped for `orig`."""
    url = ("https:" + url if url.startswith("//") else url).split("?", 1)[0]
    return _with_size(url, "orig") if any(p in url for p in _CDN_PATH) else url


def sniff(data: bytes) -> str | None:
    """File extension from magic numbers; None if these bytes are not an image we keep."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "avif"
    return None


def decodes(data: bytes) -> bool:
    """Whether the whole image decodes (a truncated file with a matching Content-Length does not). A large
    one goes through a small thumbnail: every byte is still read, but JPEG and WebP decode at reduced scale."""
    try:
        image = pyvips.Image.new_from_buffer(data, "", fail_on="truncated", access="sequential")
        if image.width * image.height > 1_000_000:
            image = pyvips.Image.thumbnail_buffer(data, 32, option_string="fail_on=truncated")
        image.avg()
    except pyvips.Error:
        return False
    return True


def check_image(data: bytes, where: str) -> str:
    """The extension of these image bytes; FetchError if they are not an image we keep or do not decode."""
    ext = sniff(data)
    if ext is None:
        raise FetchError("not an image (jpeg, png, webp, gif or avif)", path=where)
    if not decodes(data):
        raise FetchError("the image is damaged or cut short: it does not decode", path=where)
    return ext


def fetch_largest(client: DzenClient, url: str) -> tuple[bytes, str]:
    """(bytes, extension) of `url` at `orig`, else `scale_2400`, else as given."""
    candidates = [url]
    if any(p in url for p in _CDN_PATH):
        candidates = [_with_size(url, "orig"), _with_size(url, "scale_2400"), url]
    for candidate in dict.fromkeys(candidates):
        data = client.image(candidate)
        if data is None:
            continue
        if sniff(data) is None:
            raise FetchError("the CDN answered with something that is not an image", path=candidate)
        return data, check_image(data, candidate)
    raise FetchError("the CDN has no such image (404 at every size)", path=url)
