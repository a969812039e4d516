"""The description policy (content/description.py): junk is recognised, clean descriptions read as prose."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzenpress.chrome import vocabulary as chrome
from dzenpress.content.description import (
    MAX_DESCRIPTION,
    RULE_SUMMARY,
    description_problem,
    make_description,
    published_description,
    repaired_description,
    shorten,
)
from dzenpress.content.excerpt import _squash, _squashes_to
from dzenpress.content.frontmatter import parse, split
from dzenpress.normalize.post import clean_text

TEASER_THEN_BOLD = (
    "Боль в пояснице мешает жить. Разберёмся, что с ней делать.\n\n"
    "![](/blog/x/img-0.jpg)\n\n"
    "**Боль в пояснице мешает жить.** Разберёмся, что с ней делать. Начнём с причин.\n"
)


@pytest.mark.parametrize(("body", "expected"), [
    (TEASER_THEN_BOLD, "Боль в пояснице мешает жить. Разберёмся, что с ней делать. Начнём с причин."),
    ("Лечение не всегда решает.**Часто боль возвращается.**\n", "Лечение не всегда решает. Часто боль возвращается."),
    ("Первое предложение._Второе предложение._\n", "Первое предложение. Второе предложение."),
    ("Текст `код`внутри и **жирный**текст.\n", "Текст кодвнутри и жирныйтекст."),  # no sentence end: nothing added
    ("Версия 3.**5** вышла.\n", "Версия 3.5 вышла."),
    ("Управляющий\x1bсимвол\x07 в тексте.\n", "Управляющий символ в тексте."),
    # a subtitle or a bold pseudo-heading (on its own or ended by a hard break) is not glued to the prose
    ("Что ломает спину — и как быть\n\nКаждый сезон одинаков. Боль.\n", "Каждый сезон одинаков. Боль."),
    ("**Что такое грыжа — простыми словами**  \nГрыжа — это не опухоль.  \nЭто выпячивание.\n",
     "Грыжа — это не опухоль. Это выпячивание."),
    ("Только заголовок без точки\n", "Только заголовок без точки"),
])
def test_description_reads_as_clean_prose(body: str, expected: str) -> None:
    assert make_description(body) == expected


def test_each_sentence_is_said_once_even_across_paragraphs() -> None:
    body = "Первая мысль статьи здесь. Вторая мысль.\n\nПервая мысль статьи здесь.\n\nТретья мысль.\n"
    assert make_description(body) == "Первая мысль статьи здесь. Вторая мысль. Третья мысль."


@pytest.mark.parametrize(("description", "reason"), [
    (None, "missing"),
    ("  ", "missing"),
    ("16 подписчиков Подписаться", "Dzen page chrome"),
    ("Смотрите https://example.ru", "contains URLs or paths"),
    ("а" * (MAX_DESCRIPTION + 1), f"longer than {MAX_DESCRIPTION} characters"),
    ("Текст\x1bс управляющим символом", "contains control characters"),
    ("Хорошее описание статьи.", None),
])
def test_junk_descriptions(description: str | None, reason: str | None) -> None:
    assert description_problem(description) == reason


def test_one_policy_for_load_clean_and_listing() -> None:
    body = "Короткое тело статьи. Второе предложение.\n"
    assert published_description("Подписаться", body, "Заголовок") == (
        "Короткое тело статьи. Второе предложение.", "Dzen page chrome")
    assert published_description("  Хорошее   описание. ", body, "Заголовок") == ("Хорошее описание.", None)
    assert published_description(None, "", "Заголовок") == ("Заголовок", "missing")
    assert repaired_description("Подписаться", body, "Заголовок") == "Короткое тело статьи. Второе предложение."
    assert repaired_description("Хорошее описание.", body, "Заголовок") is None
    assert str(MAX_DESCRIPTION) in RULE_SUMMARY


def test_clean_writes_a_loadable_description_from_any_body() -> None:
    text = "---\ntitle: 'T'\ndate: '2025-01-15'\ndescription: 'Подписаться'\n---\n\nТекст\x1b статьи\x00 здесь\uffff и\ufffe там.\n"
    cleaned = clean_text(text, Path("t.md"))
    meta = parse(split(cleaned.text, Path("t.md")).front, Path("t.md"))
    assert meta["description"] == "Текст статьи здесь и там."


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_shortens_within_the_limit(text: str) -> None:
    short = shorten(text)
    assert len(short) <= MAX_DESCRIPTION
    assert description_problem(short) in (None, "missing", "Dzen page chrome", "contains URLs or paths")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), st.sampled_from(
    ["Первое предложение.", "**Жирное.**Сразу текст.", "Подписаться", "![](/x.jpg)", "# Заголовок", "```", "- пункт",
     "Очень длинное предложение без конца " * 6, "Повтор.", "Повтор."])), max_size=8).map("\n\n".join))
def test_a_made_description_is_never_junk(body: str) -> None:
    made = make_description(body, "Заголовок")
    assert len(made) <= MAX_DESCRIPTION
    assert description_problem(made, body) in (None, "missing", "Dzen page chrome", "contains URLs or paths")
    assert repaired_description(made, body, "Заголовок") is None  # clean settles on what it wrote


_WORDY = st.lists(st.sampled_from(["Спина", "a", " ", "  ", ",", "!", "\n", "\t", "İ", "ß", "_", "1", "-", "ё", "\u00a0",
                                   "[x](y)", "**", "подписчиков", "5 мин", "·", "Подписаться"]),
                  max_size=120).map("".join)


@settings(max_examples=300)
@given(_WORDY, _WORDY)
def test_shortcuts_answer_as_the_full_passes(text: str, other: str) -> None:
    """A paragraph is told from the title word by word, and long lines from chrome by their length, with
    the answers the whole-text passes give."""
    for squashed in (_squash(other), _squash(text)):
        assert _squashes_to(text, squashed) == (_squash(text) == squashed)
    for line in (text, text * 4, f"  {text * 3}\n\n"):
        plain = re.sub(r"\s+", " ", chrome._MARKUP.sub(" ", line).strip(" \t-–—•·.:"))
        whole = len(line) <= 1200 and bool(plain) and len(plain) <= 300 and any(
            p.fullmatch(plain) for p in chrome.CHROME_LINES)
        assert chrome.is_chrome_line(line) == whole
    assert chrome.is_chrome_line("5" + " " * 400 + "мин")  # long only before its spaces are collapsed
