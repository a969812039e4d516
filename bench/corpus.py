"""Synthetic blog corpora for the benchmarks: ~10 KB Russian posts with headings, lists and two tags."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = (
    "спина позвоночник боль шея поясница врач лечение упражнение диск грыжа мышца сустав осанка "
    "пациент клиника нагрузка движение сон работа отдых причина симптом диагноз терапия массаж "
    "восстановление здоровье привычка совет неделя утро вечер день месяц кресло стол подушка"
).split()
TAGS = [f"тема-{n}" for n in range(20)]


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 14))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "!", "?"])


def body(rng: random.Random, size: int = 10_000) -> str:
    parts: list[str] = []
    n = 0
    while sum(len(p) for p in parts) < size:
        n += 1
        parts.append(f"## Раздел {n}: {' '.join(rng.choices(WORDS, k=3))}")
        parts += [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(3)]
        if n % 2:
            parts.append("\n".join(f"- {sentence(rng)}" for _ in range(4)))
        else:
            parts.append("\n".join(f"{i}. {sentence(rng)}" for i in range(1, 4)))
    return "\n\n".join(parts) + "\n"


def write_corpus(root: Path, count: int, seed: int = 1, images: bool = False) -> list[Path]:
    """A dzenpress site with `count` posts; returns the post files."""
    rng = random.Random(seed)
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    (root / "public").mkdir(exist_ok=True)
    # search and Open Graph cards off: Hugo makes neither, so the build figures compare like with like (their
    # own cost is measured separately: bench.py's "+ OG cards" line, the README for Pagefind)
    (root / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Бенчмарк"\n'
                                         'search = false\n[images]\nog_cards = false\n', encoding="utf-8")
    files = []
    for i in range(count):
        slug = f"post-{i:05d}"
        tags = rng.sample(TAGS, 2)
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        year = 2025 - i // 336  # all in the past: Hugo leaves future-dated posts out by default
        cover = ""
        if images:
            cover = f"cover: /blog/{slug}/cover.jpg\n"
        text = (f"---\ntitle: 'Статья {i}: {' '.join(rng.choices(WORDS, k=4))}'\nslug: {slug}\n"
                f"date: '{year:04d}-{month:02d}-{day:02d}'\n{cover}draft: false\ntags:\n"
                f"  - {tags[0]}\n  - {tags[1]}\n---\n\n{body(rng)}")
        path = posts / f"{slug}.md"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def write_raw_corpus(root: Path, count: int, raw_dir: Path) -> int:
    """`count` posts as naive scrapers wrote them, made from the real raw imports in `raw_dir`."""
    sources = sorted(raw_dir.glob("*.md"))
    if not sources:
        return 0
    posts = root / "content" / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    # search off: Hugo builds no search index, so the build figures compare like with like (Pagefind's own
    # cost is reported in the README)
    (root / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Бенчмарк"\n'
                                         'search = false\n', encoding="utf-8")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    for i in range(count):
        source = sources[i % len(sources)]
        slug = f"{source.stem[:60]}-{i}"
        (posts / f"{slug}.md").write_text(texts[i % len(texts)].replace(f"slug: {source.stem}", f"slug: {slug}"),
                                          encoding="utf-8")
    return count
