"""Where connections are made: httpcore's network backend with two duties.

- Addresses: a name is resolved once, *every* address it resolves to must be public, and the connection goes
  to one of those checked addresses (so a name that answers a public address to a check and a private one to
  the connection, DNS rebinding, cannot happen). Trusted targets (the test host map's servers, a configured
  proxy) are exempt.
- Deadlines: every read, write, connect and TLS handshake waits at most until the current request's deadline
  (a context variable), so a server trickling a byte at a time, in its headers or its body, is cut off at the
  deadline instead of resetting a per-read timeout forever. Name resolution too is given only what is left.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

import httpcore

from dzenpress.net.addresses import Address, resolve, why_not_public

_deadline: ContextVar[float | None] = ContextVar("dzenpress_deadline", default=None)
SocketOptions = Iterable[Any] | None


class DeadlinePassed(Exception):
    """The current request's deadline passed while waiting on the network."""


class AddressRefused(Exception):
    """A connection was about to go to a non-public address."""


@contextlib.contextmanager
def deadline(at: float) -> Iterator[None]:
    """Every socket operation in this block ends by `at` (time.monotonic())."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def _clamp(timeout: float | None) -> float | None:
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise DeadlinePassed
    return left if timeout is None else min(timeout, left)


def _resolve_by_deadline(host: str, port: int, timeout: float | None) -> list[Address]:
    """The system resolver, given at most `timeout` seconds: it runs in a daemon thread that is left to its
    own timeouts if it is slower (a name whose servers never answer cannot hold a request past its deadline)."""
    found: list[list[Address] | BaseException] = []

    def lookup() -> None:
        try:
            found.append(resolve(host, port))
        except (OSError, UnicodeError) as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not found:
        at = _deadline.get()
        if at is not None and time.monotonic() >= at:
            raise DeadlinePassed
        raise httpcore.ConnectTimeout(f"no address for {host} within {timeout:g} s")
    result = found[0]
    if isinstance(result, BaseException):
        raise httpcore.ConnectError(f"no address for {host}: {result}")
    return result


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _clamp(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _clamp(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self.inner.start_tls(ssl_context, server_hostname, _clamp(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """`check_addresses=False` for a proxy's pool: the proxy is the user's own configuration, and it is the
    proxy that resolves the names (literal addresses are still refused by the policy before sending)."""

    def __init__(self, trusted: Iterable[tuple[str, int]] = (), *, check_addresses: bool = True) -> None:
        self.inner = httpcore.SyncBackend()
        self.trusted = set(trusted)
        self.check_addresses = check_addresses

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: SocketOptions = None) -> httpcore.NetworkStream:
        if not self.check_addresses or (host, port) in self.trusted:
            return _Stream(self.inner.connect_tcp(host, port, _clamp(timeout), local_address, socket_options))
        addresses = _resolve_by_deadline(host, port, _clamp(timeout))
        for ip in addresses:
            reason = why_not_public(ip)
            if reason:
                shown = host if str(ip) == host.strip("[]") else f"{host} resolves to {ip},"
                raise AddressRefused(f"{shown} {reason}")
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for ip in addresses:  # connect to the very addresses just checked, never to a fresh lookup
            try:
                return _Stream(self.inner.connect_tcp(str(ip), port, _clamp(timeout), local_address, socket_options))
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: SocketOptions = None) -> httpcore.NetworkStream:
        raise AddressRefused("a Unix socket")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, _clamp(seconds) or 0.0))
