"""The text of Dzen's page chrome, as naive HTML→Markdown imports capture it (dzen.md §7).

A line (or paragraph) matching one of these is never part of an article.
"""

from __future__ import annotations

import re

_MONTHS = r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
_SHORT_MONTHS = r"(?:янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)"

_AGO = (r"(?:(?:\d+\s+)?(?:дн[яей]|день|час(?:а|ов)?|минут[уы]?|недел[юиь]|месяц(?:а|ев)?|год(?:а)?|лет)\s+назад"
        r"|вчера|сегодня|только что)+")

CHROME_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.I)
    for p in (
        r"\d[\d\s,.]*(?:тыс\.?|млн\.?|k|м)?\s*подписчик(?:а|ов)?",
        r"подписаться|подписки|отписаться|следить за темой|найти тему|показать ещё|понятно",
        r"подпишитесь на канал,?(?: чтобы не пропустить(?: [а-яё]+){1,3})?",
        r"(?:чтобы )?не пропусти(?:ть|те) новые публикации",
        r"(?:\d{1,2}\s+" + _MONTHS + r"(?:\s+\d{4})?\s*){1,2}(?:\d{1,2}\s+" + _SHORT_MONTHS + r"(?:\s+\d{4})?)?",
        r"\d{1,2}\s+" + _SHORT_MONTHS + r"(?:\s+\d{4})?",
        _AGO,
        r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?\s*(?:читали|прочитали)(?:\s*[·•]\s*" + _AGO + ")?",
        r"(?:\d[\d\s,.]*\s*)?(?:\d+\s*)?мин(?:ута|уты|ут)?\.?",
        r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?\s*(?:просмотр(?:а|ов)?|прочтени[йея]|дочитывани[йея]|интересуются)",
        r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?",
        r"комментарии(?:\s*\d+)?|\d+\s*/\s*2500|войти,? чтобы комментировать|комментировать",
        r"напишите что-нибудь\s*—?(?: ваш комментарий станет первым)?|ваш комментарий станет первым",
        r"что-то пошло не так(?:, и нам не удалось загрузить комментарии)?\.?(?: попробуйте ещё раз)?",
        r"обновить|попробуйте ещё раз",
        r"взгляните на эти темы|рекомендуем почитать|читать далее|читайте также на дзене",
        r"реклама(?:\s*[•·]?\s*\d+\+)?|перейти на сайт|рекламу можно отключить|отключить рекламу",
        r"с подпиской дзен про(?: она исчезнет из статей, видео и(?: новостей)?)?",
        r"статьи и видео без рекламы|дзен без рекламы|дзен про",
        r"нравится|не нравится|поделиться|главная|войти",
        r"статья автора «[^»]*» в дзене.*",
    )
)

# Phrases that, found anywhere in a description, mark it as scraped page chrome.
CHROME_PHRASES: tuple[str, ...] = (
    "подписчик", "Подписаться", "Рекламу можно отключить", "Отключить рекламу", "Дзен Про",
    "Читать далее", "Статья автора «", "Войти, чтобы комментировать", "Взгляните на эти темы",
)

_MARKUP = re.compile(r"[#>*_\\\[\]()`]+|!\[[^\[\]]*\]\([^()]*\)|\]\([^()]*\)")
_SPACES = re.compile(r"\s+")
_LONGEST = 300  # characters of plain text: chrome is short UI text, so longer text is never tried


def is_chrome_line(text: str) -> bool:
    """True when `text` (one line or paragraph, Markdown allowed) is only Dzen chrome."""
    if len(text) > 4 * _LONGEST:  # even with a long link around it, this much is not a UI string
        return False
    plain = _MARKUP.sub(" ", text).strip(" \t-–—•·.:")
    if len(plain) > _LONGEST and len(" ".join(plain.split())) > _LONGEST:
        return False  # (what the line below makes is as long, or a space longer at either end)
    plain = _SPACES.sub(" ", plain)
    if not plain or len(plain) > _LONGEST:
        return False
    return any(p.fullmatch(plain) for p in CHROME_LINES)
