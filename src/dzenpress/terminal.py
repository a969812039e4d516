"""How commands talk on stderr (Rich on a terminal, plain lines elsewhere), and the `build` command itself,
which both the console script's fast path and the Typer app run."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from dzenpress.errors import DzenpressError, flatten
from dzenpress.settings import STATE_DIR

T = TypeVar("T")
Progress = Callable[[int, int], None]


def build_command(path: Path, drafts: bool, clean: bool, jobs: int, out: Output | None = None) -> int:
    """`dzenpress build`: build, print the warnings and the summary; the exit status."""
    import shutil
    import sqlite3

    from dzenpress.project import Project

    out = out or Output()
    new_state = not (path / STATE_DIR).exists()
    try:
        # Project reads the config before it creates any state (or its lock) in the folder
        with Project(path, drafts=drafts, jobs=jobs or None) as project:
            report = out.with_progress(lambda progress: project.build(clean=clean, progress=progress), "rendering")
            hints = owner_hints(project)
    except DzenpressError as exc:
        if new_state:  # a failed command leaves no new files
            shutil.rmtree(path / STATE_DIR, ignore_errors=True)
        return out.fail(exc)
    except (OSError, sqlite3.Error) as exc:  # the site folder or its state: unreadable, read-only, full
        return out.fail(io_error(exc, path))
    for warning in [*report.warnings, *hints]:
        out.line(warning, label="warning", colour="yellow")
    out.line(f"{project.output_dir}: {report.summary()}")
    return 0


def owner_hints(project: Any) -> list[str]:
    """What the owner should fix in their files: a placeholder site address, posts still raw from Dzen
    (known only when this build loaded the posts; a build with nothing to do reads none)."""
    from dzenpress import hints
    from dzenpress.render.state import RAW_HINTS

    found = [hints.placeholder_url(project.config.url)]
    if project.site is not None:
        posts = [p for p in project.site.posts if not p.draft]
        saved = project.state.get_blob(RAW_HINTS)
        known = saved if isinstance(saved, dict) else {}
        before = len(known)
        found.append(hints.raw_imports(posts, known))
        if len(known) != before:  # verdicts of the posts there are now, by content: edited ones are new
            project.state.put_blob(RAW_HINTS, {p.digest: known[p.digest] for p in posts})
    return [h for h in found if h]



def io_error(exc: Exception, site: Path) -> DzenpressError:
    if isinstance(exc, OSError):
        return DzenpressError(f"{exc.strerror or exc}; check the folder's permissions and free space",
                              path=exc.filename if isinstance(exc.filename, str) else site)
    return DzenpressError(f"build state: {exc}; check free space and permissions, or delete {STATE_DIR}/",
                          path=site / STATE_DIR)


def quiet() -> bool:
    """No colours, wrapping or progress bars: CI, pipes and logs get one plain line per message."""
    return bool(os.environ.get("CI")) or not sys.stderr.isatty()


class Output:
    """Messages on stderr: through Rich on a terminal, as plain lines elsewhere (Rich is then not loaded)."""

    def __init__(self, console: Any = None) -> None:
        self._console = console

    @property
    def plain(self) -> bool:
        return quiet()

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False, soft_wrap=not sys.stderr.isatty())
        return self._console

    def line(self, text: str, *, label: str = "", colour: str = "") -> None:
        """`text` as it is (never read as markup), after a coloured `label` on a terminal."""
        if self.plain:
            sys.stderr.write(f"{label} {text}".strip() + "\n" if label else f"{text}\n")
            sys.stderr.flush()
            return
        from rich.markup import escape

        head = f"[{colour}]{label}[/{colour}]" if label else ""
        self.console.print(f"{head} {escape(text)}" if head and text else head or escape(text), soft_wrap=True)

    def fail(self, error: DzenpressError, outcome: str = "nothing was written") -> int:
        """Every error in `error` on a line of its own, then the count and what that means for the command
        (`outcome`: "nothing was written" for the commands that write, "" when there is nothing to add);
        the exit status."""
        errors = flatten(error)
        for e in errors:
            self.line(str(e), label="error", colour="red")
        count = f"{len(errors)} {'error' if len(errors) == 1 else 'errors'}"
        if outcome:
            self.line(outcome, label=f"{count};", colour="red")
        else:
            self.line("", label=count, colour="red")
        return 1

    def with_progress(self, run: Callable[[Progress | None], T], label: str, quiet: bool = False) -> T:
        """Run with a progress bar on a terminal; silently in CI, pipes and --json."""
        if quiet or self.plain:
            return run(None)
        from rich.progress import Progress as Bar

        with Bar(console=self.console, transient=True) as bar:
            task = bar.add_task(label, total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return run(progress)
