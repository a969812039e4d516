"""Each normaliser rule on its own."""

import pytest

from dzenpress.dzen.urls import article_id_to_hex, clean_url, hex_to_article_id, unwrap
from dzenpress.normalize import normalize


def norm(text: str, title: str = "", **kwargs: object) -> str:
    return normalize(text, title, **kwargs).text  # type: ignore[arg-type]


# ---- chrome -------------------------------------------------------------------------------------

PAGE = """[

](/zdorovie_clinic)

[Клиника Здоровье](/zdorovie_clinic)

1,2 тыс. подписчиков

Подписаться

# Как беречь колени

3 марта3 мар

1,5 тыс. просмотров

4 мин

Колени страдают от лишнего веса и неудобной обуви.

Второй абзац статьи.

#колени #здоровье

Подпишитесь на канал, чтобы не пропустить новое

Комментарии

0 / 2500

Войти, чтобы комментировать

Рекомендуем почитать

[

![](/blog/kolени/img-3.jpg)

4 минуты

](https://dzen.ru/a/ZumWFZ9ztwDXdcQc?from=feed&place=article_related)

Реклама
"""


def test_chrome_is_cut_before_and_after_the_article() -> None:
    out = norm(PAGE, "Как беречь колени")
    assert out == "Колени страдают от лишнего веса и неудобной обуви.\n\nВторой абзац статьи.\n"


def test_unknown_wording_after_the_article_is_cut_structurally() -> None:
    page = ("Текст статьи.\n\nНе пропустите новые публикации\n\nЕщё какой-то виджет канала\n\n"
            "[\n\n![](/blog/x/img-5.jpg)\n\nТема\n\n](https://dzen.ru/topic/tema)")
    assert norm(page) == "Текст статьи.\n"


def test_text_above_title_that_is_not_chrome_is_kept() -> None:
    text = "Это длинное вступление автора, написанное полными предложениями.\n\n# Заголовок\n\nТекст."
    assert "вступление автора" in norm(text, "Заголовок")


def test_ad_banner_at_the_top_without_title_line() -> None:
    text = ("Рекламу можно отключить\n\nС подпиской Дзен Про она исчезнет из статей, видео и новостей\n\n"
            "Отключить рекламу\n\nНастоящий текст.")
    assert norm(text) == "Настоящий текст.\n"


# ---- title, teaser ------------------------------------------------------------------------------

def test_title_h1_removed_only_when_it_repeats_the_title() -> None:
    assert norm("# Мой пост\n\nТекст.", "Мой пост") == "Текст.\n"
    assert norm("# Другое\n\nТекст.", "Мой пост").startswith("# Другое")


def test_read_more_teaser_and_its_duplicate_lead_removed() -> None:
    text = ("Лечение лечением, но эти мелочи всё портят.\n\nМногие делают всё как надо....Читать далее\n\n"
            "![](/blog/x/img-1.jpg)\n\n_Лечение лечением, но эти мелочи всё портят._\n\n"
            "Многие делают всё как надо. А боль возвращается.")
    out = norm(text)
    assert "Читать далее" not in out
    assert out.count("Лечение лечением") == 1 and out.count("Многие делают") == 1
    assert out.startswith("![](/blog/x/img-1.jpg)")


# ---- links --------------------------------------------------------------------------------------

def test_away_links_unwrapped_and_simplified() -> None:
    text = "[https://wa.me/message/X](https://dzen.ru/away?to=https%3A%2F%2Fwa.me%2Fmessage%2FX)"
    assert norm(text) == "<https://wa.me/message/X>\n"
    nested = "https://www.livejournal.com/away?to=https%3A%2F%2Fdzen.ru%2Faway%3Fto%3Dhttps%253A%252F%252Fa.ru%252Fp%253Fq%253D1"
    assert unwrap(nested) == "https://a.ru/p?q=1"
    assert norm(f"[сайт]({nested})") == "[сайт](https://a.ru/p?q=1)\n"


