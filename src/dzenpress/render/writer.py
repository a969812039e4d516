"""Atomic writes. Outputs are staged as temp files beside their targets and renamed into place together."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from dzenpress.fsio import TEMP_MARK, temp_path


def write_temp(target: Path, data: bytes) -> Path:
    """Write `data` to a temp file beside `target`; the caller renames it."""
    tmp = temp_path(target)
    try:
        fh = open(tmp, "wb")  # noqa: SIM115 - the folder usually exists: skip a mkdir per file
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fh = open(tmp, "wb")  # noqa: SIM115
    with fh:
        fh.write(data)
    return tmp


def copy_temp(target: Path, source: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    shutil.copyfile(source, tmp)
    return tmp


class Staging:
    """Temp files waiting to replace their targets. Commit renames them all; rollback deletes them."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []  # (temp, target)

    def add(self, tmp: Path, target: Path) -> None:
        self.pending.append((tmp, target))

    def commit(self) -> None:
        for tmp, target in self.pending:
            os.replace(tmp, target)
        self.pending.clear()

    def rollback(self) -> None:
        for tmp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        self.pending.clear()


def remove_output(path: Path, root: Path) -> None:
    """Delete a stale output and any folders it leaves empty, never climbing above `root`."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def sweep_temps(root: Path) -> None:
    """Remove temp files an interrupted build left behind."""
    if not root.is_dir():
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if TEMP_MARK in name:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(dirpath, name))
