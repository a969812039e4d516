"""`dzenpress import`: Dzen articles, channels or saved pages → posts with their images, kept in sync.

A post is matched to its Dzen article by `source`. It is rewritten only when Dzen's content changed and
the file is still exactly what dzenpress wrote; anything the user edited, or that another tool imported,
is left alone unless --force (which keeps a .bak). Nothing is ever deleted.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dzenpress import routes
from dzenpress.config import Config, load_config
from dzenpress.content import frontmatter
from dzenpress.content.post import decode_post
from dzenpress.content.slug import SlugStyle, slugify, unique_slug
from dzenpress.dates import timezone_of
from dzenpress.dzen.channel import channel_items, saved_channel_items
from dzenpress.dzen.client import ClientOptions, DzenClient
from dzenpress.dzen.fetchimages import ImageResult, fetch_images
from dzenpress.dzen.importstate import ImportState, Record
from dzenpress.dzen.page import Article, parse_page
from dzenpress.dzen.postfile import content_hash, render_post
from dzenpress.dzen.urls import ArticleRef, canonical_source, parse_article, parse_channel
from dzenpress.errors import DzenpressError
from dzenpress.fsio import atomic_write, scan_files
from dzenpress.hashing import digest
from dzenpress.settings import STATE_DIR

Progress = Callable[[int, int], None]
STATUSES = ("imported", "updated", "unchanged", "skipped-edited", "skipped", "failed")


@dataclass
class ImportOptions:
    since: date | None = None
    limit: int | None = None
    include_posts: bool = False
    draft: bool = False
    tags: list[str] | None = None  # None: [import] tags from dzenpress.toml
    force: bool = False
    dry_run: bool = False
    client: ClientOptions = field(default_factory=ClientOptions)


@dataclass
class Outcome:
    source: str
    status: str
    slug: str = ""
    path: str = ""
    reason: str = ""
    images: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)  # about the whole run (an unreachable CDN)

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for o in self.outcomes if o.status == s) for s in STATUSES}

    @property
    def ok(self) -> bool:
        return not any(o.status == "failed" for o in self.outcomes)


@dataclass(frozen=True)
class _Job:
    source: str
    ref: ArticleRef | None = None
    html_file: Path | None = None
    published: datetime | None = None  # the feed's date, used when the page has none


@dataclass
class _Existing:
    slug: str
    path: Path


def import_sources(root: Path | str, sources: list[str], options: ImportOptions | None = None,
                   progress: Progress | None = None) -> ImportReport:
    root = Path(root)
    options = options or ImportOptions()
    config = load_config(root)
    report = ImportReport(dry_run=options.dry_run)
    state = ImportState(root / STATE_DIR)
    try:
        with DzenClient(options.client) as client:
            jobs = _resolve(client, sources, options, report)
            run = _Run(root, config, options, state, client)
            run_id, done = state.begin_run("\n".join(sorted(sources))) if not options.dry_run else (0, set())
            total = len(jobs)
            pool = ThreadPoolExecutor(max(1, options.client.concurrency))
            try:
                for n, outcome in enumerate(pool.map(lambda j: run.process(j, done, run_id), jobs), 1):
                    report.outcomes.append(outcome)
                    if progress:
                        progress(n, total)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)  # an interrupt stops what has not started
            if not options.dry_run:
                state.finish_run(run_id)
            report.notes += [f"{host} could not be reached: {n} images kept as remote links; run the import "
                             "again to fetch them" for host, n in sorted(run.unreachable.items())]
    finally:
        state.close()
    return report


def _resolve(client: DzenClient, sources: list[str], options: ImportOptions, report: ImportReport) -> list[_Job]:
    jobs: list[_Job] = []
    seen: set[str] = set()
    for job in _expand(client, sources, options, report):
        key = job.ref.hex_id if job.ref else str(job.html_file)
        if key not in seen:
            seen.add(key)
            jobs.append(job)
    return jobs[: options.limit] if options.limit is not None else jobs


def _expand(client: DzenClient, sources: list[str], options: ImportOptions,
            report: ImportReport) -> Iterator[_Job]:
    for source in sources:
        path = Path(source)
        if path.is_file():
            if path.suffix.lower() in (".html", ".htm"):
                yield from _saved_page(path, options, report)
            else:
                try:
                    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
                except (OSError, UnicodeDecodeError):
                    report.outcomes.append(Outcome(source, "failed", reason="not a UTF-8 text file of URLs"))
                    continue
                yield from _expand(client, [ln for ln in lines if ln and not ln.startswith("#")], options, report)
            continue
        ref = parse_article(source)
        if ref:
            yield _Job(ref.url, ref=ref)
            continue
        channel = parse_channel(source)
        if channel is None:
            report.outcomes.append(Outcome(source, "failed", reason="not a Dzen article or channel URL, nor a file"))
            continue
        try:
            for item in channel_items(client, channel, include_posts=options.include_posts):
                if options.since and item.published and item.published.date() < options.since:
                    continue
                yield _Job(item.ref.url, ref=item.ref, published=item.published)
        except DzenpressError as exc:
            report.outcomes.append(Outcome(channel.url, "failed", reason=f"channel listing: {exc.message}"))
        except Exception as exc:  # a surprise in one listing must not stop the other sources
            report.outcomes.append(Outcome(channel.url, "failed", reason=f"channel listing: {_unexpected(exc)}"))


def _saved_page(path: Path, options: ImportOptions, report: ImportReport) -> Iterator[_Job]:
    """A saved article page is one job; a saved channel page, one per article its embedded feed holds."""
    try:
        items = saved_channel_items(path.read_text(encoding="utf-8", errors="replace"),
                                    include_posts=options.include_posts, path=str(path))
    except OSError as exc:
        report.outcomes.append(Outcome(str(path), "failed", reason=f"cannot read: {exc.strerror}"))
        return
    except DzenpressError as exc:
        report.outcomes.append(Outcome(str(path), "failed", reason=f"saved channel page: {exc.message}"))
        return
    except Exception as exc:
        report.outcomes.append(Outcome(str(path), "failed", reason=f"saved page: {_unexpected(exc)}"))
        return
    if items is None:
        yield _Job(str(path), html_file=path)
        return
    for item in items:
        if not (options.since and item.published and item.published.date() < options.since):
            yield _Job(item.ref.url, ref=item.ref, published=item.published)


def _unexpected(exc: Exception) -> str:
    return f"unexpected error ({type(exc).__name__}: {exc})"


class _Run:
    """One import: the decisions (under a lock) and the writes, for jobs run on worker threads."""

    def __init__(self, root: Path, config: Config, options: ImportOptions, state: ImportState,
                 client: DzenClient) -> None:
        self.root, self.config, self.options, self.state, self.client = root, config, options, state, client
        self.content = root / config.paths.content
        self.public = root / config.paths.public
        self.lock = threading.Lock()
        self.tags = options.tags if options.tags is not None else list(config.import_.tags)
        self.existing, self.taken = self._index()
        self.tz = timezone_of(config, root)
        self.unreachable: Counter[str] = Counter()  # host → images not fetched because it is down

    def _index(self) -> tuple[dict[str, _Existing], set[str]]:
        """Posts already on disk, by canonical source; and every slug in use."""
        by_source: dict[str, _Existing] = {}
        taken: set[str] = set()
        for path in (self.content / rel.lstrip("/") for rel, _ in scan_files(self.content, suffix=".md")):
            taken.add(path.stem)
            try:
                front = frontmatter.parse(frontmatter.split(decode_post(path.read_bytes(), path), path).front, path)
            except (OSError, ValueError, DzenpressError):  # ValueError: YAML's own date check (2025-02-30)
                continue  # an unreadable post is left to build/clean to report
            source = front.get("source")
            canonical = canonical_source(source) if isinstance(source, str) else None
            if canonical:
                by_source[canonical] = _Existing(str(front.get("slug") or path.stem), path)
        return by_source, taken

    def process(self, job: _Job, done: set[str], run_id: int) -> Outcome:
        outcome = Outcome(job.source, "failed")
        try:
            if job.ref and job.ref.hex_id in done:
                outcome.status, outcome.reason = "skipped", "finished by the interrupted run this one resumes"
                return outcome
            article = self._fetch(job)
            outcome.source = article.source
            outcome.warnings += article.warnings
            self._import(article, outcome)
            if not self.options.dry_run and outcome.status != "failed":
                with self.lock:  # one SQLite connection, used by every worker thread in turn
                    self.state.mark_done(run_id, article.ref.hex_id)
        except DzenpressError as exc:
            outcome.reason = f"{exc.location() + ': ' if exc.path and str(exc.path) != job.source else ''}{exc.message}"
        except OSError as exc:
            outcome.reason = f"{exc.filename or ''}: {exc.strerror}"
        except Exception as exc:  # one article's surprise must not stop the others
            outcome.status = "failed"
            outcome.reason = f"{_unexpected(exc)}; the other articles went on"
        return outcome

    def _fetch(self, job: _Job) -> Article:
        if job.html_file is not None:
            html = job.html_file.read_text(encoding="utf-8", errors="replace")
            article = parse_page(html, "", saved_dir=job.html_file.parent)
        else:
            assert job.ref is not None
            _final, html = self.client.page(job.ref.url)
            article = parse_page(html, job.ref.url)
        if article.published is None and job.published is not None:
            article.published, article.date_source = job.published, "feed"
        if article.published is None:
            article.warnings.append("no publication date on the page or in the channel feed: dated today; "
                                    "set `date` by hand")
        return article

    def _import(self, article: Article, outcome: Outcome) -> None:
        if article.kind == "brief" and not self.options.include_posts:
            outcome.status, outcome.reason = "skipped", "a short post (brief): use --include-posts"
            return
        if self.options.since and article.published and article.published.date() < self.options.since:
            outcome.status, outcome.reason = "skipped", f"published before {self.options.since}"
            return
        if article.paywalled:
            outcome.warnings.append("Дзен Про article: only the part visible without a subscription was imported")
        new_hash = content_hash(article)
        with self.lock:
            decision = self._decide(article, new_hash, outcome)
        if decision is None:
            return
        record, slug, path = decision
        images = self._download(article, outcome)
        with self.lock:
            self._write(article, record, slug, path, images, new_hash, outcome)

    def _decide(self, article: Article, new_hash: str, outcome: Outcome) -> tuple[Record | None, str, Path] | None:
        record = self.state.get(article.ref.hex_id)
        existing = self.existing.get(article.source)
        if record is not None:
            slug = record.slug
        elif existing is not None:
            slug = existing.slug
        else:
            style: SlugStyle = "legacy" if self.config.import_.slug_style == "legacy" else "word"
            slug = unique_slug(slugify(article.title, style) or article.ref.article_id.lower(), self.taken)
            self.taken.add(slug)
        path = existing.path if existing is not None and record is None else self.content / f"{slug}.md"
        outcome.slug, outcome.path = slug, str(path)
        if path.exists():
            ours = record is not None and record.owns(digest(path.read_bytes()))
            if ours and record is not None and record.content_hash == new_hash and not record.incomplete:
                outcome.status = "unchanged"
                return None
            if not ours and not self.options.force:
                outcome.status = "skipped-edited"
                outcome.reason = ("edited locally since dzenpress wrote it" if record and record.file_hash else
                                  "imported earlier by another tool") + "; --force overwrites it, keeping a .bak"
                if record is None and not self.options.dry_run:
                    self.state.put(Record(article.ref.hex_id, slug, article.source))  # adopted: keep its slug
                return None
        elif record is not None and record.file_hash and not self.options.force:
            outcome.status, outcome.reason = "skipped", "deleted locally; --force imports it again"
            return None
        return record, slug, path

    def _download(self, article: Article, outcome: Outcome) -> ImageResult:
        result = fetch_images(self.client, article)
        outcome.warnings += result.warnings
        if result.unreachable:
            with self.lock:
                self.unreachable.update(result.unreachable)
            outcome.warnings.append(f"{sum(result.unreachable.values())} images not fetched (see the note below)")
        return result

    def _write(self, article: Article, record: Record | None, slug: str, path: Path, images: ImageResult,
               new_hash: str, outcome: Outcome) -> None:
        folder = self.public / routes.post_folder(slug)
        kept: dict[str, str] = dict(record.images) if record else {}
        local: dict[str, str] = {}
        for image in images.files:
            target = folder / image.name
            on_disk = target.read_bytes() if target.exists() else None
            if on_disk is not None and on_disk != image.data and kept.get(image.name) != digest(on_disk):
                outcome.warnings.append(f"{target} was changed locally: kept, not replaced")
            else:
                if not self.options.dry_run and on_disk != image.data:
                    atomic_write(target, image.data)
                kept[image.name] = digest(image.data)
            local[image.url] = routes.post_file(slug, image.name)
        cover = local.get(article.cover, article.cover) if article.cover else None
        text = render_post(article, slug, local, cover, tags=self.tags, draft=self.options.draft, tz=self.tz)
        outcome.images = len(images.files)
        current = path.read_bytes() if path.exists() else None
        outcome.status = "imported" if current is None else "unchanged" if current == text.encode() else "updated"
        if self.options.dry_run:
            return
        new_digest = digest(text.encode("utf-8"))
        final = Record(article.ref.hex_id, slug, article.source, new_hash, new_digest, kept,
                       incomplete=images.missing > 0)
        if current is not None and current == text.encode():
            self.state.put(final)
            return
        if current is not None and (record is None or not record.owns(digest(current))):
            atomic_write(path.with_name(path.name + ".bak"), current)
            outcome.warnings.append(f"the previous file was kept as {path.name}.bak")
        before = record or Record(article.ref.hex_id, slug, article.source)
        self.state.put(Record(before.hex_id, slug, before.source, before.content_hash, before.file_hash,
                              before.images, pending=new_digest))  # a kill after this still knows the file
        atomic_write(path, text)
        self.existing[article.source] = _Existing(slug, path)
        self.state.put(final)
