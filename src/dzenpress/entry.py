"""The `dzenpress` console script (and `python -m dzenpress`).

A plain `build` (the command run most: by hand, by CI, by scripts) starts without Typer, and without Rich
unless stderr is a terminal: on a site that is already built, start-up is most of the run. Every other
command line goes to the Typer app in cli.py.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    args = plain_build(sys.argv[1:])
    if args is None:
        from dzenpress.cli import app

        app()
        return
    from dzenpress.terminal import build_command

    raise SystemExit(build_command(*args))


def plain_build(argv: list[str]) -> tuple[Path, bool, bool, int] | None:
    """`build [DIR] [--[no-]drafts] [--[no-]clean] [-j N]` as build_command()'s arguments; anything else
    (help, a typo, another command): None, for Typer to parse and explain."""
    if not argv or argv[0] != "build":
        return None
    path, flags, jobs = None, set(), 0
    rest = iter(argv[1:])
    for arg in rest:
        if arg in ("--drafts", "--clean"):
            flags.add(arg)
        elif arg in ("--no-drafts", "--no-clean"):
            flags.discard("--" + arg[5:])
        elif arg in ("-j", "--jobs"):
            value = next(rest, "")
            if not value.isdigit():
                return None
            jobs = int(value)
        elif arg.startswith("-") or path is not None:
            return None
        else:
            path = Path(arg)
    return path or Path("."), "--drafts" in flags, "--clean" in flags, jobs