def test_dzen_tracking_dropped_and_old_urls_modernised() -> None:
    assert clean_url("https://dzen.ru/a/ZumWFZ9ztwDXdcQc?from=feed&utm_referrer=x") == "https://dzen.ru/a/ZumWFZ9ztwDXdcQc"
    assert hex_to_article_id("66e996159f73b700d775c41c") == "ZumWFZ9ztwDXdcQc"
    assert article_id_to_hex("ZumWFZ9ztwDXdcQc") == "66e996159f73b700d775c41c"
    old = "https://zen.yandex.ru/media/articlinic/bol-v-spine-66e996159f73b700d775c41c?utm_source=x"
    assert clean_url(old) == "https://dzen.ru/a/ZumWFZ9ztwDXdcQc"
    assert clean_url("https://example.ru/?utm_source=dzen") == "https://example.ru/?utm_source=dzen"


# ---- images -------------------------------------------------------------------------------------

def test_numeric_alt_dropped_real_alt_kept_even_when_the_caption_repeats_it() -> None:
    assert norm("![-2](/blog/x/img-1.jpg)") == "![](/blog/x/img-1.jpg)\n"
    text = "![схема подключения датчика](/blog/x/img-1.jpg)\n\nсхема подключения датчика\n\nТекст.\n"
    assert norm(text) == text  # the alt is the image's accessible name and the only copy of a lost caption
    assert norm("![Схема](/a.jpg)\n\nТекст.").startswith("![Схема](/a.jpg)")


def test_lazy_placeholder_images_are_kept_for_the_report_and_the_repair() -> None:
    text = "![Датчик](https://static.dzeninfra.ru/s3/zen-lib/1.2/dzen-desktop/abcdef)\n\nТекст.\n"
    assert norm(text) == text


# ---- breaks, lists, headings --------------------------------------------------------------------

def test_breaks_between_sentences_become_paragraphs_address_lines_stay() -> None:
    out = norm("Первое предложение.  \nВторое предложение.  \n  \nТретье.")
    assert out == "Первое предложение.\n\nВторое предложение.\n\nТретье.\n"
    address = norm("Москва, ул. Примерная  \nдом 7, подъезд 2  \nвход со двора")
    assert address == "Москва, ул. Примерная\\\nдом 7, подъезд 2\\\nвход со двора\n"


def test_pseudo_lists_become_lists() -> None:
    text = "Если пациент:  \n\\- спит на старом матрасе,  \n\\- сидит сутками,  \n\\- не двигается.  \nИтог."
    assert norm(text) == "Если пациент:\n\n- спит на старом матрасе,\n- сидит сутками,\n- не двигается.\n\nИтог.\n"
    separate = "\\- Телефон: 1\n\n\\- Адрес: 2\n\n• Почта: 3"
    assert norm(separate) == "- Телефон: 1\n- Адрес: 2\n- Почта: 3\n"


def test_dialogue_is_not_a_list() -> None:
    text = "— Болит?\n\n— Уже нет!"
    assert norm(text) == text + "\n"


def test_bold_paragraph_becomes_heading_bold_sentence_does_not() -> None:
    assert norm("**Причины боли**\n\nТекст.") == "## Причины боли\n\nТекст.\n"
    sentence = "**Движение — ключ к здоровью.**\n\nТекст.\n"
    assert norm(sentence) == sentence


@pytest.mark.parametrize("follows", ["![](/blog/x/img-1.jpg)", "- пункт\n- другой", "> цитата", "```\nкод\n```",
                                     "1. первый\n2. второй", "**Ещё жирный**", "## Раздел"])
def test_bold_lead_in_that_introduces_something_else_stays_bold(follows: str) -> None:
    for lead in ("**Посмотрим на результат**", "**Посмотрим на результат:**"):
        text = f"Текст.\n\n{lead}\n\n{follows}\n"
        assert lead in norm(text)
    assert norm("**Контакты клиники:**\n\nТекст.\n") == "**Контакты клиники:**\n\nТекст.\n"
    assert norm("Текст.\n\n**Итоги**") == "Текст.\n\n**Итоги**\n"  # nothing follows: not a section


