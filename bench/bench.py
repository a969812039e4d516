"""Build benchmarks: dzenpress against Hugo (and Pelican when installed) on the same Markdown.

    python bench/bench.py                 # 1,000 and 10,000 posts
    python bench/bench.py --sizes 100     # a quick run

Prints wall time and peak memory (largest process, from wait4) of each step and dzenpress/baseline ratios:
the equal-work lines (search and Open Graph cards off, as Hugo makes neither), then the "defaults" lines (the
site as `init` makes it: search and cards on, an empty image cache) against Hugo + Pagefind over its output,
and the time from saving a post under `dzenpress serve` to its tab's reload event.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from serve_edit import serve_edits

from corpus import write_corpus, write_raw_corpus
from hugo_site import make_hugo_site
from pelican_site import make_pelican_site

DZENPRESS = [sys.executable, "-m", "dzenpress"]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str
    cpu: float = 0.0  # user + system seconds of the process and the workers it waited for


def run(cmd: list[str], cwd: Path | None = None, allow_failure: bool = False,
        extra_env: dict[str, str] | None = None) -> Run:
    env = {**os.environ, **(extra_env or {})}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0 and not allow_failure:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out}")
    return Run(seconds, usage.ru_maxrss / 1024, out.strip().splitlines()[-1] if out.strip() else "",
               usage.ru_utime + usage.ru_stime)


def ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}×" if b else "n/a"


def bench_size(count: int, workdir: Path) -> None:
    site = workdir / f"dzen-{count}"
    write_corpus(site, count)
    print(f"\n== {count} posts (~10 KB each) ==")
    hugo = None
    hugo_dir = workdir / f"hugo-{count}"
    if shutil.which("hugo"):
        make_hugo_site(site, hugo_dir)
        hugo = run(["hugo", "--quiet", "-s", str(hugo_dir), "-d", str(hugo_dir / "public")])
        pages = sum(1 for _ in (hugo_dir / "public").rglob("*.html"))
        print(f"hugo        cold build   {hugo.seconds:7.2f} s   peak {hugo.peak_mb:7.1f} MB   [{pages} HTML pages]")
    else:
        print("hugo        not installed (apt-get install hugo): no baseline")
    pelican = None
    if importlib.util.find_spec("pelican") and importlib.util.find_spec("markdown"):
        pelican_dir = workdir / f"pelican-{count}"
        make_pelican_site(site, pelican_dir)
        pelican = run([sys.executable, "-m", "pelican", str(pelican_dir / "content"), "-s",
                       str(pelican_dir / "pelicanconf.py"), "-o", str(pelican_dir / "output"), "-q"])
        print(f"pelican     cold build   {pelican.seconds:7.2f} s   peak {pelican.peak_mb:7.1f} MB")
    else:
        print("pelican     not installed (pip install pelican markdown): no baseline")
    cold = run([*DZENPRESS, "build", str(site)])
    print(f"dzenpress   cold build   {cold.seconds:7.2f} s   peak {cold.peak_mb:7.1f} MB   "
          f"time {ratio(cold.seconds, hugo and hugo.seconds)}   memory {ratio(cold.peak_mb, hugo and hugo.peak_mb)}"
          f"   [{cold.output}]")
    if pelican:
        print(f"            vs pelican: time {ratio(cold.seconds, pelican.seconds)}   "
              f"memory {ratio(cold.peak_mb, pelican.peak_mb)}")
    print(f"            [{sum(1 for _ in (site / 'dist').rglob('*.html'))} HTML pages]")
    noop = run([*DZENPRESS, "build", str(site)])
    print(f"dzenpress   no-op        {noop.seconds:7.2f} s   peak {noop.peak_mb:7.1f} MB   [{noop.output}]")
    target = site / "content" / "posts" / f"post-{count // 2:05d}.md"
    target.write_text(target.read_text(encoding="utf-8").replace("## Раздел 1:", "## Раздел 1 (правка):", 1),
                      encoding="utf-8")
    edit = run([*DZENPRESS, "build", str(site)])
    print(f"dzenpress   edit 1 post  {edit.seconds:7.2f} s   peak {edit.peak_mb:7.1f} MB   [{edit.output}]")
    in_process(site)
    edit_floor(site)
    og_cards(site, cold)
    defaults(site, hugo_dir if hugo else None, hugo)


FLOOR_IMPORTS = ("dzenpress.entry", "dzenpress.terminal", "dzenpress.project", "dzenpress.content.site",
                 "dzenpress.render.pages", "dzenpress.render.keys", "dzenpress.images", "dzenpress.render.dzenrss",
                 "dzenpress.render.feeds", "dzenpress.render.sitemap", "dzenpress.render.templating")
FLOOR_STATS = ("import os, sys, time\nfrom pathlib import Path\nfrom dzenpress.fsio import scan_files\n"
               "outs = [os.path.join(r, f) for r, _, fs in os.walk(sys.argv[1] + '/dist') for f in fs]\nbest = 9.0\n"
               "for _ in range(5):\n    t = time.perf_counter()\n"
               "    inputs = sum(1 for _ in scan_files(Path(sys.argv[1]) / 'content'))\n"
               "    for f in outs:\n        os.stat(f)\n    best = min(best, time.perf_counter() - t)\n"
               "print(best, inputs, len(outs))")


def edit_floor(site: Path) -> None:
    """What any rebuild from a fresh process pays before it loads a post: the interpreter, the modules one
    page render needs, and the stat of every input and output (how a build knows what changed)."""
    start = min(run([sys.executable, "-c", "pass"]).seconds for _ in range(5))
    imports = min(run([sys.executable, "-c", "import " + ", ".join(FLOOR_IMPORTS)]).seconds for _ in range(5))
    seconds, inputs, outputs = run([sys.executable, "-c", FLOOR_STATS, str(site)]).output.split()
    total = imports + float(seconds)
    print(f"dzenpress   edit floor   {total:7.2f} s   [interpreter {start * 1000:.0f} ms, imports "
          f"{(imports - start) * 1000:.0f} ms, stat of {inputs} inputs and {outputs} outputs "
          f"{float(seconds) * 1000:.0f} ms]")


def og_cards(site: Path, cold: Run) -> None:
    """What the generated Open Graph cards (one per post without a cover; off in the corpus, since Hugo makes
    none) add to a cold build, with an empty image cache."""
    cards = site.with_name(site.name + "-cards")
    shutil.copytree(site / "content", cards / "content")
    (cards / "dzenpress.toml").write_text((site / "dzenpress.toml").read_text(encoding="utf-8")
                                          .replace("og_cards = false", "og_cards = true"), encoding="utf-8")
    result = run([*DZENPRESS, "build", str(cards)], extra_env={"DZENPRESS_IMAGE_CACHE": ""})
    count = sum(1 for _ in (cards / "content" / "posts").iterdir())  # the corpus has no covers: a card each
    shutil.rmtree(cards, ignore_errors=True)
    print(f"dzenpress   + OG cards   {result.seconds:7.2f} s   peak {result.peak_mb:7.1f} MB   "
          f"cards cost {result.seconds - cold.seconds:.2f} s, {(result.cpu - cold.cpu) / count * 1000:.1f} ms CPU "
          f"a card (with starting the image workers; bench_og.py: one card in one process)   [{result.output}]")


def defaults(site: Path, hugo_dir: Path | None, hugo: Run | None) -> None:
    """The site as `init` makes it (search and Open Graph cards on, an empty image cache) against what a Hugo
    user runs for the same features: Hugo, then Pagefind over Hugo's output (posts only, as ours)."""
    from pagefind.service import get_executable

    pagefind = get_executable()
    baseline = None
    if hugo_dir is not None and hugo is not None and pagefind is not None:
        index = run([str(pagefind), "--site", str(hugo_dir / "public"), "--silent"])
        baseline = Run(hugo.seconds + index.seconds, max(hugo.peak_mb, index.peak_mb), "")
        print(f"hugo        + pagefind   {baseline.seconds:7.2f} s   peak {baseline.peak_mb:7.1f} MB   "
              f"[hugo {hugo.seconds:.2f} s + pagefind {index.seconds:.2f} s, {index.peak_mb:.0f} MB]")
    target = site.with_name(site.name + "-defaults")
    shutil.copytree(site / "content", target / "content")
    (target / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Бенчмарк"\n',
                                           encoding="utf-8")  # every other key as `init` leaves it
    middle = f"post-{sum(1 for _ in (target / 'content' / 'posts').iterdir()) // 3:05d}"  # not the one edited above
    for label, slug in (("cold", None), ("no-op", None), ("edit 1 post", middle)):
        if slug:
            post = target / "content" / "posts" / f"{slug}.md"
            post.write_text(post.read_text(encoding="utf-8").replace("## Раздел 1:", "## Раздел 1 (правка):", 1),
                            encoding="utf-8")
        result = run([*DZENPRESS, "build", str(target)], extra_env={"DZENPRESS_IMAGE_CACHE": ""})
        versus = (f"time {ratio(result.seconds, baseline.seconds)}   memory {ratio(result.peak_mb, baseline.peak_mb)}"
                  if baseline and label == "cold" else "")
        print(f"defaults    {label:12} {result.seconds:7.2f} s   peak {result.peak_mb:7.1f} MB   {versus}   "
              f"[{result.output}]")
    print(f"defaults    serve edit   {serve_edits(DZENPRESS, target, middle)}")
    shutil.rmtree(target, ignore_errors=True)


