"""Recipe keys derived from data: the digest of a canonical serialisation of what an output is made from.

The serialisation is pickle without its memo (equal values give equal bytes, however they are shared), so
anything a page's context holds is in its key without anyone listing it. A post, or a view of one (its card,
its posts.json listing, its sitemap entry), is written as the digest of all its fields; a post's body is in
it as the source file's digest (bodies are never held). Each such digest is computed once per build, and
remembered across builds by post and file stat: a post is parsed from its file, a view is made from its post
and the config (part of every key). Every post and view a context holds is also recorded as a *mention*
(`Kind:slug`): the build's index of which pages show what.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from functools import partial
from typing import Any

from dzenpress._version import __version__
from dzenpress.content.post import Post
from dzenpress.errors import BuildError
from dzenpress.fsio import Stat
from dzenpress.hashing import digest
from dzenpress.images.shown import ShownImages
from dzenpress.render.pages import SHOWN, Page, Pages
from dzenpress.render.state import OutputRecord

INDEX_FORMAT = 3  # of the state's index of posts and views; another format is ignored

# slug → "mtime_ns:size digest digest …" (the post file's stat, then the digest of each kind in _VIEWS' order)
# from the last build: one string a post, quick to load
Known = dict[str, str]
_VIEWS = (Post, *SHOWN)
_KIND = {cls.__name__: n for n, cls in enumerate(_VIEWS, 1)}


def _ref(fingerprint: str) -> str:  # what a post or view is pickled as inside a key: never unpickled
    return fingerprint


MAX_KEY_BYTES = 64 * 1024 * 1024  # a context serialised bigger than this is refused, not expanded further


class _Capped(io.BytesIO):
    """Without its memo, pickle writes a value shared N times N times: data that shares much (YAML aliases
    that front matter's own bound let through, or a bug) must fail fast instead of filling the memory."""

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > MAX_KEY_BYTES:
            raise BuildError(f"a page's data is over {MAX_KEY_BYTES >> 20} MiB when serialised for its recipe "
                             "key (values shared many times, such as YAML aliases in front matter?)")
        return super().write(data)


class _KeyPickler(pickle.Pickler):
    def __init__(self, out: io.BytesIO, keys: Keys, mentions: list[str] | None) -> None:
        super().__init__(out, protocol=5)
        self.fast = True  # no memo: the bytes depend on values only, not on which objects are shared
        self.keys = keys
        self.mentions = mentions

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls in _VIEWS:
            if self.mentions is not None:
                self.mentions.append(f"{cls.__name__}:{obj.slug}")
            return _ref, (self.keys.fingerprint(obj),)
        if cls is ShownImages:  # what the page shows of its images, not the whole plan
            return _ref, (digest(repr(obj.key()).encode()),)
        if cls is set or cls is frozenset:
            raise TypeError("a set has no canonical order: contexts hold tuples")
        return NotImplemented


class Keys:
    """Digests of contexts, posts and views of posts for one build."""

    def __init__(self, known: Known, stat_of: Callable[[str], Stat | None]) -> None:
        self.known = known
        self._stat_of = stat_of  # slug → stat of the post's file now
        self._memo: dict[int, tuple[object, str]] = {}  # id → (the object, kept alive; its digest)
        self._unchanged: dict[str, bool] = {}  # asked once per post per build, not once per view shown

    def dumps(self, value: object, mentions: list[str] | None = None) -> bytes:
        out = _Capped()
        try:
            _KeyPickler(out, self, mentions).dump(value)
        except ValueError as exc:  # pickle's fast mode meets a cycle
            raise BuildError(f"a page's data cannot be serialised for its recipe key: {exc}") from None
        return out.getvalue()

    def of(self, *parts: object, mentions: list[str] | None = None) -> str:
        return digest(self.dumps(parts, mentions))

    def unchanged(self, slug: str) -> bool:
        """The post's file has the stat it had in the last build: it and its views are the same."""
        found = self._unchanged.get(slug)
        if found is None:
            known, stat = self.known.get(slug), self._stat_of(slug)
            found = self._unchanged[slug] = (known is not None and stat is not None
                                             and known.startswith(f"{stat[0]}:{stat[1]} "))
        return found

    def known_fingerprint(self, slug: str, kind: str) -> str | None:
        return self.known[slug].split(" ")[_KIND[kind]] if slug in self.known else None

    def entry(self, slug: str, views: Callable[[], tuple[object, ...]]) -> str:
        """What the next build will know of this post."""
        if self.unchanged(slug):
            return self.known[slug]
        stat = self._stat_of(slug) or (0, 0)
        return " ".join([f"{stat[0]}:{stat[1]}", *(self.fingerprint(v) for v in views())])

    def fingerprint(self, obj: Any) -> str:
        """Digest of a post or view of a post: all its fields."""
        hit = self._memo.get(id(obj))
        if hit is not None:
            return hit[1]
        kind = type(obj).__name__
        if self.unchanged(obj.slug):
            found = self.known[obj.slug].split(" ")[_KIND[kind]]
        else:
            try:
                found = digest(self.dumps((kind, vars(obj))))
            except BuildError as exc:
                raise BuildError(exc.message, path=getattr(obj, "file", None) or f"the post {obj.slug!r}") from None
        self._memo[id(obj)] = (obj, found)
        return found


class Recipes:
    """The recipe keys of one build's pages, and the index the next build starts from.

    When the site-wide context, the templates, the structure (which pages exist, post order and tags) and
    the images are as in the last build, a page that shows no changed post or view keeps its recorded key:
    its context is the same. Every other page's key is derived from its context, and so is the key of every
    page marked `derive` (its context holds data besides posts)."""

    def __init__(self, pages: Pages, generated: list[Page], templates: dict[str, str], index: dict[str, Any],
                 stat_of: Callable[[str], Stat | None], images: str = "") -> None:
        self.pages, self.templates = pages, templates
        self.common = Keys({}, stat_of).of(__version__, pages.common)  # what every page is rendered with
        same_common = index.get("format") == INDEX_FORMAT and index.get("common") == self.common
        self.keys = Keys(index.get("posts", {}) if same_common else {}, stat_of)
        self.structure = digest(repr((pages.structure, [(p.output, p.render.__qualname__) for p in generated]))
                                .encode())
        self.images = images  # digest of every image and its settings: pages hold the keys of those they show
        self.fast = (same_common and index.get("templates") == templates and index.get("structure") == self.structure
                     and index.get("images") == images)
        self.changed = self._changed_views() if self.fast else set()
        self.mentions: dict[str, str] = {}  # output → what it shows, for pages whose key was derived

    def key(self, page: Page, record: OutputRecord | None) -> str:
        if self.fast and not page.derive and record is not None and not _shows_any(record.mentions, self.changed):
            return record.key  # it shows no post that changed, and nothing else changed: same context
        shown: list[str] = []
        key = self.keys.of(self.common, page.template, self.templates.get(page.template), page.render.__module__,
                           page.render.__qualname__, page.context, mentions=shown)
        self.mentions[page.output] = "\n".join(sorted(set(shown)))
        return key

    def index(self) -> dict[str, Any]:
        views = self.pages.views
        posts = {p.slug: self.keys.entry(p.slug, partial(views, i)) for i, p in enumerate(self.pages.posts)}
        return {"format": INDEX_FORMAT, "common": self.common, "templates": self.templates,
                "structure": self.structure, "images": self.images, "posts": posts}

    def _changed_views(self) -> set[str]:
        """Mentions (`Kind:slug`) whose data changed since the last build: only posts whose file changed."""
        changed = set()
        keys = self.keys
        for i, post in enumerate(self.pages.posts):
            if not keys.unchanged(post.slug):
                changed |= {f"{type(v).__name__}:{post.slug}" for v in self.pages.views(i)
                            if keys.fingerprint(v) != keys.known_fingerprint(post.slug, type(v).__name__)}
        return changed


def _shows_any(mentions: str, changed: set[str]) -> bool:
    if len(changed) < 8:  # the usual edit: a substring test (Post:a inside Post:ab: a key derived again)
        return any(m in mentions for m in changed)
    return not changed.isdisjoint(mentions.split("\n"))
