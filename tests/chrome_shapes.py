"""Hypothesis strategies for Dzen's chrome shapes, varied the way real pages vary them.

Every shape is a list of Markdown blocks: ads of several networks and layouts (advertiser, slogan, price,
domain, button, tracker link, age label glued or apart), recommendation cards, subscribe boxes, comments
widgets, Dzen Pro promos, channel headers. Nothing here is a fixed string: advertisers, domains, prices,
ages, reading times and ids are drawn.
"""

from __future__ import annotations

from hypothesis import strategies as st

AGES = ["0+", "6+", "12+", "16+", "18+"]
GOODS = ["Кухни", "Диваны", "Окна ПВХ", "Шкафы-купе", "Двери", "Ламинат", "Гардеробные", "Кровли", "Люстры",
         "Сайдинг", "Фасады", "Бассейны", "Автозапчасти", "Смартфоны", "Курсы английского", "Ипотека"]
TERMS = ["на заказ", "от фабрики", "со скидкой", "в рассрочку", "под ключ", "с доставкой", "оптом и в розницу",
         "недорого", "за 1 день", "по акции"]
# an advertiser's words are not the article's (a medical blog here): an ad text that shares the article's words
# could be the author's and is kept, which test_clean_chrome_shapes checks on its own
SLOGANS = ["Замер бесплатно!", "Гарантия {n} лет.", "Доставка за {n} дня.", "Рассрочка 0%!", "Звоните сегодня!",
           "Собственное производство.", "Более {n} моделей в каталоге.", "Монтаж под ключ."]
BUTTONS = ["Заказать", "Перейти на сайт", "Узнать цену", "Купить", "Подробнее", "Узнать больше", "Оформить заказ",
           "Рассчитать стоимость", "Смотреть каталог", "В магазин"]
REDIRECTORS = ["https://an.yandex.ru/count/{t}", "https://yabs.yandex.ru/count/{t}", "https://ads.adfox.ru/{n}/goLink?p={t}",
               "https://ad.mail.ru/adq/?q={t}", "https://googleads.g.doubleclick.net/aclk?sa=L&ai={t}"]
TLDS = ["ru", "com", "рф", "shop", "store", "online", "net", "su", "pro"]
SYLLABLES = ["me", "bel", "ku", "hni", "do", "ma", "okn", "stroy", "profi", "lux", "dom", "mart", "ti", "ka", "zen"]
LEGAL = ["ООО «{name}»", "ИП {surname} А. В.", "АО «{name}», ИНН {inn}"]
SURNAMES = ["Иванов", "Сидорова", "Кузнецов", "Смирнова"]
TOKEN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", min_size=8, max_size=24)
NUMBER = st.integers(min_value=2, max_value=99)


@st.composite
def domain(draw: st.DrawFn) -> str:
    name = "".join(draw(st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=4)))
    hyphen = draw(st.sampled_from(["", "", "-"]))
    if hyphen:
        name = name[:3] + "-" + name[3:]
    tld = draw(st.sampled_from(TLDS))
    name = "мебель-дом" if tld == "рф" else name
    return draw(st.sampled_from(["", "", "www."])) + name + "." + tld


@st.composite
def price(draw: st.DrawFn) -> str:
    amount = f"{draw(st.integers(min_value=490, max_value=1_500_000)):,}".replace(",", " ")
    percent = draw(st.integers(min_value=5, max_value=70))
    return draw(st.sampled_from([f"от {amount} ₽", f"{amount} руб.", f"-{percent}%", f"Скидка до {percent}%",
                                 f"{amount} ₽", f"{amount} ₽ {amount}0 ₽", f"от {amount} руб./м²"]))


@st.composite
def ad_label(draw: st.DrawFn, glued: bool | None = None) -> str:
    age = draw(st.sampled_from(AGES))
    forms = [f"Реклама • {age}", f"Реклама{age}", f"{age}Реклама", f"Реклама · {age}", f"Реклама {age}",
             f"Реклама | {age}"]
    if glued is False:
        forms = ["Реклама"]
    return draw(st.sampled_from(forms))


@st.composite
def advertiser(draw: st.DrawFn) -> tuple[str, str]:
    """(title, slogan) of an advertiser whose trade is far from the article's."""
    title = f"{draw(st.sampled_from(GOODS))} {draw(st.sampled_from(TERMS))}"
    slogan = draw(st.sampled_from(SLOGANS)).format(n=draw(NUMBER))
    return title, slogan


@st.composite
def tracker(draw: st.DrawFn, text: str) -> str:
    url = draw(st.sampled_from(REDIRECTORS)).format(t=draw(TOKEN), n=draw(NUMBER))
    if draw(st.booleans()):
        url += ("&" if "?" in url else "?") + f"erid={draw(TOKEN)}"
    return f"[{text}]({url})"


