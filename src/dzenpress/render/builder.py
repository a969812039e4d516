"""Build a loaded site: plan → render → stage → commit. Only outputs whose bytes change are written.

Each output's recipe key is derived from the data it is rendered with (see keys.py); an output is rendered
only when its key changed or its file is not the one the state remembers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dzenpress import dates, plugins
from dzenpress._version import __version__
from dzenpress.content.schedule import when
from dzenpress.errors import BuildError
from dzenpress.fsio import Scans, scan_folders
from dzenpress.hashing import digest
from dzenpress.parallel import job_count, map_shared
from dzenpress.render.plan import Copy, Output, Plan, file_stat, make_plan
from dzenpress.render.state import OutputRecord, State
from dzenpress.render.writer import (
    JOURNAL,
    Staging,
    check_outputs,
    copy_temp,
    output_error,
    output_path,
    recover,
    remove_output,
    write_temp,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    from dzenpress.content.site import Site
    from dzenpress.render.pages import Context, Page, Pages
    from dzenpress.settings import Settings

Progress = Callable[[int, int], None]
_PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"  # templating's, without Jinja
_PARALLEL_MIN = 200  # below this many pages a process pool costs more than it saves
_CHUNK = 64
_COMMITTING = "committing"


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # pages rendered, whether or not their bytes changed
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    next_scheduled: str = ""  # when the next post held back for its date goes live (content/schedule.py)

    def summary(self) -> str:
        line = (f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed, "
                f"{len(self.rendered)} rendered in {self.seconds:.2f}s")
        return f"{line}; the next scheduled post goes live {self.next_scheduled}" if self.next_scheduled else line


@dataclass(frozen=True)
class RenderJob:
    """What rendering a build's pages needs besides their indexes: handed to each worker process once, when
    it starts (parallel.map_shared), never through a module global."""

    pages: list[Page]  # the pages to render
    env: Environment
    common: Context  # what every page is rendered with besides its own context
    out_dir: Path
    records: dict[str, OutputRecord]


@dataclass
class Kept:
    """What serve keeps of its last build to render an edited post's page at once (dzenpress/hot.py)."""

    pages: Pages | None = None
    env: Environment | None = None


@dataclass
class Freshness:
    """What a build finds before loading anything: taken once, before the site is read (an edit made while
    it loads then shows in the next build's fingerprint)."""

    inputs: str  # the fingerprint of everything the build reads
    scans: Scans  # the files of content/, pages/ and public/ the fingerprint was taken from
    touched: set[str]  # outputs whose file is not the one the state remembers (edited, deleted, replaced)
    done: BuildReport | None  # the report of a build with nothing to do; None: there is work


def freshness(settings: Settings, drafts: bool, state: State) -> Freshness:
    started = time.perf_counter()
    out_dir = settings.output_dir
    scans: Scans = {}
    inputs = inputs_fingerprint(settings, drafts, scans)
    stats = state.output_stats()
    base = str(out_dir)
    touched = {rel for rel, stat in stats.items() if file_stat(os.path.join(base, rel)) != stat}
    found = Freshness(inputs, scans, touched, None)
    if state.get_meta("inputs") != inputs or state.get_meta("in_progress") == "1" or touched:
        return found
    until = state.get_meta("dzen_until")  # the Dzen feed's window moves with the clock
    if until and dates.now().timestamp() >= float(until):
        return found
    if (out_dir / JOURNAL).exists():  # a killed commit to finish
        return found
    if not _search_current(settings.config.search, out_dir, state):  # a failed or deleted index: make it again
        return found
    found.done = BuildReport(unchanged=len(stats), seconds=time.perf_counter() - started,
                             next_scheduled=state.get_meta("next_scheduled") or "")
    return found


def inputs_fingerprint(settings: Settings, drafts: bool, scans: Scans | None = None) -> str:
    """Everything a build reads, by stat: equal fingerprints mean the previous output is still right.
    `scans` receives the content, pages and public folders' files, for loading the site from the same look."""
    # posts and the images beside them, pages/ and public/ by stat
    content, site_pages, public, templates, package = scan_folders(  # links out of any: all errors at once
        [(settings.content_dir, False), (settings.pages_dir, False),
         (settings.public_dir, True), (settings.templates_dir, False), (_PACKAGE_TEMPLATES, False)])
    if scans is not None:
        scans.update({"content": content, "pages": site_pages, "public": public})
    templates += package
    # the footer of a site whose posts are all drafts shows this year
    return _recipe_key(__version__, plugins.loaded(), settings.config_bytes, settings.config, drafts,
                       datetime.now().year,
                       sorted(content), sorted(site_pages), sorted(public), sorted(templates))


