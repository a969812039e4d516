"""`check --external`: outbound links, checked concurrently, politely (one request at a time per host, with a
pause between two), bounded (at most `limit` URLs, each request within its deadline, the whole run within
CHECK_EXTERNAL_RUN seconds, under the network policy of dzenpress.net); working links are cached for a day in
`.dzenpress/links.json`."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from dzenpress.check.model import SITE, Finding
from dzenpress.fsio import atomic_write
from dzenpress.net import LIMITS, DeadlineExceeded, FetchError, Kind, NetClient, RunClock, settings

CACHE_SECONDS = 24 * 3600
_GONE = (404, 410)
_NOT_ASKED = "not asked"
_HEADERS = {"User-Agent": "Mozilla/5.0 (compatible; dzenpress-check)"}


def check_external(outbound: dict[str, list[str]], cache_file: Path | None, *, limit: int = 500, concurrency: int = 8,
                   delay: float = 0.5, timeout: float = LIMITS[Kind.LINK].deadline,
                   run_seconds: float | None = None, log: Callable[[str], None] | None = None) -> list[Finding]:
    """Findings for the pages linking to dead URLs: 404/410 are errors, other failures warnings."""
    run_seconds = settings.CHECK_EXTERNAL_RUN if run_seconds is None else run_seconds
    cache = _load(cache_file)
    now = time.time()
    fresh = {u: v for u, v in cache.items() if now - float(v[1]) < CACHE_SECONDS}
    todo = [u for u in sorted(outbound) if u not in fresh][:limit]
    results = _check_all(todo, concurrency, delay, timeout, run_seconds, log) if todo else {}
    if cache_file is not None:  # only working links are remembered: failures are asked again
        working = {u: ("ok", now) for u, o in results.items() if o == "ok"}
        _save(cache_file, json.dumps(fresh | working, ensure_ascii=False))
    unasked = sum(o == _NOT_ASKED for o in results.values())
    for url, outcome in results.items():
        if outcome != _NOT_ASKED:
            fresh[url] = (outcome, now)
    found: list[Finding] = []
    if unasked:
        found.append(Finding(SITE, "warning", "external-link", f"{unasked} of {len(todo)} outbound links not checked: "
                             f"the {run_seconds:g} s deadline of check --external passed (the next run asks them; "
                             "working links are cached for a day)"))
    for url, pages in outbound.items():
        if url not in fresh:
            continue
        outcome = str(fresh[url][0])
        if outcome == "ok":
            continue
        gone = outcome.startswith(tuple(f"HTTP {c}" for c in _GONE))
        for page in sorted(set(pages)):
            found.append(Finding(page, "error" if gone else "warning", "external-link", f"{url}: {outcome}"))
    return found


def _save(cache_file: Path, data: str) -> None:
    with contextlib.suppress(OSError):
        atomic_write(cache_file, data)


def _load(cache_file: Path | None) -> dict[str, tuple[str, float]]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: (str(v[0]), float(v[1])) for k, v in data.items() if isinstance(v, list) and len(v) == 2}


class _Progress:
    """A line every few seconds while links are asked (the run can take up to its deadline)."""

    def __init__(self, total: int, log: Callable[[str], None] | None, every: float = 2.0) -> None:
        self.total, self.log, self.every = total, log, every
        self.done = 0
        self.lock = threading.Lock()
        self.shown = time.monotonic()

    def step(self) -> None:
        with self.lock:
            self.done += 1
            if self.log and self.done < self.total and time.monotonic() - self.shown >= self.every:
                self.shown = time.monotonic()
                self.log(f"external links: {self.done}/{self.total} asked")


def _check_all(urls: list[str], concurrency: int, delay: float, timeout: float, run_seconds: float,
               log: Callable[[str], None] | None) -> dict[str, str]:
    """Each host's links in turn (politeness), hosts in parallel; what the deadline left is `_NOT_ASKED`."""
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append(url)
    results = dict.fromkeys(urls, _NOT_ASKED)
    progress = _Progress(len(urls), log)
    if log:
        log(f"external links: asking {len(urls)} on {len(by_host)} hosts ({concurrency} at a time, "
            f"{run_seconds:g} s at most)")
    clock = RunClock(run_seconds, "check --external")
    limits = {**LIMITS, Kind.LINK: dataclasses.replace(LIMITS[Kind.LINK], deadline=timeout)}
    with NetClient(headers=_HEADERS, timeout=timeout, limits=limits, run=clock) as net:

        def host_links(host_urls: list[str]) -> None:
            for n, url in enumerate(host_urls):
                if n and delay > 0:
                    time.sleep(min(delay, max(0.0, clock.left())))
                if clock.over():
                    return
                results[url] = _probe(net, url)
                progress.step()

        with ThreadPoolExecutor(max(1, concurrency)) as pool:
            list(pool.map(host_links, by_host.values()))
    if log:
        log(f"external links: {progress.done}/{len(urls)} asked")
    return results


def _probe(net: NetClient, url: str) -> str:
    try:
        answer = net.fetch(url, Kind.LINK, method="HEAD", read=False)
        if answer.status in (403, 405, 501) or answer.status >= 500:
            answer = net.fetch(url, Kind.LINK, read=False)  # some servers refuse HEAD only
    except DeadlineExceeded as exc:  # cut by the run's deadline: not this link's fault, asked again next time
        return _NOT_ASKED if net.run is not None and net.run.over() else f"timed out ({exc.message})"
    except FetchError as exc:
        return f"not checked: {exc.message}"
    except httpx.TimeoutException:
        return "timed out"
    except httpx.HTTPError as exc:
        return f"unreachable ({type(exc).__name__})"
    return "ok" if answer.status < 400 else f"HTTP {answer.status}"
