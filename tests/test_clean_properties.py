"""`clean` on arbitrary Markdown and unicode: it settles (clean(clean(x)) == clean(x)) and loses no prose.

"Prose" here is a paragraph of sentences (four words or more, ending in . ! ?) that stands on its own
block, not inside a code fence or a Dzen card: whatever the blocks around it, its words stay, in order.
Prose may start like Dzen chrome («Рекомендуем почитать книгу…») and may follow an end-of-article box.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dzenpress.content.excerpt import to_plain
from dzenpress.normalize import normalize
from dzenpress.normalize.post import clean_text

# bounded for CI; DZENPRESS_EXAMPLES=5000 searches harder
LIMITS = settings(max_examples=int(os.environ.get("DZENPRESS_EXAMPLES", "150")), deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow])

VOCABULARY = ["спина", "боль", "врач", "лечение", "шея", "диск", "осанка", "сон", "вода", "движение", "книгу",
              "канал", "темы", "далее", "комментарии", "реклама", "подписаться", "мин", "2500", "18", "ноября"]
# the first words of Dzen's chrome, as ordinary prose can begin too
MARKERS = ["Рекомендуем почитать", "Подпишитесь на канал", "Комментарии", "Взгляните на эти темы",
           "Читайте также на Дзене", "Следить за темой", "Найти тему", "Реклама", "Подписаться", "Читать далее",
           "16 подписчиков", "Войти, чтобы комментировать", "Не пропустите новые публикации", "2 мин"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = [draw(st.sampled_from(VOCABULARY[:10]))]  # one word no counter or button consists of
    words += draw(st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=9))
    lead = draw(st.sampled_from(["", "", *MARKERS]))
    text = " ".join([lead, *words] if lead else words)
    return text[0].upper() + text[1:] + draw(st.sampled_from(".!?"))


PROSE = st.lists(sentences(), min_size=1, max_size=3).map(" ".join)

UNICODE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
MARKUP = st.lists(st.sampled_from(list("абв xyz*_\\-#>[]()!.,:;«»—12`~<>|\t") + ["  \n", "\n", "```", "1. "]),
                  max_size=40).map("".join)
NOISE = st.one_of(
    UNICODE,
    MARKUP,
    st.sampled_from(["```", "```python", "~~~", "    indented code", "```\nкод\n```", "~~~\nРекомендуем почитать\n~~~"]),
    st.sampled_from(["- пункт", "* пункт", "1. пункт", "2) пункт", "\\- пункт", "• пункт", "— пункт;", "1\\. пункт",
                     "1. пункт  \n2\\. второй", "- a\n  - b\n- c", "> цитата", "> > вложенная"]),
    st.sampled_from(["**жирный**", "*курсив*", "_курсив_", "**Не закрыт", "~~зачёркнуто~~", "`код`", "## Заголовок",
                     "# Title", "###", "#хэштег #ещё", "Заголовок\n===", "---", "<div>", "</div>", "<!-- x -->"]),
    st.sampled_from(["[ссылка](https://example.com)", "[](https://dzen.ru/a/x?from=feed)", "![](/blog/x/img-1.jpg)",
                     "![-3](/blog/x/img-2.jpg)", "<https://dzen.ru/a/ZumWFZ9ztwDXdcQc?from=feed>", "[", "](/explore)[",
                     "](https://dzen.ru/topic/x)", "[\n\n![](/blog/x/img-5.jpg)\n\nТема\n\n](https://dzen.ru/topic/t)",
                     "[сайт](https://dzen.ru/away?to=https%3A%2F%2Fa.ru%2F)", "| a | b |\n|---|---|\n| 1 | 2 |"]),
    st.sampled_from(MARKERS),
)


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", to_plain(text).lower()))


@LIMITS
@given(st.lists(st.one_of(NOISE, PROSE), max_size=12), st.sampled_from(["\n", "\n\n", "\n\n\n", "  \n", "\r\n"]),
       st.sampled_from(["", "Title", "Спина"]))
def test_clean_settles_on_any_markdown(blocks: list[str], sep: str, title: str) -> None:
    text = sep.join(blocks)
    once = normalize(text, title)
    twice = normalize(once.text, title)
    assert twice.text == once.text
    assert twice.fired == []


@LIMITS
@given(st.lists(st.one_of(NOISE, PROSE), max_size=10), st.sampled_from(["", "Title", "Спина болит"]))
def test_clean_file_settles(blocks: list[str], title: str) -> None:
    text = f"---\ntitle: '{title or 'x'}'\ndate: 2025-01-15\ndescription: 'Подписаться'\n---\n\n" + "\n\n".join(blocks)
    once = clean_text(text, Path("post.md"))
    twice = clean_text(once.text, Path("post.md"))
    assert twice.text == once.text and not twice.changed


@LIMITS
@given(st.lists(st.tuples(st.booleans(), NOISE, PROSE), min_size=1, max_size=8), st.sampled_from(["", "Спина"]))
def test_no_prose_sentence_is_lost(parts: list[tuple[bool, str, str]], title: str) -> None:
    blocks: list[str] = []
    for noisy, noise, prose in parts:
        if noisy and noise.count("```") % 2 == 0 and noise.count("~~~") % 2 == 0:
            blocks.append(noise)  # an unclosed fence would make the prose below it code: not what is tested
        blocks.append(prose)
    cleaned = words(normalize("\n\n".join(blocks), title).text)
    for _, _, prose in parts:
        for sentence in re.split(r"(?<=[.!?])\s+", prose):
            assert words(sentence) in cleaned, sentence


@LIMITS
@given(PROSE, st.sampled_from(MARKERS), st.sampled_from(["```", "~~~"]))
def test_chrome_phrases_in_code_and_after_prose_are_kept(prose: str, marker: str, fence: str) -> None:
    text = f"{prose}\n\n{fence}\n{marker}\n{prose}\n{fence}\n\n{marker} — {prose}\n\n## Раздел\n\n{prose}\n"
    assert normalize(text).text == text
