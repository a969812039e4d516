"""`dzenpress new "Заголовок"`: a draft post file, named by the title's slug, dated today in the site's zone."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime
from pathlib import Path

from dzenpress.config import load_config
from dzenpress.content.postfile import PostFields, render_post_file
from dzenpress.content.slug import slug_problem, slugify
from dzenpress.dates import timezone_of
from dzenpress.errors import DzenpressError
from dzenpress.fsio import temp_path


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
    fields = PostFields(title=title, slug=slug, date=day, body="Текст статьи.\n", description="", draft=True,
                        tags=tuple(tags or ()))
    data = render_post_file(fields).encode("utf-8")  # the writer import uses: same field order and quoting
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
