"""Build state in SQLite under <site>/.dzenpress/: parsed posts, and what every output was made from."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dzenpress.fsio import Stat

if TYPE_CHECKING:
    from dzenpress.content.post import Post  # unpickling posts imports it when there are any

SCHEMA_VERSION = "5"  # bump whenever the pickled Post changes shape


_MAX_DELTAS = 200  # changed posts kept as rows before they are folded into the blob
RAW_HINTS = "raw_hints"  # blob: post digest → whether it looks like a raw import (hints.py), by this version


class OutputRecord(NamedTuple):  # a tuple: thirteen thousand of these are read on every build
    key: str  # hash of everything the output was made from
    digest: str  # hash of the bytes written
    stat: Stat  # the file's (mtime_ns, size) right after writing
    mentions: str = ""  # what the output shows (`Kind:slug`, one a line): the index of who shows what


class State:
    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(state_dir / "state.sqlite3", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, data BLOB);
            CREATE TABLE IF NOT EXISTS post_delta (path TEXT PRIMARY KEY, data BLOB);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT, digest TEXT,
                                                mtime_ns INTEGER, size INTEGER, mentions TEXT);
            """
        )
        if self.get_meta("schema") != SCHEMA_VERSION:
            self.db.executescript("DROP TABLE outputs; CREATE TABLE outputs (path TEXT PRIMARY KEY, key TEXT, "
                                  "digest TEXT, mtime_ns INTEGER, size INTEGER, mentions TEXT);")
            self.reset()
            self.set_meta("schema", SCHEMA_VERSION)
        self._posts: dict[str, tuple[Stat, Post]] | None = None
        self._dirty: set[str] = set()
        self._deltas = 0
        self._outputs: dict[str, OutputRecord] | None = None

    def close(self) -> None:
        self.db.close()

    def reset(self) -> None:
        self.db.executescript("DELETE FROM meta; DELETE FROM blobs; DELETE FROM post_delta; DELETE FROM outputs;")
        self._posts, self._outputs = None, None

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ---- the PostCache protocol: parsed posts by (path, stat) ----
    # All posts live in one blob (one unpickle per run); posts changed since are delta rows, so editing
    # one post does not rewrite the blob. Enough deltas and the next save folds them into the blob.

    def _load_posts(self) -> dict[str, tuple[Stat, Post]]:
        if self._posts is None:
            row = self.db.execute("SELECT data FROM blobs WHERE name = 'posts'").fetchone()
            posts: dict[str, tuple[Stat, Post]] = pickle.loads(row[0]) if row else {}  # noqa: S301 - our file
            for path, data in self.db.execute("SELECT path, data FROM post_delta"):
                self._deltas += 1
                if data is None:
                    posts.pop(path, None)
                else:
                    posts[path] = pickle.loads(data)  # noqa: S301 - our own state file
            self._posts = posts
        return self._posts

    def get(self, path: str, stat: Stat) -> Post | None:
        hit = self._load_posts().get(path)
        return hit[1] if hit is not None and hit[0] == stat else None

    def put(self, path: str, stat: Stat, post: Post) -> None:
        self._load_posts()[path] = (stat, dataclasses.replace(post, body=""))
        self._dirty.add(path)

    def save_posts(self, live: set[str]) -> None:
        posts = self._load_posts()
        for gone in [p for p in posts if p not in live]:
            del posts[gone]
            self._dirty.add(gone)
        if not self._dirty:
            return
        with self.db:
            self.db.execute("BEGIN")
            if self._deltas + len(self._dirty) > _MAX_DELTAS:
                self.db.execute("INSERT OR REPLACE INTO blobs VALUES ('posts', ?)",
                                (pickle.dumps(posts, protocol=5),))
                self.db.execute("DELETE FROM post_delta")
                self._deltas = 0
            else:
                rows = [(p, pickle.dumps(posts[p], protocol=5) if p in posts else None) for p in self._dirty]
                self.db.executemany("INSERT OR REPLACE INTO post_delta VALUES (?, ?)", rows)
                self._deltas += len(rows)
        self._dirty.clear()

    def get_blob(self, name: str) -> object:
        row = self.db.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return pickle.loads(row[0]) if row else None  # noqa: S301 - our own state file

    def put_blob(self, name: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (name, pickle.dumps(value, protocol=5)))

    # ---- outputs ----

    def outputs(self) -> dict[str, OutputRecord]:
        if self._outputs is None:
            rows = self.db.execute("SELECT path, key, digest, mtime_ns, size, mentions FROM outputs")
            self._outputs = {p: OutputRecord(k, d, (m, s), w or "") for p, k, d, m, s, w in rows}
        return self._outputs

    def output_stats(self) -> dict[str, Stat]:
        """Each output's (mtime_ns, size) as last written: enough to tell that nothing was touched."""
        return {p: (m, s) for p, m, s in self.db.execute("SELECT path, mtime_ns, size FROM outputs")}

    def save_outputs(self, changed: dict[str, OutputRecord], removed: list[str], meta: dict[str, str]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?, ?)",
                                [(p, r.key, r.digest, r.stat[0], r.stat[1], r.mentions)
                                 for p, r in changed.items()])
            self.db.executemany("DELETE FROM outputs WHERE path = ?", [(p,) for p in removed])
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
        self._outputs = None

    def use_post_env(self, fingerprint: str) -> None:
        """Forget parsed posts made under another time zone or dzenpress version, and what was judged of them."""
        if self.get_meta("post_env") != fingerprint:
            self.db.execute("DELETE FROM post_delta")
            self.db.execute("DELETE FROM blobs WHERE name IN ('posts', ?)", (RAW_HINTS,))
            self._posts = None
            self.set_meta("post_env", fingerprint)
