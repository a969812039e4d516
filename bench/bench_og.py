"""CPU of one generated Open Graph card, end to end and per stage, in one process.

    python bench/bench_og.py [--cards 300] [--rounds 3]

Titles: Russian, 20–160 characters (about half of them too long for one size and fitted to the box), after
a warm-up. CPU is the process's (time.process_time: every thread, libvips' workers included), without
libvips' operation cache, as the image workers run. Stages: the title's layouts (Pango, until its size is
found), the lookup and JPEG encode of the rows it covers, and joining them with the background's rows.
bench.py's "+ OG cards" line measures the same inside a build (worker processes and hand-over included).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from corpus import WORDS

SITE = "Клиника доктора Иванова"
EXTRA = ("остеохондроз межпозвонковый ортопедический «правильная» ёлочка, — почему: как? что!").split()


def titles(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        length = rng.randint(20, 160)
        words: list[str] = []
        while len(" ".join(words)) < length:
            words.append(rng.choice(WORDS + EXTRA))
        text = " ".join(words)[:length].rstrip()
        out.append(text[0].upper() + text[1:])
    return out


def stages(og: Any, title: str, quality: int) -> tuple[float, float, float]:
    """(layout, lookup + encode, join) CPU seconds of one card, as encode_card does it."""
    cpu = time.process_time
    background = og._encoded_base(SITE, quality)
    c0 = cpu()
    words = og._title(title)
    c1 = cpu()
    top = og._title_top(words)
    step = background.block
    first, end = top // step, -(-(top + words.height) // step)
    strip = words.embed(og._MARGIN, top - first * step, og.OG_WIDTH, (end - first) * step).maplut(og._palette(og._INK))
    _, rows = og._scan(og._save(strip, quality, background.per_row))
    c2 = cpu()
    background.join(background.rows[:first] + rows + background.rows[end:])
    return c1 - c0, c2 - c1, cpu() - c2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quality", type=int, default=80)
    args = parser.parse_args()
    import pyvips

    from dzenpress.images import og

    pyvips.cache_set_max(0)
    batch = titles(args.cards)
    layouts = 0
    layout = og._layout

    def counting(markup: str, size: float) -> Any:
        nonlocal layouts
        layouts += 1
        return layout(markup, size)

    for title in batch[:20]:  # warm-up: fonts, the background, the palette
        og.encode_card(SITE, title, args.quality)
    whole = []
    for _ in range(args.rounds):
        started = time.process_time()
        for title in batch:
            og.encode_card(SITE, title, args.quality)
        whole.append((time.process_time() - started) / len(batch) * 1000)
    og._layout = counting
    parts = [stages(og, title, args.quality) for title in batch]
    og._layout = layout
    ms = [sum(p[i] for p in parts) / len(parts) * 1000 for i in range(3)]
    print(f"OG card: {statistics.median(whole):.2f} ms CPU a card (median of {args.rounds} rounds over {len(batch)} "
          f"titles of 20–160 characters: {', '.join(f'{w:.2f}' for w in whole)})")
    print(f"  layout {ms[0]:.2f} ms ({layouts / len(batch):.2f} layouts a card), lookup + JPEG of the title's rows "
          f"{ms[1]:.2f} ms, join {ms[2]:.2f} ms")


if __name__ == "__main__":
    main()
