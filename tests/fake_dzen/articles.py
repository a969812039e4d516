"""Fixture articles. The first is the article of post-format.md as Dzen's editor holds it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fake_dzen.pages import FakeArticle, FakeImage

AWAY = "https://dzen.ru/away?to="


def block(text: str, kind: str = "unstyled", **extra: Any) -> dict[str, Any]:
    return {"key": str(abs(hash(text)) % 10**6), "text": text, "type": kind, "depth": 0,
            "inlineStyleRanges": extra.pop("styles", []), "entityRanges": extra.pop("entities", []),
            "data": extra.pop("data", {}), **extra}


def image(image_id: str, caption: str = "") -> dict[str, Any]:
    return block(caption, "atomic:image", data={"image": {"id": image_id}})


def back_pain(hex_id: str = "5f3afa2ec7e55c27862755c4", era: str = "dzen") -> FakeArticle:
    """«Боль в спине отдает в поясницу?» (post-format.md), with its links wrapped as Dzen wraps them."""
    contacts = [
        ("WhatsApp: ", "https://wa.me/message/FHPEY53FP6B5I1"),
        ("Telegram: ", "https://t.me/articlinic"),
        ("Веб-сайт: ", "https://articlinic.ru/"),
    ]
    entity_map: dict[str, Any] = {}
    contact_blocks = [block("Телефон: +79998310636", "unordered-list-item"),
                      block("Адрес: г. Москва, ул. 1812 г д.3 (м.Парк Победы)", "unordered-list-item")]
    for n, (label, url) in enumerate(contacts):
        entity_map[str(n)] = {"type": "LINK", "mutability": "MUTABLE",
                              "data": {"url": AWAY + url.replace(":", "%3A").replace("/", "%2F")}}
        contact_blocks.append(block(label + url, "unordered-list-item",
                                    entities=[{"offset": len(label), "length": len(url), "key": n}]))
    causes = [("1. Грыжа межпозвонкового диска", "Это одна из самых частых причин боли. Грыжа создаёт давление на "
               "нервные корешки, вызывая дискомфорт в пояснице и даже в ногах."),
              ("2. Остеохондроз и протрузии", "Эти заболевания приводят к дегенеративным изменениям в позвоночнике, "
               "нарушая его подвижность и провоцируя боль."),
              ("3. Мышечные спазмы", "Неправильная осанка, стрессы и физическое перенапряжение могут вызывать "
               "спазмы мышц, которые усиливают боль.")]
    blocks = [
        block("Боль в спине, особенно когда она отдает в поясницу, может стать настоящим испытанием. Она мешает "
              "работать, отдыхать, заниматься спортом и просто жить полноценной жизнью."),
        block("В Арти Клиник мы ежедневно помогаем пациентам избавляться от боли в спине, устраняя не только "
              "симптомы, но и их причины.", styles=[{"offset": 2, "length": 11, "style": "BOLD"}]),
        image("img0"),
        block("Причины боли в спине, отдающей в поясницу", "header-two"),
        block("Когда боль в спине отдает в поясничный отдел, это может быть связано с рядом факторов:"),
    ]
    for title, text in causes:
        blocks += [block(title, "header-three"), block(text)]
    blocks += [
        image("img1", "Точки боли в пояснице"),
        block("Преимущества лечения в Арти Клиник", "header-two"),
        block("Комплексный подход: мы используем только проверенные и безопасные методы.", "unordered-list-item"),
        block("Опытные специалисты: более 20 лет успешной практики.", "unordered-list-item"),
        block("Не стоит терпеть боль — это может привести к осложнениям.", "blockquote"),
        block("Упражнения для спины", "atomic:embed",
              data={"embedData": {"type": "youtube", "src": "https://www.youtube.com/embed/dQw4w9WgXcQ",
                                  "title": "Упражнения для спины"}}),
        block("Контакты Арти клиник:", "header-two"),
        *contact_blocks,
        block("Позаботьтесь о своей спине уже сегодня!"),
    ]
    images = {"img0": FakeImage("1234567", f"pub_{hex_id}_aaaaaaaaaaaaaaaaaaaaaaa0", "jpeg"),
              "img1": FakeImage("1234567", f"pub_{hex_id}_aaaaaaaaaaaaaaaaaaaaaaa1", "webp"),
              "cov": FakeImage("1234567", f"pub_{hex_id}_aaaaaaaaaaaaaaaaaaaaaaac", "png")}
    return FakeArticle(hex_id, "Боль в спине отдает в поясницу? Узнайте, что это значит и как с этим бороться",
                       blocks, entity_map, images, published=datetime(2024, 11, 18, 9, 30, tzinfo=UTC), era=era,
                       cover="cov")


def simple(hex_id: str, title: str, day: int, era: str = "dzen", paragraphs: int = 2) -> FakeArticle:
    images = {"i": FakeImage("77", f"pub_{hex_id}_bbbbbbbbbbbbbbbbbbbbbbb0", "jpeg")}
    blocks = [block(f"{title}: абзац {n + 1} со смыслом и деталями.") for n in range(paragraphs)] + [image("i")]
    return FakeArticle(hex_id, title, blocks, {}, images, published=datetime(2025, 3, day, 8, 0, tzinfo=UTC),
                       era=era)


def gallery(hex_id: str, images: int, title: str = "Квартира с фотографиями") -> FakeArticle:
    """A dzen.ru article like the real ones: text, headings, many pictures (lazy after the second), a
    publication card, and the first picture as the cover."""
    ids = [f"g{n}" for n in range(images)]
    pictures = {i: FakeImage("271828", f"pub_{hex_id}_{n:024x}", ("jpeg", "png", "webp")[n % 3])
                for n, i in enumerate(ids)}
    blocks = [block("Вступление: о чём эта статья и почему её стоит прочитать.")]
    for n, image_id in enumerate(ids):
        blocks += [block(f"Комната {n + 1}", "header-three", styles=[{"offset": 0, "length": 7, "style": "BOLD"}]),
                   block(f"Описание комнаты {n + 1}: стены, пол и свет."), image(image_id)]
    blocks.append(block("", "atomic:embed", data={"embedData": {
        "type": "yandex-zen-publication", "originalUrl": "https://dzen.ru/a/Zb4e_xOUjW-sR5KD",
        "title": "Другая статья канала", "badSeoLink": "true"}}))
    return FakeArticle(hex_id, title, blocks, {}, pictures, published=datetime(2024, 2, 6, 9, 59, tzinfo=UTC),
                       cover=ids[0] if ids else None)
