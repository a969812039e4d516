"""Markdown → safe HTML: cmark-gfm (native) renders; nh3 sanitises whenever raw HTML could be present."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

from dzenpress import cmark
from dzenpress.content.slug import slugify

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "picture", "pre", "q", "s", "small", "source", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "video",
}
_ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "video": {"src", "controls", "poster", "width", "height", "preload"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
}
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_FIRST_H1 = re.compile(r"\s*<h1>(.*?)</h1>\n?", re.S)
_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r'<a href="(https?://[^"]+)"')
_IMG = re.compile(r"<img (?![^>]*\bloading=)")
_LAZY = '<img loading="lazy" decoding="async" '
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_IMG_ATTR = re.compile(r'\b(src|alt)="([^"]*)"')

Pictures = Callable[[str, str, int], "str | None"]  # (src, alt, n-th image of the body) → markup or None


def render(markdown: str | bytes, *, title: str = "", site_host: str = "", pictures: Pictures | None = None) -> str:
    """Render a post body (text, or the UTF-8 bytes of the file, which is what cmark reads). The page title is
    the only H1: a body H1 repeating it is dropped, others demoted."""
    source = markdown.encode() if isinstance(markdown, str) else markdown
    # Without "<" there is no raw HTML, and cmark's safe mode already drops javascript:/vbscript:/data: links.
    if b"<" in source:
        out = cmark.html(source, cmark.UNSAFE)
        if out.count("<") > _MAX_DEPTH:
            out = _limit_depth(out)
        out = nh3.clean(out, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, link_rel=None,
                        url_schemes={"http", "https", "mailto", "tel"}, strip_comments=True)
    else:
        out = cmark.html(source, cmark.SAFE)
    # each pass scans the whole page: skip the ones whose tag is not there at all
    if "<h1" in out:
        out = _drop_title_h1(out, title)
    if "<h" in out:
        out = _heading_ids(out)
    if 'href="http' in out:
        out = _LINK.sub(lambda m: _external(m, site_host), out)
    if pictures is not None and "<img " in out and "<picture" not in out:
        out = _pictures(out, pictures)
    if "<img " in out:  # where no tag says `loading=`, every <img gets the attributes: one replace does it
        out = out.replace("<img ", _LAZY) if "loading=" not in out else _IMG.sub(_LAZY, out)
    if "<table>" in out:
        out = _TABLE.sub(r'<div class="table-wrap"><table>\1</table></div>', out)
    return str(out)



_MAX_DEPTH = 256  # nesting of raw HTML: deeper is not an article (the sanitiser's time grows with depth²)
_ANY_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _limit_depth(out: str) -> str:
    """Tags nested deeper than _MAX_DEPTH are shown as text instead."""
    depth = 0

    def tag(m: re.Match[str]) -> str:
        nonlocal depth
        if m.group(1):
            depth = max(0, depth - 1)
        elif m.group(3) or m.group(2).lower() in _VOID:
            return m.group(0)
        else:
            depth += 1
            if depth > _MAX_DEPTH:
                return html.escape(m.group(0))
        return m.group(0)

    return _ANY_TAG.sub(tag, out)
def _pictures(out: str, pictures: Pictures) -> str:
    """Each <img> the image plan knows becomes its responsive <picture>."""
    count = iter(range(1 << 30))

    def replace(m: re.Match[str]) -> str:
        attrs = dict(_IMG_ATTR.findall(m.group(0)))
        n = next(count)
        made = pictures(html.unescape(attrs.get("src", "")), html.unescape(attrs.get("alt", "")), n)
        return made if made is not None else m.group(0)

    return _IMG_TAG.sub(replace, out)


def _drop_title_h1(out: str, title: str) -> str:
    m = _FIRST_H1.match(out)
    if m and title and _squash(html.unescape(_TAG.sub("", m.group(1)))) == _squash(title):
        out = out[m.end():]
    return out.replace("<h1>", "<h2>").replace("</h1>", "</h2>").replace("<h1 ", "<h2 ")


def _heading_ids(out: str) -> str:
    used: set[str] = set()
    next_n: dict[str, int] = {}  # where the search for a free `base-n` resumes: linear in repeated headings

    def add_id(m: re.Match[str]) -> str:
        level, inner = m.group(1), m.group(2)
        base = slugify(html.unescape(_TAG.sub("", inner)), max_length=60) or f"h{level}"
        anchor, n = base, next_n.get(base, 2)
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        next_n[base] = n
        used.add(anchor)
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(add_id, out)


def _external(m: re.Match[str], site_host: str) -> str:
    href = m.group(1)
    host = href.split("/", 3)[2].lower()
    if site_host and (host == site_host or host.endswith("." + site_host)):
        return m.group(0)
    return f'<a rel="noopener" href="{href}"'


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())
