"""`check --external`: outbound links, checked concurrently, politely (one request at a time per host, with a
pause between two), bounded (at most `limit` URLs, a timeout each); working links are cached for a day in
`.dzenpress/links.json`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from dzenpress.check.model import Finding
from dzenpress.fsio import atomic_write

CACHE_SECONDS = 24 * 3600
_GONE = (404, 410)


def check_external(outbound: dict[str, list[str]], cache_file: Path | None, *, limit: int = 500, concurrency: int = 8,
                   delay: float = 0.5, timeout: float = 10.0) -> list[Finding]:
    """Findings for the pages linking to dead URLs: 404/410 are errors, other failures warnings."""
    cache = _load(cache_file)
    now = time.time()
    fresh = {u: v for u, v in cache.items() if now - float(v[1]) < CACHE_SECONDS}
    todo = [u for u in sorted(outbound) if u not in fresh][:limit]
    results = asyncio.run(_check_all(todo, concurrency, delay, timeout)) if todo else {}
    if cache_file is not None:  # only working links are remembered: failures are asked again
        working = {u: ("ok", now) for u, o in results.items() if o == "ok"}
        _save(cache_file, json.dumps(fresh | working, ensure_ascii=False))
    for url, outcome in results.items():
        fresh[url] = (outcome, now)
    found: list[Finding] = []
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


async def _check_all(urls: list[str], concurrency: int, delay: float, timeout: float) -> dict[str, str]:
    limit = asyncio.Semaphore(concurrency)
    hosts: dict[str, asyncio.Lock] = {}
    last: dict[str, float] = {}
    headers = {"User-Agent": "Mozilla/5.0 (compatible; dzenpress-check)"}
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, headers=headers) as client:

        async def one(url: str) -> tuple[str, str]:
            host = (urlsplit(url).hostname or "").lower()
            lock = hosts.setdefault(host, asyncio.Lock())
            async with lock, limit:
                wait = last.get(host, 0.0) + delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    return url, await _probe(client, url)
                finally:
                    last[host] = time.monotonic()

        return dict(await asyncio.gather(*(one(u) for u in urls)))


async def _probe(client: httpx.AsyncClient, url: str) -> str:
    try:
        answer = await client.head(url)
        if answer.status_code in (403, 405, 501) or answer.status_code >= 500:
            answer = await client.get(url)  # some servers refuse HEAD only
    except httpx.TimeoutException:
        return "timed out"
    except httpx.HTTPError as exc:
        return f"unreachable ({type(exc).__name__})"
    return "ok" if answer.status_code < 400 else f"HTTP {answer.status_code}"
