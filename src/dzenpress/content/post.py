"""The post model: one Markdown file with YAML front matter → a validated Post."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from dzenpress import routes
from dzenpress.content import frontmatter
from dzenpress.content.description import published_description
from dzenpress.content.slug import slug_problem, slugify
from dzenpress.errors import BuildError, DzenpressError, ErrorGroup, PostError
from dzenpress.fsio import link_outside
from dzenpress.hashing import digest
from dzenpress.safeurl import link_problem

KNOWN_KEYS = ("title", "slug", "date", "updated", "cover", "description", "excerpt", "source", "draft",
              "tags", "author", "reviewer", "aliases")
WORDS_PER_MINUTE = 180

# what may be published from beside a post as an image (anything else there stays private: drafts, notes)
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
_IMG_TAG = re.compile(r"<img\b", re.I)
_IMAGE_REF = re.compile(r"!\[[^\[\]]*\]\(\s*<?([^()\s<>]+)|<img\b[^<>]*?\bsrc=[\"']([^\"'<>]+)", re.I)


@dataclass
class Post:
    file: str  # the source file, as a string: cached posts unpickle thousands of these per build
    slug: str
    title: str
    date: datetime
    updated: datetime | None = None
    description: str = ""
    description_replaced: str | None = None  # why the front-matter description was not used
    cover: str | None = None  # a site path (/blog/<slug>/cover.jpg) or an absolute URL
    source: str | None = None
    draft: bool = False
    scheduled: bool = False  # dated after now: only a preview shows it (content/schedule.py), marked so
    tags: tuple[str, ...] = ()
    author: str | None = None
    reviewer: str | None = None
    aliases: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    images: tuple[str, ...] = ()  # site paths of local images the body uses
    assets: dict[str, str] = field(default_factory=dict)  # site path → file beside the post
    digest: str = ""
    words: int = 0
    body_line: int = 1
    body: str = field(default="", repr=False)

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def url_path(self) -> str:
        return routes.post(self.slug)

    @property
    def modified(self) -> datetime:
        return self.updated or self.date

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


def load_post(path: Path, tz: tzinfo, data: bytes | None = None) -> Post:
    """Read and validate one post. Raises PostError (or an ErrorGroup of them) naming file and line."""
    raw = path.read_bytes() if data is None else data
    doc = frontmatter.split(decode_post(raw, path), path)
    meta, problems = frontmatter.parse_all(doc.front, path)
    return _build(path, doc, meta, tz, digest(raw), problems)


def decode_post(raw: bytes, path: Path) -> str:
    """A post file's text; a binary or non-UTF-8 file is a PostError naming the file (and line)."""
    if b"\x00" in raw[:8192]:
        raise PostError("is a binary file, not a Markdown post", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PostError("is not valid UTF-8 text", path=path, line=raw[: exc.start].count(b"\n") + 1) from None


def _build(path: Path, doc: frontmatter.Document, meta: dict[str, Any], tz: tzinfo, digest: str,
           problems: list[PostError]) -> Post:
    """Every field checked, and every image the post uses: all problems are raised together."""
    errors: list[PostError] = list(problems)

    def fail(key: str, message: str) -> None:
        errors.append(PostError(message, path=path, line=frontmatter.key_line(doc.front, key) or 1, field=key))

    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", "is required and must be a non-empty string")
        title = ""
    slug = meta.get("slug", path.stem)
    problem = slug_problem(slug)
    if problem:
        fail("slug", problem)
    elif slug != path.stem:
        fail("slug", f"{slug!r} differs from the file name {path.name!r}; rename one to match the other")
    published = _parse_date(meta.get("date"), tz, "date", fail, required=True)
    updated = _parse_date(meta.get("updated"), tz, "updated", fail, required=False)
    tags = _tags(meta.get("tags"), fail)
    aliases = _string_list(meta.get("aliases"), "aliases", fail)
    for alias in aliases:
        try:
            routes.alias_route(alias)
        except ValueError as exc:  # what the site's cross-check would say, but now, with the other errors
            fail("aliases", f"alias {alias!r} {exc}")
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        fail("draft", "must be true or false")
    optional = {k: _optional_str(meta.get(k), k, fail) for k in ("cover", "source", "author", "reviewer")}
    for key in ("cover", "source"):
        problem = link_problem(optional[key] or "")
        if problem:
            fail(key, problem)
            optional[key] = None
    raw_description = meta.get("description", meta.get("excerpt"))
    if raw_description is not None and not isinstance(raw_description, str):
        fail("description", "must be a string")
        raw_description = None

    body = doc.body
    description, reason = published_description(raw_description, body, title) if not errors else ("", None)
    post = Post(
        file=str(path), slug=str(slug) if isinstance(slug, str) and slug else path.stem, title=title.strip(),
        date=published or datetime.now(tz), updated=updated,
        description=description, description_replaced=reason, source=optional["source"],
        draft=bool(draft), tags=tuple(tags), author=optional["author"], reviewer=optional["reviewer"],
        aliases=tuple(aliases), extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
        digest=digest, words=body.count(" ") + body.count("\n"), body_line=doc.body_line, body=body,
    )
    errors += _resolve_files(post, optional["cover"], doc)
    if errors:
        raise _group(sorted(errors, key=lambda e: e.line or 0))
    return post


def _resolve_files(post: Post, cover: str | None, doc: frontmatter.Document) -> list[PostError]:
    """Sort image references into site paths (checked later against public/) and files beside the post.

    A file beside the post is published only if it is a regular file in the post's folder tree, not a link
    that leads out of the site (README: Symlinks)."""
    errors: list[PostError] = []
    images: list[str] = []

    def resolve(ref: str, line: int, key: str | None) -> str | None:
        if ref.startswith(("http://", "https://", "data:", "//")):
            return None
        ref = ref.split("#", maxsplit=1)[0].split("?", maxsplit=1)[0]
        if ref.startswith("/"):
            return ref
        rel = PurePosixPath(ref)
        folder = post.path.parent
        if ".." in rel.parts or not (folder / rel).is_file():
            errors.append(PostError(f"image {ref!r} does not exist beside the post", path=post.path,
                                    line=line, field=key))
            return None
        if rel.suffix.lower() not in IMAGE_SUFFIXES or any(part.startswith(".") for part in rel.parts):
            kinds = ", ".join(sorted(IMAGE_SUFFIXES))
            errors.append(PostError(f"{ref!r} is used as an image but is not an image file ({kinds}); "
                                    "it is not published", path=post.path, line=line, field=key))
            return None
        escape = link_outside(folder / rel, folder)
        if escape:
            errors.append(PostError(f"image {ref!r} {escape}; it is not published", path=post.path,
                                    line=line, field=key))
            return None
        site_path = routes.post_file(post.slug, rel.as_posix())
        post.assets[site_path] = str(folder / rel)
        return site_path

    if cover:
        post.cover = resolve(cover, frontmatter.key_line(doc.front, "cover") or 1, "cover") or cover
    has_images = "![" in doc.body or ("<" in doc.body and _IMG_TAG.search(doc.body) is not None)
    for m in _IMAGE_REF.finditer(doc.body) if has_images else ():
        line = doc.body_line + doc.body.count("\n", 0, m.start())
        site = resolve(m.group(1) or m.group(2), line, None)
        if site and site not in images:
            images.append(site)
    post.images = tuple(images)
    return errors


def image_lines(post: Post, site_path: str) -> int:
    """Line of the first reference to `site_path` in the post file (for error messages)."""
    text = post.path.read_text(encoding="utf-8")
    idx = text.find(site_path)
    if idx < 0:
        name = site_path.rsplit("/", 1)[-1]
        idx = max(text.find(name), 0)
    return text.count("\n", 0, idx) + 1


def _group(errors: list[PostError]) -> DzenpressError:
    return errors[0] if len(errors) == 1 else ErrorGroup(errors)


def _parse_date(value: Any, tz: tzinfo, key: str, fail: Any, required: bool) -> datetime | None:
    if value is None or value == "":
        if required:
            fail(key, "is required (YYYY-MM-DD or an ISO 8601 date-time)")
        return None
    try:
        if isinstance(value, datetime):
            parsed = value
        elif isinstance(value, date):
            parsed = datetime.combine(value, time())
        elif isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        else:
            raise ValueError
    except ValueError:
        fail(key, f"{value!r} is not a date (YYYY-MM-DD or an ISO 8601 date-time)")
        return None
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    problem = date_problem(parsed, tz)
    if problem:
        fail(key, f"{value!s} {problem}")
        return None
    return parsed


# Dates a post may carry. Before 1900 most time zones were local mean time (Moscow: +02:30:17), offsets
# with seconds that RSS, Atom and sitemaps cannot write; 2200 is far from datetime's year-9999 edge, where
# adding an offset overflows. A blog post outside these years is a typo (0001-01-01 is YAML's empty date).
MIN_YEAR, MAX_YEAR = 1900, 2200


def date_problem(value: datetime, tz: tzinfo) -> str | None:
    """Why a post's date cannot be published, or None."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return f"is out of range: a post's date must be between {MIN_YEAR} and {MAX_YEAR}"
    for offset in (value.utcoffset(), value.astimezone(tz).utcoffset()):
        if offset is not None and offset.total_seconds() % 60:
            return (f"has the UTC offset {offset}, with seconds (local mean time), which feeds cannot write; "
                    "give the offset in hours and minutes")
    return None


def _tags(value: Any, fail: Any) -> list[str]:
    """The post's tags; a tag whose address would be empty (`..`, `/`, emoji only) is an error."""
    tags = _string_list(value, "tags", fail)
    for tag in tags:
        if not slugify(tag):
            fail("tags", f"tag {tag!r} has no letter or digit to make its address /blog/tag/…/ from")
    return [t for t in tags if slugify(t)]


def _string_list(value: Any, key: str, fail: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # `tags: спина, шея` is a comma-separated list, never one tag
        return [v.strip() for v in value.split(",") if v.strip()] if key == "tags" else [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        fail(key, "must be a list of strings")
        return []
    return [str(v).strip() for v in value if str(v).strip()]


def _optional_str(value: Any, key: str, fail: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        fail(key, "must be a string")
        return None
    return value.strip()


def read_body(post: Post) -> str:
    """The Markdown body. Loading keeps no bodies in memory, so it is read here, and only if the file
    still has the bytes the post was parsed from: a build never mixes two versions of a post."""
    if post.body:
        return post.body
    return frontmatter.split(decode_post(_read_unchanged(post), post.path), post.path).body


def read_body_bytes(post: Post) -> bytes:
    """The Markdown body as the file's UTF-8 bytes (what cmark reads), under read_body's rule; loading
    checked that they decode."""
    if post.body:
        return post.body.encode()
    raw = _read_unchanged(post)
    start = frontmatter.body_offset(raw)
    if start is None:  # loading found front matter in these very bytes: split says what is wrong
        return frontmatter.split(decode_post(raw, post.path), post.path).body.encode()
    return raw[start:]


def _read_unchanged(post: Post) -> bytes:
    try:
        raw = post.path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot be read: {exc.strerror}", path=post.path) from None
    if digest(raw) != post.digest:
        raise BuildError("changed while the site was being built; build again", path=post.path)
    return raw
