"""Work over many files on every core: chunks handed to forked worker processes, results in order.

The one process pool of dzenpress (loading posts, rendering pages, clean). Workers are forked, so they
inherit what the caller prepared instead of receiving it pickled, and they die with the process that
started them: on Linux the kernel kills them when it exits (PR_SET_PDEATHSIG), elsewhere they notice
their parent is gone within a second.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

_jobs: int | None = None  # the -j of the running command; None: every core
_PR_SET_PDEATHSIG = 1


@contextlib.contextmanager
def limit(jobs: int | None) -> Iterator[None]:
    """Use at most `jobs` processes for the work started inside (`-j`); None or 0: every core."""
    global _jobs
    saved, _jobs = _jobs, jobs or None
    try:
        yield
    finally:
        _jobs = saved


def job_count() -> int:
    return _jobs or os.cpu_count() or 1


def map_shared(fn: Callable[[S, list[T]], list[R]], shared: S, items: Sequence[T], *, min_items: int,
               jobs: int | None = None, chunk: int | None = None) -> Iterator[tuple[T, R]]:
    """map_in_chunks for work that needs a large value besides its items (a build's pages, environment and
    records): `shared` is handed to each forked worker once, when it starts (inherited, never pickled), and
    `fn(shared, chunk)` runs there. The one way data reaches workers besides their items: no module globals."""
    if len(items) < min_items or (jobs or job_count()) < 2 or not _can_start("fork"):
        for item in items:
            yield item, fn(shared, [item])[0]
        return
    yield from map_in_chunks(partial(_with_shared, fn), items, min_items=0, jobs=jobs, chunk=chunk,
                             _shared=shared)


_worker_shared: object = None  # in a worker process only: the `shared` value its pool was started with


def _with_shared(fn: Callable[[Any, list[T]], list[R]], chunk: list[T]) -> list[R]:
    return fn(_worker_shared, chunk)


def map_in_chunks(fn: Callable[[list[T]], list[R]], items: Sequence[T], *, min_items: int,
                  jobs: int | None = None, chunk: int | None = None, start: str = "fork",
                  _shared: object = None) -> Iterator[tuple[T, R]]:
    """(item, result) for every item, in order. Fewer than `min_items` items, one job or no fork: done
    here, since starting workers would cost more than it saves. `chunk` sets the items per task
    (default: at least 32, right for cheap items; pass 1 when each item takes seconds). `start="spawn"`
    gives fresh workers, for libraries (libvips) whose threads make a fork after their use hang."""
    workers = jobs or job_count()
    if len(items) < min_items or workers < 2 or not _can_start(start):
        for item in items:
            yield item, fn([item])[0]
        return
    import multiprocessing  # only when there is work for workers (an edit's build has none)
    from concurrent.futures import ProcessPoolExecutor

    size = chunk or max(32, len(items) // (workers * 8))
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start), initializer=_start_worker,
                             initargs=(os.getpid(), _shared)) as pool:
        for part, results in zip(chunks, pool.map(fn, chunks), strict=True):
            yield from zip(part, results, strict=True)


def _can_start(method: str) -> bool:
    import multiprocessing

    return method in multiprocessing.get_all_start_methods()


def _start_worker(parent: int, shared: object) -> None:
    global _worker_shared
    _worker_shared = shared
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the process that forked us dies (kill -9 included)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # it died before we asked
        os._exit(1)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
