"""What the built site holds now: every file of the output folder with a version, without hashing the site.

A file the build wrote is versioned by the digest the build state recorded for it, as long as the file has
the stat the state remembers. Anything else (the search index, a file touched since) is hashed once and
remembered by its stat in `.dzenpress/deploy/files.json`, shared by all targets.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from dzenpress.fsio import TEMP_MARK, WELL_KNOWN, Stat, atomic_write
from dzenpress.hashing import digest

JOURNAL = ".dzenpress-commit"  # render/writer.py's commit journal: a build is under way or was killed
# names that hold secrets: never published, wherever they sit in the output
_SECRET = re.compile(
    r"(^|/)(\.env(\..*)?|\.netrc|\.npmrc|\.pypirc|\.git-credentials|credentials(\.(json|csv|ini|toml|ya?ml|txt))?|id_(rsa|dsa|ecdsa|ed25519)"
    r"(\.pub)?|.*\.(pem|key|p12|pfx|kdbx|sqlite3?)|dzenpress\.toml|\.htpasswd|\.aws/.*|\.ssh/.*|\.git/.*)$",
    re.IGNORECASE)


@dataclass
class Manifest:
    files: dict[str, str]  # output path → version
    refused: list[str]  # files that look like secrets: never deployed


def is_secret(rel: str) -> bool:
    return bool(_SECRET.search(rel))


def read_output(out_dir: Path, recorded: dict[str, tuple[str, Stat]], cache_file: Path | None) -> Manifest:
    """Every publishable file below `out_dir` with its version. `recorded`: the build state's digests and
    stats by output path; `cache_file`: where hashes of other files are kept by stat (None: not saved)."""
    cache = _load_cache(cache_file)
    fresh: dict[str, list[object]] = {}
    files: dict[str, str] = {}
    refused: list[str] = []
    for rel, stat in _walk(out_dir):
        if is_secret(rel):
            refused.append(rel)
            continue
        known = recorded.get(rel)
        if known is not None and known[1] == stat:
            files[rel] = known[0]
            continue
        hit = cache.get(rel)
        version = str(hit[2]) if hit is not None and (hit[0], hit[1]) == stat else _hash_file(out_dir / rel)
        fresh[rel] = [stat[0], stat[1], version]
        files[rel] = version
    if cache_file is not None and fresh != cache:
        atomic_write(cache_file, json.dumps(fresh, separators=(",", ":")))
    return Manifest(files, sorted(refused))


def _walk(base: Path) -> list[tuple[str, Stat]]:
    """(relative path, stat) of every file; hidden entries are skipped except .well-known/ at the root."""
    found: list[tuple[str, Stat]] = []
    stack = [(str(base), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if TEMP_MARK in name or (name.startswith(".") and not (name == WELL_KNOWN and not prefix)):
                    continue
                rel = prefix + name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    found.append((rel, (st.st_mtime_ns, st.st_size)))
    return found


def _hash_file(path: Path) -> str:
    return digest(path.read_bytes())


def _load_cache(cache_file: Path | None) -> dict[str, list[object]]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
