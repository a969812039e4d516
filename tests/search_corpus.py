"""A generated Russian corpus for search relevance: topic posts that must come first for their queries, and
filler posts whose words share beginnings with the query words («больше» for «боль», «спинка» for «спина»)
or hold stop words, so a search that treats query words as prefixes or keeps «в» finds the wrong posts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

# concept → its word forms (one stem each under Russian Snowball) and words that merely start the same way
CONCEPTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "боль": (("боль", "боли", "болью"), ("больше", "большой", "больница")),
    "спина": (("спина", "спины", "спине", "спину"), ("спинка", "спиннинг")),
    "колено": (("колено", "колени", "коленях"), ("коленкор",)),
    "врач": (("врач", "врача", "врачу", "врачом"), ("врачебный",)),
    "сустав": (("сустав", "суставы", "суставов"), ("суставной",)),
    "массаж": (("массаж", "массажа", "массажем"), ("массажист",)),
    "осанка": (("осанка", "осанки", "осанку"), ()),
    "клиника": (("клиника", "клиники", "клинике"), ()),
}
NEUTRAL = ("утро", "вечер", "город", "лето", "окно", "чай", "книга", "дорога", "ветер", "море", "работа", "дом",
           "время", "вода", "весна", "важно", "всегда", "вместе", "вопрос", "выбор")
STOP = ("в", "и", "на", "с", "по", "к", "у", "о", "от", "для", "при")


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    concepts: frozenset[str]


@dataclass(frozen=True)
class Query:
    text: str
    first: frozenset[str]  # titles that must fill the first places, in any order
    concepts: frozenset[str]  # every result holds all of them; no other post is found


TOPICS = [
    ("bol-v-spine", "Боль в спине: когда идти к врачу", ("боль", "спина", "врач")),
    ("massazh-spiny", "Массаж спины: кому он нужен", ("массаж", "спина")),
    ("koleni", "Колени болят по утрам: что проверить", ("колено", "боль")),
    ("sustavy", "Суставы зимой: как их беречь", ("сустав",)),
    ("osanka", "Осанка за рабочим столом", ("осанка", "спина")),
    ("vybor-vracha", "Как выбрать врача для суставов", ("врач", "сустав")),
]
QUERIES = [
    Query("боль в спине", frozenset({"Боль в спине: когда идти к врачу"}), frozenset({"боль", "спина"})),
    Query("боли в спине", frozenset({"Боль в спине: когда идти к врачу"}), frozenset({"боль", "спина"})),
    Query("массаж спины", frozenset({"Массаж спины: кому он нужен"}), frozenset({"массаж", "спина"})),
    Query("массаж", frozenset({"Массаж спины: кому он нужен"}), frozenset({"массаж"})),
    Query("колени", frozenset({"Колени болят по утрам: что проверить"}), frozenset({"колено"})),
    Query("боль в коленях", frozenset({"Колени болят по утрам: что проверить"}), frozenset({"боль", "колено"})),
    Query("суставы", frozenset({"Суставы зимой: как их беречь", "Как выбрать врача для суставов"}),
          frozenset({"сустав"})),
    Query("врач для суставов", frozenset({"Как выбрать врача для суставов"}), frozenset({"врач", "сустав"})),
    Query("осанка", frozenset({"Осанка за рабочим столом"}), frozenset({"осанка"})),
    Query("осанка и спина", frozenset({"Осанка за рабочим столом"}), frozenset({"осанка", "спина"})),
    Query("к врачу", frozenset({"Боль в спине: когда идти к врачу", "Как выбрать врача для суставов"}),
          frozenset({"врач"})),
    Query("спина", frozenset({"Боль в спине: когда идти к врачу", "Массаж спины: кому он нужен"}),
          frozenset({"спина"})),
]


def _sentence(rng: random.Random, words: list[str]) -> str:
    rng.shuffle(words)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, concepts: tuple[str, ...], topic: bool) -> str:
    sentences = []
    for _ in range(rng.randint(8, 12)):
        words = [rng.choice(NEUTRAL) for _ in range(rng.randint(4, 7))] + [rng.choice(STOP)]
        for concept in concepts:
            if topic or rng.random() < 0.5:
                words.append(rng.choice(CONCEPTS[concept][0]))
        for _concept, (_forms, lookalikes) in CONCEPTS.items():
            if lookalikes and rng.random() < 0.25:
                words.append(rng.choice(lookalikes))
        sentences.append(_sentence(rng, words))
    return " ".join(sentences)


def write_corpus(posts_dir: Path, fillers: int = 34, seed: int = 7) -> list[Post]:
    """Topic and filler posts (every one mentions the clinic); returns what each holds."""
    rng = random.Random(seed)
    made: list[Post] = []
    for n, (slug, title, concepts) in enumerate(TOPICS):
        held = (*concepts, "клиника")
        _write(posts_dir, slug, title, _body(rng, held, topic=True), n)
        made.append(Post(slug, title, frozenset(held)))
    names = [c for c in CONCEPTS if c != "клиника"]
    for n in range(fillers):
        concepts = tuple(c for c in names if rng.random() < 0.3) + ("клиника",)
        slug, title = f"zametka-{n + 1}", f"Заметка {n + 1}: {rng.choice(NEUTRAL)} и {rng.choice(NEUTRAL)}"
        body = _body(rng, concepts, topic=False)
        held = frozenset(c for c in concepts if any(f" {form} " in f" {body.lower()} ".replace(".", " ")
                                                    for form in CONCEPTS[c][0]))
        _write(posts_dir, slug, title, body, len(TOPICS) + n)
        made.append(Post(slug, title, held))
    return made


def _write(posts_dir: Path, slug: str, title: str, body: str, n: int) -> None:
    day = 1 + n % 28
    month = 1 + n // 28
    (posts_dir / f"{slug}.md").write_text(
        f"---\ntitle: '{title}'\nslug: {slug}\ndate: '2026-{month:02d}-{day:02d}'\n"
        f"description: '{title}'\n---\n\n{body}\n", encoding="utf-8")
