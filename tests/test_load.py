"""Reading posts: the real front-matter forms, and every kind of bad input named by file and line."""

from datetime import date
from pathlib import Path

import pytest

from dzenpress import load_site
from dzenpress.errors import DzenpressError, ErrorGroup, flatten

from conftest import CORPUS, PostWriter, post_text

POST_FORMAT = (CORPUS.parent / "docs" / "post-format.md")


def errors_of(site: Path) -> list[DzenpressError]:
    with pytest.raises(DzenpressError) as err:
        load_site(site)
    return flatten(err.value)


@pytest.mark.skipif(not POST_FORMAT.is_file(), reason="shared docs not present")
def test_real_post_from_post_format_md(blank_site: Path) -> None:
    text = POST_FORMAT.read_text(encoding="utf-8").split("```markdown\n")[1].split("```")[0]
    slug = "bol-v-spine-otdaet-v-poyasnicu-uznajte-chto-eto-znachit-i-kak-s-etim-borotsya"
    (blank_site / "content/posts" / f"{slug}.md").write_text(text, encoding="utf-8")
    for name in ("cover.jpg", "img-0.jpg", "img-1.jpg"):
        (blank_site / "public/blog" / slug).mkdir(parents=True, exist_ok=True)
        (blank_site / "public/blog" / slug / name).write_bytes(b"\xff\xd8\xff")
    post = load_site(blank_site).posts[0]
    assert post.title.startswith("Боль в спине отдает")
    assert post.date.date() == date(2024, 11, 18)
    assert post.source == "https://dzen.ru/a/Zzr6LsflXCeGJ1wk"
    assert post.tags == ("arti-clinic", "dzen")
    # the junk description is replaced in the output, from the body
    assert post.description_replaced == "Dzen page chrome"
    assert post.description.startswith("Боль в спине, особенно когда она отдает в поясницу")
    assert len(post.description) <= 160 and "подписчик" not in post.description


def test_corpus_posts_all_load(corpus_site: Path) -> None:
    site = load_site(corpus_site)
    assert len(site.posts) == 36
    for post in site.posts:
        assert 0 < len(post.description) <= 160
        assert "http" not in post.description and "/blog/" not in post.description
        assert "подписчик" not in post.description and "Читать далее" not in post.description


def test_yaml_variants(blank_site: Path, write_post: PostWriter) -> None:
    write_post("a", "---\ntitle: \"Двойные\"\nslug: a\ndate: 2024-05-01\nexcerpt: Краткое описание статьи.\n"
                    "custom_key: [1, 2]\ntags: одна\n---\nТекст.\n")
    write_post("b", "---\ntitle: >-\n  Сложенный\n  заголовок\ndate: '2024-05-02T10:30:00+03:00'\n"
                    "updated: 2024-06-01 12:00\n---\nТекст.\n")
    posts = {p.slug: p for p in load_site(blank_site).posts}
    assert posts["a"].description == "Краткое описание статьи."
    assert posts["a"].extra == {"custom_key": [1, 2]}
    assert posts["a"].tags == ("одна",)
    assert posts["b"].title == "Сложенный заголовок"
    assert posts["b"].date.hour == 10 and posts["b"].updated is not None


def test_invalid_yaml_names_file_and_line(blank_site: Path, write_post: PostWriter) -> None:
    path = write_post("bad", "---\ntitle: 'ok'\ndate: '2024-01-01'\ntags: [a, b\n---\nbody\n")
    (err,) = errors_of(blank_site)
    assert err.path == path and err.line in (4, 5, 6)
    assert "invalid YAML" in str(err) and "bad.md" in str(err)


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        ("---\nslug: x\ndate: '2024-01-01'\n---\nb\n", "title", 1, "required"),
        ("---\ntitle: T\nslug: ../../etc\ndate: '2024-01-01'\n---\nb\n", "slug", 3, "a-z"),
        ("---\ntitle: T\nslug: other\ndate: '2024-01-01'\n---\nb\n", "slug", 3, "differs from the file name"),
        ("---\ntitle: T\ndate: 'вчера'\n---\nb\n", "date", 3, "not a date"),
        ("---\ntitle: T\n---\nb\n", "date", 1, "required"),
        ("---\ntitle: T\ndate: '2024-01-01'\ndraft: 'no'\n---\nb\n", "draft", 4, "true or false"),
        ("---\ntitle: T\ndate: '2024-01-01'\ncover: /blog/x/nope.jpg\n---\nb\n", "cover", 4, "does not exist"),
        ("---\ntitle: T\ndate: '2024-01-01'\ntags: {a: 1}\n---\nb\n", "tags", 4, "list of strings"),
    ],
)
def test_bad_posts(blank_site: Path, write_post: PostWriter, text: str, field: str, line: int, words: str) -> None:
    path = write_post("x", text)
    (err,) = errors_of(blank_site)
    assert (err.path, err.field, err.line) == (path, field, line)
    assert words in str(err)


def test_missing_inline_image_reports_its_line(blank_site: Path, write_post: PostWriter) -> None:
    write_post("x", post_text("x", body="Первый абзац.\n\n![](/blog/x/img-0.jpg)\n"))
    (err,) = errors_of(blank_site)
    assert err.line == 9 and "img-0.jpg" in str(err)


def test_all_errors_are_listed_at_once(blank_site: Path, write_post: PostWriter) -> None:
    write_post("one", "---\nslug: one\ndate: 'x'\n---\nb\n")
    write_post("two", "no front matter at all\n")
    (blank_site / "content/posts/three.md").write_bytes(b"\x00\x01binary")
    with pytest.raises(ErrorGroup) as err:
        load_site(blank_site)
    found = {(e.path.name if e.path else "", e.field) for e in flatten(err.value)}
    assert found >= {("one.md", "title"), ("one.md", "date"), ("two.md", None), ("three.md", None)}


def test_duplicate_slugs_in_subfolders(blank_site: Path, write_post: PostWriter) -> None:
    write_post("same")
    (blank_site / "content/posts/2024").mkdir()
    (blank_site / "content/posts/2024/same.md").write_text(post_text("same"), encoding="utf-8")
    errs = errors_of(blank_site)
    assert any("also used by" in str(e) for e in errs)


def test_drafts_skipped_unless_asked(blank_site: Path, write_post: PostWriter) -> None:
    write_post("pub")
    write_post("wip", post_text("wip", draft="true"))
    assert [p.slug for p in load_site(blank_site).posts] == ["pub"]
    assert {p.slug for p in load_site(blank_site, drafts=True).posts} == {"pub", "wip"}


def test_relative_cover_beside_post_is_published(blank_site: Path, write_post: PostWriter) -> None:
    (blank_site / "content/posts/pic.jpg").write_bytes(b"\xff\xd8\xff")
    write_post("x", post_text("x", cover="pic.jpg", body="![схема](pic.jpg)"))
    post = load_site(blank_site).posts[0]
    assert post.cover == "/blog/x/pic.jpg"
    assert post.assets == {"/blog/x/pic.jpg": str(blank_site / "content/posts/pic.jpg")}


def test_relative_path_escaping_the_post_folder_is_refused(blank_site: Path, write_post: PostWriter) -> None:
    write_post("x", post_text("x", cover="../../dzenpress.toml"))
    (err,) = errors_of(blank_site)
    assert err.field == "cover"
