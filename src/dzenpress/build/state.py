"""Build state in SQLite under <site>/.dzenpress/: parsed posts, and what every output was made from."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dzenpress.content.post import Post
from dzenpress.content.site import Stat

SCHEMA_VERSION = "1"


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
            CREATE TABLE IF NOT EXISTS posts (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, data BLOB);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, key TEXT, digest TEXT,
                                                mtime_ns INTEGER, size INTEGER);
            """
        )
        if self.get_meta("schema") != SCHEMA_VERSION:
            self.reset()
            self.set_meta("schema", SCHEMA_VERSION)
        self._posts: dict[str, tuple[Stat, bytes]] | None = None
        self._new_posts: dict[str, tuple[Stat, bytes]] = {}

    def close(self) -> None:
        self.db.close()

    def reset(self) -> None:
        self.db.executescript("DELETE FROM meta; DELETE FROM posts; DELETE FROM outputs;")

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # ---- the PostCache protocol: parsed posts by (path, stat); bodies are read again when needed ----

    def get(self, path: str, stat: Stat) -> Post | None:
        if self._posts is None:
            self._posts = {p: ((m, s), d) for p, m, s, d in self.db.execute("SELECT * FROM posts")}
        hit = self._posts.get(path)
        if hit is None or hit[0] != stat:
            return None
        post: Post = pickle.loads(hit[1])  # noqa: S301 - our own state file
        post.path = Path(path)
        return post

    def put(self, path: str, stat: Stat, post: Post) -> None:
        self._new_posts[path] = (stat, pickle.dumps(dataclasses.replace(post, body=""), protocol=5))

    def save_posts(self, live: set[str]) -> None:
        rows = [(p, s[0], s[1], d) for p, (s, d) in self._new_posts.items()]
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?)", rows)
            known = self._posts.keys() if self._posts is not None else set()
            gone = [(p,) for p in known if p not in live]
            self.db.executemany("DELETE FROM posts WHERE path = ?", gone)
        self._new_posts.clear()

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