def in_process(site: Path) -> None:
    """The same no-op rebuild without interpreter start-up: what the library itself costs."""
    code = ("import time,sys; t=time.perf_counter(); from dzenpress import build; r=build(sys.argv[1]); "
            "print(f'{time.perf_counter()-t:.3f}s incl. imports; build {r.seconds:.3f}s; {r.summary()}')")
    result = run([sys.executable, "-c", code, str(site)])
    print(f"dzenpress   no-op (API)  {result.seconds:7.2f} s   [{result.output}]")


def bench_clean(count: int, workdir: Path) -> None:
    """`clean --check` on raw imports (every post needs work), then cleaning, then --check on the result."""
    site = workdir / f"clean-{count}"
    raw = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "raw"
    if not write_raw_corpus(site, count, raw):
        print(f"\nclean: no corpus at {raw}; skipped")
        return
    print(f"\n== clean, {count} posts made from the real raw imports ==")
    for label, args in (("clean --check (raw)", ["--check"]), ("clean (raw → clean)", []),
                        ("clean --check (clean)", ["--check"])):
        result = run([*DZENPRESS, "clean", "--site", str(site), *args], allow_failure=True)
        print(f"{label:24} {result.seconds:7.2f} s   peak {result.peak_mb:7.1f} MB   "
              f"{result.seconds / count * 1000:6.2f} ms/post   [{result.output}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--keep", action="store_true", help="keep the generated sites")
    parser.add_argument("--clean-sizes", type=int, nargs="*", default=[10000], help="posts for the clean bench")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="dzenpress-bench-"))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; work dir {workdir}")
    try:
        for size in args.sizes:
            bench_size(size, workdir)
        for size in args.clean_sizes:
            bench_clean(size, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
