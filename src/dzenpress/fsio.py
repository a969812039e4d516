"""File-system primitives every part of dzenpress shares: atomic replacement and scanning a folder."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

Stat = tuple[int, int]  # (mtime_ns, size)

TEMP_MARK = ".dzp-tmp-"
_TEMP_PID = re.compile(re.escape(TEMP_MARK) + r"(\d+)$")


def temp_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_MARK}{os.getpid()}")


def is_stale_temp(name: str) -> bool:
    """A temp file (by name) whose writing process is gone, so nothing will ever rename it."""
    found = _TEMP_PID.search(name)
    if found is None:
        return TEMP_MARK in name
    pid = int(found.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OverflowError, ValueError):
        return True  # not a pid at all
    except OSError:
        return False  # alive, another user's
    return False


def atomic_write(path: Path, data: bytes | str) -> None:
    """Replace `path` with `data` in one step: readers see the old file or the new one, never half."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


WELL_KNOWN = ".well-known"  # the one hidden folder a site publishes (RFC 8615), at its root
Scans = dict[str, list[tuple[str, Stat]]]  # what scan_files found, by the name of the folder's role


def scan_files(base: Path, suffix: str | None = None, published: bool = False) -> Iterator[tuple[str, Stat]]:
    """Every file below `base` as ('/sub/name.ext', (mtime_ns, size)), skipping hidden entries; of a folder
    that is `published` as it is (public/, the output), not its `.well-known/` (security.txt, app links and
    domain checks live there).

    Temp files of killed writers met on the way are deleted: every build sweeps content/ and public/ this
    way at no extra cost, whether or not the state remembers an interruption.
    """
    stack = [(base, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and not (published and entry.name == WELL_KNOWN and not prefix):
                if TEMP_MARK in entry.name and is_stale_temp(entry.name):  # a killed writer's: sweep it
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                continue
            rel = f"{prefix}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), rel))
            elif entry.is_file() and (suffix is None or entry.name.endswith(suffix)):
                st = entry.stat()
                yield rel, (st.st_mtime_ns, st.st_size)
