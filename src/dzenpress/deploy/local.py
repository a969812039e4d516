"""A folder on this machine (a mounted share, the web server's root): copy beside, rename into place."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from dzenpress.deploy.engine import TEMP, Done, Engine, Upload, os_error


class LocalEngine(Engine):
    @property
    def root(self) -> Path:
        return Path(self.target.path)

    def open(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(self, exc) from None
        if not os.access(self.root, os.W_OK):
            raise self.fail("cannot write there; check the target folder's permissions")

    def existing(self, rels: set[str]) -> set[str]:
        return {rel for rel in rels if (self.root / rel).is_file()}

    def sweep(self, folders: set[str]) -> None:
        for folder in folders:
            with contextlib.suppress(OSError), os.scandir(self.root / folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") and entry.name.endswith(TEMP):
                        os.unlink(entry.path)

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        for item in batch:
            dest = self.root / item.rel
            tmp = dest.with_name(f".{dest.name}{TEMP}")
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(item.source, tmp)
                os.chmod(tmp, 0o644)
                os.replace(tmp, dest)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise os_error(self, exc) from None
            done(item.rel)

    def delete(self, rels: Sequence[str], done: Done) -> None:
        for rel in rels:
            path = self.root / rel
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise os_error(self, exc) from None
            folder = path.parent
            while folder != self.root and self.root in folder.parents:
                try:
                    folder.rmdir()
                except OSError:
                    break
                folder = folder.parent
            done(rel)
