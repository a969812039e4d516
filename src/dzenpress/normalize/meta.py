"""Front matter of clipped and scraped pages brought to the post format (docs/post-format.md).

What the common tools write (their default templates):
- Obsidian Web Clipper: `title`, `source`, `author` as a list of `"[[Name]]"` wiki links, `published`
  (the page's date, often empty), `created` (the day of clipping), `description`, `tags: [clippings]`.
- MarkDownload: `created: 2024-01-02T10:11:12 (UTC +03:00)`, `tags: [keywords]`, `source`, `author`, no
  `title` (the body starts with `# Page title`, then a `> ## Excerpt` quote and a `---` line).
- Whole-page scrapers and SingleFile conversions: `url:` (sometimes a list), `date` in their own forms.
- Clips with no front matter at all: Jina Reader's header lines (`Title:`, `URL Source:`, `Published Time:`,
  then `Markdown Content:`), or a bare page whose first heading is its title: `lift` gives them one.

Only missing or unusable keys are written; every other key stays byte-identical. What cannot be settled
is a note with the file line of its key, never a silent change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dzenpress.content import frontmatter
from dzenpress.content.slug import slug_problem, slugify
from dzenpress.normalize.notes import Note

_DATE_KEYS = ("published", "date_published", "datePublished", "pubDate", "publish_date", "created", "date_created",
              "dateCreated", "clipped", "saved")
_CLIP_DATES = {"created", "date_created", "dateCreated", "clipped", "saved"}
_SOURCE_KEYS = ("url", "source_url", "original_url", "originalUrl", "link", "canonical", "canonical_url", "href")
_WIKI = re.compile(r"^\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]$")
_LOOSE_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?\s*"
                         r"(?:Z|\(?\s*(?:UTC|GMT)?\s*([+-]\d{1,2}:?\d{2})?\s*\)?)?\s*$", re.I)
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


_HEADER = re.compile(r"^(Title|URL Source|Published Time|Markdown Content):[ \t]*(.*?)[ \t]*$")
_HEADER_KEYS = {"Title": "title", "URL Source": "source", "Published Time": "published"}


def lift(text: str) -> str | None:
    """Front matter for a clip that has none (None when the file starts with one).

    Jina Reader's header lines become their keys and leave the body; a page that opens with a heading gets
    an empty front matter for `settle` to fill (the title from that heading; the rest it cannot settle is a
    note). Anything else is not taken for a clip: it stays an error naming the file.
    """
    if frontmatter.opens_front_matter(text):
        return None
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    front, at = "", 0
    while at < len(lines):
        line = lines[at]
        header = _HEADER.match(line.rstrip("\r\n"))
        if header is None and line.strip():
            break
        at += 1
        if header is None:
            continue
        name, value = header.groups()
        if name == "Markdown Content":
            break
        if value:
            front = frontmatter.set_key(front, _HEADER_KEYS[name], value)
    if not front:  # a bare page: a clip only when it opens with its title as a heading
        if not _HEADING.match(text.lstrip("\r\n").split("\n", 1)[0]):
            return None
        at = 0
    return f"---\n{front}---\n\n{''.join(lines[at:]).lstrip(chr(10))}"


@dataclass
class Settled:
    front: str
    fired: bool = False
    notes: list[Note] = field(default_factory=list)


def settle(front: str, meta: dict[str, Any], body: str, path: Path) -> Settled:
    result = Settled(front)
    _title(result, meta, body)
    _date(result, meta)
    _author(result, meta)
    _source(result, meta)
    _tags(result, meta)
    _slug(result, meta, path)
    return result


def _set(result: Settled, key: str, value: Any, after: str | None = None) -> None:
    result.front = frontmatter.set_key(result.front, key, value, after=after)
    result.fired = True


def _note(result: Settled, key: str | None, message: str) -> None:
    line = frontmatter.key_line(result.front, key) if key else None
    result.notes.append(Note(line or 1, "front matter", message))


def _title(result: Settled, meta: dict[str, Any], body: str) -> None:
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return
    if isinstance(title, int | float) and not isinstance(title, bool):
        _set(result, "title", str(title))
        return
    headings = sorted(_HEADING.finditer(body), key=lambda m: (len(m.group(1)), m.start()))
    if headings and len(headings[0].group(1)) == 1:
        text = re.sub(r"[*_`]+", "", headings[0].group(2)).strip()
        if "title" in meta:
            _set(result, "title", text)
        else:
            result.front = frontmatter.dump_value("title", text) + result.front
            result.fired = True
        return
    _note(result, "title" if "title" in meta else None,
          "no title: the page has no `title:` and its body no `# Title` line to take one from; add `title:`")


def loose_date(value: Any) -> str | None:
    """A date or date-time as the post format writes it ('YYYY-MM-DD' or ISO 8601), or None."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    m = _LOOSE_DATE.match(value)
    if not m:
        return None
    day, clock, offset = m.groups()
    try:
        date.fromisoformat(day)
        if not clock:
            return day
        text = f"{day}T{clock if clock.count(':') == 2 else clock + ':00'}"
        if offset:
            sign, digits = offset[0], offset[1:].replace(":", "").zfill(4)
            text += f"{sign}{digits[:2]}:{digits[2:]}"
        elif value.strip().upper().endswith("Z"):
            text += "+00:00"
        datetime.fromisoformat(text)
    except ValueError:
        return None
    return text


