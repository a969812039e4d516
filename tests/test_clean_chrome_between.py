"""An author's short line between two pieces of Dzen chrome: the chrome goes, the line stays.

A chrome cluster takes a text only in the role its shape gives one (an ad's title and slogan between its
label and its button, a card's title inside its link and its teaser after it; a box has no texts), so a
heading-like line of the author's between a subscribe box and a related-article card, two ads, two cards,
is never taken into either.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from chrome_shapes import CHROME, channel_header
from dzenpress.chrome import scan
from dzenpress.chrome.shapes import stems
from dzenpress.normalize import normalize

LIMITS = settings(max_examples=int(os.environ.get("DZENPRESS_EXAMPLES", "200")), deadline=timedelta(seconds=5),
                  suppress_health_check=[HealthCheck.too_slow])

# the article around. The author's lines use its words, as a heading does: a short text right outside an ad
# whose words the article never uses is the ad's title (`_foreign_edges`), which is another rule's question
BEFORE = ("Каждый человек хотя бы раз сталкивался с болью в спине после долгой работы за компьютером. "
          "Виды боли бывают разные, и значение у них разное: острая боль, ноющая боль, боль в шее и в пояснице.")
AFTER = ("Грыжа позвоночника, остеохондроз и слабые мышцы дают похожие симптомы, поэтому причины ищет врач. "
         "Лечение начинается с обследования, а упражнения и осанка помогают спине восстановиться. "
         "Когда идти к врачу и что делать, подскажет обследование.")
WORDS = ["виды", "боли", "в", "спине", "и", "их", "значение", "когда", "идти", "к", "врачу", "острая", "боль",
         "шее", "пояснице", "грыжа", "позвоночника", "симптомы", "причины", "лечение", "упражнения", "осанка",
         "для", "при", "что", "делать", "мышцы", "остеохондроз", "обследования"]
# a blank line as scrapers write it: empty, two, or a line of the trailing spaces a hard break leaves
SEPARATORS = ["\n\n", "\n\n\n", "\n  \n", "  \n  \n"]


@st.composite
def author_line(draw: st.DrawFn) -> str:
    """A short heading-like line: two to ten words, with or without final punctuation and a hard break."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=2, max_size=10))
    text = " ".join(words)
    text = text[0].upper() + text[1:] + draw(st.sampled_from(["", "", ".", "!", "?", ":"]))
    return text + draw(st.sampled_from(["", "  "]))


@st.composite
def chrome_author_chrome(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    first, line, second = draw(CHROME), draw(author_line()), draw(CHROME)
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=6, max_size=6))
    text = (BEFORE + seps[0] + seps[1].join(first) + seps[2] + line + seps[3] + seps[4].join(second) + seps[5]
            + AFTER + "\n")
    return text, line, [*first, *second]


def test_the_authors_words_are_the_articles() -> None:
    assert stems(" ".join(WORDS)) <= stems(f"{BEFORE} {AFTER}")


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


# the shape the property test found: channel link, subscriber count, «Подписаться»; the author's line with a
# trailing-space break between whitespace-only lines; a related-article card
URL = "https://dzen.ru/a/Z5PMf2ScwHXP--kG?from=feed&utm_referrer=https%3A%2F%2Fdzen.ru&place=article_related"
BOX = ["[Арти Клиник](https://dzen.ru/articlinic)", "2 подписчиков", "Подписаться"]
CARD = [f"[Как выбрать подушку]({URL})", "Многие думают, что…", "4 минуты"]
LINE = "Виды боли в спине и их значение  "
FOUND = (f"{BEFORE}  \n  \n\n" + "\n\n".join(BOX) + f"\n\n{LINE}\n  \n\n" + "\n\n".join(CARD) + f"\n\n{AFTER}\n",
         LINE, [*BOX, *CARD])


def test_a_subscribe_box_and_a_card_around_an_authors_line_go_and_the_line_stays() -> None:
    text, line, chrome = FOUND
    out = normalize(text).text
    assert line.strip() in out.split("\n")
    assert not _lines(out) & set(chrome)
    found = scan(text)
    assert found.cut == {i for i, x in enumerate(text.split("\n")) if x.strip() in chrome}
    assert line.strip() in [f.text for f in found.kept]  # beside chrome: kept, and shown to a person


def test_an_authors_line_between_a_channel_header_and_each_card_layout_stays() -> None:
    """Each layout of a card (its picture, title link, teaser and reading time in the orders pages use)."""
    layouts = [
        [f"[Как выбрать подушку]({URL})", "Многие думают, что…", "4 минуты"],
        [f"[![](https://avatars.dzeninfra.ru/get-zen_doc/5/pub_x/smart_crop_344x194)]({URL})",
         f"[Как выбрать подушку]({URL})", "Многие думают, что…", "4 минуты"],
        ["4 минуты", f"[Как выбрать подушку]({URL})", "Многие думают, что..."],
        [f"[]({URL}", "4 минуты", f"[\n\nКак выбрать подушку\n\n]({URL})", "Многие думают, что…"],
    ]
    for card in layouts:
        for first, second in ((BOX, card), (card, BOX), (card, CARD)):
            text = BEFORE + "\n\n" + "\n\n".join(first) + f"\n\n{LINE}\n\n" + "\n\n".join(second) + f"\n\n{AFTER}\n"
            out = normalize(text).text
            assert out == f"{BEFORE}\n\n{LINE.strip()}\n\n{AFTER}\n", text


