"""What must be (re)built: compare each output's recipe key and file stat with the state.

An output is a `Page` (rendered from its template and context) or a `Copy` (a file copied as it is); the plan
is the list of outputs to make with their keys, and the outputs of earlier builds no longer made.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from dzenpress.fsio import Stat
from dzenpress.render.state import OutputRecord

if TYPE_CHECKING:
    from dzenpress.render.pages import Page


@dataclass(frozen=True)
class Copy:
    """An output copied from a file: from public/, a post's own files, an image variant from the cache."""

    output: str  # relative to the output folder
    source: Path
    origin: str  # "public", "images" or the slug of the post the file sits beside


Output: TypeAlias = "Page | Copy"


def file_stat(path: Path | str) -> Stat | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file where a folder of the path should be
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass
class Plan:
    todo: list[tuple[Output, str]] = field(default_factory=list)  # outputs to make, with their keys
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)  # outputs of earlier builds that are no longer made


def make_plan(outputs: Sequence[Output], key_of: Callable[[Output], str], records: dict[str, OutputRecord],
              touched: set[str], remembered: Iterable[str]) -> Plan:
    """`records`: what the state says each output was made from (empty for a clean build: all are made);
    `touched`: outputs whose file is not the one the state remembers (made again, whatever their key);
    `remembered`: every output the state knows of (a clean build still removes those no longer made)."""
    plan = Plan()
    for out in outputs:
        key = key_of(out)
        rec = records.get(out.output)
        if rec is not None and rec.key == key and out.output not in touched:
            plan.unchanged += 1
        else:
            plan.todo.append((out, key))
    current = {out.output for out in outputs}
    plan.stale = sorted(rel for rel in remembered if rel not in current)
    return plan
