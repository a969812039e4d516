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
from typing import Any

from dzenpress.content.post import Post
from dzenpress.fsio import Stat
from dzenpress.hashing import digest
from dzenpress.render.pages import SHOWN

# slug → "mtime_ns:size digest digest …" (the post file's stat, then the digest of each kind in _VIEWS' order)
# from the last build: one string a post, quick to load
Known = dict[str, str]
_VIEWS = (Post, *SHOWN)
_KIND = {cls.__name__: n for n, cls in enumerate(_VIEWS, 1)}


def _ref(fingerprint: str) -> str:  # what a post or view is pickled as inside a key: never unpickled
    return fingerprint


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
        if cls is set or cls is frozenset:
            raise TypeError("a set has no canonical order: contexts hold tuples")
        return NotImplemented


class Keys:
    """Digests of contexts, posts and views of posts for one build."""

    def __init__(self, known: Known, stat_of: Callable[[str], Stat | None]) -> None:
        self.known = known
        self._stat_of = stat_of  # slug → stat of the post's file now
        self._memo: dict[int, tuple[object, str]] = {}  # id → (the object, kept alive; its digest)

    def dumps(self, value: object, mentions: list[str] | None = None) -> bytes:
        out = io.BytesIO()
        _KeyPickler(out, self, mentions).dump(value)
        return out.getvalue()

    def of(self, *parts: object, mentions: list[str] | None = None) -> str:
        return digest(self.dumps(parts, mentions))

    def unchanged(self, slug: str) -> bool:
        """The post's file has the stat it had in the last build: it and its views are the same."""
        known, stat = self.known.get(slug), self._stat_of(slug)
        return known is not None and stat is not None and known.startswith(f"{stat[0]}:{stat[1]} ")

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
            found = digest(self.dumps((kind, vars(obj))))
        self._memo[id(obj)] = (obj, found)
        return found
