"""A branch of a git remote (GitHub Pages' gh-pages) with the git binary. The work tree is kept in
`.dzenpress/deploy/<name>/tree` so that git's index knows every file by stat: only changed files are
hashed. A push replaces the branch in one step, so the live site moves from one whole commit to the next."""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from dzenpress.deploy.engine import Done, Engine, Upload, run_tool

_OWN = (".nojekyll", "CNAME")  # files the branch needs that the site does not build
_PUSHED = "pushed"  # the commit this deploy pushed last: another one means someone else changed the branch


class GitEngine(Engine):
    _done: list[tuple[str, Done]]  # what the next push confirms

    @property
    def tree(self) -> Path:
        return self.work / "tree"

    def _env(self) -> dict[str, str]:
        env = {"GIT_TERMINAL_PROMPT": "0", "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=10",
               "GIT_AUTHOR_NAME": self._author()[0], "GIT_AUTHOR_EMAIL": self._author()[1],
               "GIT_COMMITTER_NAME": self._author()[0], "GIT_COMMITTER_EMAIL": self._author()[1]}
        t = self.target
        if t.token_env:
            token = self.secrets.add(os.environ.get(t.token_env))
            if not token:
                raise self.fail(f"the environment variable {t.token_env} (token_env) is not set")
            basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
            self.secrets.add(basic)
            # in the environment, not on the command line: other users' `ps` never sees it
            env.update({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
                        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}"})
        return env

    def _author(self) -> tuple[str, str]:
        name, _, email = self.target.author.partition("<")
        return name.strip() or "dzenpress", email.rstrip(">").strip() or "dzenpress@localhost"

    def _git(self, *args: str, what: str = "git") -> str:
        return run_tool(self, ["git", "-C", str(self.tree), *args], env=self._env(), what=what)

    def open(self) -> None:
        self._done = []
        t = self.target
        self._unlock()
        if not (self.tree / ".git").is_dir():
            shutil.rmtree(self.tree, ignore_errors=True)
            self.tree.mkdir(parents=True)
            self._git("init", "-q")
            self._git("remote", "add", "origin", t.remote)
        self._git("remote", "set-url", "origin", t.remote)
        heads = self._git("ls-remote", "--heads", "origin", f"refs/heads/{t.branch}", what="git ls-remote").split()
        pushed = (self.work / _PUSHED).read_text().strip() if (self.work / _PUSHED).exists() else ""
        if heads:
            self._git("fetch", "-q", "--depth", "1", "origin", f"refs/heads/{t.branch}", what="git fetch")
            self._git("checkout", "-q", "-B", t.branch, "FETCH_HEAD")
            self._git("reset", "-q", "--hard", "FETCH_HEAD")  # a killed deploy's copies go; they are pending
        else:
            self._git("checkout", "-q", "--orphan", t.branch)
            self._git("rm", "-q", "-r", "--cached", "--ignore-unmatch", ".")
        self._git("clean", "-q", "-f", "-d", "-x")
        self.foreign = bool(heads) and heads[0] != pushed  # not our last push: trust the tree, not the record

    def _unlock(self) -> None:
        """Lock files a killed git left (index.lock …): no git runs in this work tree now, since deploys of a
        site hold its build lock and git dies with the deploy that started it."""
        git_dir = self.tree / ".git"
        if git_dir.is_dir():
            for lock in git_dir.rglob("*.lock"):
                lock.unlink(missing_ok=True)

    def existing(self, rels: set[str]) -> set[str]:
        return (self.listing() or set()) & rels

    def listing(self) -> set[str] | None:
        return {f for f in self._git("ls-files", "-z").split("\0") if f and f not in _OWN}

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        for item in batch:
            dest = self.tree / item.rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.dzp-up")
            shutil.copyfile(item.source, tmp)
            os.replace(tmp, dest)
            self._done.append((item.rel, done))

    def delete(self, rels: Sequence[str], done: Done) -> None:
        for rel in rels:
            (self.tree / rel).unlink(missing_ok=True)
            self._done.append((rel, done))

    def finish(self, summary: str) -> None:
        (self.tree / ".nojekyll").touch()  # Jekyll would hide _img/ and every other folder starting with _
        if self.target.cname:
            (self.tree / "CNAME").write_text(self.target.cname + "\n")
        self._git("add", "-A")
        if self._git("status", "--porcelain"):
            self._git("commit", "-q", "-m", f"dzenpress deploy: {summary}")
            self._git("push", "-q", "origin", f"HEAD:refs/heads/{self.target.branch}", what="git push")
        head = self._git("rev-parse", "HEAD").strip()
        (self.work / _PUSHED).write_text(head + "\n")
        for rel, done in self._done:
            done(rel)
