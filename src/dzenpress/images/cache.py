"""The content-addressed image cache under .dzenpress/images/.

Encoded variants are files named by their key (see variants.py): an image is never encoded twice with
the same parameters, whichever post uses it and whatever happened to the output folder. The index
remembers each source's content digest by (path, mtime, size) and what probing each digest found, so
a build where nothing changed reads no image at all.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from dzenpress.fsio import Stat, atomic_write, temp_path
from dzenpress.hashing import digest

_INDEX = "index.json"
_INDEX_VERSION = 1


@dataclass(frozen=True)
class Probe:
    """What a source image is, learnt from its header (and, for errors, from decoding it)."""

    width: int = 0
    height: int = 0
    kind: str = "raster"  # raster | animated | svg | bad
    alpha: bool = False
    error: str = ""


class ImageCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, list[object]] = {}
        self._probes: dict[str, dict[str, object]] = {}
        self._dirty = False
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            data = json.loads((folder / _INDEX).read_text(encoding="utf-8"))
            if data.get("version") == _INDEX_VERSION:
                self._files, self._probes = dict(data["files"]), dict(data["probes"])

    def path(self, key: str, ext: str) -> Path:
        return self.folder / key[:2] / f"{key}.{ext}"

    def has(self, key: str, ext: str) -> bool:
        try:
            return os.stat(self.path(key, ext)).st_size > 0
        except OSError:
            return False

    def source_digest(self, file: Path, stat: Stat) -> str:
        """Content digest of a source image, read again only when its (mtime, size) changed."""
        name = str(file)
        known = self._files.get(name)
        if known is not None and known[:2] == list(stat):
            return str(known[2])
        value = digest(file.read_bytes())
        self._files[name] = [stat[0], stat[1], value]
        self._dirty = True
        return value

    def probe(self, src_digest: str) -> Probe | None:
        data = self._probes.get(src_digest)
        return Probe(**data) if data is not None else None  # type: ignore[arg-type]

    def remember(self, src_digest: str, probe: Probe) -> None:
        if probe.error:
            return  # bad files are looked at again on every build: the message must be current
        self._probes[src_digest] = asdict(probe)
        self._dirty = True

    def save(self, live_files: set[str]) -> None:
        """Write the index, forgetting sources no longer used."""
        stale = set(self._files) - live_files
        if not self._dirty and not stale:
            return
        for name in stale:
            del self._files[name]
        digests = {str(v[2]) for v in self._files.values()}
        self._probes = {k: v for k, v in self._probes.items() if k in digests}
        data = {"version": _INDEX_VERSION, "files": self._files, "probes": self._probes}
        atomic_write(self.folder / _INDEX, json.dumps(data, separators=(",", ":")))
        self._dirty = False


def store(path: Path, data: bytes) -> None:
    """Put an encoded file into the cache: a temp file renamed into place, so a reader (or a build
    interrupted half-way) never sees a partial file under a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
