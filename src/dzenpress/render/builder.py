"""build(site): plan → render → stage → commit. Only outputs whose bytes change are written."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from dzenpress._version import __version__
from dzenpress.config import CONFIG_NAME
from dzenpress.content.site import Site
from dzenpress.errors import BuildError
from dzenpress.fsio import scan_files
from dzenpress.hashing import digest
from dzenpress.images import prepare as prepare_images
from dzenpress.ping import key_file_pages
from dzenpress.render import search
from dzenpress.render.dzenrss import dzen_rss_pages, dzen_window
from dzenpress.render.feeds import feed_pages
from dzenpress.render.pages import Page, Pages
from dzenpress.render.plan import Plan, file_stat, make_plan, recipe_key
from dzenpress.render.sitemap import index_pages
from dzenpress.render.state import OutputRecord, State
from dzenpress.render.templating import make_env, template_fingerprint, use_images
from dzenpress.render.writer import (
    Staging,
    check_outputs,
    copy_temp,
    output_error,
    output_path,
    recover,
    remove_output,
    write_temp,
)

Progress = Callable[[int, int], None]
_PARALLEL_MIN = 200  # below this many pages a process pool costs more than it saves
_CHUNK = 64


@dataclass
class BuildReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.written)} written, {self.unchanged} unchanged, {len(self.removed)} removed "
                f"in {self.seconds:.2f}s")


@dataclass
class _Copy:
    output: str
    source: Path


# Set before a fork so worker processes inherit the pages instead of receiving them pickled.
_JOB: tuple[list[Page], Path, dict[str, OutputRecord]] | None = None


def build(site: Site, *, clean: bool = False, jobs: int | None = None, progress: Progress | None = None,
          state: State | None = None) -> BuildReport:
    started = time.perf_counter()
    _check_output_dir(site)
    own_state = state is None
    state = state or State(site.state_dir)
    try:
        report = _build(site, state, clean, jobs or os.cpu_count() or 1, progress)
    except OSError as exc:  # disk full, read-only, a file where a folder must be: one line, dist/ intact
        raise output_error(exc, site.output_dir) from None
    finally:
        if own_state:
            state.close()
    search.after_build(site, report)
    report.seconds = time.perf_counter() - started
    return report


def _build(site: Site, state: State, clean: bool, jobs: int, progress: Progress | None) -> BuildReport:
    out_dir = site.output_dir
    report = BuildReport()
    # finish a killed commit; sweep temp files when the state cannot vouch for the folder
    recover(out_dir, sweep=clean or state.get_meta("in_progress") != "0")
    config_fp = recipe_key(__version__, (site.root / CONFIG_NAME).read_bytes(), site.config)
    inputs_fp = _inputs_fingerprint(site, config_fp)
    if not clean and state.get_meta("inputs") == inputs_fp and _outputs_intact(state, out_dir):
        report.unchanged = len(state.outputs())
        return report
    images = prepare_images(site, jobs=jobs, progress=progress)  # encodes what the image cache lacks
    report.warnings += images.warnings
    env = make_env(site.templates_dir, site.config.language, site.state_dir / "jinja")
    use_images(env, images.picture)
    pages = Pages(site, env, digest(_stylesheet(env).encode())[:10], images=images)
    related = state.get_blob("related")
    reuse_related = isinstance(related, tuple) and related[0] == pages.structure
    if reuse_related:
        pages.related_cache = related[1]  # type: ignore[index]
    generated, copies = _outputs(site, pages, report)
    template_fps: dict[str, str] = {"": ""}

    def key_of(i: int) -> str:
        if i < len(generated):
            page = generated[i]
            if page.template not in template_fps:
                template_fps[page.template] = template_fingerprint(env, page.template)
            return recipe_key(config_fp, template_fps[page.template], page.parts)
        copy = copies[i - len(generated)]
        return recipe_key("copy", str(copy.source), file_stat(copy.source))

    records = state.outputs()
    outputs = [p.output for p in generated] + [c.output for c in copies]
    check_outputs(outputs[: len(generated)], outputs[len(generated) :])
    plan = make_plan(outputs, key_of, {} if clean else records, out_dir)
    plan.stale = sorted(set(records) - set(outputs))
    report.unchanged = plan.unchanged
    changed = _execute(plan, generated, copies, records, out_dir, state, jobs, progress, report)
    state.save_outputs(changed, plan.stale, {"version": __version__, "in_progress": "0", "inputs": inputs_fp})
    state.save_posts(set(site.post_stats))
    if not reuse_related:
        state.put_blob("related", (pages.structure, [pages.related(i) for i in range(len(site.posts))]))
    return report


def _outputs(site: Site, pages: Pages, report: BuildReport) -> tuple[list[Page], list[_Copy]]:
    """Every generated page and every copied file; a file in public/ wins over a page at its path."""
    css = _stylesheet(pages.env)
    generated = pages.all() + feed_pages(pages) + index_pages(pages)
    generated += dzen_rss_pages(pages, report.warnings) + key_file_pages(pages)  # Dzen feed, IndexNow key
    generated.append(Page("assets/dzenpress.css", "", ("css", css), lambda: css))
    copies = _copies(site)
    if pages.images is not None:
        copies += [_Copy(output, cached) for output, cached in pages.images.outputs()]
    shadowed = {p.output for p in generated} & {c.output for c in copies}
    if shadowed:
        report.warnings += [f"public/{p} replaces the page dzenpress would generate there" for p in sorted(shadowed)]
        generated = [p for p in generated if p.output not in shadowed]
    return generated, copies


def _execute(plan: Plan, generated: list[Page], copies: list[_Copy], records: dict[str, OutputRecord],
             out_dir: Path, state: State, jobs: int, progress: Progress | None,
             report: BuildReport) -> dict[str, OutputRecord]:
    """Render and stage what the plan says, then rename everything into place and drop stale outputs."""
    staging = Staging(out_dir)
    state.set_meta("in_progress", "1")
    changed: dict[str, OutputRecord] = {}
    keys = dict(plan.todo)
    try:
        todo = [i for i, _ in plan.todo if i < len(generated)]
        for i, (page_digest, tmp) in _render_all(generated, todo, out_dir, records, jobs, progress).items():
            rel = generated[i].output
            if tmp is None:
                report.unchanged += 1
            else:
                staging.add(Path(tmp), output_path(out_dir, rel))
                report.written.append(rel)
            changed[rel] = OutputRecord(keys[i], page_digest, (0, 0))
        for i, key in plan.todo:
            if i >= len(generated):
                copy = copies[i - len(generated)]
                target = output_path(out_dir, copy.output)
                staging.add(copy_temp(target, copy.source), target)
                report.written.append(copy.output)
                changed[copy.output] = OutputRecord(key, key, (0, 0))
    except BaseException:
        staging.rollback()  # also sweeps temps of workers whose results never came back
        state.set_meta("in_progress", "0")
        raise
    staging.commit()
    for rel in plan.stale:
        remove_output(out_dir, rel)
    report.removed = plan.stale
    report.written.sort()
    return {rel: OutputRecord(rec.key, rec.digest, file_stat(out_dir / rel) or (0, 0)) for rel, rec in changed.items()}


def _render_all(pages: list[Page], todo: list[int], out_dir: Path, records: dict[str, OutputRecord],
                jobs: int, progress: Progress | None) -> dict[int, tuple[str, str | None]]:
    global _JOB
    results: dict[int, tuple[str, str | None]] = {}
    total = len(todo)
    if jobs > 1 and total >= _PARALLEL_MIN and "fork" in multiprocessing.get_all_start_methods():
        _JOB = (pages, out_dir, records)
        chunks = [todo[k : k + _CHUNK] for k in range(0, total, _CHUNK)]
        try:
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                for chunk_result in pool.map(_render_chunk, chunks):
                    results.update(chunk_result)
                    if progress:
                        progress(len(results), total)
        finally:
            _JOB = None
        return results
    for n, i in enumerate(todo, 1):
        results[i] = _render_one(pages[i], out_dir, records)
        if progress and n % _CHUNK == 0:
            progress(n, total)
    if progress:
        progress(total, total)
    return results


def _render_chunk(chunk: list[int]) -> dict[int, tuple[str, str | None]]:
    assert _JOB is not None
    pages, out_dir, records = _JOB
    return {i: _render_one(pages[i], out_dir, records) for i in chunk}


def _render_one(page: Page, out_dir: Path, records: dict[str, OutputRecord]) -> tuple[str, str | None]:
    """Render a page; stage it unless the file on disk already holds exactly these bytes."""
    data = page.make().encode("utf-8")
    page_digest = digest(data)
    rec = records.get(page.output)
    target = output_path(out_dir, page.output)
    if rec is not None and rec.digest == page_digest and file_stat(target) == rec.stat:
        return page_digest, None
    return page_digest, str(write_temp(target, data))


def _inputs_fingerprint(site: Site, config_fp: str) -> str:
    """Everything a build reads, by stat: equal fingerprints mean the previous output is still right."""
    from dzenpress.render.templating import PACKAGE_TEMPLATES

    templates = [*scan_files(site.templates_dir), *scan_files(PACKAGE_TEMPLATES)]
    beside_posts = sorted((f, file_stat(f)) for p in site.posts for f in p.assets.values())  # images, too
    return recipe_key(config_fp, sorted(site.post_stats.items()), sorted(site.public_files.items()), templates,
                      [p.slug for p in site.posts], beside_posts,
                      dzen_window(site))  # the Dzen feed's window moves with the clock


def _outputs_intact(state: State, out_dir: Path) -> bool:
    base = str(out_dir)
    return all(file_stat(os.path.join(base, rel)) == rec.stat for rel, rec in state.outputs().items())


def _stylesheet(env: Environment) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, "dzenpress.css")[0]


def _copies(site: Site) -> list[_Copy]:
    copies = [_Copy(rel.lstrip("/"), site.public_dir / rel.lstrip("/")) for rel in sorted(site.public_files)]
    for post in site.posts:
        copies += [_Copy(path.lstrip("/"), Path(src)) for path, src in sorted(post.assets.items())]
    return copies


def _check_output_dir(site: Site) -> None:
    out = site.output_dir.resolve()
    root = site.root.resolve()
    protected = [root, site.content_dir.resolve(), site.public_dir.resolve(), site.templates_dir.resolve(),
                 site.state_dir.resolve()]
    if any(out == p or out in p.parents for p in protected):
        raise BuildError(f"output folder {out} would overwrite the site's own files; choose another",
                         path=site.root / CONFIG_NAME, field="paths.output")
