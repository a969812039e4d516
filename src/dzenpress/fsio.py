"""File-system primitives every part of dzenpress shares: atomic replacement and scanning a folder."""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from dzenpress.errors import DzenpressError, raise_all

Stat = tuple[int, int]  # (mtime_ns, size)

TEMP_MARK = ".dzp-tmp-"
# `.<name>.dzp-tmp-<pid>-<token>`: the writing process and its run's token, recorded in _RECORDS while the
# run may leave temp files (README: Temp files). Anything else that merely looks like it is the user's.
_TEMP = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"(\d{1,10})-([0-9a-f]{16})")
_RECORD_DAYS = 30  # a run's record outlives it this long: its leftovers are swept by any build until then


def _records() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "dzenpress" / "temps"


class _Run:
    """This run's token, recorded once on first use; forked workers share it (their pids differ)."""

    token: ClassVar[str | None] = None
    recorded: ClassVar[dict[str, bool]] = {}  # token → whether its record exists (asked once per process)

    @classmethod
    def mine(cls) -> str:
        if cls.token is None:
            token = secrets.token_hex(8)
            folder = _records()
            with contextlib.suppress(OSError):  # no record: its leftovers are never swept, never wrongly
                folder.mkdir(parents=True, exist_ok=True)
                (folder / token).write_text(str(os.getpid()), encoding="ascii")
                atexit.register(cls._forget, folder / token, os.getpid())
                cls._prune(folder)
            cls.token = token
        return cls.token

    @staticmethod
    def _forget(record: Path, pid: int) -> None:
        """A run that ends normally has renamed or removed every temp file it made: its record goes."""
        if os.getpid() == pid:
            with contextlib.suppress(OSError):
                record.unlink()

    @staticmethod
    def _prune(folder: Path) -> None:
        old = time.time() - _RECORD_DAYS * 86400
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                if entry.stat().st_mtime < old:
                    os.unlink(entry.path)

    @classmethod
    def is_recorded(cls, token: str) -> bool:
        if token == cls.token:
            return True
        found = cls.recorded.get(token)
        if found is None:
            found = cls.recorded[token] = (_records() / token).is_file()
        return found


def temp_name(name: str, pid: int | None = None) -> str:
    """The temp file's name for a file called `name`: hidden, and recognisably ours (see is_stale_temp)."""
    return f".{name}{TEMP_MARK}{os.getpid() if pid is None else pid}-{_Run.mine()}"


def temp_path(target: Path) -> Path:
    return target.with_name(temp_name(target.name))


def is_stale_temp(name: str, *, only_dead: bool = True) -> bool:
    """A temp file that may be deleted: it has our exact name format, its run's token is recorded as ours,
    and its writing process is gone, so nothing will ever rename it. With `only_dead` False, also every temp
    file of this run (its workers' included): a failed build removes all of its own. A user's file that
    merely contains `.dzp-tmp-` is never one."""
    found = _TEMP.fullmatch(name)
    if found is None:
        return False
    pid, token = int(found.group(1)), found.group(2)
    if token == _Run.token and not only_dead:
        return True
    return _Run.is_recorded(token) and pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, ValueError):
        return False  # not a pid at all
    except OSError:
        return True  # alive, another user's
    return True


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

    This is where input files are read from, so the site's file policy is here (README: Symlinks): a link
    that leads outside the folder (a file the caller reads, a folder, or `base` itself leading outside its
    parent) is an error naming it, raised with all others once the walk is done; a link that stays inside is a file like
    any other. What is neither a regular file nor a folder (a FIFO, a socket, a device) is skipped with a
    warning: reading it could block forever.

    Temp files of killed writers met on the way are deleted: every build sweeps content/ and public/ this
    way at no extra cost, whether or not the state remembers an interruption.
    """
    fence = _fence(base)
    problems: list[DzenpressError] = []
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
            wanted = suffix is None or entry.name.endswith(suffix)  # what the caller reads: its links matter
            if wanted and entry.is_symlink():
                problem = link_outside(entry.path, fence)
                if problem:
                    problems.append(DzenpressError(problem, path=entry.path))
                    continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), rel))
            elif not wanted:
                continue
            elif entry.is_file():
                st = entry.stat()
                yield rel, (st.st_mtime_ns, st.st_size)
            elif entry.is_symlink() and not os.path.exists(entry.path):
                skipped(entry.path, "is a link to nothing (its target does not exist, or links loop); skipped")
            elif not entry.is_dir():
                skipped(entry.path, "is not a regular file (a FIFO, socket or device); skipped")
    raise_all(problems)


def scan_folders(folders: list[tuple[Path, bool]]) -> list[list[tuple[str, Stat]]]:
    """scan_files of each (folder, published), the problems of all of them raised together."""
    found: list[list[tuple[str, Stat]]] = []
    problems: list[DzenpressError] = []
    for folder, published in folders:
        try:
            found.append(list(scan_files(folder, published=published)))
        except DzenpressError as exc:
            problems.append(exc)
            found.append([])
    raise_all(problems)
    return found


def _fence(base: Path) -> str:
    """The real folder links found below `base` must stay in: `base` itself, unless `base` is a link, which
    must then stay inside its own parent."""
    if os.path.islink(base):
        problem = link_outside(str(base), os.path.realpath(base.parent))
        if problem:
            raise DzenpressError(problem, path=base)
    return os.path.realpath(base)


def link_outside(path: str | Path, fence: str | Path) -> str | None:
    """Why `path` (a link, or a path through one) may not be read as the site's input: its target is not
    inside the real folder `fence`. None when it stays inside."""
    real, fence = os.path.realpath(path), os.path.realpath(fence)
    if real == fence or real.startswith(fence.rstrip(os.sep) + os.sep):
        return None
    return (f"is a link to {real}, outside {fence}: files from outside the site are never published or "
            "served (replace the link by a copy of the file)")


_warned: set[str] = set()


def skipped(path: str | Path, why: str) -> None:
    """A warning, once per file per process, about an input file left out (on stderr: every command)."""
    key = f"{path}\0{why}"
    if key not in _warned:
        _warned.add(key)
        print(f"warning: {path}: {why}", file=sys.stderr)


def regular_file(path: Path) -> bool:
    """Whether `path` may be read as an input file: a regular file (links followed); else a warning."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return True  # let the reader report what is wrong
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return True
    skipped(path, "is not a regular file (a FIFO, socket or device); skipped")
    return False