def test_bold_heading_fits_the_authors_outline() -> None:
    text = "### Раздел автора\n\nТекст.\n\n**Подраздел**\n\nЕщё текст.\n\n**Второй подраздел**\n\nТекст.\n"
    assert norm(text) == ("### Раздел автора\n\nТекст.\n\n#### Подраздел\n\nЕщё текст.\n\n"
                          "#### Второй подраздел\n\nТекст.\n")
    assert norm("**Первый**\n\nТекст.\n\n**Второй**\n\nТекст.\n") == "## Первый\n\nТекст.\n\n## Второй\n\nТекст.\n"


@pytest.mark.parametrize("empty", ["**\n**", "** **", "\\", "****", "__ __", "**\\**"])
def test_empty_bold_paragraphs_vanish(empty: str) -> None:
    assert norm(f"Текст.\n\n{empty}\n\nЕщё текст.\n") == "Текст.\n\nЕщё текст.\n"


def test_numbered_titles_with_text_become_subheadings() -> None:
    text = ("**Причины**  \n  \n_1\\. Грыжа диска_  \nДавит на корешки.  \n  \n_2\\. Спазм_  \nМышцы напряжены.")
    assert norm(text) == "## Причины\n\n### 1. Грыжа диска\n\nДавит на корешки.\n\n### 2. Спазм\n\nМышцы напряжены.\n"


def test_numbered_titles_without_text_become_a_numbered_list() -> None:
    assert norm("_1\\. Сон_\n\n_2\\. Вода_\n\n_3\\. Движение_") == "1. Сон\n2. Вода\n3. Движение\n"


# ---- escapes, whitespace ------------------------------------------------------------------------

def test_needless_escapes_removed_needed_ones_kept() -> None:
    assert norm("ул\\. 1812 г\\. д\\.3 \\(м\\. Парк Победы\\)") == "ул. 1812 г. д.3 (м. Парк Победы)\n"
    from dzenpress.render.markdown import render

    assert "<em>" not in render(norm("\\*не курсив\\*"))
    assert norm("2024\\. Год начался.") == "2024\\. Год начался.\n"


def test_blank_runs_collapsed() -> None:
    assert norm("\n\n\nА\n\n\n\nБ   \n\n\n") == "А\n\nБ\n"


def test_disabled_rules_do_not_fire() -> None:
    result = normalize("**Жирный**\n", "", disabled=["headings"])
    assert result.text == "**Жирный**\n" and result.fired == []


def test_code_blocks_untouched() -> None:
    text = "```\n\\- не список  \n**не заголовок**\n```"
    assert norm(text) == text + "\n"


@pytest.mark.parametrize(("text", "want"), [
    ("Симптомы:\n\nпокалывание;\n\nслабость;\n\n_скованность по утрам;_\n\nболь в шее.\n\nДалее текст.\n",
     "Симптомы:\n\n- покалывание;\n- слабость;\n- _скованность по утрам;_\n- боль в шее.\n\nДалее текст.\n"),
    ("Бывает:\n\nпокалывание,\n\nслабость,\n\nонемение\n", "Бывает:\n\n- покалывание,\n- слабость,\n- онемение\n"),
    ("Симптомы:\n\nпокалывание;\n\nслабость;\n\nЭто важно.\n", "Симптомы:\n\n- покалывание;\n- слабость;\n\nЭто важно.\n"),
])
def test_runs_of_parallel_short_paragraphs_become_a_list(text: str, want: str) -> None:
    assert norm(text) == want


@pytest.mark.parametrize("text", [
    "Текст.\n\n_Проснулись утром._\n\n_Начало тянуть бедро._\n\nИ так далее.\n",  # sentences, not items
    "Он сказал,\n\nчто придёт.\n",  # one sentence across paragraphs
    "При этом:\n\nболит спина\n\nнемеет нога\n\nСледующий абзац статьи.\n",  # nothing says they are items
    "Заголовок\n\nКороткая строка\n\nЕщё одна\n",
])
def test_short_paragraphs_that_are_not_parallel_items_stay(text: str) -> None:
    assert norm(text) == text
