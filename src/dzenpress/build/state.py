"""Build state in SQLite under <site>/.dzenpress/: parsed posts, and what every output was made from."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dzenpress.content.post import Post
from dzenpress.content.site import Stat

SCHEMA_VERSION = "3"  # bump whenever the pickled Post changes shape


@dataclass(frozen=True)
class OutputRecord:
    key: str  # hash of everything the output was made from
    digest: str  # hash of the bytes written
    stat: Stat  # the file's (mtime_ns, size) right after writing


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
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT, digest TEXT,
                                                mtime_ns INTEGER, size INTEGER);
            """
        )
        if self.get_meta("schema") != SCHEMA_VERSION:
            self.reset()
            self.set_meta("schema", SCHEMA_VERSION)
        self._posts: dict[str, tuple[Stat, Post]] | None = None
        self._posts_dirty = False

    def close(self) -> None:
        self.db.close()

    def reset(self) -> None:
        self.db.executescript("DELETE FROM meta; DELETE FROM blobs; DELETE FROM outputs;")

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ---- the PostCache protocol: parsed posts by (path, stat), kept as one blob: one unpickle per run ----

    def _load_posts(self) -> dict[str, tuple[Stat, Post]]:
        if self._posts is None:
            row = self.db.execute("SELECT data FROM blobs WHERE name = 'posts'").fetchone()
            self._posts = pickle.loads(row[0]) if row else {}  # noqa: S301 - our own state file
        return self._posts

    def get(self, path: str, stat: Stat) -> Post | None:
        hit = self._load_posts().get(path)
        return hit[1] if hit is not None and hit[0] == stat else None

    def put(self, path: str, stat: Stat, post: Post) -> None:
        self._load_posts()[path] = (stat, dataclasses.replace(post, body=""))
        self._posts_dirty = True

    def save_posts(self, live: set[str]) -> None:
        posts = self._load_posts()
        for gone in [p for p in posts if p not in live]:
            del posts[gone]
            self._posts_dirty = True
        if self._posts_dirty:
            blob = pickle.dumps(posts, protocol=5)
            self.db.execute("INSERT OR REPLACE INTO blobs VALUES ('posts', ?)", (blob,))
            self._posts_dirty = False

    def get_blob(self, name: str) -> object:
        row = self.db.execute("SELECT data FROM blobs WHERE name = ?", (name,)).fetchone()
        return pickle.loads(row[0]) if row else None  # noqa: S301 - our own state file

    def put_blob(self, name: str, value: object) -> None:
        self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?)", (name, pickle.dumps(value, protocol=5)))

    # ---- outputs ----

    def outputs(self) -> dict[str, OutputRecord]:
        return {p: OutputRecord(k, d, (m, s)) for p, k, d, m, s in self.db.execute("SELECT * FROM outputs")}

    def save_outputs(self, changed: dict[str, OutputRecord], removed: list[str], meta: dict[str, str]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
                                [(p, r.key, r.digest, r.stat[0], r.stat[1]) for p, r in changed.items()])
            self.db.executemany("DELETE FROM outputs WHERE path = ?", [(p,) for p in removed])
            self.db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))
