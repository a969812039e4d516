"""Site search: a Pagefind index of the built pages, rebuilt only when HTML output changed.

Pagefind (the `pagefind[extended]` package) ships a native binary that reads the built HTML, stems words by
each page's `lang` (Russian included) and writes a static index plus a small script into `pagefind/`. The
search page loads that script from the site itself: no external requests. Only elements marked
`data-pagefind-body` (post bodies, public pages) are indexed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from dzenpress import routes
from dzenpress.errors import BuildError
from dzenpress.fsio import TEMP_MARK, atomic_write, scan_files
from dzenpress.hashing import digest

if TYPE_CHECKING:
    from dzenpress.content.site import Site
    from dzenpress.render.builder import BuildReport

SEARCH_ROUTE = routes.SEARCH
INDEX_DIR = routes.PAGEFIND.strip("/")
_ENTRY = "pagefind.js"
_TIMEOUT = 600


def pagefind_binary() -> Path | None:
    """The Pagefind executable shipped by the pagefind-bin(-extended) wheel, if one is installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    found = get_executable()
    return found if found is not None and found.exists() else None


def pages_stamp(out_dir: Path) -> str:
    """What the index is made of: every HTML page's path, size and mtime (no page is read)."""
    pages = sorted(f"{rel}\x1f{stat[0]}\x1f{stat[1]}" for rel, stat in scan_files(out_dir, suffix=".html"))
    return digest("\n".join(pages).encode())


def needs_index(out_dir: Path, stamp_file: Path, stamp: str) -> bool:
    """When the pages differ from those the index was made of (however they changed), or it is missing."""
    if not (out_dir / INDEX_DIR / _ENTRY).is_file():
        return True
    try:
        return stamp_file.read_text(encoding="ascii") != stamp
    except (OSError, UnicodeDecodeError):
        return True


def after_build(site: Site, report: BuildReport) -> None:
    """The builder's one call: refresh the index when this build changed pages."""
    if not site.config.search:
        shutil.rmtree(site.output_dir / INDEX_DIR, ignore_errors=True)  # ours: an index of a switched-off search
        return
    stamp_file = site.state_dir / f"search-{digest(str(site.output_dir.resolve()).encode())[:16]}.stamp"
    warning = update_index(site.output_dir, stamp_file)  # one stamp per output folder: serve's preview has its own
    if warning:
        report.warnings.append(warning)


def update_index(out_dir: Path, stamp_file: Path) -> str | None:
    """Rebuild the index if pages changed. Returns a warning when search cannot be built here."""
    stamp = pages_stamp(out_dir)
    if not needs_index(out_dir, stamp_file, stamp):
        return None
    binary = pagefind_binary()
    if binary is None:
        return "search index not built: install the pagefind binary (pip install 'pagefind[extended]')"
    try:
        build_index(binary, out_dir)
    except (BuildError, OSError, subprocess.TimeoutExpired) as exc:
        # the pages are already in place: keep the previous index and say so instead of failing the build
        return f"search index not updated: {exc}"
    atomic_write(stamp_file, stamp)
    return None


def build_index(binary: Path, out_dir: Path) -> None:
    """Index into a temp folder beside the live one, then swap: readers never see half an index."""
    target = out_dir / INDEX_DIR
    for leftover in out_dir.glob(f".{INDEX_DIR}*{TEMP_MARK}*"):  # from a build that was killed mid-index
        shutil.rmtree(leftover, ignore_errors=True)
    fresh = out_dir / f".{INDEX_DIR}-new{TEMP_MARK}{os.getpid()}"
    old = out_dir / f".{INDEX_DIR}-old{TEMP_MARK}{os.getpid()}"
    try:
        done = subprocess.run([str(binary), "--site", str(out_dir), "--output-path", str(fresh), "--silent"],
                              capture_output=True, text=True, timeout=_TIMEOUT, check=False)
        if done.returncode != 0 or not (fresh / _ENTRY).is_file():
            message = (done.stderr or done.stdout).strip().splitlines()
            raise BuildError(f"search index failed: {message[-1] if message else done.returncode}", path=out_dir)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
