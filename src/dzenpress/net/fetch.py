"""NetClient: one request under the policy. Redirects are followed here, hop by hop, each hop checked
against the hosts its kind may come from and against non-public addresses; the body is read within its
kind's cap and the whole request within its deadline (and within the run's, when there is one)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any

import httpx

from dzenpress.net.addresses import parse_ip, why_not_public
from dzenpress.net.backend import AddressRefused, DeadlinePassed, deadline
from dzenpress.net.body import read_body, size
from dzenpress.net.errors import DeadlineExceeded, FetchError, Refused, TooLarge
from dzenpress.net.settings import (
    ACCEPT_ENCODING,
    CHUNK,
    CONNECT_TIMEOUT,
    HOST_MAP_ENV,
    LIMITS,
    MAX_REDIRECTS,
    READ_TIMEOUT,
    Kind,
    Limit,
)
from dzenpress.net.transport import make_client


@dataclass(frozen=True)
class Answer:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def text(self) -> str:
        message = Message()
        message["content-type"] = self.headers.get("content-type", "")
        charset = message.get_param("charset")
        try:
            return self.content.decode(str(charset) if isinstance(charset, str) else "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class RunClock:
    """A whole run's deadline (check --external, ping): requests end by it, and none starts after it."""

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.until = time.monotonic() + seconds

    def left(self) -> float:
        return self.until - time.monotonic()

    def over(self) -> bool:
        return self.left() <= 0


def env_host_map() -> dict[str, str]:
    text = os.environ.get(HOST_MAP_ENV, "")
    return dict(pair.strip().split("=", 1) for pair in text.split(",") if "=" in pair)


def host_matches(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in allowed)


class NetClient:
    def __init__(self, *, headers: dict[str, str] | None = None, timeout: float = READ_TIMEOUT,
                 host_map: dict[str, str] | None = None, trust_env: bool = True,
                 limits: dict[Kind, Limit] | None = None, run: RunClock | None = None) -> None:
        """`host_map` (tests, mirrors): host → base URL; those hosts go there, whatever its address. None: the
        map in $DZENPRESS_HOST_MAP (`host=http://127.0.0.1:8001,host2=…`), for `check --external` and `ping`."""
        self.limits = limits or LIMITS
        self.run = run
        host_map = env_host_map() if host_map is None else host_map
        self.host_map = {h.lower(): httpx.URL(base) for h, base in host_map.items()}
        self.http = make_client(self.host_map, headers={"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})},
                                timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
                                trust_env=trust_env)

    @property
    def cookies(self) -> httpx.Cookies:
        return self.http.cookies

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> NetClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, kind: Kind, *, method: str = "GET", headers: dict[str, str] | None = None,
              json_body: Any = None, read: bool | Callable[[int], bool] = True) -> Answer:
        """The answer to one request (redirects followed); `read=False` reads the status and headers only
        (a function of the status: the body of some answers only).
        Raises FetchError (Refused, TooLarge, DeadlineExceeded, BadBody) naming `url`, or httpx.TransportError
        for the network's own failures (the caller decides about retries)."""
        limit = self.limits[kind]
        until, why = time.monotonic() + limit.deadline, f"the {limit.deadline:g} s deadline of one {limit.what}"
        if self.run is not None:
            if self.run.over():
                raise DeadlineExceeded(f"not asked: {self.run.what}'s {self.run.seconds:g} s deadline passed",
                                       path=url)
            if self.run.until < until:
                until, why = self.run.until, f"{self.run.what}'s {self.run.seconds:g} s deadline"
        try:
            request = self.http.build_request(method, url, headers=headers, json=json_body)
            with deadline(until):
                return self._follow(request, url, kind, limit, until, read)
        except DeadlinePassed:
            raise DeadlineExceeded(f"no complete answer within {why}", path=url) from None
        except httpx.TimeoutException:
            if time.monotonic() >= until - 0.05:
                raise DeadlineExceeded(f"no complete answer within {why}", path=url) from None
            raise
        except AddressRefused as exc:
            raise Refused(f"{exc}: not connected", path=url) from None
        except httpx.InvalidURL as exc:
            raise Refused(f"not a URL that can be fetched ({exc})", path=url) from None

    def _follow(self, request: httpx.Request, url: str, kind: Kind, limit: Limit, until: float,
                read: bool | Callable[[int], bool]) -> Answer:
        for _hop in range(MAX_REDIRECTS + 1):
            self.allow(request.url, kind, url)
            response = self.http.send(request, stream=True)
            try:
                following = response.next_request if response.is_redirect else None
                if following is None:
                    wanted = read(response.status_code) if callable(read) else read
                    return Answer(str(response.url), response.status_code, response.headers,
                                  self._body(response, limit, url, until) if wanted else b"")
            finally:
                response.close()
            request = following
        raise FetchError(f"more than {MAX_REDIRECTS} redirects: not followed further", path=url)

    def _body(self, response: httpx.Response, limit: Limit, url: str, until: float) -> bytes:
        encoding = response.headers.get("content-encoding", "")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            raise TooLarge(f"{limit.what} of {size(int(declared))} is larger than the {size(limit.max_bytes)} "
                           "limit: not read", path=url)
        return read_body(response.iter_raw(CHUNK), encoding, limit, url, until)

    def allow(self, target: httpx.URL, kind: Kind, original: str) -> None:
        """Refused unless `target` may be asked for this kind of answer (checked for every hop)."""
        limit = self.limits[kind]
        hop = "" if str(target) == original else f"redirected to {target}: "
        host = target.host.lower().rstrip(".")
        if target.scheme not in ("http", "https"):
            raise Refused(f"{hop}only http and https URLs are fetched", path=original)
        if limit.hosts is not None and not host_matches(host, limit.hosts):
            raise Refused(f"{hop}{host} is not a host a Dzen {limit.what} comes from ({', '.join(limit.hosts[:3])}"
                          "…): not fetched", path=original)
        if host in self.host_map:
            return
        ip = parse_ip(host)
        reason = why_not_public(ip) if ip is not None else (
            "a loopback name" if host == "localhost" or host.endswith(".localhost") else None)
        if reason:
            raise Refused(f"{hop}{host} is {reason}: not fetched", path=original)
