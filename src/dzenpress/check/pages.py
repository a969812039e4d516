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
from dzenpress.content.description import MAX_DESCRIPTION as DESCRIPTION_MAX
from dzenpress.images.report import meaningless_alt
from dzenpress.render.seo import TITLE_MAX

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


_HEAD_NODES = 'title, meta, link[href], script[type="application/ld+json"]'
_BODY_NODES = "[id], a[name], a[href], img, h1, source[srcset]"
_LINK_RELS = ("stylesheet", "icon", "prev", "next", "alternate")


@dataclass
class _Head:
    titles: list[str] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)  # name / property / http-equiv → contents
    canonicals: list[str] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)

    def first(self, key: str) -> str:
        return self.meta.get(key, [""])[0].strip()


def read_page(rel: str, text: str, files: SiteFiles) -> PageFacts:
    """Everything about one page, from two passes over its tree (selector queries each walk the whole tree)."""
    tree = LexborHTMLParser(text)
    facts = PageFacts(rel)
    head = _collect_head(tree, facts)
    facts.noindex = "noindex" in " ".join(head.meta.get("robots", [])).lower()
    facts.redirect = "refresh" in head.meta
    h1 = _collect_body(tree, facts)
    _head(tree, head, facts, files, h1)
    if not facts.redirect:
        _body(tree, head, h1, facts)
        _image_warnings(facts.images, facts)
    _jsonld(head.jsonld, facts)
    facts.links += [(url, "JSON-LD image") for url in facts.jsonld_images]
    facts.images = []  # nodes do not cross process boundaries
    return facts


def _collect_head(tree: LexborHTMLParser, facts: PageFacts) -> _Head:
    head = _Head()
    for node in tree.css(_HEAD_NODES):
        attrs = node.attributes
        tag = node.tag
        if tag == "title":
            head.titles.append(" ".join(node.text().split()))
        elif tag == "meta":
            key = attrs.get("name") or attrs.get("property") or attrs.get("http-equiv") or ""
            head.meta.setdefault(key.lower(), []).append(attrs.get("content") or "")
        elif tag == "link":
            kind = (attrs.get("rel") or "").lower()
            if kind == "canonical":
                head.canonicals.append((attrs.get("href") or "").strip())
            elif kind in _LINK_RELS:
                facts.links.append((attrs.get("href") or "", kind))
        else:
            head.jsonld.append(node.text())
    for key in ("og:image", "twitter:image"):
        if head.first(key):
            facts.links.append((head.first(key), key))
    return head


def _collect_body(tree: LexborHTMLParser, facts: PageFacts) -> list[str]:
    """Ids, links and images into `facts`; returns the texts of the <h1> elements."""
    h1: list[str] = []
    for node in tree.css(_BODY_NODES):
        attrs = node.attributes
        tag = node.tag
        for key in ("id", "name"):
            value = attrs.get(key)
            if value and (key == "id" or tag == "a"):
                facts.ids.add(value)
        if tag == "a" and "href" in attrs:
            facts.links.append((attrs.get("href") or "", "link"))
        elif tag == "img":
            facts.images.append(node)
            facts.links.append((attrs.get("src") or "", "img"))
            facts.links += [(e.split()[0], "srcset") for e in (attrs.get("srcset") or "").split(",") if e.strip()]
        elif tag == "source":
            facts.links += [(e.split()[0], "srcset") for e in (attrs.get("srcset") or "").split(",") if e.strip()]
        elif tag == "h1":
            h1.append(" ".join(node.text().split()))
    return h1


