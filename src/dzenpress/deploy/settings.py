"""[deploy.<name>] tables → typed targets. Every error names the key (`deploy.live.port: must be …`).

Secrets never live here: a key that looks like one is refused, and files holding credentials (an SSH key,
an S3 credentials file) must sit outside the site folder, so no build or deploy can publish them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dzenpress.config import CONFIG_NAME
from dzenpress.errors import ConfigError

KINDS = ("local", "rsync", "sftp", "s3", "git")
ENCODINGS = ("gzip", "br")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_SECRET_KEYS = re.compile(r"secret|password|passwd|token|access_key|private_key", re.IGNORECASE)

# keys each kind accepts, besides `type`, `default` and `precompress`
_KEYS: dict[str, tuple[str, ...]] = {
    "local": ("path",),
    "rsync": ("host", "user", "port", "path", "identity", "known_hosts", "ssh_options"),
    "sftp": ("host", "user", "port", "path", "identity", "known_hosts", "password_env"),
    "s3": ("bucket", "prefix", "endpoint", "region", "credentials", "profile", "content_encoding"),
    "git": ("remote", "branch", "cname", "token_env", "author"),
}
_REQUIRED = {"local": ("path",), "rsync": ("host", "path"), "sftp": ("host", "path"), "s3": ("bucket",),
             "git": ("remote",)}
_COMMON = ("type", "default", "precompress")


@dataclass(frozen=True)
class Target:
    name: str
    kind: str
    default: bool = False
    precompress: tuple[str, ...] = ()  # sibling files `x.gz`, `x.br` for hosts that serve them (nginx *_static)
    path: str = ""
    host: str = ""
    user: str = ""
    port: int = 0
    identity: Path | None = None
    known_hosts: Path | None = None
    ssh_options: tuple[str, ...] = ()
    password_env: str = ""
    bucket: str = ""
    prefix: str = ""
    endpoint: str = ""
    region: str = ""
    credentials: Path | None = None
    profile: str = ""
    content_encoding: str = ""  # S3: "gzip" stores text compressed with Content-Encoding: gzip
    remote: str = ""
    branch: str = "gh-pages"
    cname: str = ""
    token_env: str = ""
    author: str = "dzenpress <dzenpress@localhost>"
    extra: dict[str, str] = field(default_factory=dict)

    def identity_key(self) -> str:
        """Where the files go: a record kept for one destination is never used for another."""
        where = {"local": self.path, "rsync": f"{self.user}@{self.host}:{self.port}{self.path}",
                 "sftp": f"{self.user}@{self.host}:{self.port}{self.path}",
                 "s3": f"{self.endpoint}/{self.bucket}/{self.prefix}", "git": f"{self.remote}#{self.branch}"}
        return f"{self.kind}\t{where[self.kind]}\t{','.join(self.precompress)}\t{self.content_encoding}"

    def describe(self) -> str:
        """A one-line destination for messages, never holding a secret."""
        if self.kind == "local":
            return self.path
        if self.kind in ("rsync", "sftp"):
            user = f"{self.user}@" if self.user else ""
            return f"{self.kind}://{user}{self.host}{':' + str(self.port) if self.port else ''}{self.path}"
        if self.kind == "s3":
            return f"s3://{self.bucket}/{self.prefix}"
        return f"{strip_userinfo(self.remote)} ({self.branch})"


def strip_userinfo(url: str) -> str:
    """A URL without the `user:password@` part."""
    return re.sub(r"(?<=://)[^/@\s]*@", "", url)


def parse_targets(table: Any, site_root: Path) -> dict[str, Target]:
    """The `[deploy]` table of dzenpress.toml (as the config owner read it) → targets by name."""
    path = site_root / CONFIG_NAME
    if not isinstance(table, dict):
        raise ConfigError("must be a table of targets, like [deploy.live]", path=path, field="deploy")
    targets = {name: _target(name, value, site_root) for name, value in table.items()}
    defaults = [t.name for t in targets.values() if t.default]
    if len(defaults) > 1:
        raise ConfigError(f"only one target may be the default ({', '.join(defaults)} are)", path=path,
                          field=f"deploy.{defaults[1]}.default")
    return targets


def choose(targets: dict[str, Target], name: str | None, site_root: Path) -> Target:
    path = site_root / CONFIG_NAME
    if not targets:
        raise ConfigError("no deploy target; add one, like [deploy.live] with type = \"rsync\" (see the README, "
                          "\"Put it online\")", path=path, field="deploy")
    if name is not None:
        if name not in targets:
            raise ConfigError(f"no target {name!r} (known: {', '.join(sorted(targets))})", path=path, field="deploy")
        return targets[name]
    defaults = [t for t in targets.values() if t.default]
    if defaults:
        return defaults[0]
    if len(targets) == 1:
        return next(iter(targets.values()))
    raise ConfigError(f"several targets ({', '.join(sorted(targets))}); name one, or mark one default = true",
                      path=path, field="deploy")


def _target(name: str, table: Any, site_root: Path) -> Target:
    path = site_root / CONFIG_NAME
    where = f"deploy.{name}"

    def fail(key: str | None, message: str) -> ConfigError:
        return ConfigError(message, path=path, field=f"{where}.{key}" if key else where)

    if not _NAME.fullmatch(name):
        raise fail(None, "a target's name is letters, digits, '-' and '_'")
    if not isinstance(table, dict):
        raise fail(None, "must be a table, like [deploy.live] with type = \"rsync\"")
    kind = table.get("type")
    if kind not in KINDS:
        raise fail("type", f"must be one of {', '.join(KINDS)}" + ("" if kind is None else f", got {kind!r}"))
    for key in table:
        if _SECRET_KEYS.search(key) and key not in ("password_env", "token_env"):
            raise fail(key, "no secrets in dzenpress.toml: give them in the environment or in a file outside "
                            "the site (see the README, \"Put it online\")")
        if key not in _COMMON and key not in _KEYS[kind]:
            raise fail(key, f"unknown key for type {kind!r} (known: {', '.join(sorted((*_COMMON, *_KEYS[kind])))})")
    for key in _REQUIRED[kind]:
        if not table.get(key):
            raise fail(key, "is required")
    values: dict[str, Any] = {"name": name, "kind": kind}
    for key, value in table.items():
        if key != "type":
            values[key] = _value(kind, key, value, site_root, fail)
    _check_kind(kind, values, fail)
    return Target(**values)


def _value(kind: str, key: str, value: Any, site_root: Path, fail: Any) -> Any:
    if key == "default":
        if not isinstance(value, bool):
            raise fail(key, "must be true or false")
        return value
    if key == "port":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
            raise fail(key, "must be a port number, 1–65535")
        return value
    if key == "precompress":
        return _encodings(value, fail)
    if key == "ssh_options":
        if not isinstance(value, list) or not all(isinstance(v, str) and re.fullmatch(r"[A-Za-z]+=\S.*", v)
                                                  for v in value):
            raise fail(key, 'must be a list of ssh -o options, like ["ConnectTimeout=5"]')
        return tuple(value)
    if not isinstance(value, str):
        raise fail(key, "must be a string")
    if key in ("identity", "known_hosts", "credentials"):
        return _outside_file(key, value, site_root, fail)
    if key == "path" and kind == "local":
        return _local_target(value, site_root, fail)
    if key in ("password_env", "token_env") and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise fail(key, "must be the name of an environment variable, like DEPLOY_PASSWORD")
    if key == "content_encoding" and value not in ("", "gzip"):
        raise fail(key, 'must be "gzip" (or empty)')
    if key == "endpoint" and value and not value.startswith(("http://", "https://")):
        raise fail(key, "must be an http(s) URL, like https://storage.yandexcloud.net")
    if key == "remote" and re.search(r"://[^/@\s]*:[^/@\s]*@", value):
        raise fail(key, "holds a password; give it in the environment (token_env) instead")
    return value


def _encodings(value: Any, fail: Any) -> tuple[str, ...]:
    if value is True:
        return ENCODINGS
    if value is False:
        return ()
    if not isinstance(value, list) or not all(v in ENCODINGS for v in value):
        raise fail("precompress", f'must be true, false or a list of {", ".join(ENCODINGS)}')
    return tuple(dict.fromkeys(value))


def _outside_file(key: str, value: str, site_root: Path, fail: Any) -> Path:
    """A file of secrets: absolute or ~, and never inside the site folder (a build could publish it)."""
    file = Path(os.path.expanduser(value))
    if not file.is_absolute():
        raise fail(key, "must be an absolute path (or start with ~), outside the site folder")
    real, root = Path(os.path.realpath(file)), Path(os.path.realpath(site_root))
    if real == root or root in real.parents:
        raise fail(key, "is inside the site folder, where a build or deploy could publish it; move it outside")
    return file


def _local_target(value: str, site_root: Path, fail: Any) -> str:
    folder = Path(os.path.expanduser(value))
    if not folder.is_absolute():
        folder = site_root / folder
    real, root = Path(os.path.realpath(folder)), Path(os.path.realpath(site_root))
    if real == root or real in root.parents:
        raise fail("path", "would put the site over its own sources; choose a folder of its own")
    return str(real)


def _check_kind(kind: str, values: dict[str, Any], fail: Any) -> None:
    if kind in ("rsync", "sftp") and not str(values.get("path", "")).startswith(("/", "~")):
        raise fail("path", "must be an absolute folder on the host, like /var/www/blog")
    if kind in ("s3", "git") and values.get("precompress"):
        raise fail("precompress", "siblings are for hosts that serve them (nginx); for S3 use content_encoding, "
                                  "GitHub Pages compresses by itself")
    if kind == "s3":
        prefix = str(values.get("prefix", ""))
        if prefix.startswith("/") or ".." in prefix.split("/"):
            raise fail("prefix", "must be a relative key prefix, like blog/")
        values["prefix"] = prefix.strip("/") + "/" if prefix.strip("/") else ""
