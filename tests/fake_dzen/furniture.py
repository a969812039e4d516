"""Dzen's page chrome as DOM, in the shapes of every era, for the fake Dzen to put anywhere in a page:
before the article, between its blocks, after it. Generated here from the shapes dzen.md describes; no
real page is copied. Every shape's text is made of UI words no generated article uses (TELLS)."""

from __future__ import annotations

CHROME: dict[str, str] = {
    # subscribe boxes, marked and not
    "subscribe": ('<div class="subscribe-block"><p>Подпишитесь на канал, чтобы не пропустить новые публикации</p>'
                  "<button>Подписаться</button></div>"),
    "subscribe-zen-ui": ('<div class="zen-ui-channel-subscribe-button"><span>Подписаться</span></div>'),
    # ad slots: Yandex RTB, a safeframe, an ad card with a tracker link and an age label, AdFox
    "rtb": ('<div id="yandex_rtb_R-A-1234567-3" class="article-ad"><div>Реклама • 16+</div>'
            '<a href="https://an.yandex.ru/count/WrqejI_zOoVX">Мебельная фабрика. Заказать</a></div>'),
    "safeframe": ('<div><div id="sf-1846219766"><iframe src="//yastatic.net/safeframe-bundles/0.33/1-1-0/render.html"'
                  ' width="1" height="1"></iframe></div></div>'),
    "yatag": ('<yatag><iframe src="https://st.yandexadexchange.net/confirm_r_4906.html"></iframe></yatag>'),
    "ad-card": ('<div><div><span>Реклама</span><span>16+</span></div><a href="https://yabs.yandex.ru/count/X1">'
                "<b>Кухни на заказ</b> mebel-shop.example <span>от 9 900 ₽</span> Перейти на сайт</a></div>"),
    # the article's info line, reactions, share bar, comments
    "info": ('<div class="article-stats-view article__statistics"><span>18 ноября 2024</span>'
             "<span>1,2 тыс. просмотров</span><span>2 мин</span></div>"),
    "reactions": ('<div class="zen-ui-likes"><button>Нравится</button><button>Не нравится</button>'
                  '<button class="share-button">Поделиться</button></div>'),
    "comments": ('<section class="comments-container" data-testid="comments"><h3>Комментарии</h3>'
                 "<div>0 / 2500</div><a>Войти, чтобы комментировать</a></section>"),
    # topics, recommendations, related cards with reading time, the Дзен Про promo
    "topics": ('<div class="topics-grid"><h3>Взгляните на эти темы</h3>'
               '<a href="https://dzen.ru/topic/zdorove">Здоровье</a><a href="/explore">Найти тему</a></div>'),
    "related": ('<div class="related-cards"><h3>Рекомендуем почитать</h3>'
                '<a href="https://dzen.ru/a/Zzr6LsflXCeGJ1wk?from=feed&amp;place=article_related">Другая статья</a>'
                "<span>4 минуты</span></div>"),
    "related-unmarked": ('<div><a href="https://dzen.ru/a/Zzr6LsflXCeGJ1wk?from=feed&amp;place=article_related">'
                         "<div>Соседняя статья</div><div>4 минуты</div></a></div>"),
    "pro": ('<div class="zen-pro-promo"><h3>Статьи и видео без рекламы</h3><p>С подпиской Дзен Про</p>'
            '<img src="https://s3.dzeninfra.ru/zen/icons/dzen-pro/floating-stella.png"></div>'),
    "read-more": '<div><span>Читать далее</span></div>',
    # the page around the article: header, channel header, footer
    "header": '<header class="desktop-header">Главная Подписки Найти Новости Статьи Видео Ролики Войти</header>',
    "channel": ('<div class="channel-header"><a href="/articlinic">Арти Клиник</a><div>16 подписчиков</div>'
                "<button>Подписаться</button></div>"),
    "footer": ('<footer id="footer"><div class="article-footer"><div class="editor-help-buttons">'
               '<span class="help-button__help-text">?</span></div></div></footer>'),
}
# Words and addresses that only chrome carries: none may reach an imported article.
TELLS = ("Подпис", "Реклама", "16+", "an.yandex", "yabs.yandex", "safeframe", "yandexadexchange", "просмотр",
         "Нравится", "Поделиться", "Комментари", "2500", "комментировать", "Взгляните", "Найти тему", "dzen.ru/topic",
         "Рекомендуем", "article_related", "4 минуты", "Дзен Про", "без рекламы", "dzen-pro", "Читать далее",
         "Главная", "подписчик", "help-button", "Перейти на сайт", "mebel", "₽", "Соседняя", "Другая статья")
