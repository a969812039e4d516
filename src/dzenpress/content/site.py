"""The site: config + every post + the files under public/, loaded and cross-checked in one pass."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from dzenpress import routes, signals
from dzenpress.config import Config
from dzenpress.content import frontmatter
from dzenpress.content.post import Post, image_lines, load_post
from dzenpress.content.schedule import hold_back
from dzenpress.content.sitepage import SitePage, load_pages
from dzenpress.dates import timezone_of
from dzenpress.errors import ConfigError, DzenpressError, PostError, flatten, raise_all
from dzenpress.fsio import Scans, Stat, scan_files
from dzenpress.parallel import map_in_chunks
from dzenpress.settings import Settings


class PostCache(Protocol):
    """Parsed posts remembered between runs, keyed by file path and (mtime, size)."""

    def get(self, path: str, stat: Stat) -> Post | None: ...

    def put(self, path: str, stat: Stat, post: Post) -> None: ...


@dataclass
class Site:
    settings: Settings  # the config and every folder, read once per build
    posts: list[Post]  # newest first; drafts only when asked for
    public_files: dict[str, Stat] = field(default_factory=dict)  # site path → stat
    post_stats: dict[str, Stat] = field(default_factory=dict)  # post file (and pages/ file) → stat
    pages: list[SitePage] = field(default_factory=list)  # Markdown pages from pages/, by address
    tz: tzinfo = field(default_factory=lambda: ZoneInfo("Europe/Moscow"))
    next_scheduled: datetime | None = None  # when the next post held back for its date goes live

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def content_dir(self) -> Path:
        return self.settings.content_dir

    @property
    def public_dir(self) -> Path:
        return self.settings.public_dir

    @property
    def output_dir(self) -> Path:
        return self.settings.output_dir

    @property
    def templates_dir(self) -> Path:
        return self.settings.templates_dir

    @property
    def pages_dir(self) -> Path:
        return self.settings.pages_dir

    @property
    def state_dir(self) -> Path:
        return self.settings.state_dir


def load_site(settings: Settings | Path | str, *, drafts: bool = False, cache: PostCache | None = None,
              scans: Scans | None = None) -> Site:
    """Load the posts and pages of a site (its Settings, or its folder: the config is read then). All problems
    are collected and raised together. `scans`: the content, pages and public folders as a build's fingerprint
    found them (scanned here when not given)."""
    if not isinstance(settings, Settings):
        settings = Settings.read(settings)
    config = settings.config
    tz = timezone_of(config, settings.root)
    site = Site(settings=settings, posts=[], tz=tz)
    if not site.content_dir.is_dir():
        raise ConfigError(f"content folder {site.content_dir} does not exist", path=settings.config_file,
                          field="paths.content")
    scans = scans or {}
    site.public_files = dict(scans.get("public") or scan_files(site.public_dir, published=True))
    posts: list[Post] = []
    to_parse: list[Path] = []
    content = str(site.content_dir)
    found = scans.get("content")
    for path, stat in scan_files(site.content_dir, suffix=".md") if found is None else found:
        if not path.endswith(".md"):
            continue
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
    if signals.post_parsed.receivers:
        for post in posts:
            signals.post_parsed.send(post)
    key = settings.indexnow_key()
    errors.extend(_cross_check(site, posts, key))
    errors.extend(load_site_pages(site, posts, scans.get("pages"), key))
    raise_all(sorted(errors, key=lambda e: (str(e.path), e.line or 0)))
    site.posts = sorted((p for p in posts if drafts or not p.draft), key=lambda p: (p.date, p.slug), reverse=True)
    hold_back(site, preview=drafts)  # posts dated in the future wait for their time
    signals.send(signals.site_loaded, site)
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


def _cross_check(site: Site, posts: list[Post], key: str | None) -> Iterator[PostError]:
    seen: dict[str, Post] = {}
    for post in posts:
        other = seen.get(post.slug)
        if other is not None:
            yield PostError(f"slug {post.slug!r} is also used by {other.path}", path=post.path,
                            line=_line(post, "slug"), field="slug")
        seen[post.slug] = post
    yield from _alias_problems(site, posts, key)
    for post in posts:
        cover = post.cover
        if cover and cover.startswith("/") and cover not in post.assets and not _exists(site, cover):
            yield PostError(f"cover {post.cover!r} does not exist in {site.config.paths.public}/",
                            path=post.path, line=_line(post, "cover"), field="cover")
        for image in post.images:
            if image not in post.assets and not _exists(site, image):
                yield PostError(f"image {image!r} does not exist in {site.config.paths.public}/",
                                path=post.path, line=image_lines(post, image))


def load_site_pages(site: Site, posts: list[Post], scanned: list[tuple[str, Stat]] | None = None,
                    key: str | None = None) -> list[DzenpressError]:
    """Markdown pages from pages/; their stats join post_stats so a no-op build notices an edit. `key`: the
    IndexNow key, whose file is a generated address too."""
    pages, stats, errors = load_pages(site.pages_dir, scanned, key)
    site.pages = pages
    site.post_stats.update(stats)
    aliases = {route: post for post in posts for route in _valid_alias_routes(post)}
    errors += [PostError(f"the address {page.route} is also an alias of {aliases[page.route].path}",
                         path=page.file) for page in pages if page.route in aliases]
    return errors


def _valid_alias_routes(post: Post) -> Iterator[str]:
    for alias in post.aliases:
        with contextlib.suppress(ValueError):  # an invalid alias is reported by _alias_problems
            yield routes.alias_route(alias)


def _exists(site: Site, site_path: str) -> bool:
    from urllib.parse import unquote

    return unquote(site_path) in site.public_files


def _alias_problems(site: Site, posts: list[Post], key: str | None) -> Iterator[PostError]:
    """An alias must be a plain path on the site whose file replaces nothing: no generated page or file (the
    registry in routes.py, the IndexNow key's file included), no post, no public file or post image, no other
    alias, and no folder or file any of those needs."""
    urls = site.config.urls
    wanted: dict[str, tuple[Post, str]] = {}  # alias output file → the post and alias asking for it
    problems: dict[tuple[str, str], str] = {}
    for post in sorted((p for p in posts if p.aliases), key=lambda p: p.file):
        for alias in post.aliases:
            try:
                route = routes.alias_route(alias)
            except ValueError as exc:
                problems[(post.file, alias)] = str(exc)
                continue
            output = urls.output(route)
            other = wanted.get(output)
            problem = routes.reserved_problem(route, key) or (
                f"is also an alias of {other[0].path.name}" if other and other[0] is not post else None)
            if problem:
                problems[(post.file, alias)] = problem
            wanted.setdefault(output, (post, alias))
    if wanted:
        for (post, alias), problem in _clashes(wanted, _site_files(site, posts)):
            problems.setdefault((post.file, alias), problem)
    by_file = {p.file: p for p in posts}
    for (file, alias), problem in problems.items():
        post = by_file[file]
        yield PostError(f"alias {alias!r} {problem}", path=post.path, line=_line(post, "aliases"), field="aliases")


def _site_files(site: Site, posts: list[Post]) -> Iterator[tuple[str, str]]:
    """Every output file besides aliases that a post or public/ owns, with what it is."""
    public = site.config.paths.public
    for rel in site.public_files:
        yield rel.lstrip("/"), f"{public}{rel}"
    urls = site.config.urls
    for post in posts:
        yield urls.output(post.url_path), f"the page of {post.path.name}"
        for asset in post.assets:
            yield asset.lstrip("/"), f"an image of {post.path.name}"


def _clashes(wanted: dict[str, tuple[Post, str]], others: Iterator[tuple[str, str]]
             ) -> Iterator[tuple[tuple[Post, str], str]]:
    """Alias outputs that are another file, need another file to be a folder, or would be a folder."""
    owners = {out: f"alias {alias!r} of {post.path.name}" for out, (post, alias) in wanted.items()}
    needs_folder = {parent: out for out in wanted for parent in _parents(out)}
    for out, owner in wanted.items():  # aliases among themselves: a.html and a.html/b/
        for parent in _parents(out):
            if parent in wanted:
                yield owner, f"would need {owners[parent]} to be a folder"
    for rel, what in others:
        if rel in wanted:
            yield wanted[rel], f"would replace {what}"
        elif rel in needs_folder:
            yield wanted[needs_folder[rel]], f"would need {what} to be a folder"
        elif ".html/" in rel:  # only an .html alias can be a folder of other files
            for parent in _parents(rel):
                if parent in wanted:
                    yield wanted[parent], f"would replace the folder of {what}"


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")[:-1]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def _line(post: Post, key: str) -> int:
    text = post.path.read_text(encoding="utf-8")
    return frontmatter.key_line(frontmatter.split(text, post.path).front, key) or 1