def run_build(site: Site, state: State, *, drafts: bool = False, clean: bool = False, jobs: int | None = None,
              progress: Progress | None = None, fresh: Freshness | None = None,
              defer_search: bool = False, kept: Kept | None = None) -> BuildReport:
    """Build `site` with `state` (opened and locked by its owner, dzenpress.project.Project). `fresh` is what
    freshness() found before the site was loaded (taken now when not given). With `defer_search` the search
    index is only marked stale: the caller refreshes it (refresh_search) once the pages are shown. `kept`
    receives the build's pages and template environment (serve's)."""
    started = time.perf_counter()
    _check_output_dir(site)
    if fresh is None:
        fresh = freshness(site.settings, drafts, state)
    try:
        report = _build(site, state, drafts, clean, jobs or job_count(), progress, fresh, defer_search, kept)
    except OSError as exc:  # disk full, read-only, a file where a folder must be: one line, dist/ intact
        raise output_error(exc, site.output_dir) from None
    report.seconds = time.perf_counter() - started
    from dzenpress import signals

    signals.send(signals.build_finished, site, report=report)
    return report


def _build(site: Site, state: State, drafts: bool, clean: bool, jobs: int, progress: Progress | None,
           fresh: Freshness, defer_search: bool = False, kept: Kept | None = None) -> BuildReport:
    out_dir = site.output_dir
    report = BuildReport(next_scheduled=when(site.next_scheduled, site))
    if fresh.done is not None and not clean:
        return fresh.done
    # finish a killed commit; sweep temp files when the state cannot vouch for the folder
    if recover(out_dir, sweep=clean or state.get_meta("in_progress") != "0"):
        fresh = freshness(site.settings, drafts, state)  # the finished commit moved files
    # past the no-op check: only now import what rendering needs (a no-op build loads none of it)
    from dzenpress.render.keys import Recipes
    from dzenpress.render.templating import template_fingerprint

    pages, css, reuse_related = _pages(site, state, jobs, progress)
    env, images = pages.env, pages.images
    report.warnings += images.warnings if images else []
    report.warnings += pages.warnings  # tags spelt in several ways
    generated, copies = _outputs(site, pages, report, css)
    records = {} if clean else state.outputs()
    templates = {name: template_fingerprint(env, name) for name in sorted({p.template for p in generated} - {""})}
    index = state.get_blob("index")
    by_slug = {p.slug: p.file for p in site.posts}
    recipes = Recipes(pages, generated, templates, index if isinstance(index, dict) and not clean else {},
                      lambda slug: site.post_stats.get(by_slug[slug]), images=_images_digest(images))

    def key_of(out: Output) -> str:
        if isinstance(out, Copy):
            return _recipe_key("copy", out.origin, file_stat(out.source))
        return recipes.key(out, records.get(out.output))

    check_outputs([p.output for p in generated], [c.output for c in copies])
    outputs: list[Output] = [*generated, *copies]
    committing = state.get_blob(_COMMITTING)  # new outputs of a build killed before it recorded them
    remembered = set(state.outputs() if clean else records) | set(committing if isinstance(committing, list) else ())
    plan = make_plan(outputs, key_of, records, fresh.touched, remembered=remembered)
    report.unchanged = plan.unchanged
    todo = [out for out, _ in plan.todo if not isinstance(out, Copy)]
    job = RenderJob(todo, env, pages.common, out_dir, records)
    changed_outputs = _execute(plan, job, recipes.mentions, state, jobs, progress, report)
    final = {rel: rec.digest for rel, rec in {**records, **changed_outputs}.items()}
    for rel in plan.stale:
        final.pop(rel, None)
    if defer_search and site.config.search:
        from dzenpress.render import search

        search.mark_stale(state)  # until the caller's refresh_search: a no-op build would not skip it
    else:
        _refresh_search(site, state, final, jobs, report)  # before the build is recorded as done: a kill repeats it
    state.save_outputs(changed_outputs, plan.stale,
                       {"version": __version__, "in_progress": "0", "inputs": fresh.inputs,
                        "dzen_until": _dzen_until(site), "next_scheduled": report.next_scheduled})
    state.save_posts(set(site.post_stats))
    state.put_blob("index", recipes.index())
    state.put_blob(_COMMITTING, None)
    if not reuse_related:
        state.put_blob("related", (pages.structure, [pages.related(i) for i in range(len(site.posts))]))
    if kept is not None:
        kept.pages, kept.env = pages, env
    return report


