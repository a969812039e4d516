from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from dzenpress.content.slug import MAX_LENGTH, slug_problem, slugify, unique_slug

from conftest import CORPUS

titles = st.text(alphabet=st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЖЯabcXYZ0129 -/?!,.:«»—"),
                 max_size=200)


def test_post_format_examples() -> None:
    assert slugify("Боль в спине отдает в поясницу? Узнайте, что это значит и как с этим бороться") == (
        "bol-v-spine-otdaet-v-poyasnicu-uznajte-chto-eto-znachit-i-kak-s-etim-borotsya")
    assert slugify("не даёт восстановиться") == "ne-dayot-vosstanovitsya"
    assert slugify("домашняя помощь") == "domashnyaya-pomosh"
    assert slugify("вертебролога/невролога") == "vertebrologanevrologa"


def test_legacy_cut_may_end_with_hyphen_word_cut_never_does() -> None:
    title = "Упражнения для суставов " * 2 + "которые можно делать дома и на работе каждый день"
    legacy = slugify(title, "legacy")
    assert len(legacy) == MAX_LENGTH
    word = slugify(title)
    assert len(word) <= MAX_LENGTH and not word.endswith("-")
    assert legacy.startswith(word)


def test_corpus_slugs_are_reproduced_by_legacy_style() -> None:
    posts = sorted((CORPUS / "clean").glob("*.md"))
    if not posts:
        pytest.skip("corpus missing")
    for post in posts:
        front = post.read_text(encoding="utf-8").split("---")[1]
        title = yaml.safe_load(front)["title"]
        assert slugify(title, "legacy") == post.stem, post.name


@given(titles)
def test_slug_is_always_a_valid_url_segment(title: str) -> None:
    for style in ("word", "legacy"):
        slug = slugify(title, style)  # type: ignore[arg-type]
        assert slug == "" or slug_problem(slug) is None


@given(titles)
def test_slugify_is_idempotent(title: str) -> None:
    slug = slugify(title)
    assert slugify(slug) == slug


@given(st.lists(st.sampled_from(["a", "b", "x" * 80, "bol-v-spine"]), max_size=30))
def test_unique_slug_never_clashes(existing: list[str]) -> None:
    taken: set[str] = set()
    for slug in existing:
        new = unique_slug(slug, taken)
        assert new not in taken and slug_problem(new) is None
        taken.add(new)


@pytest.mark.parametrize("bad", ["../etc/passwd", "a/b", "Привет", "UPPER", "", "a" * 81, "x.y"])
def test_slug_problems(bad: str) -> None:
    assert slug_problem(bad)


def test_unique_slug_suffixes() -> None:
    assert unique_slug("post", {"post"}) == "post-2"
    assert unique_slug("post", {"post", "post-2"}) == "post-3"
    assert len(unique_slug("x" * 80, {"x" * 80})) == 80
    assert Path(unique_slug("a", set())).name == "a"
