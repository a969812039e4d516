"""rsync over SSH (Debian's rsync and OpenSSH): one rsync a phase, of exactly the files that changed.

rsync writes each file to a temp name and renames it, so a reader sees the old file or the new one.
Deletions are one more rsync with --delete-missing-args over the paths the site no longer has.
"""

from __future__ import annotations

import os
import shlex
import shutil
from collections.abc import Sequence
from pathlib import Path

from dzenpress.deploy.engine import Done, Engine, Upload, run_tool


def ssh_command(engine: Engine) -> list[str]:
    t = engine.target
    argv = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10",
            "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=2"]
    if t.port:
        argv += ["-p", str(t.port)]
    if t.identity is not None:
        argv += ["-i", str(t.identity), "-o", "IdentitiesOnly=yes"]
    if t.known_hosts is not None:
        argv += ["-o", f"UserKnownHostsFile={t.known_hosts}"]
    for option in t.ssh_options:
        argv += ["-o", option]
    return argv


class RsyncEngine(Engine):
    def _dest(self) -> str:
        t = self.target
        user = f"{t.user}@" if t.user else ""
        return f"{user}{t.host}:{t.path.rstrip('/')}/"

    def _rsync(self, extra: Sequence[str], source: Path, names: Sequence[str], what: str) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        listing = self.work / "files-from"
        listing.write_bytes(b"\0".join(n.encode() for n in names) + b"\0")
        argv = ["rsync", "--recursive", "--times", "--perms", "--chmod=D755,F644", "--omit-dir-times",
                "--from0", f"--files-from={listing}", "--timeout=60", "--protect-args",
                "-e", shlex.join(ssh_command(self)), *extra, f"{source}/", self._dest()]
        run_tool(self, argv, what=what)

    def open(self) -> None:
        """One connection that also makes the target folder: an unreachable host or a refused key stops here,
        before anything is planned as sent."""
        path = self.target.path
        remote = "mkdir -p -- " + (path if path.startswith("~") else shlex.quote(path))
        run_tool(self, [*ssh_command(self), *self._login(), remote], what="ssh")

    def _login(self) -> list[str]:
        t = self.target
        return [f"{t.user}@{t.host}" if t.user else t.host]

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        stage = self.work / "stage"
        shutil.rmtree(stage, ignore_errors=True)
        for item in batch:  # the phase's files as links in one tree: one rsync sends them all
            link = stage / item.rel
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.path.abspath(item.source), link)
        try:
            self._rsync(["--copy-links"], stage, [item.rel for item in batch], "rsync")
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        for item in batch:
            done(item.rel)

    def existing(self, rels: set[str]) -> set[str]:
        """One listing of just these paths on the host (missing ones are skipped, not errors)."""
        self.work.mkdir(parents=True, exist_ok=True)
        listing = self.work / "files-from"
        listing.write_bytes(b"\0".join(n.encode() for n in sorted(rels)) + b"\0")
        argv = ["rsync", "--list-only", "--from0", f"--files-from={listing}", "--ignore-missing-args",
                "--protect-args", "-e", shlex.join(ssh_command(self)), self._dest()]
        found: set[str] = set()
        for line in run_tool(self, argv, what="rsync --list-only").splitlines():
            parts = line.split(None, 4)
            if len(parts) == 5 and line.startswith("-"):
                found.add(parts[4])
        return found & rels

    def delete(self, rels: Sequence[str], done: Done) -> None:
        empty = self.work / "empty"
        shutil.rmtree(empty, ignore_errors=True)
        empty.mkdir(parents=True)
        for rel in rels:  # the folders on the way exist (rsync sends them as they are), the files do not
            (empty / rel).parent.mkdir(parents=True, exist_ok=True)
        self._rsync(["--delete-missing-args"], empty, rels, "rsync (deleting)")
        for rel in rels:
            done(rel)
