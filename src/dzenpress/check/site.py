"""The built site as a static host sees it: which file answers a URL path, and which URL a file has."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dzenpress.fsio import scan_files


def _segments(url_path: str) -> list[str] | None:
    path = unquote(url_path)
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    return None if any(p in (".", "..") for p in parts) else parts


def static_file(out_dir: Path, url_path: str) -> Path | None:
    """The file a static host serves for `url_path` (no redirects): `/x/` → x/index.html, `/x` → x or x.html."""
    parts = _segments(url_path)
    if parts is None:
        return None
    base = out_dir.joinpath(*parts)
    if unquote(url_path).endswith("/"):
        candidate = base / "index.html"
    elif base.is_file():
        return base
    else:
        candidate = base.with_name(base.name + ".html")
    return candidate if candidate.is_file() else None


@dataclass
class SiteFiles:
    """Every file of the output folder, for lookups without touching the disk."""

    out_dir: Path
    url: str  # the site's base URL, no trailing slash
    files: set[str] = field(default_factory=set)  # output-relative paths with "/"

    @classmethod
    def scan(cls, out_dir: Path, url: str) -> SiteFiles:
        return cls(out_dir, url.rstrip("/"), {rel.lstrip("/") for rel, _ in scan_files(out_dir, published=True)})

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def resolve(self, url_path: str, *, redirects: bool = False) -> str | None:
        """The file answering `url_path`; with `redirects`, also `/dir` → `/dir/` and `/page/` → `/page`,
        the redirects static hosts (and `serve`) make."""
        parts = _segments(url_path)
        if parts is None:
            return None
        rel = "/".join(parts)
        if unquote(url_path).endswith("/") or not rel:
            index = f"{rel}/index.html" if rel else "index.html"
            if index in self.files:
                return index
            return rel + ".html" if redirects and rel and rel + ".html" in self.files else None
        if rel in self.files:
            return rel
        if rel + ".html" in self.files:
            return rel + ".html"
        if redirects and f"{rel}/index.html" in self.files:
            return f"{rel}/index.html"
        return None

    def internal_path(self, absolute: str) -> str | None:
        """The path of an absolute URL on this site, or None for another site."""
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() != self.host:
            return None
        return parts.path or "/"


def url_of(rel: str) -> str:
    """The URL path a page file is published at."""
    if rel == "index.html":
        return "/"
    if rel.endswith("/index.html"):
        return "/" + rel.removesuffix("index.html")
    return "/" + rel
