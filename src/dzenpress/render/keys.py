"""Recipe keys derived from data: the digest of a canonical serialisation of what an output is made from.

The serialisation is pickle without its memo (equal values give equal bytes, however they are shared), so
anything a page's context holds is in its key without anyone listing it. A whole post inside a context is written
as the digest of the whole post (its body by the source file's digest: the body itself is never held);
that digest is computed once per post and build, and remembered across builds by file and stat. Every
post and view of a post (card, listing) a context holds is also recorded as a *mention*: the build's index of
which pages show which post.
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


def _post_ref(fingerprint: str) -> str:  # what a post is pickled as inside a key: never unpickled
    return fingerprint


class _KeyPickler(pickle.Pickler):
    def __init__(self, out: io.BytesIO, keys: Keys, mentions: list[str] | None) -> None:
        super().__init__(out, protocol=5)
        self.fast = True  # no memo: the bytes depend on values only, not on which objects are shared
        self.keys = keys
        self.mentions = mentions

    def reducer_override(self, obj: Any) -> Any:
        cls = type(obj)
        if cls is Post:
            if self.mentions is not None:
                self.mentions.append(obj.slug)
            return _post_ref, (self.keys.post_fingerprint(obj),)
        if cls in SHOWN and self.mentions is not None:
            self.mentions.append(obj.slug)
        if cls is set or cls is frozenset:
            raise TypeError("a set has no canonical order: contexts hold tuples")
        return NotImplemented


class Keys:
    """Digests of contexts and posts for one build."""

    def __init__(self, known: dict[str, tuple[Stat, str]], stat_of: Callable[[Post], Stat | None]) -> None:
        self._known = known  # slug → (stat of its file, fingerprint) from the last build
        self._stat_of = stat_of
        self._posts: dict[int, str] = {}  # id(post) → fingerprint; posts live as long as the build

    def dumps(self, value: object, mentions: list[str] | None = None) -> bytes:
        out = io.BytesIO()
        _KeyPickler(out, self, mentions).dump(value)
        return out.getvalue()

    def of(self, *parts: object, mentions: list[str] | None = None) -> str:
        return digest(self.dumps(parts, mentions))

    def post_fingerprint(self, post: Post) -> str:
        found = self._posts.get(id(post))
        if found is None:
            stat = self._stat_of(post)
            known = self._known.get(post.slug)
            if stat is not None and known is not None and known[0] == stat:
                found = known[1]  # a post is parsed from its file: same file and stat, same post
            else:
                found = digest(self.dumps((Post.__qualname__, vars(post))))
            self._posts[id(post)] = found
        return found
