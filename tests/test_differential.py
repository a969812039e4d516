"""Differential, stateful: after any sequence of edits, an incremental build equals a clean build.

Hypothesis drives random edits of a small site (posts added, edited, deleted, renamed; dates, tags,
titles, covers, drafts, aliases; config values; templates; the stylesheet; public files; images replaced
by others). After each
edit the site is built incrementally in place, and the same inputs are built from scratch in another
folder: the two dist/ trees must be byte-identical. The incremental build must also render only what
changed: touching a post (new mtime, same bytes) renders nothing, with or without the state's index.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dzenpress import build
from dzenpress.errors import DzenpressError
from dzenpress.render import search
from dzenpress.render.state import State
from dzenpress.render.templating import package_file

from image_helpers import IMAGES_CONFIG, photo

SLUGS = ("alpha", "beta", "gamma", "delta", "epsilon")
TITLES = ("Боль в спине", "Колено", "Сон и стресс", "Осанка")
DATES = ("2023-05-01", "2024-02-10", "2024-02-11", "2025-12-31T23:00:00", "2026-03-08")
TAGS = ("спина", "сон", "Спина", "колено")
BODIES = (
    "Первый абзац. Второе предложение.\n\n## Раздел\n\n- пункт\n- ещё\n",
    "Короткий текст со [ссылкой](https://example.org/x) и картинкой:\n\n![](/img/a.png)\n",
    "# Заголовок в теле\n\nТекст после заголовка, достаточно длинный для описания статьи.\n",
)
COVERS = (None, "/img/a.png", "/img/b.png")
CONFIG_VALUES = {
    "name": ('"Блог"', '"Другой блог"'),
    "description": ('""', '"Описание сайта"'),
    "posts_per_page": ("2", "3"),
    "home_posts": ("1", "2"),
    "feed_items": ("1", "3"),
    "trailing_slash": ("true", "false"),
    "language": ('"ru"', '"en"'),
}
TEMPLATE_EDITS = {
    "list.html": lambda: package_file("list.html").replace("<h1>", '<h1 class="x">'),
    "base.html": lambda: package_file("base.html").replace("<main", "<main data-edited"),
    "_card.html": lambda: package_file("_card.html") + "<!-- card -->\n",
    "dzenpress.css": lambda: package_file("dzenpress.css") + "\n.edited { color: red }\n",
}
PUBLIC = ("files/a.txt", "files/b.txt", "robots.txt")
PICTURES = tuple(photo(120, 80, seed).pngsave_buffer() for seed in (1, 2, 3))  # covers and body images


class Post:
    def __init__(self, title: str, date: str, body: str) -> None:
        self.title, self.date, self.body = title, date, body
        self.tags: tuple[str, ...] = ()
        self.cover: str | None = None
        self.draft = False
        self.aliases: tuple[str, ...] = ()

    def text(self, slug: str) -> str:
        lines = ["---", f"title: '{self.title}'", f"slug: {slug}", f"date: '{self.date}'"]
        if self.tags:
            lines.append("tags: [" + ", ".join(self.tags) + "]")
        if self.cover:
            lines.append(f"cover: {self.cover}")
        if self.draft:
            lines.append("draft: true")
        if self.aliases:
            lines.append("aliases: [" + ", ".join(self.aliases) + "]")
        return "\n".join([*lines, "---", "", self.body])


class IncrementalEqualsClean(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        memory = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None  # in memory: faster, when there
        self.tmp = Path(tempfile.mkdtemp(prefix="dzp-diff-", dir=memory))
        self.site = self.tmp / "site"
        self.posts: dict[str, Post] = {}
        self.config = {key: values[0] for key, values in CONFIG_VALUES.items()}
        self.templates: dict[str, str] = {}
        self.public: dict[str, str] = {}
        self.pictures = {"a": 0, "b": 1}  # public/img/<name>.png → which of PICTURES
        self.clock = 1_700_000_000 * 10**9  # every write gets a later mtime, as edits by hand do
        self.builds = 0
        self.sharding = search.SHARDED, search._PER_SHARD
        search.SHARDED, search._PER_SHARD = True, 2  # a few pages over several shards, their number changing

    def teardown(self) -> None:
        search.SHARDED, search._PER_SHARD = self.sharding
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- the inputs ----------------------------------------------------------------------

    def files(self) -> dict[str, str | bytes]:
        config = "[site]\nurl = \"https://blog.example\"\n" + "".join(
            f"{key} = {value}\n" for key, value in self.config.items())
        config += '[indexnow]\nkey = "differential-key"\n' + IMAGES_CONFIG  # else each site draws its own key
        out: dict[str, str | bytes] = {"dzenpress.toml": config}
        out |= {f"public/img/{name}.png": PICTURES[n] for name, n in self.pictures.items()}
        out |= {f"content/posts/{slug}.md": post.text(slug) for slug, post in self.posts.items()}
        out |= {f"templates/{name}": text for name, text in self.templates.items()}
        out |= {f"public/{name}": text for name, text in self.public.items()}
        return out

    def write(self, root: Path, tick: bool) -> None:
        wanted = self.files()
        (root / "content/posts").mkdir(parents=True, exist_ok=True)
        for path in [p for p in root.rglob("*") if p.is_file()]:
            rel = path.relative_to(root).as_posix()
            if rel.split("/")[0] in ("dist", ".dzenpress"):
                continue
            if rel not in wanted:
                path.unlink()
        for rel, text in wanted.items():
            path = root / rel
            data = text.encode() if isinstance(text, str) else text
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if tick:
                self.clock += 10**9
                os.utime(path, ns=(self.clock, self.clock))

    @initialize()
    def start(self) -> None:
        self.posts["alpha"] = Post(TITLES[0], DATES[1], BODIES[0])
        self.posts["beta"] = Post(TITLES[1], DATES[2], BODIES[1])
        self.check()

    # ---- edits ---------------------------------------------------------------------------

    @precondition(lambda self: len(self.posts) < len(SLUGS))
    @rule(title=st.sampled_from(TITLES), date=st.sampled_from(DATES), body=st.sampled_from(BODIES),
          data=st.data())
    def add_post(self, title: str, date: str, body: str, data: st.DataObject) -> None:
        slug = data.draw(st.sampled_from([s for s in SLUGS if s not in self.posts]))
        self.posts[slug] = Post(title, date, body)
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data())
    def delete_post(self, data: st.DataObject) -> None:
        del self.posts[data.draw(st.sampled_from(sorted(self.posts)))]
        self.check()

    @precondition(lambda self: self.posts and len(self.posts) < len(SLUGS))
    @rule(data=st.data())
    def rename_post(self, data: st.DataObject) -> None:
        old = data.draw(st.sampled_from(sorted(self.posts)))
        new = data.draw(st.sampled_from([s for s in SLUGS if s not in self.posts]))
        self.posts[new] = self.posts.pop(old)
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data(), field=st.sampled_from(["title", "date", "body"]))
    def edit_post(self, data: st.DataObject, field: str) -> None:
        post = self.posts[data.draw(st.sampled_from(sorted(self.posts)))]
        choices = {"title": TITLES, "date": DATES, "body": BODIES}[field]
        setattr(post, field, data.draw(st.sampled_from(choices)))
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data(), tags=st.lists(st.sampled_from(TAGS), max_size=3, unique=True))
    def set_tags(self, data: st.DataObject, tags: list[str]) -> None:
        self.posts[data.draw(st.sampled_from(sorted(self.posts)))].tags = tuple(tags)
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data(), cover=st.sampled_from(COVERS))
    def set_cover(self, data: st.DataObject, cover: str | None) -> None:
        self.posts[data.draw(st.sampled_from(sorted(self.posts)))].cover = cover
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data())
    def toggle_draft(self, data: st.DataObject) -> None:
        post = self.posts[data.draw(st.sampled_from(sorted(self.posts)))]
        post.draft = not post.draft
        self.check()

    @precondition(lambda self: self.posts)
    @rule(data=st.data(), count=st.integers(0, 2))
    def set_aliases(self, data: st.DataObject, count: int) -> None:
        slug = data.draw(st.sampled_from(sorted(self.posts)))
        self.posts[slug].aliases = tuple(f"/old/{slug}-{n}/" for n in range(count))
        self.check()

    @rule(key=st.sampled_from(sorted(CONFIG_VALUES)), data=st.data())
    def set_config(self, key: str, data: st.DataObject) -> None:
        self.config[key] = data.draw(st.sampled_from(CONFIG_VALUES[key]))
        self.check()

    @rule(name=st.sampled_from(sorted(TEMPLATE_EDITS)), on=st.booleans())
    def edit_template(self, name: str, on: bool) -> None:
        if on:
            self.templates[name] = TEMPLATE_EDITS[name]()
        else:
            self.templates.pop(name, None)
        self.check()

    @rule(name=st.sampled_from(PUBLIC), text=st.sampled_from([None, "one", "two"]))
    def edit_public(self, name: str, text: str | None) -> None:
        if text is None:
            self.public.pop(name, None)
        else:
            self.public[name] = f"User-agent: *\n# {text}\n" if name == "robots.txt" else text
        self.check()

    @rule(name=st.sampled_from(["a", "b"]), picture=st.integers(0, len(PICTURES) - 1))
    def replace_image(self, name: str, picture: int) -> None:
        self.pictures[name] = picture
        self.check()

    @rule(data=st.data(), how=st.sampled_from(["edit", "delete", "same bytes, new mtime"]))
    def damage_output(self, data: st.DataObject, how: str) -> None:
        """Someone edits, deletes or touches a built file: the next build puts the right one back."""
        # the search index's files are not outputs the state records: a damaged shard is found only by its
        # missing entry file (search.is_current), not byte by byte
        files = sorted(p for p in (self.site / "dist").rglob("*") if p.is_file() and "pagefind" not in p.parts)
        if not files:
            return
        victim = data.draw(st.sampled_from(files))
        if how == "delete":
            victim.unlink()
        elif how == "edit":
            victim.write_bytes(victim.read_bytes() + b"<!-- edited -->")
        else:
            self.clock += 10**9
            os.utime(victim, ns=(self.clock, self.clock))
        self.check()

    # ---- the property --------------------------------------------------------------------

    def check(self) -> None:
        self.write(self.site, tick=True)
        self.builds += 1
        twin = self.tmp / f"clean-{self.builds}"
        self.write(twin, tick=False)
        try:
            build(self.site, jobs=1)
        except DzenpressError as exc:
            try:
                build(twin, jobs=1)
            except DzenpressError as twin_exc:
                assert type(twin_exc) is type(exc)
                return
            raise AssertionError(f"only the incremental build failed: {exc}") from exc
        build(twin, jobs=1)
        assert tree(self.site / "dist") == tree(twin / "dist")
        shutil.rmtree(twin)

    @invariant()
    def touching_a_post_renders_nothing(self) -> None:
        """Same bytes, new mtime: the post is parsed again, but no page's data changed. Then the same without
        the state's index of who shows what: every key is derived again, and must come out the same."""
        if not (self.site / "dist").exists() or not self.posts:
            return
        for forget_index in (False, True):
            if forget_index:
                state = State(self.site / ".dzenpress")
                state.db.execute("DELETE FROM blobs WHERE name = 'index'")
                state.close()
            self.clock += 10**9
            os.utime(self.site / f"content/posts/{min(self.posts)}.md", ns=(self.clock, self.clock))
            again = build(self.site, jobs=1)
            assert again.rendered == [] and again.written == []


def tree(root: Path) -> dict[str, bytes]:
    """Every output file, the search index's shards included, byte for byte."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=12, stateful_step_count=8, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_incremental_build_equals_clean_build = IncrementalEqualsClean.TestCase
