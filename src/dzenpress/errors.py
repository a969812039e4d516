"""One exception family. Every error can say which file, line and field it is about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


class DzenpressError(Exception):
    """Base of every error dzenpress raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        # a URL stays a string: Path() would fold its "//"
        self.path: Path | str | None = path if isinstance(path, str) and "://" in path else (
            Path(path) if path is not None else None)
        self.line = line
        self.field = field

    def __reduce__(self) -> tuple[Any, ...]:
        # keep file, line and field when an error crosses from a worker process
        return _rebuild, (type(self), self.message, self.path, self.line, self.field)

    def location(self) -> str:
        if self.path is None:
            return ""
        loc = str(self.path)
        if self.line is not None:
            loc += f":{self.line}"
        return loc

    def __str__(self) -> str:
        where = self.location()
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}" if where else what


class ConfigError(DzenpressError):
    """dzenpress.toml is missing, unreadable or holds a wrong key or value."""


class PostError(DzenpressError):
    """One post file is invalid."""


class BuildError(DzenpressError):
    """The build could not finish; the previous output is left as it was."""


class ErrorGroup(DzenpressError):
    """Several errors found in one pass, reported together (as Zola does)."""

    def __init__(self, errors: Sequence[DzenpressError]) -> None:
        self.errors = list(errors)
        noun = "error" if len(self.errors) == 1 else "errors"
        super().__init__(f"{len(self.errors)} {noun}")

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return ErrorGroup, (self.errors,)


def _rebuild(cls: type[DzenpressError], message: str, path: Path | str | None, line: int | None,
             field: str | None) -> DzenpressError:
    return cls(message, path=path, line=line, field=field)


def flatten(error: DzenpressError) -> list[DzenpressError]:
    if isinstance(error, ErrorGroup):
        return [e for inner in error.errors for e in flatten(inner)]
    return [error]


def raise_all(errors: Iterable[DzenpressError]) -> None:
    collected = list(errors)
    if len(collected) == 1:
        raise collected[0]
    if collected:
        raise ErrorGroup(collected)
