"""Pagefind's indexing service (`pagefind --service`), spoken to directly: several indexes in one process.

The binary's service mode is what Pagefind's own Python and Node APIs drive: base64 JSON messages, each
ended by a comma, on stdin and stdout. The Python API waits 0.1 s for every answer (20 s for 200 pages), so
this client writes all requests of a batch first and then reads the answers. Pages are added in the order
given; for the same pages in the same order the service writes the same bytes.
"""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dzenpress.errors import BuildError

_AHEAD = 64  # answers are a few hundred bytes: 64 of them stay well inside a 64 KiB pipe


@dataclass(frozen=True)
class Record:
    """A page with no HTML: the runtime index's one record. It must hold a word for Pagefind to keep it (and
    with it the language, which picks the stemmer): "‿" (undertie), which no one types."""

    url: str
    language: str


@dataclass(frozen=True)
class Job:
    """One index to write: HTML files (paths relative to the service's folder) or records, into `output`."""

    output: Path
    files: tuple[str, ...] = ()
    records: tuple[Record, ...] = ()


class Service:
    """One `pagefind --service` process, working in `cwd` (page paths are relative to it, as with --site)."""

    def __init__(self, binary: Path, cwd: Path) -> None:
        self.cwd = cwd
        self.proc = subprocess.Popen([str(binary), "--service"], cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._next = 0
        self._waiting = 0  # requests sent and not yet answered
        self._rest = b""

    def write(self, job: Job) -> None:
        """Index `job`'s pages and write the index. Requests are written ahead of the answers, at most
        _AHEAD unanswered (so neither pipe fills while the other side waits)."""
        index = self._call({"type": "NewIndex", "config": {}})["index_id"]
        for rel in job.files:
            contents = (self.cwd / rel).read_text(encoding="utf-8", errors="replace")
            self._send({"type": "AddFile", "index_id": index, "file_path": rel, "url": None,
                        "file_contents": contents})
        for record in job.records:
            self._send({"type": "AddRecord", "index_id": index, "url": record.url, "content": "‿",
                        "language": record.language, "meta": {"title": ""}, "filters": None, "sort": None})
        self._send({"type": "WriteFiles", "index_id": index, "output_path": str(job.output)})
        while self._waiting:
            self._receive()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def _call(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._send(payload)
        return self._receive()

    def _send(self, payload: dict[str, Any]) -> None:
        if self._waiting >= _AHEAD:
            self._receive()
        self._next += 1
        self._waiting += 1
        message = json.dumps({"message_id": self._next, "payload": payload}).encode()
        self._pipe(self.proc.stdin).write(base64.b64encode(message) + b",")

    def _receive(self) -> dict[str, Any]:
        self._pipe(self.proc.stdin).flush()
        out = self._pipe(self.proc.stdout)
        while b"," not in self._rest:
            chunk = out.read1(1 << 16)  # type: ignore[attr-defined]
            if not chunk:
                raise BuildError("the Pagefind service stopped unexpectedly", path=self.cwd)
            self._rest += chunk
        message, _, self._rest = self._rest.partition(b",")
        self._waiting -= 1
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") == "Error":
            raise BuildError(f"search index failed: {payload.get('message')}", path=self.cwd)
        return payload

    @staticmethod
    def _pipe(pipe: IO[bytes] | None) -> IO[bytes]:
        assert pipe is not None
        return pipe


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
