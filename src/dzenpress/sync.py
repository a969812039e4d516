"""`dzenpress sync`: the one command for cron and CI. Import what is new on the configured Dzen channel(s),
build, check (an error stops the run before anything is deployed), deploy, ping. Locked, idempotent, one
summary line; a failure names its step. A sync with nothing new fetches the channel's feed and stops
there: the build is a no-op, the check and the ping are skipped, the deploy connects to nothing.

[sync] in dzenpress.toml:
    channels = ["https://dzen.ru/clinic"]   # what to import (none: build and publish only)
    target = "live"                          # the [deploy.<name>] to publish to (default: the only/default one)
    recheck_days = 2                         # articles published in the last N days are fetched again for
                                             # edits made on Dzen; older ones only with `sync --full`
    ping = true                              # IndexNow after a deploy that changed pages
    include_posts = false                    # also Dzen's short posts (briefs)
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from dzenpress.config import CONFIG_NAME, Config, load_config
from dzenpress.dzen.client import ClientOptions
from dzenpress.errors import ConfigError, DzenpressError
from dzenpress.fsio import atomic_write
from dzenpress.settings import STATE_DIR

Log = Callable[[str], None]
STEPS = ("import", "build", "check", "deploy", "ping")
_RECORD = "sync.json"  # .dzenpress/: when the last sync ran and how each step ended
_LOCK = "sync.lock"


class SyncError(DzenpressError):
    """A step failed: `step` names it; what ran before it is kept."""

    def __init__(self, step: str, message: str, **kwargs: Any) -> None:
        super().__init__(f"sync stopped at {step}: {message}", **kwargs)
        self.step = step


@dataclass(frozen=True)
class SyncSettings:
    channels: tuple[str, ...] = ()
    target: str | None = None
    recheck_days: int = 2
    ping: bool = True
    include_posts: bool = False


@dataclass
class SyncReport:
    parts: dict[str, str] = field(default_factory=dict)  # step → what it did, in order
    warnings: list[str] = field(default_factory=list)
    failed: str = ""  # a step that did not fully succeed but did not stop the run (some articles failed)
    written: list[str] = field(default_factory=list)  # outputs the build wrote
    uploaded: list[str] = field(default_factory=list)  # files the deploy sent
    seconds: float = 0.0
    dry_run: bool = False

    def summary(self) -> str:
        done = "; ".join(f"{step} {what}" for step, what in self.parts.items())
        head = "sync (dry run)" if self.dry_run else "sync"
        return f"{head}: {done} in {self.seconds:.2f}s"


def settings_of(config: Config, root: Path) -> SyncSettings:
    """[sync] → SyncSettings; errors name the key."""
    table = config.tables.get("sync", {})
    path = root / CONFIG_NAME
    kinds: dict[str, type] = {"channels": list, "target": str, "recheck_days": int, "ping": bool,
                              "include_posts": bool}
    for key, value in table.items():
        if key not in kinds:
            raise ConfigError(f"unknown key (known: {', '.join(sorted(kinds))})", path=path, field=f"sync.{key}")
        if not isinstance(value, kinds[key]) or (kinds[key] is int and isinstance(value, bool)):
            raise ConfigError(f"must be {_kind(kinds[key])}", path=path, field=f"sync.{key}")
    channels = table.get("channels", [])
    for n, url in enumerate(channels):
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ConfigError("must be a channel URL, like https://dzen.ru/clinic", path=path,
                              field=f"sync.channels[{n}]")
    if table.get("recheck_days", 2) < 0:
        raise ConfigError("must be 0 or more", path=path, field="sync.recheck_days")
    return SyncSettings(tuple(channels), table.get("target"), table.get("recheck_days", 2),
                        table.get("ping", True), table.get("include_posts", False))


def _kind(kind: type) -> str:
    return {list: "a list of strings", str: "a string", int: "a whole number", bool: "true or false"}[kind]


def sync(site_dir: Path | str = ".", *, dry_run: bool = False, full: bool = False, log: Log | None = None,
         client: ClientOptions | None = None) -> SyncReport:
    """Run the steps in order; a SyncError names the one that failed."""
    started, began = time.perf_counter(), datetime.now(UTC)
    root = Path(os.path.abspath(site_dir))
    config = load_config(root)
    settings = settings_of(config, root)
    from dzenpress.deploy.run import targets_of
    from dzenpress.deploy.settings import choose

    choose(targets_of(config, root), settings.target, root)  # a bad [deploy] stops before anything runs
    report = SyncReport(dry_run=dry_run)
    with _locked(root):
        last = _load(root)
        changed = _import(root, settings, full, dry_run, client or ClientOptions(), report)
        if dry_run:
            _deploy(root, settings, True, report)
        else:
            built = _build(root, report)
            _check(root, report, skip=not built and not changed and last.get("checked") is True)
            deployed = _deploy(root, settings, False, report)
            _ping(root, config, settings, report, skip=not deployed and last.get("pinged") is True, log=log)
            _save(root, {"at": began.isoformat(), "checked": True,
                         "pinged": report.parts.get("ping", "").startswith(("submitted", "nothing", "off"))})
    report.seconds = time.perf_counter() - started
    return report


def _import(root: Path, settings: SyncSettings, full: bool, dry_run: bool, client: ClientOptions,
            report: SyncReport) -> bool:
    """Articles the import has never written, and those published in the last `recheck_days` days again
    (edits on Dzen come soon after publishing; --full fetches every one). The channel's feed says which
    exist; no article page is fetched when none is due. True when a post file was written."""
    if not settings.channels:
        report.parts["import"] = "off (no [sync] channels)"
        return False
    from dzenpress.dzen.importer import ImportOptions, import_sources

    try:
        due, listed = _due_articles(root, settings, full, client)
    except DzenpressError as exc:
        raise SyncError("import", exc.message, path=exc.path, line=exc.line, field=exc.field) from None
    if not due:
        report.parts["import"] = f"0 new, 0 updated, {listed} listed"
        return False
    options = ImportOptions(include_posts=settings.include_posts, dry_run=dry_run, client=client)
    try:
        result = import_sources(root, due, options)
    except DzenpressError as exc:
        raise SyncError("import", exc.message, path=exc.path, line=exc.line, field=exc.field) from None
    counts = result.counts()
    report.parts["import"] = (f"{counts['imported']} new, {counts['updated']} updated, {listed} listed"
                              + (f", {counts['failed']} failed" if counts["failed"] else ""))
    report.warnings += result.notes
    report.warnings += [f"{o.source}: {o.reason}" for o in result.outcomes if o.status == "failed"]
    if not result.ok:
        report.failed = "import"  # what did import is still published; the exit status says so
    return bool(counts["imported"] or counts["updated"])


def _due_articles(root: Path, settings: SyncSettings, full: bool, options: ClientOptions) -> tuple[list[str], int]:
    """(article URLs to import, how many the channels list)."""
    from dzenpress.dzen.channel import channel_items
    from dzenpress.dzen.client import DzenClient
    from dzenpress.dzen.importstate import ImportState
    from dzenpress.dzen.urls import parse_channel

    recent = datetime.now(UTC) - timedelta(days=settings.recheck_days)
    due: list[str] = []
    listed = 0
    state = ImportState(root / STATE_DIR)
    try:
        with DzenClient(options) as client:
            for url in settings.channels:
                channel = parse_channel(url)
                if channel is None:
                    raise ConfigError("not a Dzen channel URL", path=root / CONFIG_NAME, field="sync.channels")
                for item in channel_items(client, channel, include_posts=settings.include_posts):
                    listed += 1
                    fresh = item.published is None or item.published >= recent
                    if full or fresh or state.get(item.ref.hex_id) is None:
                        due.append(item.ref.url)
    finally:
        state.close()
    return list(dict.fromkeys(due)), listed


def _build(root: Path, report: SyncReport) -> bool:
    from dzenpress.project import Project

    try:
        with Project(root) as project:
            built = project.build()
    except DzenpressError as exc:
        raise SyncError("build", str(exc)) from None
    report.warnings += built.warnings
    report.parts["build"] = f"{len(built.written)} written, {len(built.removed)} removed"
    report.written = built.written
    return bool(built.written or built.removed)


def _check(root: Path, report: SyncReport, *, skip: bool) -> None:
    if skip:
        report.parts["check"] = "skipped (nothing changed)"
        return
    from dzenpress.check import check_site

    result = check_site(root)
    if result.errors:
        raise SyncError("check", f"{result.summary()}; run `dzenpress check` to see them; nothing was deployed",
                        path=root)
    report.parts["check"] = f"{len(result.findings)} warnings" if result.findings else "clean"


def _deploy(root: Path, settings: SyncSettings, dry_run: bool, report: SyncReport) -> bool:
    from dzenpress.deploy import deploy

    if dry_run and not (root / load_config(root).paths.output / "index.html").is_file():
        report.parts["deploy"] = "everything once built (the site is not built yet)"
        return False
    try:
        done = deploy(root, settings.target, dry_run=dry_run)
    except DzenpressError as exc:
        raise SyncError("deploy", str(exc)) from None
    report.warnings += done.warnings
    if dry_run:
        report.parts["deploy"] = f"would upload {len(done.plan.uploads)}, delete {len(done.plan.deletions)}"
        return False
    report.parts["deploy"] = f"{done.uploaded} uploaded, {done.deleted} deleted to {done.target}"
    report.uploaded = done.plan.uploads
    return bool(done.uploaded or done.deleted)


def _ping(root: Path, config: Config, settings: SyncSettings, report: SyncReport, *, skip: bool,
          log: Log | None) -> None:
    if not settings.ping:
        report.parts["ping"] = "off"
        return
    if skip:
        report.parts["ping"] = "nothing to submit"
        return
    from dzenpress.ping import ping

    try:
        result = ping(root, log=log or (lambda _m: None))
    except DzenpressError as exc:
        raise SyncError("ping", str(exc)) from None
    report.parts["ping"] = f"submitted {result.submitted} URLs" if result.submitted else "nothing to submit"


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    state = root / STATE_DIR
    state.mkdir(parents=True, exist_ok=True)
    handle: IO[bytes] = open(state / _LOCK, "ab")  # noqa: SIM115 - held for the whole sync
    try:
        import fcntl

        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncError("start", "another sync of this site is running; this one did nothing",
                            path=state / _LOCK) from None
        yield
    finally:
        handle.close()


def _load(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / STATE_DIR / _RECORD).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(root: Path, data: dict[str, Any]) -> None:
    atomic_write(root / STATE_DIR / _RECORD, json.dumps(data))
