"""Article images: fetched at the largest size the CDN gives, format sniffed from the bytes."""

from __future__ import annotations

import re

from dzenpress.dzen.client import DzenClient, FetchError

_SIZE = re.compile(r"/(?:orig|scale_\d+|smart_crop_\d+x\d+)$")


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


def fetch_largest(client: DzenClient, url: str) -> tuple[bytes, str]:
    """(bytes, extension) of `url` at `orig`, else `scale_2400`, else as given."""
    candidates = [url]
    if _SIZE.search(url):
        candidates = [_SIZE.sub("/orig", url), _SIZE.sub("/scale_2400", url), url]
    for candidate in dict.fromkeys(candidates):
        data = client.image(candidate)
        if data is None:
            continue
        ext = sniff(data)
        if ext is None:
            raise FetchError("the CDN answered with something that is not an image", path=candidate)
        return data, ext
    raise FetchError("the CDN has no such image (404 at every size)", path=url)
