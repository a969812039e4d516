"""What must be (re)built: compare each output's recipe key and file stat with the state."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dzenpress.fsio import Stat
from dzenpress.render.state import OutputRecord


def file_stat(path: Path | str) -> Stat | None:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):  # a file where a folder of the path should be
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass
class Plan:
    todo: list[tuple[int, str]] = field(default_factory=list)  # (index, key) of outputs to make
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)  # outputs of earlier builds that are no longer made


def make_plan(outputs: list[str], key_of: Callable[[int], str], records: dict[str, OutputRecord],
              touched: set[str]) -> Plan:
    """`touched`: outputs whose file is not the one the state remembers (made again, whatever their key)."""
    plan = Plan()
    current = set(outputs)
    for i, rel in enumerate(outputs):
        key = key_of(i)
        rec = records.get(rel)
        if rec is not None and rec.key == key and rel not in touched:
            plan.unchanged += 1
        else:
            plan.todo.append((i, key))
    plan.stale = sorted(p for p in records if p not in current)
    return plan
