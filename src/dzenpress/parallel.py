"""Work over many files on every core: chunks handed to forked worker processes, results in order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_in_chunks(fn: Callable[[list[T]], list[R]], items: Sequence[T], *, min_items: int,
                  jobs: int | None = None, chunk: int | None = None, start: str = "fork") -> Iterator[tuple[T, R]]:
    """(item, result) for every item, in order. Fewer than `min_items` items, a single core or no fork:
    done here, since starting workers would cost more than it saves. `chunk` sets the items per task
    (default: at least 32, right for cheap items; pass 1 when each item takes seconds). `start="spawn"`
    gives fresh workers, for libraries (libvips) whose threads make a fork after their use hang."""
    jobs = jobs or os.cpu_count() or 1
    if len(items) < min_items or jobs < 2 or start not in multiprocessing.get_all_start_methods():
        for item in items:
            yield item, fn([item])[0]
        return
    size = chunk or max(32, len(items) // (jobs * 8))
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(start)) as pool:
        for part, results in zip(chunks, pool.map(fn, chunks), strict=True):
            yield from zip(part, results, strict=True)
