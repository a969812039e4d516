"""Jinja2 environment: package templates, each overridable by a same-named file in the site's templates/."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import jinja2
from jinja2 import meta
from markupsafe import Markup

from dzenpress.errors import BuildError
from dzenpress.images.markup import img_tag

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "skip": "К содержанию", "menu": "Меню", "min_read": "мин чтения", "updated": "обновлено",
        "author": "Автор", "reviewer": "Проверено", "source": "Статья впервые опубликована на", "dzen": "Дзене",
        "previous": "Предыдущая", "next": "Следующая", "more_posts": "Другие статьи", "related": "Читайте также",
        "pages": "Страницы", "page": "Страница", "newer": "Новее", "older": "Старше", "no_posts": "Пока нет статей.",
        "topics": "Темы", "latest": "Новые статьи", "all_posts": "Все статьи", "home": "На главную",
        "blog": "Блог", "tag": "Тема", "contact": "Записаться", "breadcrumbs": "Навигационная цепочка",
        "not_found": "Страница не найдена", "not_found_text": "Возможно, она была перемещена или удалена.",
        "redirect": "Страница переехала",
        "search": "Поиск", "search_label": "Поиск по статьям", "search_none": "Ничего не найдено.",
        "search_hint": "Введите слово или фразу: найдутся и другие его формы.",
        "search_js": "Для поиска нужен JavaScript.", "search_found": "Найдено", "search_more": "Показать ещё",
        "search_shown": "показаны первые", "draft": "Черновик", "scheduled": "Запланировано",
    },
    "en": {
        "skip": "Skip to content", "menu": "Menu", "min_read": "min read", "updated": "updated",
        "author": "Author", "reviewer": "Reviewed by", "source": "Originally published on", "dzen": "Dzen",
        "previous": "Previous", "next": "Next", "more_posts": "More posts", "related": "Related posts",
        "pages": "Pages", "page": "Page", "newer": "Newer", "older": "Older", "no_posts": "No posts yet.",
        "topics": "Topics", "latest": "Latest posts", "all_posts": "All posts", "home": "Home",
        "blog": "Blog", "tag": "Topic", "contact": "Contact us", "breadcrumbs": "Breadcrumbs",
        "not_found": "Page not found", "not_found_text": "It may have been moved or deleted.",
        "redirect": "This page has moved",
        "search": "Search", "search_label": "Search the posts", "search_none": "Nothing found.",
        "search_hint": "Type a word or a phrase.", "search_js": "Search needs JavaScript.", "search_found": "Found",
        "search_more": "Show more", "search_shown": "showing the first", "draft": "Draft", "scheduled": "Scheduled",
    },
}


class Labels(dict[str, str]):
    """The labels as templates read them: `t.skip` is a plain attribute (Jinja tries attributes first, and
    a dict's missing attribute costs an exception on every use); `t["skip"]` works as before."""

    def __init__(self, labels: dict[str, str]) -> None:
        super().__init__(labels)
        self.__dict__.update(labels)


def labels(language: str) -> dict[str, str]:
    return Labels(LABELS.get(language, LABELS["en"] if language != "ru" else LABELS["ru"]))


def make_env(site_templates: Path, language: str, cache_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(site_templates)))
    loaders.append(jinja2.FileSystemLoader(str(PACKAGE_TEMPLATES)))
    bytecode = None
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir))
    # HTML templates escape for HTML; the feeds, sitemap, robots.txt and posts.json say how each value is written
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), trim_blocks=True,
                             autoescape=jinja2.select_autoescape(("html",), default_for_string=True, default=False),
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined, bytecode_cache=bytecode,
                             auto_reload=False, cache_size=-1)
    env.filters["human_date"] = lambda dt: human_date(dt, language)
    env.filters.update(FILTERS)
    use_images(env, _plain_picture)
    return env


def cdata(text: str) -> str:
    """Text as one CDATA section (a `]]>` inside is split across two)."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def compact_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # compact: the C encoder


def _html_attr(value: Any) -> Markup:
    return Markup(html.escape(str(value)))  # noqa: S704 - escaped here, quotes included


# filters for the templates of generated files: xml (text), xmlattr (an attribute, quotes included), cdata,
# rfc822 (an RSS date), compact_json, h (HTML-escaped with quotes, as the alias page writes them)
FILTERS: dict[str, Callable[..., Any]] = {"xml": xml_escape, "xmlattr": quoteattr, "cdata": cdata,
                                          "rfc822": format_datetime, "compact_json": compact_json, "h": _html_attr}


def use_images(env: jinja2.Environment, picture: Callable[..., str]) -> None:
    """`picture(src, alt, role, eager=False, priority=False)` in templates: responsive markup for an image."""
    env.globals["picture"] = lambda *args, **kwargs: Markup(picture(*args, **kwargs))  # noqa: S704 - escaped


def _plain_picture(src: str | None, alt: str = "", role: str = "", eager: bool = False,
                   priority: bool = False) -> str:
    return img_tag(src, alt, eager=eager, priority=priority) if src else ""


def human_date(dt: datetime, language: str) -> str:
    if language == "ru":
        return f"{dt.day} {_MONTHS_RU[dt.month - 1]} {dt.year}"
    return dt.strftime("%B %-d, %Y")


def template_fingerprint(env: jinja2.Environment, name: str) -> str:
    """Hash of a template and everything it extends, includes or imports."""
    digest = hashlib.blake2b(digest_size=16)
    for source in _closure(env, name):
        digest.update(source.encode())
    return digest.hexdigest()


_REFERENCE = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(["'])([^"']+)\1""")
_ANY_REFERENCE = re.compile(r"\{%-?\s*(?:extends|include|import|from)\b")


def _closure(env: jinja2.Environment, name: str) -> list[str]:
    seen: dict[str, str] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        source = _source(env, current)
        seen[current] = source
        refs = [m.group(2) for m in _REFERENCE.finditer(source)]
        if len(refs) != len(_ANY_REFERENCE.findall(source)):
            refs = _parsed_references(env, source, current)  # a computed name: ask Jinja itself
        todo.extend(refs)
    return [f"{k}\0{seen[k]}" for k in sorted(seen)]


def _parsed_references(env: jinja2.Environment, source: str, name: str) -> list[str]:
    try:
        refs = list(meta.find_referenced_templates(env.parse(source)))
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(f"template syntax error: {exc.message}", path=exc.filename or name,
                         line=exc.lineno) from None
    if None in refs:  # a name known only at render time: depend on every template there is
        assert env.loader is not None
        return env.loader.list_templates()
    return [r for r in refs if r]


def _source(env: jinja2.Environment, name: str) -> str:
    assert env.loader is not None
    try:
        return env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:
        raise BuildError(f"template {name!r} not found", path=name) from None


@cache
def package_file(name: str) -> str:
    return (PACKAGE_TEMPLATES / name).read_text(encoding="utf-8")
