"""`dzenpress new "Заголовок"`: a draft post file, named by the title's slug, dated today in the site's zone."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path

from dzenpress.config import load_config
from dzenpress.content.frontmatter import dump_value
from dzenpress.content.slug import slug_problem, slugify
from dzenpress.dates import timezone_of
from dzenpress.errors import DzenpressError
from dzenpress.fsio import temp_path


def post_text(title: str, slug: str, day: str, tags: list[str]) -> str:
    """Front matter in the order real posts use (title, slug, date, draft, tags), then a body."""
    front = [_quoted("title", title), f"slug: {slug}\n", _quoted("date", day), "draft: true\n"]
    if tags:
        front.append(dump_value("tags", tags))
    return "---\n" + "".join(front) + "---\n\n" + "Текст статьи.\n"


def _quoted(key: str, value: str) -> str:
    return f"{key}: '" + value.replace("'", "''") + "'\n"


def new_post(root: Path | str, title: str, *, tags: list[str] | None = None, slug: str | None = None,
             now: datetime | None = None) -> Path:
    """Write `content/posts/<slug>.md` as a draft and return its path; never overwrites a file."""
    root = Path(root)
    title = " ".join(title.split())
    if not title:
        raise DzenpressError("the title is empty", field="title")
    config = load_config(root)
    slug = slug or slugify(title, config.import_.slug_style)  # type: ignore[arg-type]
    if not slug:
        raise DzenpressError(f"{title!r} gives an empty slug; pass --slug", field="slug")
    problem = slug_problem(slug)
    if problem:
        raise DzenpressError(problem, field="slug")
    day = (now or datetime.now(timezone_of(config, root))).astimezone(timezone_of(config, root)).date()
    path = root / config.paths.content / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = post_text(title, slug, day.isoformat(), list(tags or [])).encode("utf-8")
    tmp = temp_path(path)
    try:
        tmp.write_bytes(data)
        os.link(tmp, path)  # whole file or nothing, and never over an existing one
    except FileExistsError:
        raise DzenpressError("already exists; dzenpress new never overwrites a post (pass --slug for another "
                             "name)", path=path) from None
    except OSError as exc:
        raise DzenpressError(f"cannot be created: {exc.strerror}", path=path) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
