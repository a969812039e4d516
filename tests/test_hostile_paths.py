"""Hostile front matter and config, table-driven (issue 7 §1–2).

Every refused case must: name the post (or dzenpress.toml) and the field (and the line for posts), create,
change or delete nothing outside dist/, and leave the previous dist/ exactly as it was.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzenpress import load_site, routes
from dzenpress.errors import ConfigError, DzenpressError, flatten
from dzenpress.render.state import OutputRecord, State
from dzenpress.render.writer import JOURNAL, output_path, recover

from helpers import build_site

CONFIG = '[site]\nurl = "https://blog.example"\nname = "Блог"\ntrailing_slash = {ts}\n'
# the site sits two folders down so that '../../victim' and '../../../x' land inside the snapshot
SITE = Path("a/b/site")
Tree = dict[str, bytes | None]
Fresh = Callable[..., Path]  # a copy of the prebuilt site: fresh(trailing_slash=True)


def post(slug: str, body: str = "Текст статьи.", **front: object) -> str:
    lines = ["---", f"title: 'Пост {slug}'", f"slug: {slug}", "date: '2025-01-15'", "tags: [Спина]"]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
    return "\n".join([*lines, "---", "", body, ""])


def make_site(base: Path, trailing_slash: bool = True) -> Path:
    site = base / SITE
    posts = site / "content/posts"
    posts.mkdir(parents=True)
    (site / "public/contacts").mkdir(parents=True)
    (site / "public/contacts/index.html").write_text("<p>Контакты</p>", encoding="utf-8")
    (site / "templates").mkdir()
    (site / "dzenpress.toml").write_text(CONFIG.format(ts=str(trailing_slash).lower()), encoding="utf-8")
    (posts / "drugoy.md").write_text(post("drugoy", "![Снимок](pic.png)"), encoding="utf-8")
    (posts / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (posts / "draft.md").write_text(post("draft", "Секретный черновик.", draft=True), encoding="utf-8")
    (base / "a/b/victim").write_text("чужой файл", encoding="utf-8")
    build_site(site)
    return site


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """A built site per trailing-slash policy, copied for each case (building once is the slow part)."""
    return {ts: make_site(tmp_path_factory.mktemp(f"ts{ts}"), ts).parents[2] for ts in (True, False)}


@pytest.fixture
def fresh(prebuilt: dict[bool, Path], tmp_path: Path) -> Fresh:
    def copy(trailing_slash: bool = True) -> Path:
        shutil.copytree(prebuilt[trailing_slash], tmp_path / "t", symlinks=True)
        return tmp_path / "t" / SITE

    return copy


def tree(base: Path, skip: tuple[str, ...] = ()) -> Tree:
    """Every file (bytes) and folder (None) under `base`, but those under `skip` folders."""
    out: Tree = {}
    for p in sorted(base.rglob("*")):
        rel = p.relative_to(base).as_posix()
        if not any(rel == s or rel.startswith(s + "/") for s in skip):
            out[rel] = p.read_bytes() if p.is_file() and not p.is_symlink() else None
    return out


def outside(site: Path) -> Tree:
    base = site.parents[2]
    rel = site.relative_to(base).as_posix()
    return tree(base, skip=(f"{rel}/dist", f"{rel}/.dzenpress"))


def build_errors(site: Path) -> list[DzenpressError]:
    try:
        build_site(site)
    except DzenpressError as exc:
        return flatten(exc)
    return []


def key_line(text: str, key: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:"))


def assert_refused(site: Path, text: str, field: str | None, needle: str, line: int | None = None) -> None:
    """Add hostile.md, build: one error naming it (line, field), and nothing anywhere changed."""
    before_out, before_dist = outside(site), tree(site / "dist")
    (site / "content/posts/hostile.md").write_text(text, encoding="utf-8")
    errors = build_errors(site)
    mine = [e for e in errors if e.path is not None and Path(e.path).name == "hostile.md"]
    assert mine, f"no error names hostile.md: {errors}"
    error = mine[0]
    assert error.field == field, str(error)
    assert error.line == (line or key_line(text, field or "")), str(error)
    assert needle in str(error), str(error)
    after = outside(site)
    after.pop(f"{SITE.as_posix()}/content/posts/hostile.md")
    assert after == before_out, "something outside dist/ was created, changed or deleted"
    assert tree(site / "dist") == before_dist, "the previous dist/ was not left as it was"


# ---- §1 aliases -------------------------------------------------------------------------------------

ALIASES = [
    ("../../../x/pwn", True, "'..'"),
    ("../../victim", True, "'..'"),
    ("../templates/base", False, "'..'"),
    ("/", True, "home page"),
    ("/.", True, "'.'"),
    ("/blog", True, "generated blog list"),
    ("/blog", False, "generated blog list"),
    ("/blog/tag/spina/", True, "generated blog list"),
    ("/blog/page/2", True, "generated blog list"),
    ("/blog/page/2", False, "generated blog list"),
    ("/index.html", True, "generated /index.html"),
    ("/rss.xml", True, "generated /rss.xml"),
    ("/assets/dzenpress.css/", True, "generated /assets"),
    ("/blog/drugoy/", True, "the page of drugoy.md"),
    ("/blog/drugoy", False, "the page of drugoy.md"),
    ("/blog/drugoy/index.html", True, "the page of drugoy.md"),
    ("/blog/drugoy/pic.png/", True, "an image of drugoy.md to be a folder"),
    ("/contacts/", True, "public/contacts/index.html"),
    ("/contacts/index.html/x/", True, "public/contacts/index.html to be a folder"),
    ("%2e%2e/%2e%2e/victim", True, "'..'"),
    ("/a/%2E%2E/%2e%2e/%2e%2e/victim", True, "'..'"),
    ("https://evil.example/x/", True, "full URL"),
    ("//evil.example/x/", True, "full URL"),
    ("/a\\..\\..\\victim", True, "'\\\\'"),
    ("/.dzenpress/x/", True, "hidden"),
    ("/old/.index.html.dzp-tmp-1", True, "hidden"),
    ("/old//x/", True, "empty"),
    ("/old?x=1", True, "'?'"),
]


@pytest.mark.parametrize(("alias", "trailing_slash", "needle"), ALIASES)
def test_hostile_alias_is_refused(fresh: Fresh, alias: str, trailing_slash: bool, needle: str) -> None:
    site = fresh(trailing_slash)
    assert_refused(site, post("hostile", aliases=[alias]), "aliases", needle)


def test_alias_taken_by_another_post_alias_names_both(fresh: Fresh) -> None:
    site = fresh()
    (site / "content/posts/drugoy.md").write_text(post("drugoy", "![Снимок](pic.png)", aliases=["/old/"]),
                                                  encoding="utf-8")
    build_site(site)
    assert_refused(site, post("hostile", aliases=["/old"]), "aliases", "also an alias of drugoy.md")


def test_alias_that_is_a_folder_of_another_alias(fresh: Fresh) -> None:
    site = fresh()
    assert_refused(site, post("hostile", aliases=["/old/a.html", "/old/a.html/b/"]), "aliases", "to be a folder")


@pytest.mark.parametrize(("alias", "trailing_slash", "made"), [
    ("/old/a.html", True, "old/a.html"),
    ("/old/a.html", False, "old/a.html"),
    ("old/x", True, "old/x/index.html"),
    ("/old/x/", False, "old/x.html"),
    ("/%D1%81%D1%82%D0%B0%D1%80%D0%B0%D1%8F/", True, "старая/index.html"),
])
def test_good_alias_is_a_redirect_at_its_file(fresh: Fresh, alias: str, trailing_slash: bool, made: str) -> None:
    site = fresh(trailing_slash)
    before = outside(site)
    (site / "content/posts/novyy.md").write_text(post("novyy", aliases=[alias]), encoding="utf-8")
    build_site(site)
    page = (site / "dist" / made).read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in page and "https://blog.example/blog/novyy" in page
    assert not (site / "dist" / made / "index.html").exists()
    after = outside(site)
    after.pop(f"{SITE.as_posix()}/content/posts/novyy.md")
    assert after == before


# ---- §1 only images are published as images ------------------------------------------------------

IMAGES = [
    ("![Черновик](draft.md)", "draft.md"),
    ('<img src="draft.md" alt="">', "draft.md"),
    ("![Черновик](./draft.md)", "draft.md"),
    ("![Страница](notes.html)", "notes.html"),
    ("![Скрытый](.secret.png)", ".secret.png"),
]


@pytest.mark.parametrize(("body", "name"), IMAGES)
def test_non_image_beside_a_post_is_never_published(fresh: Fresh, body: str, name: str) -> None:
    site = fresh()
    for extra in ("notes.html", ".secret.png"):
        (site / "content/posts" / extra).write_text("<p>личное</p>", encoding="utf-8")
    text = post("hostile", f"Текст.\n\n{body}")
    line = text.splitlines().index(body) + 1
    assert_refused(site, text, None, "not an image file", line=line)
    assert not [p for p in (site / "dist").rglob("*") if p.name in (name, "notes.html", ".secret.png")]


def test_non_image_cover_is_never_published(fresh: Fresh) -> None:
    site = fresh()
    (site / "content/posts/notes.txt").write_text("пароль", encoding="utf-8")
    assert_refused(site, post("hostile", cover="notes.txt"), "cover", "not an image file")
    assert not list((site / "dist").rglob("notes.txt"))


def test_image_beside_a_post_is_published(fresh: Fresh) -> None:
    site = fresh()
    assert (site / "dist/blog/drugoy/pic.png").read_bytes() == b"\x89PNG\r\n\x1a\n"


# ---- §2 URLs from front matter and config are checked by scheme ----------------------------------------

SCRIPTS = ["javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT:alert(1)", "  javascript:alert(1)",
           "\tjavascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "vbscript:msgbox(1)",
           "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "\x01javascript:alert(1)"]


@pytest.mark.parametrize("value", SCRIPTS)
@pytest.mark.parametrize("field", ["source", "cover"])
def test_script_url_in_front_matter_is_refused(fresh: Fresh, field: str, value: str) -> None:
    site = fresh()
    assert_refused(site, post("hostile", **{field: value}), field, "")


def test_web_source_is_a_link(fresh: Fresh) -> None:
    site = fresh()
    (site / "content/posts/novyy.md").write_text(post("novyy", source="https://dzen.ru/a/xyz"), encoding="utf-8")
    build_site(site)
    text = (site / "dist/blog/novyy/index.html").read_text(encoding="utf-8")
    assert 'href="https://dzen.ru/a/xyz"' in text


def _config_error(site: Path, extra: str, logo: str = "") -> ConfigError:
    text = CONFIG.format(ts="true") + (f"logo = {json.dumps(logo)}\n" if logo else "") + extra
    (site / "dzenpress.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_site(site)
    return caught.value


CONFIG_LINKS = [
    ('[[nav]]\ntitle = "x"\nurl = "javascript:alert(1)"\n', "", "nav[0].url"),
    ('[[nav]]\ntitle = "a"\nurl = "/"\n[[nav]]\ntitle = "b"\nurl = " JavaScript:alert(1)"\n', "", "nav[1].url"),
    ('[cta]\nurl = "java\\tscript:alert(1)"\n', "", "cta.url"),
    ('[organization]\nmessengers = { WhatsApp = "data:text/html,<b>x</b>" }\n', "",
     "organization.messengers.WhatsApp"),
    ("", "javascript:alert(1)", "site.logo"),
    ("", "mailto:x@example.ru", "site.logo"),
]


@pytest.mark.parametrize(("extra", "logo", "field"), CONFIG_LINKS)
def test_script_link_in_config_is_refused(fresh: Fresh, extra: str, logo: str, field: str) -> None:
    site = fresh()
    error = _config_error(site, extra, logo)
    assert error.field == field and error.path == site / "dzenpress.toml", str(error)


def test_contact_links_in_config_are_kept(fresh: Fresh) -> None:
    site = fresh()
    extra = ('[[nav]]\ntitle = "Почта"\nurl = "mailto:a@b.ru"\n[cta]\nurl = "tel:+74951234567"\n'
             '[organization]\nmessengers = { Viber = "viber://chat?number=%2B7495", Telegram = "https://t.me/x" }\n')
    (site / "dzenpress.toml").write_text(CONFIG.format(ts="true") + extra, encoding="utf-8")
    build_site(site)
    text = (site / "dist/index.html").read_text(encoding="utf-8")
    assert 'href="mailto:a@b.ru"' in text and 'href="viber://chat?number=%2B7495"' in text


def test_quote_in_cover_cannot_leave_the_attribute_in_feeds(fresh: Fresh) -> None:
    from selectolax.lexbor import LexborHTMLParser

    site = fresh()
    cover = 'https://cdn.example/x.jpg" onerror="alert(1)'
    (site / "content/posts/novyy.md").write_text(post("novyy", cover=cover), encoding="utf-8")
    build_site(site)
    rss = (site / "dist/rss.xml").read_text(encoding="utf-8")
    atom = (site / "dist/atom.xml").read_text(encoding="utf-8")
    feed_html = [m.group(1) for m in re.finditer(r"<!\[CDATA\[(.*?)\]\]>", rss, re.S)]
    feed_html += [html.unescape(m.group(1)) for m in re.finditer(r'<content type="html">(.*?)</content>', atom, re.S)]
    images = [img for h in feed_html for img in LexborHTMLParser(h).css("img")]
    assert images and all(set(img.attributes) <= {"src", "alt", "loading", "decoding"} for img in images)
    assert any(img.attributes["src"] == cover for img in images)


# ---- the gate itself --------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["../x", "a/../../x", "/etc/x", "", "a//b", "./a", "a/.", "a\\..\\b", "a\x00b"])
def test_output_path_refuses_anything_but_a_plain_path(tmp_path: Path, rel: str) -> None:
    with pytest.raises(DzenpressError, match="refusing"):
        output_path(tmp_path / "dist", rel)


def test_output_path_refuses_a_folder_linked_outside(fresh: Fresh) -> None:
    site = fresh()
    elsewhere = site.parents[2] / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site / "dist/blog/drugoy")
    (site / "dist/blog/drugoy").symlink_to(elsewhere)
    before = outside(site)
    (site / "content/posts/drugoy.md").write_text(post("drugoy", "![Снимок](pic.png) Новый текст."),
                                                  encoding="utf-8")
    errors = build_errors(site)
    assert errors and "outside the output folder" in str(errors[0])
    assert outside(site) == {**before, f"{SITE.as_posix()}/content/posts/drugoy.md":
                             (site / "content/posts/drugoy.md").read_bytes()}
    assert not list(elsewhere.iterdir())


def test_stale_output_outside_the_folder_is_never_deleted(fresh: Fresh) -> None:
    """A state that records an output outside dist/ (an old version's alias, an edited state) deletes nothing."""
    site = fresh()
    state = State(site / ".dzenpress")
    try:
        bogus = {rel: OutputRecord("k", "d", (0, 0)) for rel in ("../../victim", "../dzenpress.toml", "/tmp/x")}
        state.save_outputs(bogus, [], {"inputs": "changed"})
    finally:
        state.close()
    before = outside(site)
    report = build_site(site)
    assert outside(site) == before
    assert (site.parent / "victim").read_text(encoding="utf-8") == "чужой файл"
    assert set(report.removed) == set(bogus)  # forgotten by the state, but not deleted


def test_journal_pointing_outside_is_not_followed(fresh: Fresh) -> None:
    site = fresh()
    (site / "dist" / JOURNAL).write_text(json.dumps([["../dzenpress.toml", "../../victim"]]), encoding="utf-8")
    before = outside(site)
    recover(site / "dist", sweep=False)
    assert outside(site) == before and not (site / "dist" / JOURNAL).exists()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["/", ".", "..", "%2e", "%2F", "%", "\\", "a", "я", "index.html", ".html", "?",
                                 "#", ":", "//", " ", "\t", "~", "blog", "page", "2", "tag"]), max_size=12)
       .map("".join) | st.text(max_size=30))
def test_an_alias_is_refused_or_its_file_stays_inside(alias: str) -> None:
    try:
        route = routes.alias_route(alias)
    except ValueError:
        return
    for trailing_slash in (True, False):
        out = routes.Urls("https://a.example", trailing_slash).output(route)
        assert posixpath.normpath(out) == out and not out.startswith(("/", "../")) and out != ".."
        assert not any(part.startswith(".") for part in out.split("/"))
        output_path(Path("/nonexistent/dist"), out)  # the gate agrees
