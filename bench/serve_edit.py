"""The bench's `serve` line: from saving a post to the reload events `dzenpress serve` sends, the edited
post's own (rendered at once, dzenpress/hot.py) and the incremental build's after it."""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import threading
import time
from pathlib import Path

_LISTENING = re.compile(r"http://127\.0\.0\.1:(\d+)/")


def serve_edits(command: list[str], site: Path, slug: str, edits: int = 5) -> str:
    """Edit the post `slug` `edits` times under `serve`; a line of medians (and ranges) in seconds."""
    proc = subprocess.Popen([*command, "serve", str(site), "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        port = _port(proc)
        events = _listen(port)
        time.sleep(0.5)
        post = site / "content" / "posts" / f"{slug}.md"
        first: list[float] = []
        build: list[float] = []
        for n in range(edits):
            seen = len(events)
            post.write_text(post.read_text(encoding="utf-8") + f"\nПравка {n} под serve.\n", encoding="utf-8")
            saved = time.monotonic()
            deadline = saved + 300
            while len(events) < seen + 2 and time.monotonic() < deadline:
                time.sleep(0.005)
            if len(events) < seen + 2:
                return f"no reload events after an edit ({len(events) - seen} of 2)"
            first.append(events[seen][0] - saved)
            build.append(events[seen + 1][0] - saved)
            time.sleep(2)  # the search shard is indexed after the build's event
        return (f"edited post's tab {statistics.median(first):.3f} s ({min(first):.3f}–{max(first):.3f}), "
                f"the build's reload {statistics.median(build):.3f} s ({min(build):.3f}–{max(build):.3f})")
    finally:
        proc.terminate()
        proc.wait(30)


def _port(proc: subprocess.Popen[str]) -> int:
    assert proc.stdout is not None
    for line in proc.stdout:
        found = _LISTENING.search(line)
        if found:
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return int(found.group(1))
    raise SystemExit("dzenpress serve stopped before it listened")


def _listen(port: int) -> list[tuple[float, object]]:
    """Reload events as they arrive: (monotonic time, the pages they name)."""
    events: list[tuple[float, object]] = []

    def read() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/__dzenpress/events")
        answer = conn.getresponse()
        for line in answer.fp:
            if line.startswith(b"data: "):
                events.append((time.monotonic(), json.loads(line[6:])))

    threading.Thread(target=read, daemon=True).start()
    return events
