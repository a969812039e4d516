"""HTTP for Dzen: polite (concurrency cap, per-host delay), patient (retries with backoff and jitter,
Retry-After), wall-aware (SSO bounce followed once, captcha/login/block explained). What may be fetched, from
where, how big and for how long is the network policy's (dzenpress.net): pages and feed answers from Dzen's
hosts, images from its CDN only, redirects checked hop by hop, bodies capped, every request under a deadline."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from dzenpress.dzen.walls import SSO, WallError, sso_retpath, wall_reason
from dzenpress.errors import DzenpressError
from dzenpress.net import Answer, BadBody, DeadlineExceeded, FetchError, Kind, NetClient
from dzenpress.net.settings import DOWN_AFTER, READ_TIMEOUT

USER_AGENT = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
_RETRY_STATUS = {429, 500, 502, 503, 504}

__all__ = ["ClientOptions", "DzenClient", "FetchError", "HostDown", "load_cookies"]


class HostDown(FetchError):
    """A host could not be reached at all (DNS, connection refused, or no answer within the deadline) several
    times in a row: it is not asked again for the rest of the run."""

    def __init__(self, host: str, path: str | None = None) -> None:
        super().__init__(f"{host} cannot be reached (no DNS answer, connection refused, or no complete answer "
                         "within the deadline): not asked again in this run", path=path)
        self.host = host


@dataclass
class ClientOptions:
    concurrency: int = 2
    delay: float = 1.0  # minimum seconds between two requests to one host
    timeout: float = READ_TIMEOUT  # one read's stall; each request also has an overall deadline (net/settings.py)
    retries: int = 4
    backoff: float = 1.0  # first retry waits about this long, then twice as long each time
    max_wait: float = 120.0  # longest Retry-After honoured
    cookies: Path | None = None
    user_agent: str = USER_AGENT
    down_after: int = DOWN_AFTER  # consecutive connection failures after which a host is skipped for the run
    host_map: dict[str, str] = field(default_factory=dict)  # host → base URL (mirrors, the test Dzen)
    sleep: Callable[[float], None] = time.sleep


class DzenClient:
    def __init__(self, options: ClientOptions | None = None) -> None:
        self.options = options or ClientOptions()
        headers = {"User-Agent": self.options.user_agent, "Accept-Language": "ru-RU,ru;q=0.9,en;q=0.6"}
        self.net = NetClient(headers=headers, timeout=self.options.timeout, host_map=self.options.host_map)
        if self.options.cookies:
            load_cookies(self.net.cookies, self.options.cookies)
        self._slots = threading.BoundedSemaphore(max(1, self.options.concurrency))
        self._host_locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()
        self._failures: dict[str, int] = {}  # host → consecutive connection failures
        self.down: set[str] = set()
        self.requests = 0

    def close(self) -> None:
        self.net.close()

    def __enter__(self) -> DzenClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- public ----

    def page(self, url: str) -> tuple[str, str]:
        """An HTML page as (final URL, text). Follows an SSO bounce's retpath once, like a browser."""
        response = self._get(url, Kind.PAGE)
        final, text = response.url, response.text
        retpath = sso_retpath(text)
        if retpath:
            response = self._get(retpath, Kind.PAGE)
            final, text = response.url, response.text
            if sso_retpath(text):
                raise WallError(SSO, path=url)
        reason = wall_reason(final, text)
        if reason:
            raise WallError(reason, path=url)
        if response.status == 404:
            raise FetchError("Dzen says this page does not exist (404)", path=url)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}", path=url)
        return final, text

    def json(self, url: str) -> Any:
        response = self._get(url, Kind.FEED, accept="application/json")
        reason = wall_reason(response.url,
                             response.text if "json" not in response.headers.get("content-type", "") else "")
        if reason:
            raise WallError(reason, path=url)
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}", path=url)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise FetchError("the feed API answered with something that is not JSON", path=url) from None

    def image(self, url: str) -> bytes | None:
        """Image bytes from Dzen's CDN; None if the CDN has no such size (404). Other hosts are refused."""
        if "/s3/zen-lib/" in url:
            raise FetchError("a placeholder of Dzen's page code, not a picture: not fetched", path=url)
        response = self._get(url, Kind.IMAGE, accept="image/avif,image/webp,image/png,image/jpeg,*/*")
        if response.status == 404:
            return None
        if response.status >= 400:
            raise FetchError(f"HTTP {response.status}", path=url)
        return response.content

    # ---- the request loop ----

    def _get(self, url: str, kind: Kind, accept: str = "text/html,application/xhtml+xml,*/*;q=0.8") -> Answer:
        attempt = 0
        host = httpx.URL(url).host
        while True:
            if host in self.down:
                raise HostDown(host, path=url)
            try:
                response = self._send(url, kind, accept)
            except DeadlineExceeded:
                if self._unreachable(host, counts=True):
                    raise HostDown(host, path=url) from None
                raise  # not retried: a server that slow would take as long again
            except (httpx.TransportError, BadBody) as exc:
                if self._unreachable(host, counts=isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)):
                    raise HostDown(host, path=url) from None
                if attempt >= self.options.retries:
                    raise FetchError(f"network error after {attempt + 1} attempts: {_describe(exc)}",
                                     path=url) from None
                self.options.sleep(self._backoff(attempt))
                attempt += 1
                continue
            with self._guard:
                self._failures[host] = 0
            if response.status in _RETRY_STATUS and attempt < self.options.retries:
                self.options.sleep(self._retry_after(response) or self._backoff(attempt))
                attempt += 1
                continue
            if response.status == 429:
                raise FetchError("Dzen keeps answering 429 Too Many Requests: retry later with a larger --delay",
                                 path=url)
            return response

    def _send(self, url: str, kind: Kind, accept: str) -> Answer:
        host = httpx.URL(url).host
        with self._slots:
            self._wait_turn(host)
            self.requests += 1
            return self.net.fetch(url, kind, headers={"Accept": accept})

    def _unreachable(self, host: str, *, counts: bool) -> bool:
        """Count a failure to connect (refused, no DNS answer, no answer to the connection attempt) or to answer
        within the deadline — not a broken answer from a host that is there; True once the host is down."""
        if not counts:
            return False
        with self._guard:
            self._failures[host] = self._failures.get(host, 0) + 1
            if self._failures[host] >= self.options.down_after:
                self.down.add(host)
            return host in self.down

    def _wait_turn(self, host: str) -> None:
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:
            wait = self._last.get(host, 0.0) + self.options.delay - time.monotonic()
            if wait > 0:
                self.options.sleep(wait)
            self._last[host] = time.monotonic()

    def _backoff(self, attempt: int) -> float:
        base: float = self.options.backoff * (2**attempt)
        return float(min(self.options.max_wait, base * (0.5 + random.random())))

    def _retry_after(self, response: Answer) -> float | None:
        value = response.headers.get("retry-after")
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                return None
        return float(max(0.0, min(seconds, self.options.max_wait)))


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc)
    return f"{name}: {text}" if text else name


def load_cookies(jar: httpx.Cookies, path: Path) -> None:
    """Cookies from a Netscape cookies.txt or a browser extension's JSON export."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DzenpressError(f"cannot read cookies: {exc.strerror}", path=path) from None
    if text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DzenpressError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
        items = data.get("cookies", []) if isinstance(data, dict) else data
        for item in items:
            if isinstance(item, dict) and item.get("name") and "value" in item:
                jar.set(str(item["name"]), str(item["value"]), domain=str(item.get("domain") or "dzen.ru"),
                        path=str(item.get("path") or "/"))
        return
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.removeprefix("#HttpOnly_")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise DzenpressError("not a Netscape cookies.txt line (7 tab-separated fields) nor a JSON export",
                                 path=path, line=number)
        domain, _flag, cookie_path, _secure, _expires, name, value = fields
        jar.set(name, value, domain=domain.lstrip("."), path=cookie_path or "/")
