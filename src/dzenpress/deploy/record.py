"""What one target holds, as far as dzenpress knows: `.dzenpress/deploy/<name>.json`.

`files` maps each path on the target to the version uploaded there. `pending` lists paths a deploy was
about to change when it started: after a kill, those may or may not have reached the target, so the next
deploy uploads them again, or deletes them if the site no longer has them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dzenpress.fsio import atomic_write


@dataclass
class Record:
    path: Path
    target: str  # Target.identity_key(): another destination starts from an empty record
    files: dict[str, str] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path, target: str) -> Record:
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return cls(path, target)
        except (OSError, ValueError):
            return cls(path, target)  # unreadable: upload everything again, which is always safe
        if not isinstance(data, dict) or data.get("target") != target:
            return cls(path, target)
        files = data.get("files")
        pending = data.get("pending")
        return cls(path, target, dict(files) if isinstance(files, dict) else {},
                   set(pending) if isinstance(pending, list) else set())

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"target": self.target, "files": self.files,
                                            "pending": sorted(self.pending)}, ensure_ascii=False,
                                           separators=(",", ":")))

    def uploaded(self, rel: str, version: str) -> None:
        self.files[rel] = version
        self.pending.discard(rel)

    def deleted(self, rel: str) -> None:
        self.files.pop(rel, None)
        self.pending.discard(rel)
