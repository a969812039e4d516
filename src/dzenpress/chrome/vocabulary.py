"""The words of Dzen's page chrome, as HTML→Markdown imports and clippers capture it (dzen.md §7).

`CHROME_LINES`: UI strings a line may consist of (counters, buttons, widget captions). `STRONG_LINES`: the
ones no author writes as a whole paragraph (a subscribe box, the comments widget, the Dzen Pro promo).
The advertising vocabulary (labels, age marks, calls to action, prices, domains, ad redirectors) is
below; `shapes.py` says how these words combine into chrome.
"""

from __future__ import annotations

import re

_MONTHS = r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
_SHORT_MONTHS = r"(?:янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)"

_AGO = (r"(?:(?:\d+\s+)?(?:дн[яей]|день|час(?:а|ов)?|минут[уы]?|недел[юиь]|месяц(?:а|ев)?|год(?:а)?|лет)\s+назад"
        r"|вчера|сегодня|только что)+")

# chrome no author writes as a paragraph of their own: cut wherever it stands
_STRONG = (
    r"\d[\d\s,.]*(?:тыс\.?|млн\.?|k|м)?\s*подписчик(?:а|ов)?",
    r"подпишитесь на канал,?(?: чтобы не пропустить(?: [а-яё]+){1,3})?",
    r"(?:чтобы )?не пропусти(?:ть|те) новые публикации",
    r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?\s*(?:читали|прочитали)(?:\s*[·•]\s*" + _AGO + ")?",
    r"\d+\s*/\s*2500|войти,? чтобы комментировать",
    r"напишите что-нибудь\s*—?(?: ваш комментарий станет первым)?|ваш комментарий станет первым",
    r"что-то пошло не так,? и нам не удалось загрузить комментарии\.?(?: попробуйте ещё раз)?",
    r"взгляните на эти темы|читайте также на дзене",
    r"рекламу можно отключить|отключить рекламу",
    r"с подпиской дзен про(?: она исчезнет из статей, видео и(?: новостей)?)?",
    r"статьи и видео без рекламы|дзен без рекламы",
    r"статья автора «[^»]*» в дзене.*",
)
# UI text an author might also write (counters, dates, buttons, widget captions)
_WEAK = (
    r"подписаться|подписки|отписаться|следить за темой|найти тему|показать ещё|понятно",
    r"(?:\d{1,2}\s+" + _MONTHS + r"(?:\s+\d{4})?\s*){1,2}(?:\d{1,2}\s+" + _SHORT_MONTHS + r"(?:\s+\d{4})?)?",
    r"\d{1,2}\s+" + _SHORT_MONTHS + r"(?:\s+\d{4})?",
    _AGO,
    r"(?:\d[\d\s,.]*\s*)?(?:\d+\s*)?мин(?:ута|уты|ут)?\.?",
    r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?\s*(?:просмотр(?:а|ов)?|прочтени[йея]|дочитывани[йея]|интересуются)",
    r"\d[\d\s,.]*(?:тыс\.?|млн\.?)?",
    r"комментарии(?:\s*\d+)?|комментировать",
    r"что-то пошло не так(?:, и нам не удалось загрузить комментарии)?\.?(?: попробуйте ещё раз)?",
    r"обновить|попробуйте ещё раз",
    r"рекомендуем почитать|читать далее",
    r"реклама(?:\s*[•·]?\s*\d+\+)?|перейти на сайт",
    r"дзен про",
    r"нравится|не нравится|поделиться|главная|войти",
)
CHROME_LINES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.I) for p in (*_STRONG, *_WEAK))
STRONG_LINES: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.I) for p in _STRONG)
# one alternation each: a line is tried once, not once per pattern (a long post has thousands of lines)
_ANY_CHROME = re.compile("|".join(f"(?:{p})" for p in (*_STRONG, *_WEAK)), re.I)
_ANY_STRONG = re.compile("|".join(f"(?:{p})" for p in _STRONG), re.I)

# Phrases that, found anywhere in a description, mark it as scraped page chrome.
CHROME_PHRASES: tuple[str, ...] = (
    "подписчик", "Подписаться", "Рекламу можно отключить", "Отключить рекламу", "Дзен Про",
    "Читать далее", "Статья автора «", "Войти, чтобы комментировать", "Взгляните на эти темы",
)

_MARKUP = re.compile(r"[#>*_\\\[\]()`]+|!\[[^\[\]]*\]\([^()]*\)|\]\([^()]*\)")
_SPACES = re.compile(r"\s+")
_LONGEST = 300  # characters of plain text: chrome is short UI text, so longer text is never tried


def plain_ui_text(text: str) -> str | None:
    """The line as a UI string would read (no markup, spaces collapsed); None when too long for one."""
    if len(text) > 4 * _LONGEST:  # even with a long link around it, this much is not a UI string
        return None
    plain = _MARKUP.sub(" ", text).strip(" \t-–—•·.:")
    if len(plain) > _LONGEST and len(" ".join(plain.split())) > _LONGEST:
        return None  # (what the line below makes is as long, or a space longer at either end)
    plain = _SPACES.sub(" ", plain)
    return plain if plain and len(plain) <= _LONGEST else None