def _head(tree: LexborHTMLParser, head: _Head, facts: PageFacts, files: SiteFiles, h1: list[str]) -> None:
    html = tree.root
    if not facts.redirect and (html is None or not (html.attributes.get("lang") or "").strip()):
        facts.add("error", "lang", "<html> has no lang attribute")
    if len(head.titles) != 1:
        facts.add("error", "title-count", f"{len(head.titles)} <title> elements; a page needs exactly one")
    facts.title = head.titles[0] if head.titles else ""
    if head.titles and not facts.title:
        facts.add("error", "title-empty", "the <title> is empty")
    if facts.redirect:
        return
    if "viewport" not in head.meta:
        facts.add("error", "viewport", 'no <meta name="viewport">')
    facts.description = " ".join(head.first("description").split())
    if not facts.description:
        facts.add("error", "description-empty", "the meta description is missing or empty")
    elif any(p.lower() in facts.description.lower() for p in CHROME_PHRASES):
        facts.add("error", "description-chrome", f"the description holds Dzen page chrome: {facts.description!r}")
    elif _RAW_URL.search(facts.description):
        facts.add("error", "description-url", f"the description holds a raw URL: {facts.description!r}")
    _title_length(facts.title, h1, facts)
    if len(facts.description) > DESCRIPTION_MAX:
        facts.add("warning", "description-long",
                  f"description is {len(facts.description)} characters (> {DESCRIPTION_MAX})")
    _canonical(head.canonicals, facts, files)


def _title_length(title: str, h1: list[str], facts: PageFacts) -> None:
    """A title past TITLE_MAX is worth a warning when something was added to the page's headline (a site-name
    suffix, a page number): the build leaves the suffix out when it does not fit. A headline that long on
    its own is the author's wording, which search engines cut where they like."""
    if len(title) > TITLE_MAX and title not in h1:
        facts.add("warning", "title-long", f"title is {len(title)} characters (> {TITLE_MAX}) and adds to the "
                                           "page's headline; leave the addition out")


def _canonical(canonicals: list[str], facts: PageFacts, files: SiteFiles) -> None:
    if len(canonicals) != 1:
        facts.add("error", "canonical-count", f"{len(canonicals)} canonical links; a page needs exactly one")
        return
    href = canonicals[0]
    path = files.internal_path(href)
    if facts.rel == "404.html":
        return  # served at every missing URL: its canonical cannot be "its own URL"
    if path is None or files.resolve(path) != facts.rel:
        facts.add("error", "canonical-mismatch",
                  f"canonical {href!r} is not this page's URL ({files.url}{url_of(facts.rel)})")


def _body(tree: LexborHTMLParser, head: _Head, h1: list[str], facts: PageFacts) -> None:
    if len(h1) != 1:
        facts.add("error", "h1-count", f"{len(h1)} <h1> elements; a page needs exactly one")
    if facts.rel == "404.html" and not facts.noindex:
        facts.add("error", "404-indexable", '404.html has no <meta name="robots" content="noindex">')
    if head.first("og:type") == "article":
        article = tree.css_first("article") or tree.css_first("main") or tree.body
        words = len(article.text(separator=" ").split()) if article else 0
        if words < SHORT_ARTICLE_WORDS:
            facts.add("warning", "short-article", f"a very short article ({words} words)")


def _image_warnings(images: list[LexborNode], facts: PageFacts) -> None:
    """One warning per page and problem, naming the first images."""
    no_alt = [i.attributes.get("src") or "" for i in images if "alt" not in i.attributes
              or ((i.attributes.get("alt") or "").strip() and meaningless_alt(i.attributes.get("alt") or ""))]
    no_size = [i.attributes.get("src") or "" for i in images
               if not i.attributes.get("width") or not i.attributes.get("height")]
    for code, srcs, what in (("img-alt", no_alt, "no alt attribute, or a meaningless one (a number, a file name)"),
                             ("img-size", no_size, "no width/height (the layout shifts as they load)")):
        if srcs:
            more = f" and {len(srcs) - 3} more" if len(srcs) > 3 else ""
            facts.add("warning", code, f"{len(srcs)} image(s) with {what}: {', '.join(srcs[:3])}{more}")


def _jsonld(blocks: list[str], facts: PageFacts) -> None:
    for n, block in enumerate(blocks, 1):
        try:
            data = json.loads(block)
        except ValueError as exc:
            facts.add("error", "jsonld-invalid", f"JSON-LD block {n} is not valid JSON: {exc}")
            continue
        if not isinstance(data, dict | list) or not _has_types(data):
            facts.add("error", "jsonld-invalid", f"JSON-LD block {n} has no @type")
            continue
        if not all(isinstance(d, dict) and "@context" in d for d in (data if isinstance(data, list) else [data])):
            facts.add("error", "jsonld-invalid", f"JSON-LD block {n} has no @context")
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