def _pages(site: Site, state: State, jobs: int, progress: Progress | None) -> tuple[Pages, str, bool]:
    """The site's pages with their images encoded (what the image cache lacks), the stylesheet, and whether
    the related posts came from the state (the structure is as in the last build)."""
    from dzenpress.images import prepare as prepare_images
    from dzenpress.render.pages import Pages
    from dzenpress.render.templating import make_env

    images = prepare_images(site, jobs=jobs, progress=progress)
    env = make_env(site.templates_dir, site.config.language, site.state_dir / "jinja")
    css = _stylesheet(env)
    pages = Pages(site, env, digest(css.encode())[:10], images=images)
    related = state.get_blob("related")
    reuse_related = isinstance(related, tuple) and related[0] == pages.structure
    if reuse_related:
        pages.related_cache = related[1]  # type: ignore[index]
    return pages, css, reuse_related


def keep_pages(site: Site, state: State, kept: Kept, jobs: int | None = None) -> None:
    """Fill `kept` with the pages of a site that is built already (serve's first build had nothing to do)."""
    pages, _css, _reused = _pages(site, state, jobs or job_count(), None)
    kept.pages, kept.env = pages, pages.env


def _search_current(enabled: bool, out_dir: Path, state: State) -> bool:
    from dzenpress.render import search

    if not enabled:
        return not (out_dir / search.INDEX_DIR).exists()
    return search.is_current(state, out_dir)


def refresh_search(settings: Settings, state: State, jobs: int | None = None) -> list[str]:
    """Bring a deferred (or failed, or deleted) search index in line with the pages the state records; its
    warnings. Cheap when the index is current."""
    from dzenpress.render import search

    if _search_current(settings.config.search, settings.output_dir, state):
        return []
    if not settings.config.search:
        search.remove(settings.output_dir, state)
        return []
    pages = {rel: rec.digest for rel, rec in state.outputs().items()}
    warning = search.refresh(settings.output_dir, settings.config.language, pages, state, jobs or job_count())
    return [warning] if warning else []


def _refresh_search(site: Site, state: State, pages: dict[str, str], jobs: int, report: BuildReport) -> None:
    from dzenpress.render import search

    if not site.config.search:
        search.remove(site.output_dir, state)
        return
    warning = search.refresh(site.output_dir, site.config.language, pages, state, jobs)
    if warning:
        report.warnings.append(warning)


def _outputs(site: Site, pages: Pages, report: BuildReport, css: str) -> tuple[list[Page], list[Copy]]:
    """Every generated page and every copied file; a file in public/ wins over a page at its path."""
    from dzenpress.render.dzenrss import dzen_rss_pages
    from dzenpress.render.feeds import feed_pages
    from dzenpress.render.keyfile import key_file_pages
    from dzenpress.render.pages import Page
    from dzenpress.render.sitemap import index_pages

    generated = pages.all() + feed_pages(pages) + index_pages(pages)
    generated += dzen_rss_pages(pages, report.warnings) + key_file_pages(pages)  # Dzen feed, IndexNow key
    generated.append(Page("assets/dzenpress.css", "", render_css, partial(dict, css=css)))
    copies = _copies(site)
    if pages.images is not None:
        copies += [Copy(output, cached, "images") for output, cached in pages.images.outputs()]
    shadowed = {p.output for p in generated} & {c.output for c in copies}
    if shadowed:
        report.warnings += [f"public/{p} replaces the page dzenpress would generate there" for p in sorted(shadowed)]
        generated = [p for p in generated if p.output not in shadowed]
    return generated, copies


def render_css(env: Environment, c: Context) -> str:
    return str(c["css"])


