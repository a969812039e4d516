"""Hostile front matter (issue 17): bounded YAML, and every error at once, each at its line and field."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzenpress import load_site
from dzenpress.content.post import load_post
from dzenpress.errors import BuildError, DzenpressError, flatten
from dzenpress.render.keys import Keys

from helpers import build_site


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def errors_of(site: Path) -> list[DzenpressError]:
    try:
        load_site(site)
    except DzenpressError as exc:
        return flatten(exc)
    return []


def where(errors: list[DzenpressError]) -> list[tuple[str, int | None, str | None]]:
    return [(Path(e.path or "").name, e.line, e.field) for e in errors]


def write(site: Path, front: list[str], body: str = "Текст.") -> Path:
    path = site / "content/posts/hostile.md"
    path.write_text("\n".join(["---", *front, "---", "", body, ""]), encoding="utf-8")
    return path


MIN_YEAR, MAX_YEAR = 1900, 2200  # the documented range of a post's date
BASE = ["title: 'Пост'", "slug: hostile", "date: '2025-01-15'"]  # lines 2-4


def bomb(levels: int, key: str = "lol") -> list[str]:
    """Nine `*a` a level: `levels` levels expand to 9**levels values from a few hundred bytes."""
    lines = [f"{key}0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"{key}{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return lines


# ---- YAML is bounded ----------------------------------------------------------------------------------

def test_an_alias_bomb_is_refused_in_milliseconds_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "hostile.md"
    path.write_text("\n".join(["---", *BASE, *bomb(8), "---", "", "Текст.", ""]), encoding="utf-8")
    assert len(path.read_bytes()) < 600
    caught: list[DzenpressError] = []

    def load() -> None:
        try:
            load_post(path, ZoneInfo("Europe/Moscow"))
        except DzenpressError as exc:
            caught.extend(flatten(exc))

    assert cpu(load) < 0.5
    first = caught[0]
    assert first.path == path and first.field == "lol5" and first.line == 10 and "alias" in first.message


def test_an_alias_bomb_in_an_unknown_key_fails_the_build_not_the_machine(blank_site: Path) -> None:
    write(blank_site, [*BASE, *bomb(6)])
    spent = cpu(lambda: errors_of(blank_site))
    assert spent < 2.0
    with pytest.raises(DzenpressError) as caught:
        build_site(blank_site)
    assert ("hostile.md", 10, "lol5") in where(flatten(caught.value))


def test_a_bomb_refused_still_lets_the_other_errors_be_seen(blank_site: Path) -> None:
    write(blank_site, ["title: 'Пост'", "slug: hostile", "date: '0001-01-01'", *bomb(6), "tags: ['..']"])
    found = where(errors_of(blank_site))
    assert ("hostile.md", 4, "date") in found and ("hostile.md", 10, "lol5") in found
    assert ("hostile.md", 12, "tags") in found


def test_an_alias_that_contains_itself_is_an_error_at_its_line(blank_site: Path) -> None:
    write(blank_site, [*BASE, "loop: &l [1, *l]"])
    assert where(errors_of(blank_site)) == [("hostile.md", 5, "loop")]


def test_a_huge_front_matter_is_refused_before_parsing(blank_site: Path) -> None:
    write(blank_site, [*BASE, "note: '" + "я" * 40_000 + "'"])
    errors = errors_of(blank_site)
    assert where(errors) == [("hostile.md", 1, None)] and "bytes" in errors[0].message


def test_sharing_in_page_data_cannot_blow_up_a_recipe_key() -> None:
    shared: list[object] = ["x"]
    for _ in range(40):  # 2**40 values once expanded
        shared = [shared, shared]
    keys = Keys({}, lambda _slug: None)
    with pytest.raises(BuildError, match="MiB"):
        keys.of(shared)
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(BuildError, match="cannot be serialised"):
        keys.of(loop)


def test_a_bounded_key_costs_bounded_time() -> None:
    shared: list[object] = ["x"]
    for _ in range(40):
        shared = [shared, shared]
    keys = Keys({}, lambda _slug: None)

    def key() -> None:
        with pytest.raises(BuildError):
            keys.of(shared)

    assert cpu(key) < 3.0


# ---- all errors at once, each at the right line -------------------------------------------------------

def test_a_bad_cover_does_not_hide_a_bad_alias(blank_site: Path) -> None:
    write(blank_site, [*BASE, "aliases: ['../../x']", "cover: missing.jpg"])
    assert where(errors_of(blank_site)) == [("hostile.md", 5, "aliases"), ("hostile.md", 6, "cover")]


def test_every_field_error_and_every_image_error_together(blank_site: Path) -> None:
    write(blank_site, ["title: ''", "slug: hostile", "date: 'вчера'", "draft: 'да'", "tags: ['/']",
                       "aliases: ['http://evil.example/']", "cover: 'javascript:alert(1)'"],
          body="![Нет](missing.png)")
    found = where(errors_of(blank_site))
    assert found == [("hostile.md", 2, "title"), ("hostile.md", 4, "date"), ("hostile.md", 5, "draft"),
                     ("hostile.md", 6, "tags"), ("hostile.md", 7, "aliases"), ("hostile.md", 8, "cover"),
                     ("hostile.md", 11, None)]


@pytest.mark.parametrize("key", ["title", "date", "tags", "x-extra"])
def test_a_duplicate_key_names_the_second_line(blank_site: Path, key: str) -> None:
    value = {"title": "'Второй'", "date": "'2025-02-01'", "tags": "[b]", "x-extra": "2"}[key]
    write(blank_site, [*BASE, "tags: [a]", "x-extra: 1", "source: https://dzen.ru/a/x", f"{key}: {value}"])
    errors = errors_of(blank_site)
    assert where(errors) == [("hostile.md", 8, key)]
    assert "duplicate" in errors[0].message and "line" in errors[0].message


def test_a_merge_key_is_not_a_duplicate(blank_site: Path) -> None:
    write(blank_site, [*BASE, "base: &b {a: 1, b: 2}", "extra:", "  <<: *b", "  a: 3"])
    assert errors_of(blank_site) == []


# ---- dates in a sane range ----------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["'0001-01-01'", "0001-01-01", "'1899-12-31'", "'2201-01-01'",
                                   "'9999-12-31T23:59:59'", "'1905-06-01'", "'2025-01-15T10:00:00+02:30:17'"])
def test_an_impossible_date_is_refused_at_its_line(blank_site: Path, value: str) -> None:
    write(blank_site, ["title: 'Пост'", "slug: hostile", f"date: {value}"])
    errors = errors_of(blank_site)
    assert where(errors) == [("hostile.md", 4, "date")], errors


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(MIN_YEAR, 1, 1),
                    max_value=datetime(MAX_YEAR, 12, 31)),
       st.sampled_from(["Europe/Moscow", "Asia/Kolkata", "America/St_Johns", "Africa/Monrovia", "UTC"]))
def test_an_accepted_date_has_an_offset_feeds_can_write(tmp_path_factory: pytest.TempPathFactory,
                                                         when: object, zone: str) -> None:
    path = tmp_path_factory.mktemp("d") / "p.md"
    path.write_text(f"---\ntitle: 'Пост'\nslug: p\ndate: '{when}'\n---\n\nТекст.\n", encoding="utf-8")
    try:
        post = load_post(path, ZoneInfo(zone))
    except DzenpressError as exc:
        assert [e.field for e in flatten(exc)] == ["date"]
        return
    for moment in (post.date, post.date.astimezone(ZoneInfo(zone))):
        offset = moment.utcoffset()
        assert offset is not None and offset.total_seconds() % 60 == 0


# ---- tags whose address would be empty ---------------------------------------------------------------

@pytest.mark.parametrize("tags", ["['..']", "['/']", "['Спина', '...']", "'—'", "['🙂']"])
def test_a_tag_without_letters_or_digits_is_an_error_at_its_line(blank_site: Path, tags: str) -> None:
    write(blank_site, [*BASE, f"tags: {tags}"])
    errors = errors_of(blank_site)
    assert where(errors) == [("hostile.md", 5, "tags")] and "address" in errors[0].message


def _tagged(site: Path, slug: str, day: int, tags: str) -> None:
    (site / f"content/posts/{slug}.md").write_text(
        f"---\ntitle: 'Пост {slug}'\nslug: {slug}\ndate: '2025-01-{day:02d}'\ntags: {tags}\n---\n\nТекст.\n",
        encoding="utf-8")


def test_tags_differing_only_in_case_are_one_tag_under_its_first_spelling(blank_site: Path) -> None:
    from helpers import page

    _tagged(blank_site, "pervyy", 1, "[Спина]")
    _tagged(blank_site, "vtoroy", 2, "[спина, СПИНА]")
    report = build_site(blank_site)
    assert [w for w in report.warnings if "'спина'" in w and "'Спина'" in w and "vtoroy.md" in w]
    _tagged(blank_site, "tretiy", 3, "[СПИНА]")  # a newer spelling does not rename the tag
    build_site(blank_site)
    for slug in ("pervyy", "vtoroy", "tretiy"):
        links = [a.text().lstrip("#") for a in page(blank_site, f"blog/{slug}/index.html").css("a[href*='/blog/tag/']")]
        assert links and set(links) == {"Спина"}, (slug, links)
    heading = page(blank_site, "blog/tag/spina/index.html").css_first("h1")
    assert heading is not None and "Спина" in heading.text() and "спина" not in heading.text()


def test_an_error_about_a_duplicated_keys_value_is_at_the_line_of_that_value(blank_site: Path) -> None:
    write(blank_site, ["title: 'Пост'", "slug: hostile", "date: '2025-01-15'", "tags: [a]", "date: 'позже'"])
    found = {(e.line, e.field, "duplicate" in e.message) for e in errors_of(blank_site)}
    assert found == {(6, "date", True), (6, "date", False)}  # both about line 6, where 'позже' is


def test_a_page_with_an_alias_bomb_is_refused_naming_it(blank_site: Path) -> None:
    (blank_site / "pages").mkdir()
    page = blank_site / "pages/about.md"
    page.write_text("\n".join(["---", "title: 'О нас'", *bomb(7), "---", "", "Текст.", ""]), encoding="utf-8")
    spent = cpu(lambda: errors_of(blank_site))
    assert spent < 2.0
    assert ("about.md", 8, "lol5") in where(errors_of(blank_site))


def test_a_duplicate_key_inside_a_value_names_its_top_level_field(blank_site: Path) -> None:
    write(blank_site, [*BASE, "seo:", "  title: a", "  title: b"])
    errors = errors_of(blank_site)
    assert where(errors) == [("hostile.md", 7, "seo")] and "'title'" in errors[0].message


def test_an_impossible_updated_date_is_refused_too(blank_site: Path) -> None:
    write(blank_site, [*BASE, "updated: '0001-01-01'"])
    assert where(errors_of(blank_site)) == [("hostile.md", 5, "updated")]
