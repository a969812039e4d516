"""CPU cost of hostile input (issue 17): pathological post bodies through the normaliser (`clean`, import),
and YAML alias bombs through front matter. A script, not a test: prints CPU seconds per size and the ratio
between sizes (linear: ~2× per doubling; quadratic: ~4×).

    PYTHONPATH=src python bench/bench_hostile.py [--sizes 5000 10000 20000 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from dzenpress.content.post import load_post
from dzenpress.errors import DzenpressError
from dzenpress.normalize.post import clean_text

UNITS = {"escaped stars": "\\*", "escaped underscores": "\\_", "a\\*b": "a\\*b ", "a*b": "a*b ",
         "escaped links": "\\[a\\](b) ", "escaped ordinals": "1\\. ", "brackets": "[", "angles": "<",
         "underscores": "_a ", "stars": "**a", "backslashes": "\\"}


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def bench_bodies(sizes: list[int]) -> None:
    print(f"{'body':22}" + "".join(f"{s:>10,}" for s in sizes) + "   ratio per doubling")
    for label, unit in UNITS.items():
        costs = []
        for size in sizes:
            text = f"---\ntitle: 'x'\ndate: '2025-01-15'\n---\n\n{unit * (size // len(unit))}\n"
            costs.append(cpu(lambda text=text: clean_text(text, Path("hostile.md"))))
        growth = (costs[-1] / max(costs[0], 1e-4)) ** (1 / max(1e-9, _doublings(sizes)))
        print(f"{label:22}" + "".join(f"{c:>10.3f}" for c in costs) + f"   {growth:.2f}")


def _doublings(sizes: list[int]) -> float:
    import math

    return math.log2(sizes[-1] / sizes[0])


def bench_bombs() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bomb.md"
        for levels in (5, 7, 9, 12):
            lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
            lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
            path.write_text("---\ntitle: x\ndate: '2025-01-15'\n" + "\n".join(lines) + "\n---\n\nx\n",
                            encoding="utf-8")
            outcome = "accepted"

            def load() -> None:
                nonlocal outcome
                try:
                    load_post(path, ZoneInfo("UTC"))
                except DzenpressError as exc:
                    outcome = str(exc).splitlines()[0][:70]

            spent = cpu(load)
            print(f"alias bomb, {levels} levels ({path.stat().st_size} bytes): {spent * 1000:.1f} ms CPU, {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 100_000])
    args = parser.parse_args()
    bench_bodies(args.sizes)
    bench_bombs()


if __name__ == "__main__":
    main()
