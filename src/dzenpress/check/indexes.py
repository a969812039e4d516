"""Site-wide files: sitemap.xml against the pages, robots.txt, and the RSS, Atom and Dzen feeds."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from selectolax.lexbor import LexborHTMLParser

from dzenpress.check.model import SITE, Finding
from dzenpress.check.pages import PageFacts
from dzenpress.check.site import SiteFiles
from dzenpress.config import DZEN_CATEGORIES
from dzenpress.render.dzenrss import ALLOWED_TAGS

_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_MEDIA = "{http://search.yahoo.com/mrss/}rating"
_FEEDS = ("rss.xml", "atom.xml", "rss-dzen.xml")


def _err(code: str, message: str, page: str = SITE) -> Finding:
    return Finding(page, "error", code, message)


def _parse(files: SiteFiles, rel: str) -> ET.Element | Finding:
    try:
        return ET.parse(files.out_dir / rel).getroot()  # noqa: S314 - the site's own output
    except ET.ParseError as exc:
        return _err("xml-invalid", f"{rel} is not well-formed XML: {exc}")
    except OSError as exc:
        return _err("xml-invalid", f"{rel} cannot be read: {exc.strerror}")


def check_sitemap(files: SiteFiles, pages: dict[str, PageFacts]) -> list[Finding]:
    if "sitemap.xml" not in files.files:
        return [_err("sitemap-missing", "there is no sitemap.xml")]
    root = _parse(files, "sitemap.xml")
    if isinstance(root, Finding):
        return [root]
    found: list[Finding] = []
    listed: set[str] = set()
    for loc in root.iter(f"{_SM}loc"):
        url = (loc.text or "").strip()
        path = files.internal_path(url)
        target = files.resolve(path) if path is not None else None
        if target is None:
            found.append(_err("sitemap-broken", f"sitemap.xml lists {url}, which is not a page of this site"))
        elif target in listed:
            found.append(_err("sitemap-duplicate", f"sitemap.xml lists this page twice ({url})", target))
        else:
            listed.add(target)
            facts = pages.get(target)
            if facts is not None and (facts.noindex or facts.redirect):
                found.append(_err("sitemap-noindex", f"sitemap.xml lists this noindex page ({url})", target))
    for rel, facts in pages.items():
        if rel not in listed and not facts.noindex and not facts.redirect and rel != "404.html":
            found.append(_err("sitemap-unlisted", "an indexable page that sitemap.xml does not list", rel))
    return found


def check_robots(files: SiteFiles) -> list[Finding]:
    if "robots.txt" not in files.files:
        return [_err("robots-missing", "there is no robots.txt")]
    text = (files.out_dir / "robots.txt").read_text(encoding="utf-8", errors="replace")
    sitemaps = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("sitemap:")]
    if not sitemaps:
        return [_err("robots-sitemap", "robots.txt has no Sitemap: line")]
    return []


def check_feeds(files: SiteFiles) -> list[Finding]:
    found: list[Finding] = []
    for rel in _FEEDS:
        if rel not in files.files:
            continue
        root = _parse(files, rel)
        if isinstance(root, Finding):
            found.append(root)
        elif rel == "atom.xml":
            found += _atom(root, files)
        else:
            found += _rss(root, rel, files, dzen=rel == "rss-dzen.xml")
    return found


def _rss(root: ET.Element, rel: str, files: SiteFiles, dzen: bool) -> list[Finding]:
    channel = root.find("channel")
    if root.tag != "rss" or root.get("version") != "2.0" or channel is None:
        return [_err("feed-invalid", f"{rel} is not RSS 2.0 (<rss version=\"2.0\"><channel>)")]
    found = [_err("feed-invalid", f"{rel}: the channel has no <{tag}>") for tag in ("title", "link", "description")
             if not (channel.findtext(tag) or "").strip() and not (dzen and tag == "description")]
    if dzen and not (channel.findtext("language") or "").strip():
        found.append(_err("feed-invalid", f"{rel}: the channel has no <language>"))
    for n, item in enumerate(channel.findall("item"), 1):
        where = f"{rel} item {n} ({(item.findtext('link') or '').strip() or 'no link'})"
        missing = [t for t in ("title", "link", "guid", "pubDate") if not (item.findtext(t) or "").strip()]
        if missing:
            found.append(_err("feed-invalid", f"{where} has no {', '.join(missing)}"))
        try:
            parsedate_to_datetime(item.findtext("pubDate") or "")
        except (TypeError, ValueError):
            found.append(_err("feed-invalid", f"{where}: pubDate is not an RFC 822 date"))
        found += _target(files, (item.findtext("link") or "").strip(), where)
        if dzen:
            found += _dzen_item(item, where)
    return found


def _dzen_item(item: ET.Element, where: str) -> list[Finding]:
    found: list[Finding] = []
    guid = item.find("guid")
    if guid is not None and guid.get("isPermaLink") != "false":
        found.append(_err("dzen-feed", f'{where}: guid must have isPermaLink="false"'))
    if (item.findtext(_MEDIA) or "").strip() not in ("nonadult", "adult"):
        found.append(_err("dzen-feed", f"{where}: no media:rating"))
    for category in item.findall("category"):
        if (category.text or "").strip() not in DZEN_CATEGORIES:
            found.append(_err("dzen-feed", f"{where}: category {category.text!r} is not one Dzen accepts"))
    for enclosure in item.findall("enclosure"):
        if enclosure.get("type") not in ("image/jpeg", "image/png", "image/gif"):
            found.append(_err("dzen-feed", f"{where}: enclosure type {enclosure.get('type')!r} is not JPEG/PNG/GIF"))
    content = item.findtext(_CONTENT)
    if not (content or "").strip():
        return [*found, _err("dzen-feed", f"{where}: no content:encoded")]
    tree = LexborHTMLParser(f"<body>{content}</body>")
    body = tree.body
    tags = {n.tag or "" for n in body.traverse()} if body else set()
    extra = sorted(t for t in tags if t not in ALLOWED_TAGS and t != "body" and not t.startswith("-"))
    if extra:
        found.append(_err("dzen-feed", f"{where}: content:encoded uses tags Dzen rejects: {', '.join(extra)}"))
    for node in tree.css("[src], [href]"):
        for attr in ("src", "href"):
            value = node.attributes.get(attr)
            if value is not None and urlsplit(value).scheme not in ("http", "https", "mailto", "tel"):
                found.append(_err("dzen-feed", f"{where}: {attr}={value!r} is not an absolute URL"))
    return found


def _target(files: SiteFiles, url: str, where: str) -> list[Finding]:
    """A feed entry must link to a page of this site that exists."""
    path = files.internal_path(url) if url else None
    if url and (path is None or files.resolve(path) is None):
        return [_err("feed-link", f"{where} links to {url}, which is not a page of this site")]
    return []


def _atom(root: ET.Element, files: SiteFiles) -> list[Finding]:
    if root.tag != f"{_ATOM}feed":
        return [_err("feed-invalid", "atom.xml is not an Atom feed")]
    found = [_err("feed-invalid", f"atom.xml: the feed has no <{t}>") for t in ("id", "title", "updated")
             if not (root.findtext(f"{_ATOM}{t}") or "").strip()]
    for n, entry in enumerate(root.findall(f"{_ATOM}entry"), 1):
        missing = [t for t in ("id", "title", "updated") if not (entry.findtext(f"{_ATOM}{t}") or "").strip()]
        if missing:
            found.append(_err("feed-invalid", f"atom.xml entry {n} has no {', '.join(missing)}"))
        link = entry.find(f"{_ATOM}link[@rel='alternate']")
        found += _target(files, (link.get("href") or "").strip() if link is not None else "", f"atom.xml entry {n}")
    return found
