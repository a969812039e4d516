"""Dates and time zones: the site's zone from the config, timestamps as Dzen and other sources write them."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dzenpress.config import Config
from dzenpress.errors import ConfigError


def now() -> datetime:
    """The build's clock: the Dzen feed's window and the no-op check read it (tests replace it)."""
    return datetime.now(UTC)


def timezone_of(config: Config, root: Path) -> tzinfo:
    try:
        return ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {config.timezone!r}", path=root / "dzenpress.toml",
                          field="site.timezone") from None



def parse_date(value: Any) -> datetime | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, tz=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
