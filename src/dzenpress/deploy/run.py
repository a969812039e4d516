"""`dzenpress deploy`: the built site → a target, changed files only, in an order that never shows a page
before what it links to, deletions last, with a record per target that a killed deploy resumes from."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dzenpress.config import Config
from dzenpress.deploy import files as kinds
from dzenpress.deploy.engine import DeployError, Engine, Secrets, Upload
from dzenpress.deploy.manifest import JOURNAL, Manifest, read_output
from dzenpress.deploy.record import Record
from dzenpress.deploy.settings import Target, choose, parse_targets
from dzenpress.errors import DzenpressError
from dzenpress.render.state import OutputRecord
from dzenpress.settings import STATE_DIR

Log = Callable[[str], None]
DEPLOY_DIR = "deploy"  # under .dzenpress/: <name>.json records, files.json, engines' scratch folders
_SAVE_EVERY = 500  # confirmations between two saves of the record during a long phase


@dataclass
class DeployPlan:
    uploads: list[str] = field(default_factory=list)  # in upload order
    steps: list[list[str]] = field(default_factory=list)  # the uploads, cut where the order matters
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class DeployReport:
    target: str
    destination: str
    plan: DeployPlan
    uploaded: int = 0
    deleted: int = 0
    bytes: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would upload" if self.dry_run else "uploaded"
        gone = "would delete" if self.dry_run else "deleted"
        count = len(self.plan.uploads) if self.dry_run else self.uploaded
        removed = len(self.plan.deletions) if self.dry_run else self.deleted
        size = f" ({self.bytes / 1e6:.1f} MB)" if self.bytes and not self.dry_run else ""
        return (f"{self.target} → {self.destination}: {verb} {count}{size}, {gone} {removed}, "
                f"{self.plan.unchanged} unchanged in {self.seconds:.2f}s")


def targets_of(config: Config, root: Path) -> dict[str, Target]:
    return parse_targets(config.tables.get("deploy", {}), root)


def deploy(site_dir: Path | str = ".", target: str | None = None, *, dry_run: bool = False,
           log: Log | None = None) -> DeployReport:
    """Deploy the built output of `site_dir` to `target` (or the only/default one)."""
    from dzenpress.project import Project

    with Project(site_dir) as project:  # the build lock: no build changes the output under us
        assert project.config is not None
        return deploy_open(project.root, project.config, project.state.outputs(), target, dry_run=dry_run,
                           log=log, interrupted=project.state.get_meta("in_progress") == "1")


def deploy_open(root: Path, config: Config, outputs: Mapping[str, OutputRecord], name: str | None, *, dry_run: bool,
                log: Log | None = None, interrupted: bool = False) -> DeployReport:
    """Deploy with the site already locked (by deploy() or sync)."""
    started = time.perf_counter()
    chosen = choose(targets_of(config, root), name, root)
    out_dir = root / config.paths.output
    _check_built(out_dir, interrupted)
    state_dir = root / STATE_DIR / DEPLOY_DIR
    recorded = {rel: (rec.digest, rec.stat) for rel, rec in outputs.items()}
    manifest = read_output(out_dir, recorded, None if dry_run else state_dir / "files.json")
    record = Record.load(state_dir / f"{chosen.name}.json", chosen.identity_key())
    report = DeployReport(chosen.name, chosen.describe(), make_plan(manifest, record), dry_run=dry_run)
    report.warnings += [f"{rel} looks like a file of secrets and is not deployed; remove it from public/"
                        for rel in manifest.refused]
    if dry_run or not (report.plan.uploads or report.plan.deletions or record.pending):
        report.seconds = time.perf_counter() - started  # nothing changed since the record: no connection
        return report
    secrets = Secrets()
    engine = make_engine(chosen, state_dir / chosen.name, secrets)
    try:
        engine.open()
        _reconcile(record, engine.listing(), engine.foreign)
        present: set[str] | None = None
        if record.pending:  # a deploy was cut off: its temp files go, and what it half-did is looked at
            engine.sweep({rel.rpartition("/")[0] for rel in record.pending})
            present = engine.existing(set(record.pending))
        report.plan = make_plan(manifest, record, present)
        _push(engine, report, manifest, record, out_dir, log)
    except DzenpressError:
        raise
    except OSError as exc:
        from dzenpress.deploy.engine import os_error

        raise os_error(engine, exc) from None
    finally:
        engine.close()
        shutil.rmtree(engine.work / "z", ignore_errors=True)
    report.seconds = time.perf_counter() - started
    return report


def make_plan(manifest: Manifest, record: Record, present: set[str] | None = None) -> DeployPlan:
    """What to upload, in an order where no page a visitor can reach links to a missing file at any moment:
    first the files pages show (images, the stylesheet, the search index's chunks, then its entry points);
    then pages the target does not have yet, which nothing there links to (a new post and a new tag page
    link to each other: no order of the two avoids a dangling link, but neither is reachable yet); then the
    pages it has, posts before the lists that show them, the home page last; then feeds and the sitemap,
    the entry points of crawlers. Deletions come after everything. `present`: which of the paths a killed
    deploy was changing the target holds (None: not asked; they count as held if the record had them)."""
    plan = DeployPlan()
    changed = [rel for rel, version in manifest.files.items()
               if record.files.get(rel) != version or rel in record.pending]
    def held(rel: str) -> bool:
        if rel in record.pending:
            return rel in present if present is not None else rel in record.files
        return rel in record.files

    keys = {rel: kinds.step(rel, held(rel)) for rel in changed}
    plan.uploads = sorted(changed, key=lambda rel: (keys[rel], rel))
    for rel in plan.uploads:
        if not plan.steps or keys[plan.steps[-1][-1]] != keys[rel]:
            plan.steps.append([])
        plan.steps[-1].append(rel)
    plan.unchanged = len(manifest.files) - len(changed)
    plan.deletions = sorted(rel for rel in set(record.files) | record.pending if rel not in manifest.files)
    return plan


def make_engine(target: Target, work: Path, secrets: Secrets) -> Engine:
    if target.kind == "local":
        from dzenpress.deploy.local import LocalEngine

        return LocalEngine(target, work, secrets)
    if target.kind == "rsync":
        from dzenpress.deploy.rsync import RsyncEngine

        return RsyncEngine(target, work, secrets)
    if target.kind == "sftp":
        from dzenpress.deploy.sftp import SftpEngine

        return SftpEngine(target, work, secrets)
    if target.kind == "s3":
        from dzenpress.deploy.s3 import S3Engine

        return S3Engine(target, work, secrets)
    from dzenpress.deploy.gitpages import GitEngine

    return GitEngine(target, work, secrets)


def _check_built(out_dir: Path, interrupted: bool) -> None:
    if not (out_dir / "index.html").is_file():
        raise DeployError("nothing to deploy: the site is not built; run `dzenpress build` first", path=out_dir)
    if interrupted or (out_dir / JOURNAL).exists():
        raise DeployError("the last build did not finish; run `dzenpress build` before deploying", path=out_dir)


def _reconcile(record: Record, listing: set[str] | None, foreign: bool) -> None:
    """Where the engine can list the target: what it holds and the record does not know is pending (kept
    if the site has it, deleted if not), what the record claims and it lacks is forgotten. Changed by
    someone else: nothing of the record is trusted."""
    if listing is None:
        return
    if foreign:
        record.files.clear()
    for rel in list(record.files):
        if rel not in listing:
            del record.files[rel]
    record.pending |= {rel for rel in listing if rel not in record.files}


def _push(engine: Engine, report: DeployReport, manifest: Manifest, record: Record, out_dir: Path,
          log: Log | None) -> None:
    plan = report.plan
    target = engine.target
    if not plan.uploads and not plan.deletions and not record.pending:
        return
    record.pending |= set(plan.uploads) | set(plan.deletions)
    record.save()  # before the first byte moves: a kill from here on is resumed by the next deploy
    confirmed = 0

    def uploaded(rel: str) -> None:
        nonlocal confirmed
        if rel in manifest.files and rel in record.pending:
            record.uploaded(rel, manifest.files[rel])
            report.uploaded += 1
            confirmed += 1
            if confirmed % _SAVE_EVERY == 0:
                record.save()

    def deleted(rel: str) -> None:
        if rel in record.files or rel in record.pending:
            record.deleted(rel)
            report.deleted += 1

    try:
        for batch in plan.steps:
            items = _items(batch, out_dir, engine.work / "z", target)
            report.bytes += sum(item.source.stat().st_size for item in items)
            engine.upload(items, uploaded)
            record.save()
            if log:
                log(f"{kinds.PHASES[kinds.phase(batch[0])]}: {len(batch)} uploaded")
        if plan.deletions:
            doomed = [f"{rel}.{_SUFFIX[enc]}" for rel in plan.deletions for enc in target.precompress]
            engine.delete(doomed + plan.deletions, deleted)
        engine.finish(f"{len(plan.uploads)} changed, {len(plan.deletions)} removed")
    finally:
        record.save()


_SUFFIX = {"gzip": "gz", "br": "br"}


def _items(batch: Sequence[str], out_dir: Path, scratch: Path, target: Target) -> list[Upload]:
    """Uploads for `batch`: each file after its compressed siblings (a host serving `x.gz` for `x` never
    serves an older one), or compressed in place for S3's content_encoding."""
    items: list[Upload] = []
    for rel in batch:
        source = out_dir / rel
        ctype, cache = kinds.content_type(rel), kinds.cache_control(rel)
        text = kinds.compressible(rel)
        if target.content_encoding == "gzip" and text:
            items.append(Upload(rel, _compressed(source, scratch / f"{rel}.gz", "gzip"), ctype, cache, "gzip"))
            continue
        if text:
            for enc in target.precompress:
                sibling = f"{rel}.{_SUFFIX[enc]}"
                items.append(Upload(sibling, _compressed(source, scratch / sibling, enc), ctype, cache, enc))
        items.append(Upload(rel, source, ctype, cache))
    return items


def _compressed(source: Path, dest: Path, encoding: str) -> Path:
    data = source.read_bytes()
    if encoding == "br":
        import brotli

        packed = brotli.compress(data, quality=11)
    else:
        packed = gzip.compress(data, compresslevel=9, mtime=0)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(packed)
    os.utime(dest, ns=(source.stat().st_mtime_ns,) * 2)
    return dest