def _date(result: Settled, meta: dict[str, Any]) -> None:
    current = meta.get("date")
    if current not in (None, ""):
        if isinstance(current, date | datetime):
            return
        fixed = loose_date(current)
        if fixed is None:
            _note(result, "date", f"`date: {current}` is not a date (YYYY-MM-DD or ISO 8601); fix it by hand")
        elif str(current).strip() != fixed and _needs_rewrite(current):
            _set(result, "date", fixed)
        return
    for key in _DATE_KEYS:
        fixed = loose_date(meta.get(key))
        if fixed is None:
            continue
        _set(result, "date", fixed, after="title")
        if key in _CLIP_DATES:
            _note(result, "date", f"`date` taken from `{key}:` (when the page was saved, maybe not when it was "
                                  "published): check it")
        return
    _note(result, "date" if "date" in meta else None,
          "no date: none of `date`, `published` or `created` holds one; add `date: YYYY-MM-DD`")


def _needs_rewrite(value: Any) -> bool:
    try:
        datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return True
    return False


def _name(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    m = _WIKI.match(text)
    if m:
        text = (m.group(2) or m.group(1).rsplit("/", 1)[-1]).strip()
    return text or None


def _author(result: Settled, meta: dict[str, Any]) -> None:
    value = meta.get("author")
    if value is None or (isinstance(value, str) and not _WIKI.match(value.strip())):
        return
    items = value if isinstance(value, list) else [value]
    names = [_name(item) for item in items]
    if not all(names) and items:
        _note(result, "author", "`author` holds something that is not a name; write `author: Name`")
        return
    _set(result, "author", ", ".join(n for n in names if n) or "")


def _source(result: Settled, meta: dict[str, Any]) -> None:
    source = meta.get("source")
    if isinstance(source, str) and source.strip():
        return
    candidates = [meta.get(k) for k in ("source", *_SOURCE_KEYS)]
    for value in candidates:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.strip().startswith(("http://", "https://")):
                _set(result, "source", item.strip())
                return
    if source not in (None, ""):
        _note(result, "source", "`source` is not a URL; write the article's address")


def _tags(result: Settled, meta: dict[str, Any]) -> None:
    value = meta.get("tags")
    if value is None or (isinstance(value, str) and not value.strip().startswith("#")):
        return
    if isinstance(value, dict):
        _note(result, "tags", "`tags` is a mapping; write a list of strings")
        return
    flat: list[str] = []
    for item in _flatten(value):
        if isinstance(item, dict | bool) or item is None:
            continue
        text = str(item).strip()
        parts = re.split(r"[,\s]+", text) if text.startswith("#") else text.split(",")
        flat += [t.strip().lstrip("#").strip() for t in parts]
    tags = list(dict.fromkeys(t for t in flat if t))
    if tags != value:
        _set(result, "tags", tags)


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, list):
        return [x for item in value for x in _flatten(item)]
    return [value]


def _slug(result: Settled, meta: dict[str, Any], path: Path) -> None:
    if "slug" in meta or not slug_problem(path.stem):
        return
    title = meta.get("title") if isinstance(meta.get("title"), str) else path.stem
    suggestion = slugify(str(title)) or "post"
    _note(result, None, f"the file name {path.name!r} is not a slug ([a-z0-9-]); rename the file to "
                        f"{suggestion}.md (a slug is the post's address)")


RULE_SUMMARY = ("clipper front matter → the post format: `published`/`created` → `date`, `[[wiki link]]` authors → "
                "a name, `url` → `source`, a missing title from the `# heading`, tags as a list of strings")