TRACKER = "https://an.yandex.ru/count/Xq1Wb2Nc3Pd4?erid=2VtzqwK9Lm"
PICTURE = "![](https://avatars.mds.yandex.net/get-direct/42/Ab3dE5fG7h/orig)"
AD_PAIRS = {
    "two ads that end with their label": (
        ["Кухни на заказ", "Замер бесплатно!", "mebeldom.ru", "Заказать", f"[mebeldom.ru]({TRACKER})", "16+Реклама"],
        ["Диваны от фабрики", "Монтаж под ключ.", "divany.shop", "Купить", f"[divany.shop]({TRACKER})",
         "Реклама • 18+"]),
    "two ads whose title and button are tracker links": (
        [f"[Окна ПВХ недорого]({TRACKER})", "Рассрочка 0%!", "от 4 990 ₽", f"[Узнать цену]({TRACKER})", "Реклама"],
        [f"[Двери со скидкой]({TRACKER})", "Гарантия 5 лет.", "-30%", f"[Подробнее]({TRACKER})", "Реклама"]),
    "two ads that begin with their label and picture": (
        ["Реклама • 0+", PICTURE, "Курсы английского за 1 день", "Собственное производство.", "от 759 руб.",
         "lux-dom.su", "Оформить заказ"],
        ["Реклама | 16+", PICTURE, "Гардеробные в рассрочку", "Гарантия 8 лет.", "4 270 ₽", "stroylux.net",
         "Смотреть каталог"]),
    "the Dzen Pro promo and an ad": (
        ["Статьи и видео без рекламы", "С подпиской Дзен Про", "Подробнее"],
        ["Реклама • 16+", "Ламинат оптом и в розницу", "Доставка за 2 дня.", "от 490 ₽", "laminat.pro", "Заказать"]),
}


@pytest.mark.parametrize("pair", AD_PAIRS.values(), ids=AD_PAIRS.keys())
@pytest.mark.parametrize("line", [LINE, "Когда идти к врачу?", "Симптомы грыжи позвоночника:"],
                         ids=["hard break", "question", "colon"])
def test_an_authors_line_between_two_ads_stays(pair: tuple[list[str], list[str]], line: str) -> None:
    """An ad's texts stand between its label and its button: the run after one whole ad and before another
    (two labels or two buttons: not one ad) is neither's."""
    first, second = pair
    text = BEFORE + "\n\n" + "\n\n".join(first) + f"\n\n{line}\n\n" + "\n\n".join(second) + f"\n\n{AFTER}\n"
    assert normalize(text).text == f"{BEFORE}\n\n{line.strip()}\n\n{AFTER}\n"


@pytest.mark.parametrize("button", ["Подробнее", f"[Подробнее]({TRACKER})"])
def test_an_ads_own_title_between_its_label_and_its_button_goes_with_it(button: str) -> None:
    """Its picture makes the label's side whole, but the button is its first: one ad, titles and all, even with
    the Dzen Pro promo glued below."""
    ad = ["Реклама • 16+", PICTURE, "Кухни на заказ", "Замер бесплатно!", button, "Рекламу можно отключить",
          "С подпиской Дзен Про она исчезнет из статей, видео и новостей", "Отключить рекламу"]
    text = BEFORE + "\n\n" + "\n\n".join(ad) + f"\n\n{AFTER}\n"
    assert normalize(text).text == f"{BEFORE}\n\n{AFTER}\n"


@LIMITS
@example(FOUND)
@given(chrome_author_chrome())
def test_an_authors_line_between_two_chrome_clusters_stays_and_the_chrome_goes(
        case: tuple[str, str, list[str]]) -> None:
    text, line, chrome = case
    note(text)
    out = normalize(text).text
    note(out)
    assert line.strip() in out.split("\n")
    assert BEFORE in out and AFTER in out
    assert not _lines(out) & _lines("\n".join(chrome))
    assert normalize(out).text == out


@settings(max_examples=50, deadline=timedelta(seconds=5))
@given(channel_header(), author_line(), st.sampled_from(SEPARATORS))
def test_an_authors_line_right_after_a_box_is_not_its_channel_name(header: list[str], line: str, sep: str) -> None:
    """A box's lines are its own vocabulary: the short text after «Подписаться» is reported, never cut."""
    text = f"{BEFORE}{sep}" + sep.join(header) + f"{sep}{line}{sep}{AFTER}\n"
    out = normalize(text).text
    assert line.strip() in out.split("\n")
    assert not re.search(r"подписчик|Подписаться", out)
    assert line.strip() in [f.text for f in scan(text).kept]
