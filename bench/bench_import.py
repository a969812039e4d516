"""Import benchmark against the fake Dzen (tests/fake_dzen) served from another process on 127.0.0.1.

    python bench/bench_import.py [--articles 300]

Prints articles/second, CPU per article in the importing process (the server's work and the image bytes
are not in it; checking that every image decodes is), peak memory, and the time the same import would take
with the default politeness. When ../shared/real-dzen is here, also the CPU of reading the real 2.6 MB
article page (JSON path, DOM fallback) and the real channel page.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from dzenpress.dzen.channel import saved_channel_items  # noqa: E402
from dzenpress.dzen.client import ClientOptions  # noqa: E402
from dzenpress.dzen.importer import ImportOptions, import_sources  # noqa: E402
from dzenpress.dzen.page import parse_page  # noqa: E402

from fake_dzen.articles import back_pain  # noqa: E402
from fake_dzen.pages import FakeImage  # noqa: E402
from fake_dzen.server import FakeDzen  # noqa: E402


def make_fake(count: int) -> FakeDzen:
    fake = FakeDzen(page_size=20)
    for n in range(count):
        article = back_pain(hex_id=f"{n + 1:024x}")
        article.title = f"{article.title} (часть {n + 1})"
        article.images = {k: FakeImage(v.group, v.name, v.fmt) for k, v in article.images.items()}
        fake.add(article, channel="articlinic")
    return fake


def serve(count: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    fake = make_fake(count)
    for running in fake.serve():
        queue.put((running.base, len(running.articles)))
        while True:
            time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    args = parser.parse_args()
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    server = multiprocessing.Process(target=serve, args=(args.articles, queue), daemon=True)
    server.start()
    base, count = queue.get(timeout=120)
    hosts = dict.fromkeys(("dzen.ru", "zen.yandex.ru", "avatars.dzeninfra.ru", "avatars.mds.yandex.net"), base)
    site = Path(tempfile.mkdtemp(prefix="dzenpress-import-"))
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text('[site]\nurl = "https://bench.example"\nname = "Бенчмарк"\n', encoding="utf-8")
    options = ImportOptions(client=ClientOptions(host_map=hosts, delay=0.0, concurrency=2))
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = import_sources(site, ["https://dzen.ru/articlinic"], options)
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    imported = report.counts()["imported"]
    images = sum(o.images for o in report.outcomes)
    print(f"articles: {imported} imported of {count}, {images} images, {wall:.2f} s wall, "
          f"{imported / wall:.1f} articles/s")
    print(f"CPU in the importing process: {cpu:.2f} s = {cpu / max(imported, 1) * 1000:.1f} ms per article "
          f"(target ≤ 20 ms); peak memory {cpu_after.ru_maxrss / 1024:.0f} MB")
    pages, listing = imported, max(1, -(-count // 20)) + 1
    defaults = ClientOptions()
    per_host = {"dzen.ru": pages + listing, "avatars.dzeninfra.ru": images}
    slowest = max(per_host.values()) * defaults.delay
    print(f"with the default politeness (--concurrency {defaults.concurrency}, --delay {defaults.delay:g} s per host): "
          f"≈ {slowest / 60:.1f} min (the busiest host, the image CDN, gets {per_host['avatars.dzeninfra.ru']} "
          f"requests one second apart; the article host {per_host['dzen.ru']})")
    t0 = time.perf_counter()
    again = import_sources(site, ["https://dzen.ru/articlinic"], options)
    print(f"re-run (nothing changed): {again.counts()['unchanged']} unchanged in {time.perf_counter() - t0:.2f} s")
    server.terminate()
    real_pages()


def _cpu_ms(action: object, repeat: int = 5) -> float:
    start = time.process_time()
    for _ in range(repeat):
        action()  # type: ignore[operator]
    return (time.process_time() - start) / repeat * 1000


def real_pages() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from real_pages import ARTICLE, CHANNEL, cut_content_state

    if not ARTICLE.is_file():
        print("real pages: ../shared/real-dzen is not here")
        return
    article = ARTICLE.read_text(encoding="utf-8")
    broken = cut_content_state(article)
    channel = CHANNEL.read_text(encoding="utf-8")
    print(f"real article page ({len(article) / 1e6:.1f} MB): JSON path {_cpu_ms(lambda: parse_page(article)):.0f} ms "
          f"CPU, DOM fallback {_cpu_ms(lambda: parse_page(broken)):.0f} ms; real channel page "
          f"({len(channel) / 1e6:.1f} MB, {len(saved_channel_items(channel) or [])} articles): "
          f"{_cpu_ms(lambda: saved_channel_items(channel)):.0f} ms")


if __name__ == "__main__":
    main()
