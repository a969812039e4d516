"""dzenpress.toml → a typed, validated Config. Every error names the key."""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dzenpress.errors import ConfigError

CONFIG_NAME = "dzenpress.toml"


@dataclass(frozen=True)
class Organization:
    type: str = "Organization"
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    hours: str = ""
    messengers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NavLink:
    title: str = ""
    url: str = ""


@dataclass(frozen=True)
class CallToAction:
    title: str = ""
    text: str = ""
    button: str = ""
    url: str = ""


@dataclass(frozen=True)
class Paths:
    content: str = "content/posts"
    public: str = "public"
    output: str = "dist"
    templates: str = "templates"


@dataclass(frozen=True)
class ImportSettings:
    tags: list[str] = field(default_factory=lambda: ["dzen"])
    slug_style: str = "word"


@dataclass(frozen=True)
class CleanSettings:
    disable: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Config:
    url: str
    name: str
    language: str = "ru"
    timezone: str = "Europe/Moscow"
    description: str = ""
    logo: str = ""
    author: str = ""
    posts_per_page: int = 10
    home_posts: int = 6
    feed_items: int = 20
    trailing_slash: bool = True
    organization: Organization = field(default_factory=Organization)
    nav: list[NavLink] = field(default_factory=list)
    cta: CallToAction = field(default_factory=CallToAction)
    paths: Paths = field(default_factory=Paths)
    import_: ImportSettings = field(default_factory=ImportSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)

    @property
    def locale(self) -> str:
        return {"ru": "ru_RU", "en": "en_US", "uk": "uk_UA", "be": "be_BY", "kk": "kk_KZ"}.get(
            self.language, self.language
        )

    def absolute(self, path: str) -> str:
        """Absolute URL for a site path."""
        if path.startswith(("http://", "https://")):
            return path
        return self.url + "/" + path.lstrip("/")


# TOML layout: [site] holds the scalars; other tables map to nested dataclasses.
_SECTION_OF = {"organization": "organization", "nav": "nav", "cta": "cta", "paths": "paths",
               "import": "import_", "clean": "clean"}


def load_config(site_dir: Path) -> Config:
    path = site_dir / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no {CONFIG_NAME} here (run `dzenpress init {site_dir}`)", path=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=_toml_line(exc)) from None
    return config_from_dict(raw, path)


def config_from_dict(raw: dict[str, Any], path: Path | None = None) -> Config:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "site":
            if not isinstance(value, dict):
                raise ConfigError("must be a table", path=path, field="site")
            values.update(value)
        elif key in _SECTION_OF:
            values[_SECTION_OF[key]] = value
        else:
            raise ConfigError(f"unknown section (known: site, {', '.join(_SECTION_OF)})", path=path, field=key)
    cfg: Config = _build(Config, values, "site", path)
    _check(cfg, path)
    return cfg


def _check(cfg: Config, path: Path | None) -> None:
    if not cfg.url.startswith(("http://", "https://")):
        raise ConfigError("must be an absolute http(s) URL, like https://example.ru", path=path, field="site.url")
    if cfg.posts_per_page < 1:
        raise ConfigError("must be at least 1", path=path, field="site.posts_per_page")
    if cfg.import_.slug_style not in ("word", "legacy"):
        raise ConfigError('must be "word" or "legacy"', path=path, field="import.slug_style")
    object.__setattr__(cfg, "url", cfg.url.rstrip("/"))


def _build(cls: type[Any], table: Any, prefix: str, path: Path | None) -> Any:
    if not isinstance(table, dict):
        raise ConfigError("must be a table", path=path, field=prefix)
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        name = key if key in fields else key + "_" if key + "_" in fields else None
        dotted = key if cls is Config and name in _SECTION_OF.values() else f"{prefix}.{key}"
        if name is None:
            known = ", ".join(sorted(f.rstrip("_") for f in fields))
            raise ConfigError(f"unknown key (known: {known})", path=path, field=dotted)
        kwargs[name] = _coerce(hints[name], value, dotted, path)
    missing = [n for n, f in fields.items()
               if n not in kwargs and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ConfigError("is required", path=path, field=f"{prefix}.{missing[0]}")
    return cls(**kwargs)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)  # evaluates the annotations: slow, the same every time
    return _HINTS[cls]


def _coerce(hint: Any, value: Any, dotted: str, path: Path | None) -> Any:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, dotted.removesuffix("_"), path)  # type: ignore[arg-type]
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise ConfigError(f"must be a list, got {_kind(value)}", path=path, field=dotted)
        return [_coerce(item, v, f"{dotted}[{i}]", path) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise ConfigError("must be a table of strings", path=path, field=dotted)
        return dict(value)
    if isinstance(hint, types.UnionType):
        hint = typing.get_args(hint)[0]
    ok = isinstance(value, hint) and not (hint is int and isinstance(value, bool))
    if not ok:
        raise ConfigError(f"must be {_kind_name(hint)}, got {_kind(value)}", path=path, field=dotted)
    return value


def _kind_name(hint: Any) -> str:
    return {str: "a string", int: "a whole number", bool: "true or false", float: "a number"}.get(hint, str(hint))


def _kind(value: Any) -> str:
    return {str: "a string", int: "a number", bool: "a boolean", float: "a number", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _toml_line(exc: Exception) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    found = re.search(r"at line (\d+)", str(exc))
    return int(found.group(1)) if found else None
