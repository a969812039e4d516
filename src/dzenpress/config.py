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
from dzenpress.routes import Urls
from dzenpress.safeurl import CONTACT, MESSENGER, WEB, link_problem

CONFIG_NAME = "dzenpress.toml"


@dataclass(frozen=True)
class Organization:
    type: str = "Organization"
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    city: str = ""
    hours: str = ""  # free text shown to readers: "Пн–Сб 9:00–21:00"
    opening_hours: list[str] = field(default_factory=list)  # schema.org form for JSON-LD: "Mo-Sa 09:00-21:00"
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
    pages: str = "pages"


@dataclass(frozen=True)
class ImportSettings:
    tags: list[str] = field(default_factory=lambda: ["dzen"])
    slug_style: str = "word"


@dataclass(frozen=True)
class CleanSettings:
    disable: list[str] = field(default_factory=list)


DZEN_CATEGORIES = ("native-draft", "format-article", "format-post", "index", "noindex", "comment-all",
                   "comment-subscribers", "comment-none")


@dataclass(frozen=True)
class DzenRssSettings:
    enabled: bool = True
    days: int = 3  # only posts published in the last N days
    max_items: int = 500
    categories: list[str] = field(default_factory=lambda: ["format-article", "index", "comment-all"])
    include_from_dzen: bool = False  # posts whose source is on dzen.ru are not fed back by default


@dataclass(frozen=True)
class IndexNowSettings:
    endpoint: str = "https://yandex.com/indexnow"
    key: str = ""  # empty: generated once and kept in .dzenpress/indexnow.json


@dataclass(frozen=True)
class ImageSettings:
    """[images]: responsive variants, their encoders and what a bad image does to the build."""

    formats: list[str] = field(default_factory=lambda: ["avif", "webp"])
    cover_widths: list[int] = field(default_factory=lambda: [480, 720, 960, 1280, 1600])  # 480, 720: phones
    inline_widths: list[int] = field(default_factory=lambda: [400, 680, 820])
    card_widths: list[int] = field(default_factory=lambda: [400, 800])
    avif_quality: int = 50  # with effort 3: fewer bytes than sharp at a higher SSIM (bench_images.py --sweep)
    avif_effort: int = 3
    webp_quality: int = 79  # effort 2: fewer bytes than sharp's q80 effort 4 at a higher SSIM
    webp_effort: int = 2
    jpeg_quality: int = 80
    og_cards: bool = True  # a post without a cover gets a generated Open Graph card (else the logo, if any)
    max_pixels: int = 50_000_000  # a decompression bomb past this is refused
    on_error: str = "warn"  # a bad image: "warn" and go on with the original file, or "stop" the build


IMAGE_FORMATS = ("avif", "webp")


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
    search: bool = True
    hidden_tags: list[str] = field(default_factory=list)  # tags kept in posts but not shown, no tag pages
    plugins: list[str] = field(default_factory=list)  # entry points of `dzenpress.plugins`, or module paths
    future: bool = False  # posts dated later than now are published at once (else held back until their time)
    organization: Organization = field(default_factory=Organization)
    nav: list[NavLink] = field(default_factory=list)
    cta: CallToAction = field(default_factory=CallToAction)
    paths: Paths = field(default_factory=Paths)
    import_: ImportSettings = field(default_factory=ImportSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    dzen_rss: DzenRssSettings = field(default_factory=DzenRssSettings)
    indexnow: IndexNowSettings = field(default_factory=IndexNowSettings)
    images: ImageSettings = field(default_factory=ImageSettings)
    # sections parsed by the modules that own them ([deploy.<name>] → deploy/settings.py, [sync] → sync.py)
    tables: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def locale(self) -> str:
        return {"ru": "ru_RU", "en": "en_US", "uk": "uk_UA", "be": "be_BY", "kk": "kk_KZ"}.get(
            self.language, self.language
        )

    @property
    def urls(self) -> Urls:
        """The site's URL builder (its address and trailing-slash policy)."""
        return Urls(self.url, self.trailing_slash)


# TOML layout: [site] holds the scalars; other tables map to nested dataclasses.
_SECTION_OF = {"organization": "organization", "nav": "nav", "cta": "cta", "paths": "paths",
               "import": "import_", "clean": "clean", "dzen_rss": "dzen_rss", "indexnow": "indexnow",
               "images": "images"}
_RAW_SECTIONS = ("deploy", "sync")  # kept as tables for their owners; their keys are checked there
_SITE_KEYS = tuple(f.name for f in dataclasses.fields(Config)
                   if f.name not in _SECTION_OF.values() and f.name != "tables")
# whole numbers in [site] and their smallest allowed value
_MINIMUM = {"posts_per_page": 1, "home_posts": 0, "feed_items": 1}
_OPENING_HOURS = re.compile(r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su))* \d\d:\d\d-\d\d:\d\d")


def load_config(site_dir: Path) -> Config:
    """The site's config. A build reads it once, through dzenpress.settings.Settings."""
    return read_config(site_dir)[0]


def read_config(site_dir: Path) -> tuple[Config, bytes]:
    """The config and the bytes it was parsed from (what a build's fingerprint holds)."""
    path = site_dir / CONFIG_NAME
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no {CONFIG_NAME} here (run `dzenpress init {site_dir}`)", path=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=path, line=_toml_line(exc)) from None
    return config_from_dict(raw, path), data


