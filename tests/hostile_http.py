"""A hostile HTTP server on 127.0.0.1 for the network-policy tests: gzip bombs, trickles (in the body or in
the headers), endless chunked bodies, silence, redirects anywhere, redirect loops.

Every loop is bounded (bytes and seconds) and the server stops itself after `lifetime` seconds, so a client
that does not give up cannot keep a test running for ever. What each request got is recorded: the bytes the
server managed to send and whether the client hung up first (`Served.closed_by_client`).
"""

from __future__ import annotations

import select
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MiB = 1024 * 1024
_BOMBS: dict[int, bytes] = {}


def gzip_bomb(decoded_mib: int) -> bytes:
    """One gzip member holding `decoded_mib` MiB of zeros (about 1/1000 of that as sent)."""
    if decoded_mib not in _BOMBS:
        packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        block = bytes(MiB)
        _BOMBS[decoded_mib] = b"".join(packer.compress(block) for _ in range(decoded_mib)) + packer.flush()
    return _BOMBS[decoded_mib]


@dataclass
class Served:
    path: str
    host: str
    sent: int = 0  # body (or header) bytes written
    closed_by_client: bool = False
    done: threading.Event = field(default_factory=threading.Event)  # the handler has finished with it


@dataclass
class HostileServer:
    """Behaviour by path: /bomb, /bomb-image, /endless, /trickle, /trickle-head, /silent, /redirect?to=URL,
    /loop, /status/NNN-endless (that status with an endless body), /ok. Anything else: 200 "ok"."""

    bomb_mib: int = 100
    endless_max: int = 256 * MiB  # an "endless" body stops here (so the old code's failure stays survivable)
    interval: float = 0.25  # seconds between two trickled bytes
    trickle_max: float = 12.0  # seconds a trickle or a silence lasts at most
    lifetime: float = 90.0
    alias: dict[str, str] = field(default_factory=dict)  # a path (an article's, an image's) → a behaviour above
    redirect_to: str = "/"  # where /redirect without ?to= sends
    fallback: str | None = None  # the behaviour of every path with no alias (None: the path's own)
    served: list[Served] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def serve(self) -> Iterator[HostileServer]:
        handler = type("Handler", (_Handler,), {"hostile": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        watchdog = threading.Timer(self.lifetime, self.stopping.set)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield self
        finally:
            self.stopping.set()
            watchdog.cancel()
            server.shutdown()
            server.server_close()

    def record(self, path: str, host: str) -> Served:
        entry = Served(path, host)
        with self.lock:
            self.served.append(entry)
        return entry

    def of(self, prefix: str) -> list[Served]:
        with self.lock:
            return [s for s in self.served if s.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    hostile: HostileServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(min(length, 64 * MiB))
        self.do_GET()

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        entry = self.hostile.record(self.path, self.headers.get("x-original-host", ""))
        route = self.hostile.alias.get(parts.path, self.hostile.fallback or parts.path)
        try:
            self._route(route, parse_qs(parts.query), entry)
        except (BrokenPipeError, ConnectionResetError):
            entry.closed_by_client = True
        finally:
            entry.done.set()
        self.close_connection = True

    def _route(self, route: str, query: dict[str, list[str]], entry: Served) -> None:
        if route.startswith("/bomb"):
            body = gzip_bomb(self.hostile.bomb_mib)
            ctype = "image/png" if "image" in route else "text/html; charset=utf-8"
            self._head(200, {"Content-Type": ctype, "Content-Encoding": "gzip", "Content-Length": str(len(body))})
            for start in range(0, len(body), 64 * 1024):
                self.wfile.write(body[start : start + 64 * 1024])
                entry.sent += min(64 * 1024, len(body) - start)
        elif route.startswith(("/endless", "/status/")):
            status = int(route.split("/")[2].split("-", maxsplit=1)[0]) if route.startswith("/status/") else 200
            self._head(status, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"})
            chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"a" * 64 * 1024)
            while entry.sent < self.hostile.endless_max and not self.hostile.stopping.is_set():
                self.wfile.write(chunk)
                entry.sent += 64 * 1024
            self.wfile.write(b"0\r\n\r\n")
        elif route.startswith("/trickle-head"):
            self._trickle(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Slow-%d: %s\r\n" % (n, b"y" * 20) for n in range(999)),
                          entry)
        elif route.startswith("/trickle"):
            self._head(200, {"Content-Type": "text/html", "Content-Length": "100000"})
            self._trickle(b"<p>" + b"x" * 99_997, entry)
        elif route.startswith("/silent"):
            self._silence(entry)
        elif route.startswith("/redirect"):
            self._head(302, {"Location": query.get("to", [self.hostile.redirect_to])[0], "Content-Length": "0"})
        elif route.startswith("/loop"):
            self._head(302, {"Location": f"/loop{len(route)}x", "Content-Length": "0"})
        else:
            self._head(200, {"Content-Type": "text/plain", "Content-Length": "2"})
            self.wfile.write(b"ok")

    def _head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.flush()

    def _trickle(self, data: bytes, entry: Served) -> None:
        """A byte at a time until the client hangs up, the bytes run out or trickle_max passes."""
        ends = time.monotonic() + self.hostile.trickle_max
        for byte in data:
            if time.monotonic() > ends or self.hostile.stopping.is_set():
                return
            if self._client_gone(self.hostile.interval):
                entry.closed_by_client = True
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            entry.sent += 1

    def _silence(self, entry: Served) -> None:
        ends = time.monotonic() + self.hostile.trickle_max
        while time.monotonic() < ends and not self.hostile.stopping.is_set():
            if self._client_gone(0.2):
                entry.closed_by_client = True
                return

    def _client_gone(self, wait: float) -> bool:
        """Waits up to `wait` s; True if the client closed its side (EOF or reset) meanwhile."""
        sock: socket.socket = self.connection
        ready, _, _ = select.select([sock], [], [], wait)
        if not ready:
            return False
        try:
            return sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True
