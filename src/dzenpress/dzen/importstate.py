"""Import state in SQLite (<site>/.dzenpress/import.sqlite3), separate from the build's: deleting build
state must never make import forget which files it wrote."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Record:
    hex_id: str
    slug: str
    source: str
    content_hash: str = ""  # hash of what Dzen served, as we rendered it
    file_hash: str = ""  # hash of the file we wrote; "" for posts adopted from other tools
    images: dict[str, str] = field(default_factory=dict)  # file name → hash of the bytes we wrote
    pending: str = ""  # hash of the file we are about to write: recorded first, so a kill never orphans it
    incomplete: bool = False  # some images could not be fetched: the next import tries them again

    def owns(self, file_digest: str) -> bool:
        """Whether a file with this digest is one dzenpress wrote (or was writing when it was stopped)."""
        return bool(file_digest) and file_digest in (self.file_hash, self.pending)


class ImportState:
    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(state_dir / "import.sqlite3", isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS articles (hex_id TEXT PRIMARY KEY, slug TEXT, source TEXT,
                content_hash TEXT, file_hash TEXT, images TEXT, updated REAL);
            CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, sources TEXT, started REAL, finished REAL);
            CREATE TABLE IF NOT EXISTS run_done (run_id INTEGER, hex_id TEXT, PRIMARY KEY (run_id, hex_id));
            """
        )
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        for name, kind in (("pending", "TEXT"), ("incomplete", "INTEGER")):
            if name not in columns:  # a state written by an earlier version
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")

    def close(self) -> None:
        self.db.close()

    def get(self, hex_id: str) -> Record | None:
        row = self.db.execute("SELECT hex_id, slug, source, content_hash, file_hash, images, pending, incomplete "
                              "FROM articles WHERE hex_id = ?", (hex_id,)).fetchone()
        if row is None:
            return None
        return Record(row[0], row[1], row[2], row[3] or "", row[4] or "", json.loads(row[5] or "{}"), row[6] or "",
                      bool(row[7]))

    def put(self, record: Record) -> None:
        self.db.execute("INSERT OR REPLACE INTO articles (hex_id, slug, source, content_hash, file_hash, images, "
                        "updated, pending, incomplete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (record.hex_id, record.slug, record.source, record.content_hash, record.file_hash,
                         json.dumps(record.images, sort_keys=True), time.time(), record.pending,
                         int(record.incomplete)))

    # ---- runs: an interrupted import of the same sources resumes after what it finished ----

    def begin_run(self, sources: str) -> tuple[int, set[str]]:
        row = self.db.execute("SELECT id FROM runs WHERE sources = ? AND finished IS NULL ORDER BY id DESC LIMIT 1",
                              (sources,)).fetchone()
        if row is not None:
            done = {r[0] for r in self.db.execute("SELECT hex_id FROM run_done WHERE run_id = ?", (row[0],))}
            return int(row[0]), done
        cursor = self.db.execute("INSERT INTO runs (sources, started) VALUES (?, ?)", (sources, time.time()))
        return int(cursor.lastrowid or 0), set()

    def mark_done(self, run_id: int, hex_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO run_done VALUES (?, ?)", (run_id, hex_id))

    def finish_run(self, run_id: int) -> None:
        self.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (time.time(), run_id))
        self.db.execute("DELETE FROM run_done WHERE run_id = ?", (run_id,))
