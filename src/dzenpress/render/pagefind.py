"""Pagefind's indexing service (`pagefind --service`), spoken to directly: several indexes in one process.

The binary's service mode is what Pagefind's own Python and Node APIs drive: base64 JSON messages, each
ended by a comma, on stdin and stdout. The Python API waits 0.1 s for every answer (20 s for 200 pages), so
this client writes all requests of a batch first and then reads the answers. Pages are added in the order
given; for the same pages in the same order the service writes the same bytes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dzenpress.errors import BuildError

INDEX_FOLDERS = ("index", "fragment", "filter")
_AHEAD = 64  # answers are a few hundred bytes: 64 of them stay well inside a 64 KiB pipe


@dataclass(frozen=True)
class Record:
    """A page with no HTML: the runtime index's one record. It must hold a word for Pagefind to keep it (and
    with it the language, which picks the stemmer): "‿" (undertie), which no one types."""

    url: str
    language: str


@dataclass(frozen=True)
class Job:
    """One index to write into `output`: HTML files (paths relative to the service's folder) or records. With
    `code` False only the index data is written (Pagefind's JavaScript and WebAssembly are left out)."""

    output: Path
    files: tuple[str, ...] = ()
    records: tuple[Record, ...] = ()
    code: bool = True


class Service:
    """One `pagefind --service` process, working in `cwd` (page paths are relative to it, as with --site)."""

    def __init__(self, binary: Path, cwd: Path) -> None:
        self.cwd = cwd
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close(); what a failing service says
        self.proc = subprocess.Popen([str(binary), "--service"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.errors)
        self._next = 0
        self._waiting = 0  # requests sent and not yet answered
        self._rest = b""

    def write(self, job: Job) -> None:
        """Index `job`'s pages and write the index. Requests are written ahead of the answers, at most
        _AHEAD unanswered (so neither pipe fills while the other side waits). The files come back in the
        answer (GetFiles) and are written here: the service's own WriteFiles answers before its files are
        all written, and a service that exits then leaves some of them short."""
        index = self._call({"type": "NewIndex", "config": {}})["index_id"]
        for rel in job.files:
            contents = (self.cwd / rel).read_text(encoding="utf-8", errors="replace")
            self._send({"type": "AddFile", "index_id": index, "file_path": rel, "url": None,
                        "file_contents": contents})
        for record in job.records:
            self._send({"type": "AddRecord", "index_id": index, "url": record.url, "content": "‿",
                        "language": record.language, "meta": {"title": ""}, "filters": None, "sort": None})
        while self._waiting:
            self._receive()
        files = self._call({"type": "GetFiles", "index_id": index})["files"]
        self._call({"type": "DeleteIndex", "index_id": index})
        for file in files:
            rel = str(file["path"])
            if job.code or is_index_data(rel):
                _write_file(job.output, rel, base64.b64decode(file["content"]))

    def close(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.errors.close()

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._send(payload)
        return self._receive()

    def _send(self, payload: dict[str, Any]) -> None:
        if self._waiting >= _AHEAD:
            self._receive()
        self._next += 1
        self._waiting += 1
        message = json.dumps({"message_id": self._next, "payload": payload}).encode()
        try:
            self._pipe(self.proc.stdin).write(base64.b64encode(message) + b",")
        except BrokenPipeError:
            raise BuildError(f"search index failed: {self._last_error()}", path=self.cwd) from None

    def _receive(self) -> dict[str, Any]:
        try:
            self._pipe(self.proc.stdin).flush()
        except BrokenPipeError:
            raise BuildError(f"search index failed: {self._last_error()}", path=self.cwd) from None
        out = self._pipe(self.proc.stdout)
        chunks = [self._rest]
        end = self._rest.find(b",")
        while end < 0:
            chunk = out.read1(1 << 20)  # type: ignore[attr-defined]
            if not chunk:
                raise BuildError(f"search index failed: {self._last_error()}", path=self.cwd)
            end = chunk.find(b",")
            chunks.append(chunk)
        if end >= 0 and len(chunks) > 1:
            end += sum(len(c) for c in chunks[:-1])
        data = b"".join(chunks)
        message, self._rest = data[:end], data[end + 1 :]
        self._waiting -= 1
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise BuildError(f"search index failed: {payload.get('message')}", path=self.cwd)
        return payload

    def _last_error(self) -> str:
        self.proc.wait(timeout=10)
        self.errors.seek(0)
        lines = self.errors.read()[-4096:].decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else f"the Pagefind service stopped (exit status {self.proc.returncode})"

    @staticmethod
    def _pipe(pipe: IO[bytes] | None) -> IO[bytes]:
        assert pipe is not None
        return pipe


def is_index_data(rel: str) -> bool:
    """Whether a file of a Pagefind bundle is index data (the rest is its code, the same in every bundle)."""
    return rel == "pagefind-entry.json" or rel.endswith(".pf_meta") or rel.partition("/")[0] in INDEX_FOLDERS


def _write_file(root: Path, rel: str, data: bytes) -> None:
    if rel.startswith("/") or ".." in rel.split("/"):
        raise BuildError(f"the Pagefind service named a file outside its bundle: {rel!r}", path=root)
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def write_indexes(binary: Path, cwd: Path, jobs: Iterable[Job], processes: int) -> None:
    """Write every job's index, spread over up to `processes` services running side by side."""
    todo = list(jobs)
    count = max(1, min(processes, len(todo)))
    services = [Service(binary, cwd) for _ in range(count)]
    try:
        with ThreadPoolExecutor(count) as pool:  # the services work in parallel; the threads only wait on pipes
            for done in [pool.submit(_write_all, service, todo[n::count]) for n, service in enumerate(services)]:
                done.result()
    except (OSError, ValueError) as exc:
        raise BuildError(f"search index failed: {exc}", path=cwd) from None
    finally:
        for service in services:
            service.close()


def _write_all(service: Service, jobs: list[Job]) -> None:
    for job in jobs:
        service.write(job)
