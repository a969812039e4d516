"""`dzenpress check`: audit a built site the way a search engine and Dzen will see it.

pages.py reads one page (head, H1, JSON-LD), links.py checks its links and images, indexes.py the sitemap,
robots.txt and feeds, external.py outbound links. Pages are audited in parallel; cross-page checks
(anchors in other pages, duplicates, the sitemap) run once all pages are read.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from dzenpress.check.indexes import check_feeds, check_robots, check_sitemap
from dzenpress.check.links import LinkResult, check_links
from dzenpress.check.model import CheckReport, Finding
from dzenpress.check.pages import PageFacts, read_page
from dzenpress.check.site import SiteFiles
from dzenpress.config import CONFIG_NAME, load_config
from dzenpress.errors import DzenpressError
from dzenpress.hints import placeholder_url
from dzenpress.parallel import map_shared
from dzenpress.render.sitemap import VERIFICATION_FILE
from dzenpress.settings import STATE_DIR

__all__ = ["CheckReport", "Finding", "check_site"]

_PARALLEL_MIN = 400


def check_site(path: Path | str, *, url: str | None = None, external: bool = False,
               external_limit: int = 500, concurrency: int = 8, delay: float = 0.5,
               timeout: float = 10.0, log: Callable[[str], None] | None = None) -> CheckReport:
    """Audit the site in `path` (a site folder, or an output folder with `url`). Never raises on findings.
    `log` gets progress lines while external links are asked."""
    started = time.perf_counter()
    out_dir, base_url, cache_file = _locate(Path(path), url)
    files = SiteFiles.scan(out_dir, base_url)
    report = CheckReport()
    html = sorted(rel for rel in files.files if rel.endswith(".html")
                  and not VERIFICATION_FILE.fullmatch(rel.rsplit("/", 1)[-1]))
    pages: dict[str, PageFacts] = {}
    anchors: list[tuple[str, str, str, str]] = []
    outbound: dict[str, list[str]] = {}
    for rel, (facts, links) in map_shared(_audit_chunk, files, html, min_items=_PARALLEL_MIN):
        pages[rel] = facts
        report.links_checked += links.checked
        anchors += [(rel, *a) for a in links.anchors]
        for target in links.external:
            outbound.setdefault(target, []).append(rel)
    for rel, target, fragment, href in anchors:
        linked = pages.get(target)
        if linked is not None and fragment not in linked.ids:
            pages[rel].add("error", "broken-anchor", f"link {href}: {target} has no id {fragment!r}")
    for facts in pages.values():
        report.findings += facts.findings
    report.findings += _duplicates(pages)
    report.findings += check_sitemap(files, pages) + check_robots(files) + check_feeds(files)
    if external:
        from dzenpress.check.external import check_external

        report.findings += check_external(outbound, cache_file, limit=external_limit,
                                          concurrency=concurrency, delay=delay, timeout=timeout, log=log)
    report.pages = len(pages)
    report.notes = [note for note in [placeholder_url(base_url)] if note]
    report.seconds = time.perf_counter() - started
    return report


def _locate(path: Path, url: str | None) -> tuple[Path, str, Path | None]:
    """(output folder, site URL, the external-link cache) from a site folder or an output folder."""
    if (path / CONFIG_NAME).is_file():
        config = load_config(path)
        out_dir = path / config.paths.output
        if not (out_dir / "index.html").is_file():
            raise DzenpressError("is not built yet: run `dzenpress build` first", path=out_dir)
        return out_dir, url or config.url, path / STATE_DIR / "links.json"
    if not (path / "index.html").is_file():
        raise DzenpressError(f"holds neither {CONFIG_NAME} nor a built site (index.html)", path=path)
    if url is None:
        node = LexborHTMLParser((path / "index.html").read_text(encoding="utf-8", errors="replace")).css_first(
            'link[rel="canonical"]')
        url = (node.attributes.get("href") or "") if node else ""
        if not url.startswith(("http://", "https://")):
            raise DzenpressError("has no canonical URL on index.html; pass --url https://your.site", path=path)
    return path, url.rstrip("/"), None  # nothing is written into an output folder that gets deployed


def _audit_chunk(files: SiteFiles, rels: list[str]) -> list[tuple[PageFacts, LinkResult]]:
    cache: dict[tuple[str, bool], str | None] = {}
    results = []
    for rel in rels:
        text = (files.out_dir / rel).read_text(encoding="utf-8", errors="replace")
        facts = read_page(rel, text, files)
        results.append((facts, check_links(facts, files, cache)))
        facts.links = []  # not needed once checked: keep what crosses back from workers small
    return results


def _duplicates(pages: dict[str, PageFacts]) -> list[Finding]:
    found: list[Finding] = []
    for attr in ("title", "description"):
        first: dict[str, str] = {}
        for rel, facts in pages.items():
            value = getattr(facts, attr)
            if not value or facts.noindex or facts.redirect:
                continue
            if value in first:
                found.append(Finding(rel, "warning", f"duplicate-{attr}", f"same {attr} as {first[value]}"))
            else:
                first[value] = rel
    return found