def config_from_dict(raw: dict[str, Any], path: Path | None = None) -> Config:
    values: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _RAW_SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError("must be a table", path=path, field=key)
            tables[key] = value
        elif key == "site":
            if not isinstance(value, dict):
                raise ConfigError("must be a table", path=path, field="site")
            for name in value:
                if name not in _SITE_KEYS:
                    section = "[[nav]]" if name == "nav" else f"[{name}]"
                    hint = f"; {section} is a section of its own" if name in _SECTION_OF else ""
                    raise ConfigError(f"unknown key (known: {', '.join(sorted(_SITE_KEYS))}){hint}", path=path,
                                      field=f"site.{name}")
            values.update(value)
        elif key in _SECTION_OF:
            values[_SECTION_OF[key]] = _one_or_list(value, "opening_hours") if key == "organization" else value
        else:
            known = ", ".join(["site", *_SECTION_OF, *_RAW_SECTIONS])
            raise ConfigError(f"unknown section (known: {known})", path=path, field=key)
    cfg: Config = _build(Config, values, "site", path)
    object.__setattr__(cfg, "tables", tables)
    _check(cfg, path)
    return cfg


def _check(cfg: Config, path: Path | None) -> None:
    if not cfg.url.startswith(("http://", "https://")):
        raise ConfigError("must be an absolute http(s) URL, like https://example.ru", path=path, field="site.url")
    for name, least in _MINIMUM.items():
        if getattr(cfg, name) < least:
            raise ConfigError(f"must be at least {least}, got {getattr(cfg, name)}", path=path, field=f"site.{name}")
    for n, spec in enumerate(cfg.organization.opening_hours):
        if not _OPENING_HOURS.fullmatch(spec):
            raise ConfigError(f"{spec!r} is not in schema.org form, like \"Mo-Sa 09:00-21:00\"", path=path,
                              field=f"organization.opening_hours[{n}]")
    if cfg.import_.slug_style not in ("word", "legacy"):
        raise ConfigError('must be "word" or "legacy"', path=path, field="import.slug_style")
    _check_publishing(cfg, path)
    _check_images(cfg.images, path)
    object.__setattr__(cfg, "url", cfg.url.rstrip("/"))
    _check_links(cfg, path)


def _check_links(cfg: Config, path: Path | None) -> None:
    """Links from the config become hrefs on every page: only safe schemes (no javascript:, data: …)."""
    links = [("site.logo", cfg.logo, WEB), ("cta.url", cfg.cta.url, CONTACT)]
    links += [(f"nav[{i}].url", link.url, CONTACT) for i, link in enumerate(cfg.nav)]
    links += [(f"organization.messengers.{name}", url, MESSENGER) for name, url in cfg.organization.messengers.items()]
    for key, url, schemes in links:
        problem = link_problem(url, schemes)
        if problem:
            raise ConfigError(problem, path=path, field=key)


def _one_or_list(table: Any, key: str) -> Any:
    """A single string where a list is expected is the list of that one string."""
    if isinstance(table, dict) and isinstance(table.get(key), str):
        return {**table, key: [table[key]]}
    return table


def _check_publishing(cfg: Config, path: Path | None) -> None:
    for i, category in enumerate(cfg.dzen_rss.categories):
        if category not in DZEN_CATEGORIES:
            raise ConfigError(f"{category!r} is not a Dzen category (known: {', '.join(DZEN_CATEGORIES)})",
                              path=path, field=f"dzen_rss.categories[{i}]")
    if cfg.dzen_rss.days < 1 or not 1 <= cfg.dzen_rss.max_items <= 500:
        raise ConfigError("days must be at least 1 and max_items 1…500", path=path, field="dzen_rss")
    if not cfg.indexnow.endpoint.startswith(("http://", "https://")):
        raise ConfigError("must be an http(s) URL", path=path, field="indexnow.endpoint")
    if cfg.indexnow.key and not re.fullmatch(r"[A-Za-z0-9-]{8,128}", cfg.indexnow.key):
        raise ConfigError("must be 8–128 characters a-z, A-Z, 0-9 or '-'", path=path, field="indexnow.key")


def _check_images(images: ImageSettings, path: Path | None) -> None:
    def fail(key: str, message: str) -> None:
        raise ConfigError(message, path=path, field=f"images.{key}")

    if not set(images.formats) <= set(IMAGE_FORMATS):
        fail("formats", f"must be a list of {', '.join(IMAGE_FORMATS)}")
    for key in ("cover_widths", "inline_widths", "card_widths"):
        widths = getattr(images, key)
        if not widths or not all(16 <= w <= 8192 for w in widths):
            fail(key, "must be a non-empty list of widths between 16 and 8192")
    for key in ("avif_quality", "webp_quality", "jpeg_quality"):
        if not 1 <= getattr(images, key) <= 100:
            fail(key, "must be between 1 and 100")
    if not 0 <= images.avif_effort <= 9 or not 0 <= images.webp_effort <= 6:
        fail("avif_effort" if not 0 <= images.avif_effort <= 9 else "webp_effort",
             "must be 0–9 (AVIF) or 0–6 (WebP)")
    if images.max_pixels < 1:
        fail("max_pixels", "must be at least 1")
    if images.on_error not in ("warn", "stop"):
        fail("on_error", 'must be "warn" or "stop"')


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
