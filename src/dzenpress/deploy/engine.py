"""What every target engine does (open, upload in order, delete, finish) and what they share: the error
type, secrets kept out of messages, and external tools run so that they die with dzenpress."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dzenpress.deploy.settings import Target, strip_userinfo
from dzenpress.errors import DzenpressError

Done = Callable[[str], None]  # told each path once the target holds it (or no longer holds it)
TEMP = ".dzp-up"  # `.<name>.dzp-up`: a file on its way; one deploy of a site runs at a time (the build lock)
_PR_SET_PDEATHSIG = 1


class DeployError(DzenpressError):
    """A deploy could not finish; what reached the target is recorded, and the next deploy goes on from there."""


@dataclass(frozen=True)
class Upload:
    rel: str  # the path on the target
    source: Path  # the bytes to send: the built file, or a compressed copy of it
    content_type: str
    cache_control: str
    encoding: str = ""  # Content-Encoding the host should answer with (S3 content_encoding)


@dataclass
class Secrets:
    """Values that must never appear in a message: passwords and tokens read from the environment or a file."""

    values: list[str] = field(default_factory=list)

    def add(self, value: str | None) -> str | None:
        if value and len(value) >= 4:
            self.values.append(value)
        return value

    def redact(self, text: str) -> str:
        for value in sorted(self.values, key=len, reverse=True):
            text = text.replace(value, "***")
        return strip_userinfo(text)


class Engine:
    """A target: connect, put files (atomically each: a reader sees the old file or the new one), delete."""

    foreign = False  # the target was changed by someone else since our last deploy (git: another push)

    def __init__(self, target: Target, work: Path, secrets: Secrets) -> None:
        self.target = target
        self.work = work  # .dzenpress/deploy/<name>/: the engine's own scratch space
        self.secrets = secrets

    def open(self) -> None:
        """Connect and check that the target answers and accepts us."""

    def listing(self) -> set[str] | None:
        """The files the target really holds, where that is cheap to know (a git tree); else None."""
        return None

    def existing(self, rels: set[str]) -> set[str]:
        """Which of `rels` the target holds now (asked only for paths a killed deploy was changing)."""
        raise NotImplementedError

    def sweep(self, folders: set[str]) -> None:
        """Remove temp files a killed deploy left in these folders (of paths it was changing)."""

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        raise NotImplementedError

    def delete(self, rels: Sequence[str], done: Done) -> None:
        raise NotImplementedError

    def finish(self, summary: str) -> None:
        """After the last upload and deletion (git commits and pushes here)."""

    def close(self) -> None:
        """Release connections; called whatever happened."""

    def fail(self, message: str) -> DeployError:
        return DeployError(self.secrets.redact(message), path=self.target.describe(),
                           field=f"deploy.{self.target.name}")


def os_error(engine: Engine, exc: OSError) -> DeployError:
    """One line for a file-system or network failure on the target."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return engine.fail("no space left on the target; free some space and deploy again (the live site is "
                           "whole: nothing it links to was removed)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return engine.fail(f"cannot write there ({exc.strerror}); check the target folder's permissions")
    return engine.fail(f"{exc.strerror or exc}")


def run_tool(engine: Engine, argv: Sequence[str], *, env: Mapping[str, str] | None = None,
             cwd: Path | None = None, what: str = "") -> str:
    """Run rsync/git/ssh; they die with us (a killed deploy leaves no transfer running). Its stdout; on
    failure a DeployError with the tool's last lines, secrets removed."""
    try:
        done = subprocess.run(list(argv), capture_output=True, env={**os.environ, **(env or {})}, cwd=cwd,
                              stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent, check=False)
    except FileNotFoundError:
        raise engine.fail(f"{argv[0]} is not installed; install it (Debian: apt-get install {argv[0]})") from None
    if done.returncode != 0:
        text = done.stderr.decode("utf-8", "replace") or done.stdout.decode("utf-8", "replace")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not _noise(ln)]
        detail = "; ".join(lines[-3:]) or f"exit status {done.returncode}"
        raise engine.fail(f"{what or argv[0]} failed: {_explain(detail)}")
    return done.stdout.decode("utf-8", "replace")


def _noise(line: str) -> bool:
    return bool(re.match(r"\s*(rsync error: some files|rsync: \[sender\] write error|Warning: Permanently added)",
                         line))


def _explain(detail: str) -> str:
    hints = [("No space left on device", "no space left on the target; free some space and deploy again"),
             ("Permission denied (publickey", "the host refused the key (check identity and the user's "
                                              "authorized_keys)"),
             ("Host key verification failed", "the host's key is not in known_hosts (or changed); add it with "
                                              "ssh-keyscan after checking its fingerprint"),
             ("Connection refused", "nothing answers on that host and port"),
             ("Could not resolve hostname", "the host name does not resolve"),
             ("timed out", "the host did not answer in time")]
    for needle, hint in hints:
        if needle in detail:
            return f"{hint} ({detail})"
    return detail


def _die_with_parent() -> None:
    """In a child (rsync, git, ssh): be killed when dzenpress dies, kill -9 included."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