def plain_is_strong(plain: str) -> bool:
    """`is_strong_line` of text that is already `plain_ui_text`."""
    return _ANY_STRONG.fullmatch(plain) is not None


def is_chrome_line(text: str) -> bool:
    """True when `text` (one line or paragraph, Markdown allowed) is only Dzen chrome."""
    plain = plain_ui_text(text)
    return plain is not None and _ANY_CHROME.fullmatch(plain) is not None


def is_strong_line(text: str) -> bool:
    """Chrome no author writes as a paragraph of their own: cut wherever it stands."""
    plain = plain_ui_text(text)
    return plain is not None and plain_is_strong(plain)



# --- advertising: every network's ad card is a label, short texts, and buttons, domains, prices, trackers
AGE = r"(?:0|6|12|16|18)\s?\+"
_LEGAL = r"(?:ООО|ОАО|ЗАО|ПАО|АО|ИП|ИНН|ОГРН(?:ИП)?)\b"
_LABEL_WORD = r"(?:реклама|промо|спонсорский (?:контент|материал)|партн[её]рский (?:материал|контент)|advertisement)"
AD_LABEL = re.compile(
    rf"(?:{AGE}\s*[•·|,.:-]?\s*)?{_LABEL_WORD}(?:\s*[•·|,.:-]?\s*(?:{AGE}|{_LEGAL}.{{0,120}}|erid\S*.{{0,60}}"
    rf"|(?:[\w-]+\.)+[a-zа-яё]{{2,12}}\S*))*", re.I)
AGE_ONLY = re.compile(AGE)
ERID = re.compile(r"(?:erid|токен)\s*[:=]?\s*[\w-]{6,}.{0,40}", re.I)
LEGAL = re.compile(rf"{_LEGAL}.{{2,160}}", re.I)
CALLS_TO_ACTION = re.compile(
    r"(?:заказать|перейти на сайт|перейти|на сайт|в магазин|подробнее|узнать больше|узнать подробнее|узнать цену|"
    r"узнать стоимость|рассчитать стоимость|рассчитать цену|купить|купить сейчас|записаться|оставить заявку|"
    r"получить скидку|получить предложение|получить консультацию|оформить|оформить заказ|установить|скачать|"
    r"смотреть|смотреть каталог|выбрать|забронировать|позвонить|попробовать|попробовать бесплатно|"
    r"зарегистрироваться|подключить|открыть|learn more|shop now|buy now|sign up|install|visit site)(?:\s*[→>»›])?",
    re.I)
PRICE = re.compile(
    r"(?:(?:от|до|всего|за|цена:?|скидк[аи](?: до)?|выгода(?: до)?)\s*)?[-−–]?\s*\d[\d\s  ]*(?:[.,]\d+)?\s*"
    r"(?:₽|руб\.?(?:лей|ля)?|р\.|rub|\$|€|%)(?:\s*(?:/|за)\s*[а-яё.² ]{1,12})?"
    r"(?:\s+(?:(?:от|до)\s*)?[-−–]?\s*\d[\d\s  ]*(?:[.,]\d+)?\s*(?:₽|руб\.?|р\.|%))*", re.I)
DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?(?:[a-zа-яё0-9][a-zа-яё0-9-]*\.)+(?:[a-z]{2,12}|рф|рус|бел)(?:/\S*)?",
                    re.I)
# ad networks' click redirectors and creative CDNs: a link through one of them is an ad, whatever it says
AD_HOSTS = re.compile(
    r"https?://(?:[\w-]+\.)*(?:an\.yandex\.ru|yabs\.yandex\.\w+|adfox\.ru|adfox\.yandex\.ru|bs\.yandex\.ru|"
    r"yandex\.ru/an/|direct\.yandex\.ru|doubleclick\.net|googleadservices\.com|googlesyndication\.com|"
    r"ad\.mail\.ru|r\.mail\.ru|rs\.mail\.ru|target\.my\.com|ads\.vk\.com|adriver\.ru|otclick-adv\.ru|"
    r"trk\.mail\.ru|sba\.yandex\.net|mediasniper\.ru|buzzoola\.com|relap\.io|smi2\.ru|"
    r"avatars\.mds\.yandex\.net/get-(?:direct|canvas|adfox))", re.I)
AD_PARAMS = re.compile(r"[?&](?:erid|yclid|adfox_\w+|ad_id|banner_id)=", re.I)
RELATED = re.compile(r"[?&](?:place=article_related|from=(?:related|article_related|recommend)\w*)", re.I)
PRO_PROMO = re.compile(r"дзен про|без рекламы|отключить рекламу|рекламу можно отключить", re.I)
