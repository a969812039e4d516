"""One HTML page on its own: head (title, description, canonical, lang, viewport, robots), H1, JSON-LD."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from dzenpress.check.model import Finding, Level
from dzenpress.check.site import SiteFiles, url_of
from dzenpress.chrome import CHROME_PHRASES

TITLE_MAX = 60
DESCRIPTION_MAX = 160
SHORT_ARTICLE_WORDS = 150
_RAW_URL = re.compile(r"https?://|www\.\w", re.I)


@dataclass
class PageFacts:
    """What later, site-wide checks need to know about a page."""

    rel: str
    findings: list[Finding] = field(default_factory=list)
    title: str = ""
    description: str = ""
    noindex: bool = False
    redirect: bool = False  # a meta-refresh alias page
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href as written, what it is: a, img, …)
    images: list[LexborNode] = field(repr=False, default_factory=list)
    jsonld_images: list[str] = field(default_factory=list)

    def add(self, level: Level, code: str, message: str) -> None:
        self.findings.append(Finding(self.rel, level, code, message))


def read_page(rel: str, text: str, files: SiteFiles) -> PageFacts:
    tree = LexborHTMLParser(text)
    facts = PageFacts(rel)
    robots = _meta(tree, "robots").lower()
    facts.noindex = "noindex" in robots
    facts.redirect = tree.css_first('meta[http-equiv="refresh" i]') is not None
    facts.ids = {v for n in tree.css("[id], a[name]") for v in (n.attributes.get("id"), n.attributes.get("name"))
                 if v}
    _head(tree, facts, files)
    if not facts.redirect:
        _body(tree, facts)
    _jsonld(tree, facts)
    for node in tree.css("a[href]"):
        facts.links.append((node.attributes.get("href") or "", "link"))
    for node in tree.css("link[href]"):
        rel_attr = (node.attributes.get("rel") or "").lower()
        if rel_attr in ("stylesheet", "icon", "prev", "next", "alternate"):
            facts.links.append((node.attributes.get("href") or "", rel_attr))
    for key in ("og:image", "twitter:image"):
        image = _meta(tree, key)
        if image:
            facts.links.append((image, key))
    facts.images = tree.css("img")
    for img in facts.images:
        src = img.attributes.get("src")
        facts.links.append((src or "", "img"))
        for entry in (img.attributes.get("srcset") or "").split(","):
            if entry.strip():
                facts.links.append((entry.split()[0], "srcset"))
    if not facts.redirect:
        _image_warnings(facts.images, facts)
    for source in tree.css("picture source[srcset]"):
        for entry in (source.attributes.get("srcset") or "").split(","):
            if entry.strip():
                facts.links.append((entry.split()[0], "srcset"))
    facts.links += [(url, "JSON-LD image") for url in facts.jsonld_images]
    facts.images = []  # nodes do not cross process boundaries
    return facts


def _meta(tree: LexborHTMLParser, key: str) -> str:
    node = tree.css_first(f'meta[name="{key}"], meta[property="{key}"]')
    return (node.attributes.get("content") or "").strip() if node else ""


def _head(tree: LexborHTMLParser, facts: PageFacts, files: SiteFiles) -> None:
    html = tree.css_first("html")
    if not facts.redirect and (html is None or not (html.attributes.get("lang") or "").strip()):
        facts.add("error", "lang", "<html> has no lang attribute")
    titles = tree.css("title")
    if len(titles) != 1:
        facts.add("error", "title-count", f"{len(titles)} <title> elements; a page needs exactly one")
    facts.title = " ".join(titles[0].text().split()) if titles else ""
    if titles and not facts.title:
        facts.add("error", "title-empty", "the <title> is empty")
    if facts.redirect:
        return
    if tree.css_first('meta[name="viewport"]') is None:
        facts.add("error", "viewport", 'no <meta name="viewport">')
    descriptions = tree.css('meta[name="description"]')
    facts.description = " ".join((descriptions[0].attributes.get("content") or "").split()) if descriptions else ""
    if not facts.description:
        facts.add("error", "description-empty", "the meta description is missing or empty")
    elif any(p.lower() in facts.description.lower() for p in CHROME_PHRASES):
        facts.add("error", "description-chrome", f"the description holds Dzen page chrome: {facts.description!r}")
    elif _RAW_URL.search(facts.description):
        facts.add("error", "description-url", f"the description holds a raw URL: {facts.description!r}")
    if len(facts.title) > TITLE_MAX:
        facts.add("warning", "title-long", f"title is {len(facts.title)} characters (> {TITLE_MAX})")
    if len(facts.description) > DESCRIPTION_MAX:
        facts.add("warning", "description-long",
                  f"description is {len(facts.description)} characters (> {DESCRIPTION_MAX})")
    _canonical(tree, facts, files)


def _canonical(tree: LexborHTMLParser, facts: PageFacts, files: SiteFiles) -> None:
    canonicals = tree.css('link[rel="canonical"]')
    if len(canonicals) != 1:
        facts.add("error", "canonical-count", f"{len(canonicals)} canonical links; a page needs exactly one")
        return
    href = (canonicals[0].attributes.get("href") or "").strip()
    path = files.internal_path(href)
    if facts.rel == "404.html":
        return  # served at every missing URL: its canonical cannot be "its own URL"
    if path is None or files.resolve(path) != facts.rel:
        facts.add("error", "canonical-mismatch",
                  f"canonical {href!r} is not this page's URL ({files.url}{url_of(facts.rel)})")


def _body(tree: LexborHTMLParser, facts: PageFacts) -> None:
    h1 = tree.css("h1")
    if len(h1) != 1:
        facts.add("error", "h1-count", f"{len(h1)} <h1> elements; a page needs exactly one")
    if facts.rel == "404.html" and not facts.noindex:
        facts.add("error", "404-indexable", '404.html has no <meta name="robots" content="noindex">')
    if _meta(tree, "og:type") == "article":
        article = tree.css_first("article") or tree.css_first("main") or tree.body
        words = len(article.text(separator=" ").split()) if article else 0
        if words < SHORT_ARTICLE_WORDS:
            facts.add("warning", "short-article", f"a very short article ({words} words)")


def _image_warnings(images: list[LexborNode], facts: PageFacts) -> None:
    """One warning per page and problem, naming the first images."""
    no_alt = [i.attributes.get("src") or "" for i in images if "alt" not in i.attributes]
    no_size = [i.attributes.get("src") or "" for i in images
               if not i.attributes.get("width") or not i.attributes.get("height")]
    for code, srcs, what in (("img-alt", no_alt, "no alt attribute"),
                             ("img-size", no_size, "no width/height (the layout shifts as they load)")):
        if srcs:
            more = f" and {len(srcs) - 3} more" if len(srcs) > 3 else ""
            facts.add("warning", code, f"{len(srcs)} image(s) with {what}: {', '.join(srcs[:3])}{more}")


def _jsonld(tree: LexborHTMLParser, facts: PageFacts) -> None:
    for n, node in enumerate(tree.css('script[type="application/ld+json"]'), 1):
        try:
            data = json.loads(node.text())
        except ValueError as exc:
            facts.add("error", "jsonld-invalid", f"JSON-LD block {n} is not valid JSON: {exc}")
            continue
        if not isinstance(data, dict | list) or not _has_types(data):
            facts.add("error", "jsonld-invalid", f"JSON-LD block {n} has no @type")
            continue
        facts.jsonld_images += _images_in(data)


def _has_types(data: Any) -> bool:
    items = data.get("@graph", [data]) if isinstance(data, dict) else data
    return bool(items) and all(isinstance(i, dict) and "@type" in i for i in items)


def _images_in(data: Any) -> list[str]:
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("image", "logo", "thumbnailUrl"):
                for v in value if isinstance(value, list) else [value]:
                    url = v.get("url") if isinstance(v, dict) else v
                    if isinstance(url, str):
                        found.append(url)
            found += _images_in(value)
    elif isinstance(data, list):
        for value in data:
            found += _images_in(value)
    return found
