"""Time `dzenpress check` on a generated corpus: python bench/bench_check.py [--posts 10000]."""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from dzenpress import build, load_site
from dzenpress.check import check_site

from corpus import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        write_corpus(root, args.posts)
        build(load_site(root))
        cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        started = time.perf_counter()
        report = check_site(root)
        wall = time.perf_counter() - started
        cpu = (resource.getrusage(resource.RUSAGE_SELF).ru_utime
               + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime) - cpu
        print(f"{args.posts} posts, {report.pages} pages: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"{report.errors} errors, {report.warnings} warnings, {report.links_checked} links")


if __name__ == "__main__":
    main()
