"""Links and images of one page: every internal target must exist; no Dzen redirect or channel links."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from dzenpress.check.pages import PageFacts
from dzenpress.check.site import SiteFiles, url_of
from dzenpress.dzen.urls import is_dzen_host, parse_article, parse_channel

_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "sms:")
_IMAGE_KINDS = ("img", "srcset", "og:image", "twitter:image", "JSON-LD image", "icon")


@dataclass
class LinkResult:
    anchors: list[tuple[str, str, str]] = field(default_factory=list)  # (target page, fragment, href)
    external: list[str] = field(default_factory=list)
    checked: int = 0


def check_links(facts: PageFacts, files: SiteFiles, cache: dict[tuple[str, bool], str | None]) -> LinkResult:
    """Check every link of a page; `cache` maps a site-absolute href to its target file (shared per worker)."""
    result = LinkResult()
    base = files.url + url_of(facts.rel)
    seen: set[tuple[str, str]] = set()
    for written, kind in facts.links:
        href = written.strip()
        if not href or (href, kind) in seen or href.lower().startswith(_SKIP_SCHEMES):
            continue
        seen.add((href, kind))
        result.checked += 1
        if href.startswith("#"):
            if kind == "link" and len(href) > 1 and unquote(href[1:]) not in facts.ids:
                facts.add("error", "broken-anchor", f"link {href} points to no id on this page")
            continue
        if href.lower().startswith("javascript:"):
            facts.add("error", "javascript-link", f"a javascript: link ({href[:60]})")
            continue
        _one(href, kind, base, facts, files, cache, result)
    return result


def _one(href: str, kind: str, base: str, facts: PageFacts, files: SiteFiles, cache: dict[tuple[str, bool], str | None],
         result: LinkResult) -> None:
    path, _, fragment = href.partition("#")
    if path.startswith(files.url + "/"):
        path = path[len(files.url) :]
    if path.startswith("/") and not path.startswith("//"):  # the common case, without urlsplit's cost
        key = path.partition("?")[0]
    else:
        url = urljoin(base, path)
        parts = urlsplit(url)
        if (parts.hostname or "").lower() != files.host:
            if parts.scheme in ("http", "https"):
                _outbound(url, kind, facts, result)
            return
        key = parts.path or "/"
    redirects = kind not in _IMAGE_KINDS
    if (key, redirects) not in cache:
        cache[key, redirects] = files.resolve(key, redirects=redirects)
    target = cache[key, redirects]
    if target is None:
        what = "image" if kind in _IMAGE_KINDS else "link"
        facts.add("error", f"missing-{what}", f"{kind} {href} points to nothing in the output")
    elif fragment and kind == "link":
        result.anchors.append((target, unquote(fragment), href))


def _outbound(url: str, kind: str, facts: PageFacts, result: LinkResult) -> None:
    parts = urlsplit(url)
    if is_dzen_host(parts.netloc):
        if parts.path.rstrip("/").endswith("/away"):
            facts.add("error", "dzen-away", f"a Dzen redirect link ({url[:100]}); link to the target itself")
            return
        if parse_article(url) is None and parse_channel(url) is not None:
            facts.add("error", "dzen-channel", f"a link to a Dzen channel page ({url}), Dzen's chrome, not content")
            return
    if kind == "link":
        result.external.append(url.split("#", 1)[0])