def _execute(plan: Plan, job: RenderJob, mentions: dict[str, str], state: State, jobs: int,
             progress: Progress | None, report: BuildReport) -> dict[str, OutputRecord]:
    """Render and stage what the plan says, then rename everything into place and drop stale outputs."""
    out_dir, records = job.out_dir, job.records
    staging = Staging(out_dir)
    state.set_meta("in_progress", "1")
    changed: dict[str, OutputRecord] = {}
    keys = {out.output: key for out, key in plan.todo}
    try:
        for rel, (page_digest, tmp) in _render_all(job, jobs, progress).items():
            report.rendered.append(rel)
            if tmp is None:
                report.unchanged += 1
            else:
                staging.add(Path(tmp), output_path(out_dir, rel))
                report.written.append(rel)
            old = records.get(rel)
            shown = mentions.get(rel, old.mentions if old else "")
            changed[rel] = OutputRecord(keys[rel], page_digest, (0, 0), shown)
        for out, key in plan.todo:
            if isinstance(out, Copy):
                target = output_path(out_dir, out.output)
                staging.add(copy_temp(target, out.source), target)
                report.written.append(out.output)
                changed[out.output] = OutputRecord(key, key, (0, 0), "")
    except BaseException:
        staging.rollback()  # also sweeps temps of workers whose results never came back
        state.set_meta("in_progress", "0")
        raise
    # the state learns of new outputs only after the commit: name them first, or a kill in between would
    # leave them on disk, unknown to every later build (a page that should have gone stays for good)
    earlier = state.get_blob(_COMMITTING)  # a killed build's, not yet known either: keep them named
    state.put_blob(_COMMITTING, sorted(set(changed) - set(records) | set(earlier if isinstance(earlier, list) else ())))
    staging.commit()
    for rel in plan.stale:
        remove_output(out_dir, rel)
    report.removed = plan.stale
    report.written.sort()
    report.rendered.sort()
    return {rel: rec._replace(stat=file_stat(out_dir / rel) or (0, 0)) for rel, rec in changed.items()}


def _render_all(job: RenderJob, jobs: int, progress: Progress | None) -> dict[str, tuple[str, str | None]]:
    """Every page of the job rendered (in worker processes when there are many): output → (digest, temp file
    or None when the file on disk already holds these bytes)."""
    results: dict[str, tuple[str, str | None]] = {}
    total = len(job.pages)
    for i, result in map_shared(_render_chunk, job, range(total), min_items=_PARALLEL_MIN, jobs=jobs, chunk=_CHUNK):
        results[job.pages[i].output] = result
        if progress and (len(results) % _CHUNK == 0 or len(results) == total):
            progress(len(results), total)
    return results


def _render_chunk(job: RenderJob, chunk: list[int]) -> list[tuple[str, str | None]]:
    return [_render_one(job.pages[i], job.env, job.common, job.out_dir, job.records) for i in chunk]


def _render_one(page: Page, env: Environment, common: Context, out_dir: Path,
                records: dict[str, OutputRecord]) -> tuple[str, str | None]:
    """Render a page; stage it unless the file on disk already holds exactly these bytes."""
    data = page.render(env, {**common, **page.context}).encode("utf-8")
    page_digest = digest(data)
    rec = records.get(page.output)
    target = output_path(out_dir, page.output)
    if rec is not None and rec.digest == page_digest and file_stat(target) == rec.stat:
        return page_digest, None
    return page_digest, str(write_temp(target, data))


def _images_digest(images: Any) -> str:
    """Every image's content digest and settings: equal means no page shows another image than last time."""
    return _recipe_key(images.settings, sorted((k, images.key(k)) for k in images.sources), sorted(images.cards),
                       images.outputs())


def _dzen_until(site: Site) -> str:
    """When the clock alone next changes the site (the Dzen feed's window moves, a scheduled post comes
    due): a no-op build is no longer one from then on."""
    from dzenpress.render.dzenrss import window_deadline

    moments = [m for m in (window_deadline(site), site.next_scheduled) if m is not None]
    return repr(min(moments).timestamp()) if moments else ""


def _recipe_key(*parts: object) -> str:
    return digest(repr(parts).encode())


def _stylesheet(env: Environment) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, "dzenpress.css")[0]


def _copies(site: Site) -> list[Copy]:
    copies = [Copy(rel.lstrip("/"), site.public_dir / rel.lstrip("/"), "public") for rel in sorted(site.public_files)]
    for post in site.posts:
        copies += [Copy(path.lstrip("/"), Path(src), post.slug) for path, src in sorted(post.assets.items())]
    return copies


def _check_output_dir(site: Site) -> None:
    out = site.output_dir.resolve()
    root = site.root.resolve()
    protected = [root, site.content_dir.resolve(), site.public_dir.resolve(), site.templates_dir.resolve(),
                 site.state_dir.resolve()]
    if any(out == p or out in p.parents for p in protected):
        raise BuildError(f"output folder {out} would overwrite the site's own files; choose another",
                         path=site.settings.config_file, field="paths.output")
