"""Reading Dzen's JSON: nested paths that may be missing, and timestamps in every form Dzen writes them
(Unix milliseconds or seconds, as numbers or as digit strings, or ISO dates)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dzenpress.dates import parse_date


def dig(node: Any, *keys: str) -> Any:
    """node[k1][k2]… or None when any step is missing or not a mapping."""
    for key in keys:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def when(value: Any) -> datetime | None:
    """A timestamp as Dzen writes it → an aware datetime; None for anything else."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
        return None
    return parse_date(value)


def first_date(node: Any, *keys: str) -> datetime | None:
    for key in keys:
        parsed = when(dig(node, key))
        if parsed:
            return parsed
    return None
