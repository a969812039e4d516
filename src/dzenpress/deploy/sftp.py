"""SFTP with paramiko: each file goes to a temp name beside its target and is renamed over it
(posix-rename@openssh.com), so a reader sees the old file or the new one. The host key must be known."""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from dzenpress.deploy.engine import TEMP, Done, Engine, Upload

if TYPE_CHECKING:
    import paramiko



class SftpEngine(Engine):
    _client: paramiko.SSHClient | None = None
    _sftp: paramiko.SFTPClient | None = None
    _folders: set[str]

    def open(self) -> None:
        import paramiko

        t = self.target
        client = paramiko.SSHClient()
        known = t.known_hosts or os.path.expanduser("~/.ssh/known_hosts")
        try:
            client.load_host_keys(str(known))
        except OSError:
            raise self.fail(f"cannot read known_hosts {known}; add the host's key (ssh-keyscan, after checking "
                            "its fingerprint) or set known_hosts") from None
        client.set_missing_host_key_policy(paramiko.RejectPolicy())
        password = self.secrets.add(os.environ.get(t.password_env)) if t.password_env else None
        if t.password_env and password is None:
            raise self.fail(f"the environment variable {t.password_env} (password_env) is not set")
        try:
            client.connect(t.host, port=t.port or 22, username=t.user or None, password=password,
                           key_filename=str(t.identity) if t.identity else None, timeout=10, banner_timeout=10,
                           auth_timeout=10, allow_agent=t.identity is None and password is None,
                           look_for_keys=t.identity is None and password is None)
            self._client = client
            self._sftp = client.open_sftp()
        except paramiko.AuthenticationException:
            client.close()
            raise self.fail("the host refused the login (check identity or password_env, and the user's "
                            "authorized_keys)") from None
        except paramiko.SSHException as exc:
            client.close()
            raise self.fail(f"SSH failed: {exc}") from None
        except (TimeoutError, OSError) as exc:
            client.close()
            raise self.fail(f"cannot connect: {exc.strerror or exc}") from None
        self._folders = set()
        self._makedirs(self._remote(""))

    def _remote(self, rel: str) -> str:
        base = self.target.path
        if base.startswith("~"):
            base = base.lstrip("~").lstrip("/") or "."
        return posixpath.join(base, rel) if rel else base

    def _makedirs(self, folder: str) -> None:
        sftp = self._sftp
        assert sftp is not None
        if folder in self._folders or folder in ("", "/", "."):
            return
        try:
            sftp.stat(folder)
        except FileNotFoundError:
            self._makedirs(posixpath.dirname(folder))
            with contextlib.suppress(OSError):
                sftp.mkdir(folder, 0o755)
        self._folders.add(folder)

    def existing(self, rels: set[str]) -> set[str]:
        sftp = self._sftp
        assert sftp is not None
        found: set[str] = set()
        for rel in rels:
            with contextlib.suppress(OSError):
                sftp.stat(self._remote(rel))
                found.add(rel)
        return found

    def sweep(self, folders: set[str]) -> None:
        sftp = self._sftp
        assert sftp is not None
        for folder in folders:
            path = self._remote(folder)
            try:
                names = sftp.listdir(path)
            except OSError:
                continue
            for name in names:
                if name.startswith(".") and name.endswith(TEMP):
                    with contextlib.suppress(OSError):
                        sftp.remove(posixpath.join(path, name))

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        sftp = self._sftp
        assert sftp is not None
        for item in batch:
            dest = self._remote(item.rel)
            tmp = posixpath.join(posixpath.dirname(dest), f".{posixpath.basename(dest)}{TEMP}")
            try:
                self._makedirs(posixpath.dirname(dest))
                sftp.put(str(item.source), tmp, confirm=True)
                sftp.chmod(tmp, 0o644)
                sftp.posix_rename(tmp, dest)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    sftp.remove(tmp)
                raise self._error(exc, item.rel) from None
            done(item.rel)

    def delete(self, rels: Sequence[str], done: Done) -> None:
        sftp = self._sftp
        assert sftp is not None
        for rel in rels:
            path = self._remote(rel)
            try:
                sftp.remove(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise self._error(exc, rel) from None
            self._prune(posixpath.dirname(path))
            done(rel)

    def _prune(self, folder: str) -> None:
        """Remove folders the deletions left empty, never the target folder itself."""
        sftp = self._sftp
        assert sftp is not None
        root = self._remote("")
        while folder.startswith(root.rstrip("/") + "/") and folder != root:
            try:
                sftp.rmdir(folder)
            except OSError:
                return
            self._folders.discard(folder)
            folder = posixpath.dirname(folder)

    def _error(self, exc: Any, rel: str) -> Exception:
        text = str(exc)
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space" in text or "Failure" in text:
            return self.fail(f"{rel}: the host refused the write ({text}); is its disk full? Free some space and "
                             "deploy again (the live site is whole: nothing it links to was removed)")
        return self.fail(f"{rel}: {text}")

    def close(self) -> None:
        if self._sftp is not None:
            self._sftp.close()
        if self._client is not None:
            self._client.close()