@st.composite
def ad(draw: st.DrawFn, layouts: tuple[str, ...] = ("label first", "label last", "tracker", "legal")) -> list[str]:
    """An ad block in one of the layouts real pages show; always a label or a tracker plus two more parts."""
    title, slogan = draw(advertiser())
    site = draw(domain())
    button = draw(st.sampled_from(BUTTONS))
    layout = draw(st.sampled_from(layouts))
    if layout == "label first":
        parts = [draw(ad_label()), title, slogan, draw(price()), site, button]
        if draw(st.booleans()):
            parts.insert(1, f"![]({'https://avatars.mds.yandex.net/get-direct/'}{draw(NUMBER)}/{draw(TOKEN)}/orig)")
    elif layout == "label last":  # the furniture ad: advertiser, slogan, domain, button, tracker, «16+Реклама»
        parts = [title, slogan, site, button, draw(tracker(site)), draw(ad_label())]
    elif layout == "tracker":
        parts = [draw(tracker(title)), slogan, draw(price()), draw(tracker(button)), draw(ad_label(glued=False))]
    else:
        legal = draw(st.sampled_from(LEGAL)).format(name=title.split()[0], surname=draw(st.sampled_from(SURNAMES)),
                                                    inn=draw(st.integers(10**9, 10**10 - 1)))
        parts = [draw(ad_label(glued=False)), title, slogan, f"{legal}", site, button]
    return parts


def minutes(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} минута"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} минуты"
    return f"{n} минут"


@st.composite
def related_card(draw: st.DrawFn) -> list[str]:
    pub = draw(TOKEN)
    url = f"https://dzen.ru/a/{pub}?from=feed&utm_referrer=https%3A%2F%2Fdzen.ru&place=article_related"
    title = draw(st.sampled_from(["Грыжа диска: резать нельзя лечить", "Почему болит шея по утрам",
                                  "Как выбрать подушку", "Пять упражнений для спины", "Что скрывает усталость"]))
    teaser = draw(st.sampled_from(["Прямохождение освободило руки, но добавило проблем", "Многие думают, что",
                                   "Врачи советуют начинать утро с", "Эту ошибку делает почти каждый"]))
    time = minutes(draw(st.integers(min_value=1, max_value=25)))
    picture = f"[![](https://avatars.dzeninfra.ru/get-zen_doc/{draw(NUMBER)}/pub_{pub}/smart_crop_344x194)]({url})"
    parts = draw(st.sampled_from([
        [f"[{title}]({url})", teaser + draw(st.sampled_from(["…", "..."])), time],
        [picture, f"[{title}]({url})", teaser + "…", time],
        [time, f"[{title}]({url})", teaser + "..."],
        [f"[]({url}", time, f"[\n\n{title}\n\n]({url})", teaser + "…"],
    ]))
    return list(parts)


@st.composite
def subscribe_box(draw: st.DrawFn) -> list[str]:
    lines = ["Подпишитесь на канал", "Не пропустите новые публикации", "Подписаться"]
    keep = draw(st.lists(st.sampled_from(lines[:2]), min_size=1, max_size=2, unique=True))
    return [line for line in lines if line in keep or line == "Подписаться"]


@st.composite
def comments(draw: st.DrawFn) -> list[str]:
    parts = ["Комментарии", f"{draw(st.integers(0, 9))} / 2500", "Войти, чтобы комментировать"]
    if draw(st.booleans()):
        parts.append("Напишите что-нибудь — ваш комментарий станет первым")
    return parts


@st.composite
def pro_promo(draw: st.DrawFn) -> list[str]:
    return draw(st.sampled_from([
        ["Статьи и видео без рекламы", "С подпиской Дзен Про"],
        ["Статьи и видео без рекламы", "С подпиской Дзен Про", draw(st.sampled_from(["Попробовать", "Подробнее"]))],
        ["Реклама", "Рекламу можно отключить", "С подпиской Дзен Про она исчезнет из статей, видео и новостей",
         "Отключить рекламу"],
    ]))


@st.composite
def channel_header(draw: st.DrawFn) -> list[str]:
    n = draw(st.integers(min_value=2, max_value=99_000))
    count = draw(st.sampled_from([f"{n} подписчиков", f"{n // 1000 or 1} тыс. подписчиков"]))
    return ["[Арти Клиник](https://dzen.ru/articlinic)", count, "Подписаться"]


CHROME = st.one_of(ad(), related_card(), subscribe_box(), comments(), pro_promo(), channel_header())
