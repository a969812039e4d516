"""The site: config + every post + the files under public/, loaded and cross-checked in one pass."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from dzenpress.config import Config, load_config
from dzenpress.content import frontmatter
from dzenpress.content.post import Post, image_lines, load_post
from dzenpress.dates import timezone_of
from dzenpress.errors import ConfigError, DzenpressError, PostError, flatten, raise_all
from dzenpress.fsio import Stat, scan_files
from dzenpress.parallel import map_in_chunks


class PostCache(Protocol):
    """Parsed posts remembered between runs, keyed by file path and (mtime, size)."""

    def get(self, path: str, stat: Stat) -> Post | None: ...

    def put(self, path: str, stat: Stat, post: Post) -> None: ...


@dataclass
class Site:
    root: Path
    config: Config
    posts: list[Post]  # newest first; drafts only when asked for
    public_files: dict[str, Stat] = field(default_factory=dict)  # site path → stat
    post_stats: dict[str, Stat] = field(default_factory=dict)  # post file → stat
    tz: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))

    @property
    def content_dir(self) -> Path:
        return self.root / self.config.paths.content

    @property
    def public_dir(self) -> Path:
        return self.root / self.config.paths.public

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.paths.output

    @property
    def templates_dir(self) -> Path:
        return self.root / self.config.paths.templates

    @property
    def state_dir(self) -> Path:
        return self.root / ".dzenpress"


def load_site(root: Path | str, *, drafts: bool = False, cache: PostCache | None = None) -> Site:
    """Load config and posts. All problems are collected and raised together."""
    root = Path(root)
    config = load_config(root)
    tz = timezone_of(config, root)
    site = Site(root=root, config=config, posts=[], tz=tz)
    if not site.content_dir.is_dir():
        raise ConfigError(f"content folder {site.content_dir} does not exist", path=root / "dzenpress.toml",
                          field="paths.content")
    site.public_files = dict(scan_files(site.public_dir))
    posts: list[Post] = []
    to_parse: list[Path] = []
    content = str(site.content_dir)
    for path, stat in scan_files(site.content_dir, suffix=".md"):
        file = content + path  # strings, not Paths: this loop runs once per post on every build
        site.post_stats[file] = stat
        cached = cache.get(file, stat) if cache else None
        if cached is None:
            to_parse.append(Path(file))  # a Path only for files that must be parsed
        else:
            posts.append(cached)
    errors: list[DzenpressError] = []
    for parsed, result in map_in_chunks(partial(_parse_chunk, tz=tz), to_parse, min_items=_PARALLEL_MIN):
        if isinstance(result, Post):
            posts.append(result)
            if cache:
                cache.put(str(parsed), site.post_stats[str(parsed)], result)
        else:
            errors.extend(result)
    errors.extend(_cross_check(site, posts))
    raise_all(sorted(errors, key=lambda e: (str(e.path), e.line or 0)))
    site.posts = sorted((p for p in posts if drafts or not p.draft), key=lambda p: (p.date, p.slug), reverse=True)
    return site


_PARALLEL_MIN = 300  # parsing fewer posts than this is faster than starting worker processes


def _parse_one(file: Path, tz: tzinfo) -> Post | list[DzenpressError]:
    try:
        post = load_post(file, tz)
        post.body = ""  # read again when rendered: 10,000 bodies would cost hundreds of MB here
        return post
    except DzenpressError as exc:
        return flatten(exc)
    except OSError as exc:
        return [PostError(f"cannot be read: {exc.strerror}", path=file)]
    except Exception as exc:  # a bug on one post is reported like a bad post
        return [PostError(f"cannot be loaded: unexpected {type(exc).__name__}: {exc} "
                          "(a dzenpress bug: please report it with this file)", path=file)]


def _parse_chunk(files: list[Path], tz: tzinfo) -> list[Post | list[DzenpressError]]:
    return [_parse_one(f, tz) for f in files]


def _cross_check(site: Site, posts: list[Post]) -> Iterator[PostError]:
    seen: dict[str, Post] = {}
    for post in posts:
        other = seen.get(post.slug)
        if other is not None:
            yield PostError(f"slug {post.slug!r} is also used by {other.path}", path=post.path,
                            line=_line(post, "slug"), field="slug")
        seen[post.slug] = post
    urls = {p.url_path for p in posts}
    for post in posts:
        for alias in post.aliases:
            if _alias_path(alias) in urls:
                yield PostError(f"alias {alias!r} is the address of another post", path=post.path,
                                line=_line(post, "aliases"), field="aliases")
        cover = post.cover
        if cover and cover.startswith("/") and cover not in post.assets and not _exists(site, cover):
            yield PostError(f"cover {post.cover!r} does not exist in {site.config.paths.public}/",
                            path=post.path, line=_line(post, "cover"), field="cover")
        for image in post.images:
            if image not in post.assets and not _exists(site, image):
                yield PostError(f"image {image!r} does not exist in {site.config.paths.public}/",
                                path=post.path, line=image_lines(post, image))


def _exists(site: Site, site_path: str) -> bool:
    from urllib.parse import unquote

    return unquote(site_path) in site.public_files


def _alias_path(alias: str) -> str:
    alias = "/" + alias.strip("/") + "/"
    return alias if alias != "//" else "/"


def _line(post: Post, key: str) -> int:
    text = post.path.read_text(encoding="utf-8")
    return frontmatter.key_line(frontmatter.split(text, post.path).front, key) or 1
