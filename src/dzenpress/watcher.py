"""What `serve` watches: the site's input folders, recursively, and the files directly in the site folder
(its config, plugin modules), never the output and state folders.

Watching the whole site folder meant watching `dist/` and `.dzenpress/preview/`: at 10,000 posts some 26,000
folders, which took inotify seconds to register after the preview said it was ready, and an edit made in
that time was lost. The inputs are watched by one watcher and the site folder's own files by another, not
recursively (a config saved by an editor's rename is a new file there, which a watch on the file would miss).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Changes = set[tuple[Any, str]]


def site_changes(root: Path, inputs: list[Path], ignore: tuple[Path, ...],
                 stop: threading.Event | None) -> Iterator[Changes]:
    """Each batch of changes to the inputs or to the site folder's own files, until `stop` is set (or Ctrl+C)."""
    from watchfiles import DefaultFilter, watch

    default = DefaultFilter()

    def wanted(change: Any, path: str) -> bool:
        return default(change, path) and not any(Path(path).resolve().is_relative_to(i) for i in ignore)

    stopping = stop or threading.Event()
    found: queue.Queue[Changes | BaseException | None] = queue.Queue()
    folders = sorted({str(p) for p in inputs if p.is_dir()})  # one created later is seen at the next start

    def pump(paths: list[str], recursive: bool) -> None:
        try:
            for changes in watch(*paths, watch_filter=wanted, debounce=400, stop_event=stopping,
                                 recursive=recursive, raise_interrupt=False):
                found.put(changes)
        except BaseException as exc:  # handed to the caller's thread, which reports it
            found.put(exc)
        found.put(None)

    workers = [threading.Thread(target=pump, args=(paths, recursive), daemon=True)
               for paths, recursive in ((folders, True), ([str(root)], False)) if paths]
    for worker in workers:
        worker.start()
    try:
        yield from _merged(found, len(workers))
    finally:
        stopping.set()
        for worker in workers:
            worker.join(10)


def _merged(found: queue.Queue[Changes | BaseException | None], workers: int) -> Iterator[Changes]:
    """Each watcher's batches as they come (no wait to join them: an edit's reload must not wait)."""
    done = 0
    while done < workers:
        item = found.get()
        if item is None:
            done += 1
        elif isinstance(item, BaseException):
            raise item
        else:
            yield item
