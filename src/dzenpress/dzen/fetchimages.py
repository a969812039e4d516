"""An article's images for import: the files a saved page kept next to it first, the CDN for the rest;
every image decoded before it is kept; a CDN that cannot be reached is given up on once, not per image."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import httpx

from dzenpress.dzen.client import DzenClient, HostDown
from dzenpress.dzen.images import check_image, fetch_largest
from dzenpress.dzen.page import Article
from dzenpress.errors import DzenpressError


@dataclass
class Fetched:
    url: str
    name: str  # file name in the post's folder: img-<n>.<ext> or cover.<ext>
    data: bytes


@dataclass
class ImageResult:
    files: list[Fetched] = field(default_factory=list)
    missing: int = 0  # images kept as remote links
    unreachable: Counter[str] = field(default_factory=Counter)  # host → images not asked for
    warnings: list[str] = field(default_factory=list)


def wanted(article: Article) -> list[tuple[str, str]]:
    """(stem, url) for each distinct body image, then the cover unless it is one of them (fetched once)."""
    body = list(dict.fromkeys(article.images))
    items = [(f"img-{n}", url) for n, url in enumerate(body)]
    if article.cover and article.cover not in body:
        items.insert(0, ("cover", article.cover))
    return items


def fetch_images(client: DzenClient, article: Article) -> ImageResult:
    result = ImageResult()
    for stem, url in wanted(article):
        got = _local(article, url, result) or _remote(client, url, result)
        if got is None:
            result.missing += 1
            continue
        data, ext = got
        result.files.append(Fetched(url, f"{stem}.{ext}", data))
    return result


def _local(article: Article, url: str, result: ImageResult) -> tuple[bytes, str] | None:
    path = article.local_images.get(url)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        return data, check_image(data, str(path))
    except OSError as exc:
        result.warnings.append(f"saved image {path}: {exc.strerror} (fetched from the CDN instead)")
    except DzenpressError as exc:
        result.warnings.append(f"saved image {path}: {exc.message} (fetched from the CDN instead)")
    return None


def _remote(client: DzenClient, url: str, result: ImageResult) -> tuple[bytes, str] | None:
    try:
        return fetch_largest(client, url)
    except HostDown as exc:
        result.unreachable[exc.host] += 1
    except DzenpressError as exc:
        result.warnings.append(f"image {url}: {exc.message} (kept as a remote link)")
    except (httpx.InvalidURL, ValueError) as exc:  # an address no request can carry: that image alone is left
        result.warnings.append(f"image {url!r}: not a valid address ({exc}) (kept as a remote link)")
    return None
