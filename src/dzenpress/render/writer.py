"""Every file a build writes or deletes goes through here, and only inside the output folder.

`output_path` is the one gate: a target must be a plain relative path that resolves inside the output root.
Pages are staged as temp files beside their targets; `Staging.commit` renames them all in an order that
keeps the site's links working, with a journal that the next build rolls forward if the commit was killed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from dzenpress import routes
from dzenpress.errors import BuildError
from dzenpress.fsio import TEMP_MARK, is_stale_temp, temp_path

JOURNAL = ".dzenpress-commit"  # in the output folder from the first staged file until the commit is done
_LAST = frozenset({"rss.xml", "atom.xml", "sitemap.xml", "posts.json", "robots.txt"})
_checked: set[tuple[str, str]] = set()  # (root, folder) pairs found inside during this build


def output_path(root: Path, rel: str) -> Path:
    """The file `rel` names inside `root`; BuildError if it is not a plain path that stays inside."""
    problem = _rel_problem(rel)
    if problem is None:
        problem = _folder_problem(str(root), rel.rpartition("/")[0])
    if problem:
        raise BuildError(f"refusing to write or delete {rel!r}: {problem}", path=root, field="paths.output")
    return root / rel


def _folder_problem(root: str, folder: str) -> str | None:
    """Whether `folder` (relative) stays inside `root` with links followed: one lstat per folder per build."""
    if not folder or (root, folder) in _checked:
        return None
    problem = _folder_problem(root, folder.rpartition("/")[0])
    if problem is None and os.path.islink(os.path.join(root, folder)):
        real, real_root = os.path.realpath(os.path.join(root, folder)), os.path.realpath(root)
        if os.path.commonpath([real, real_root]) != real_root:
            problem = f"{folder} is a link to {real}, outside the output folder"
    if problem is None:
        _checked.add((root, folder))
    return problem


def _rel_problem(rel: str) -> str | None:
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
        return "not a relative path"
    if any(part in ("", ".", "..") for part in rel.split("/")):
        return "empty, '.' or '..' segments"
    return None


def check_outputs(pages: Iterable[str], files: Iterable[str]) -> None:
    """No two generated pages at one path, and no output (page or copied file) where another needs a folder.

    Copied files may repeat a path (a post's image also in public/): they are the same kind of file.
    """
    seen: set[str] = set()
    for rel in pages:
        if rel in seen:
            raise BuildError(f"two pages would be written to {rel!r}", field="paths.output")
        seen.add(rel)
    seen.update(files)
    folders: set[str] = set()
    for rel in seen:
        cut = rel.rfind("/")
        while cut > 0 and rel[:cut] not in folders:  # a folder already met brought its parents along
            folders.add(rel[:cut])
            cut = rel.rfind("/", 0, cut)
    clash = sorted(folders & seen)
    if clash:
        raise BuildError(f"{clash[0]!r} would be both a file and a folder of other outputs", field="paths.output")


def write_temp(target: Path, data: bytes) -> Path:
    """Write `data` to a new temp file beside `target` (a path from output_path, never through a link);
    the caller renames it."""
    tmp = temp_path(target)
    try:
        fd = _create(tmp)
    except FileNotFoundError:  # the folder usually exists: skip a mkdir per file
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = _create(tmp)
    try:  # os.write, not a file object: that costs an fstat, an ioctl and an lseek a file
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return tmp


def copy_temp(target: Path, source: Path) -> Path:
    """Copy `source` to a new temp file beside `target` (a path from output_path)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    os.close(_create(tmp))  # a fresh regular file: copyfile below writes into it, never through a link
    shutil.copyfile(source, tmp)
    return tmp


def _create(tmp: Path) -> int:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(tmp, flags, 0o644)
    except FileExistsError:  # left by a killed build of the same pid: never write through it
        tmp.unlink()
        return os.open(tmp, flags, 0o644)


class Staging:
    """Temp files waiting to replace their targets. Commit renames them all; rollback deletes them.

    Creating a Staging marks the output folder (the journal file) so that temp files of a killed build are
    swept by the next one, whatever happened to the build state.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pending: list[tuple[Path, Path]] = []  # (temp, target)
        _checked.clear()  # folders are resolved again once per build: links may have changed since
        root.mkdir(parents=True, exist_ok=True)
        _write_journal(root, [])

    def add(self, tmp: Path, target: Path) -> None:
        self.pending.append((tmp, target))

    def commit(self) -> None:
        """Files first, then post pages, then lists and the home page, then feeds and the sitemap: a page is
        in place only after what it links to. The journal lets the next build finish a killed commit."""
        base = str(self.root) + os.sep
        order = sorted(self.pending, key=lambda p: _rank(str(p[1]).removeprefix(base)))
        journal = [(str(tmp).removeprefix(base), str(target).removeprefix(base)) for tmp, target in order]
        try:
            _write_journal(self.root, journal)
        except BaseException:
            self.rollback()
            raise
        for tmp, target in order:
            os.replace(tmp, target)
        self.pending.clear()
        _unlink(self.root / JOURNAL)

    def rollback(self) -> None:
        for tmp, _ in self.pending:
            _unlink(tmp)
            _prune(self.root, tmp.parent)  # folders made for new pages
        self.pending.clear()
        sweep_temps(self.root, only_dead=False)  # also those of workers whose results never came back
        _unlink(self.root / JOURNAL)


def _rank(rel: str) -> int:
    if rel in _LAST:
        return 3
    if not rel.endswith(".html"):
        return 0  # images, the stylesheet, public files: what pages point to
    if rel in ("index.html", "404.html") or routes.is_list_output(rel):
        return 2
    return 1  # post pages, alias redirects, public HTML


def _write_journal(root: Path, entries: list[tuple[str, str]]) -> None:
    """Replace the journal in one rename. Not fsynced: it guards against kills, not power loss (README)."""
    tmp = temp_path(root / JOURNAL)
    with open(_create(tmp), "wb") as fh:
        fh.write(json.dumps(entries).encode())
    os.replace(tmp, root / JOURNAL)


def recover(root: Path, *, sweep: bool) -> bool:
    """Before a build: finish the commit a killed build left half-done, then sweep stray temp files. True when
    there was such a commit (files were renamed into place).

    The folder is walked when `sweep` says the state cannot vouch for it, or when the journal shows a
    build was cut off (a build keeps the journal from its first temp file until its commit is done).
    """
    _checked.clear()
    journal = root / JOURNAL
    try:
        entries = json.loads(journal.read_bytes())
    except FileNotFoundError:
        entries = None
    except (OSError, ValueError):
        entries = []
    for tmp_rel, target_rel in entries or ():
        try:
            tmp, target = output_path(root, tmp_rel), output_path(root, target_rel)
        except BuildError:
            continue  # a journal entry that points anywhere else is not followed
        if tmp.exists():
            os.replace(tmp, target)
    if sweep or entries is not None:
        sweep_temps(root)
    if entries is not None:
        _unlink(journal)
    return entries is not None


def remove_output(root: Path, rel: str) -> bool:
    """Delete a stale output and any folders it leaves empty, never climbing above `root`.

    A recorded output that the gate refuses (a state written by an older version, or edited) is left alone.
    """
    try:
        path = output_path(root, rel)
    except BuildError:
        return False
    _unlink(path)
    _prune(root, path.parent)
    return True


def _prune(root: Path, folder: Path) -> None:
    """Remove `folder` and its parents while they are empty, never `root` or anything above it."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def sweep_temps(root: Path, *, only_dead: bool = True) -> None:
    """Remove our temp files (fsio.is_stale_temp: exact name, recorded run) that no running process will
    rename, below `root`; with `only_dead` False also every one of this run's."""
    if not root.is_dir():
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if TEMP_MARK in name and is_stale_temp(name, only_dead=only_dead):
                rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                with contextlib.suppress(BuildError):  # the walk follows no links; the gate checks once more
                    _unlink(output_path(root, rel))
                    _prune(root, Path(dirpath))


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def output_error(exc: OSError, root: Path) -> BuildError:
    """One line for a file-system failure during a build: what, where, what to do."""
    where = Path(exc.filename) if isinstance(exc.filename, str) else root
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BuildError("no space left on the disk; free some space and build again (the previous site is "
                          "unchanged)", path=where, field="paths.output" if _inside(where, root) else None)
    if not _inside(where, root):
        return BuildError(f"{exc.strerror or exc}", path=where)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = (f"cannot write here ({exc.strerror}); make the output folder writable or choose another "
                "paths.output (the previous site is unchanged)")
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        blocker = _file_in_the_way(where, root)
        where = blocker or where
        what = ("is a file where the site needs a folder; move it away or choose another paths.output"
                if blocker else f"{exc.strerror}; move it away or choose another paths.output")
    else:
        what = f"{exc.strerror or exc}"
    return BuildError(what, path=where, field="paths.output")


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _file_in_the_way(path: Path, root: Path) -> Path | None:
    """The output folder, or the first of `path`'s folders below it, that exists as something else."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = ()
    for n in range(max(len(parts), 1)):
        folder = root.joinpath(*parts[:n])
        if folder.exists() and not folder.is_dir():
            return folder
    return None
