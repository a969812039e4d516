"""The one owner of a build: lock the site, open its state, load it with the post cache, build, close.

`build`, `serve` and whatever else builds a site (check, ping, new, the image pipeline) go through
`Project`, or through `build()` for a one-off build.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from dzenpress._version import __version__
from dzenpress.config import CONFIG_NAME, Config
from dzenpress.errors import BuildError
from dzenpress.fsio import Scans
from dzenpress.indexnow import ensure_key
from dzenpress.parallel import limit
from dzenpress.plugins import load_plugins
from dzenpress.render.builder import BuildReport, Freshness, Kept, Progress, freshness, run_build
from dzenpress.render.state import State
from dzenpress.settings import STATE_DIR, Settings

if TYPE_CHECKING:
    from dzenpress.content.site import Site

LOCK_NAME = "build.lock"


class Project:
    """A site opened for building: holds its lock and state until closed (a context manager). Its Settings
    (the config, parsed once per build, and every folder) are what the build and load_site are given."""

    def __init__(self, root: Path | str = ".", *, drafts: bool = False, jobs: int | None = None,
                 output: Path | None = None, state_dir: Path | None = None, defer_search: bool = False) -> None:
        # one spelling per folder: `site`, `./site/` and the absolute path are the same site
        self.root = Path(os.path.abspath(root))
        self.drafts = drafts
        self.jobs = jobs or None
        # serve's preview: another output folder with its own state (and lock) beside the site's
        self._output = Path(os.path.abspath(output)) if output is not None else None
        self.state_dir = Path(os.path.abspath(state_dir)) if state_dir is not None else self.root / STATE_DIR
        self.site: Site | None = None
        self._settings: Settings | None = None
        self._settings_fresh = False  # read since the last build: the next build need not read it again
        self._state: State | None = None
        self._lock: IO[bytes] | None = None
        self.defer_search = defer_search  # serve's: pages first, the search index after (refresh_search)
        self.kept = Kept() if defer_search else None  # serve's: the last build's pages (hot.py)

    def __enter__(self) -> Project:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def open(self) -> None:
        settings = self._read()  # a wrong folder: reported before any state
        load_plugins(settings.config.plugins, settings.config_file)  # they connect to the signals
        state_dir = self.state_dir
        state_dir.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(state_dir / LOCK_NAME)
        try:
            self._state = State(state_dir)
            self._state.use_post_env(f"{__version__}\t{settings.config.timezone}")
            ensure_key(settings.indexnow_store, settings.config)  # a site's first build makes its IndexNow key
        except BaseException:
            self.close()
            raise

    def refresh(self) -> None:
        """Read the config again: a project kept open between builds (serve's) sees it edited."""
        settings = self._read()
        load_plugins(settings.config.plugins, settings.config_file)
        self.state.use_post_env(f"{__version__}\t{settings.config.timezone}")  # posts parsed under another zone go

    def _read(self) -> Settings:
        self._settings = Settings.read(self.root, output=self._output, build_state_dir=self.state_dir)
        self._settings_fresh = True
        return self._settings

    def close(self) -> None:
        if self._state is not None:
            self._state.close()
            self._state = None
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("the project is not open")
        return self._settings

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def output(self) -> Path | None:
        return self._output

    @property
    def output_dir(self) -> Path:
        return self.settings.output_dir

    @property
    def state(self) -> State:
        if self._state is None:
            raise RuntimeError("the project is not open")
        return self._state

    def load(self, *, clean: bool = False, scans: Scans | None = None) -> Site:
        """The site's posts and pages under the project's settings; unchanged posts come from the state's cache
        (not with `clean`). `scans`: the content, pages and public folders as the build's freshness check found
        them."""
        from dzenpress.content.site import load_site  # not needed by a no-op build

        with limit(self.jobs):
            site = load_site(self.settings, drafts=self.drafts, cache=None if clean else self.state, scans=scans)
        self.site = site
        return site

    def build(self, *, clean: bool = False, progress: Progress | None = None, site: Site | None = None) -> BuildReport:
        """Load the site (unless given) and build it into its output folder. The config is read once per build:
        at open, or again here when the project was opened for an earlier build (serve's)."""
        fresh: Freshness | None = None
        if site is None:
            if not self._settings_fresh:
                self.refresh()
            self._settings_fresh = False
            fresh = freshness(self.settings, self.drafts, self.state)  # before the posts are read
            if fresh.done is not None and not clean:
                return fresh.done  # no-op: not even loading posts
        with _collect_less():
            site = site or self.load(clean=clean, scans=fresh.scans if fresh else None)
            self.site = site
            gc.freeze()  # the loaded site lives until the build ends: never walk it again
            with limit(self.jobs):
                return run_build(site, self.state, drafts=self.drafts, clean=clean, jobs=self.jobs,
                                 progress=progress, fresh=fresh, defer_search=self.defer_search, kept=self.kept)

    def keep_pages(self) -> None:
        """serve's: hold the pages of the site as built even when the last build had nothing to do (a no-op
        loads nothing), for hot renders of edited posts (dzenpress/hot.py)."""
        from dzenpress.render.builder import keep_pages

        if self.kept is not None and self.kept.pages is None:
            with _collect_less(), limit(self.jobs):
                keep_pages(self.load(), self.state, self.kept, self.jobs)

    def refresh_search(self) -> list[str]:
        """Index what a build with `defer_search` left for later; the warnings (nothing to do: none)."""
        from dzenpress.render.builder import refresh_search

        return refresh_search(self.settings, self.state, self.jobs)


def build(site: Site | Path | str = ".", *, drafts: bool = False, clean: bool = False, jobs: int | None = None,
          progress: Progress | None = None) -> BuildReport:
    """Build a site folder (or an already loaded Site) into its output folder, incrementally."""
    if not isinstance(site, Path | str):  # a loaded Site: it holds drafts if it was loaded with them
        with Project(site.root, drafts=drafts or any(p.draft for p in site.posts), jobs=jobs) as project:
            return project.build(clean=clean, progress=progress, site=site)
    with Project(site, drafts=drafts, jobs=jobs) as project:
        return project.build(clean=clean, progress=progress)


@contextlib.contextmanager
def _collect_less() -> Iterator[None]:
    """A build makes millions of objects that live until it ends, and the cyclic collector would walk them
    over and over (a third of an edit's time at 10,000 posts). Collect rarely, and leave what is frozen (the
    loaded site) alone: that also spares forked workers from copying the memory the collector would touch."""
    saved = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    try:
        yield
    finally:
        gc.set_threshold(*saved)
        gc.unfreeze()


def _lock(path: Path) -> IO[bytes]:
    """Hold the site's build lock; a second build of the same site refuses with one line."""
    handle = open(path, "ab")  # noqa: SIM115 - held until Project.close
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        return handle
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise BuildError("another build of this site is running; wait for it to finish and try again",
                         path=path.parent.parent / CONFIG_NAME) from None
    return handle
