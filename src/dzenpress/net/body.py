"""Reading a body within a cap: the bytes as sent (iter_raw) and the bytes once decompressed, with the
decompressor never asked for more than the cap allows (a gzip bomb stops at the cap, not in RAM)."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable

from dzenpress.net.errors import BadBody, DeadlineExceeded, TooLarge
from dzenpress.net.settings import KiB, Limit, MiB


def size(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MiB".replace(".0 ", " ")
    return f"{n / KiB:.0f} KiB" if n >= KiB else f"{n} bytes"


class _Inflate:
    """One gzip or deflate layer. Deflate is zlib-wrapped or raw, whichever the first bytes are (as httpx)."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.wbits = zlib.MAX_WBITS | 16 if coding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self.inflater = zlib.decompressobj(self.wbits)
        self.started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """At most room + 1 decoded bytes (one more than allowed tells the caller the cap was passed)."""
        out = b""
        while data and len(out) <= room:
            try:
                out += self.inflater.decompress(data, room + 1 - len(out))
            except zlib.error:
                if self.started or self.wbits != zlib.MAX_WBITS:
                    raise
                self.wbits = -zlib.MAX_WBITS
                self.inflater = zlib.decompressobj(self.wbits)
                continue
            self.started = True
            data = self.inflater.unconsumed_tail
            if self.inflater.eof:  # another gzip member may follow
                data = self.inflater.unused_data
                if data:
                    self.inflater = zlib.decompressobj(self.wbits)
        return out

    def flush(self, room: int) -> bytes:
        return self.inflater.flush(max(1, room))


def read_body(chunks: Iterable[bytes], encodings: str, limit: Limit, url: str, until: float) -> bytes:
    """The whole body of an answer, decoded, or TooLarge / BadBody / DeadlineExceeded naming `url`."""
    codings = [c.strip().lower() for c in encodings.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise BadBody(f"the answer is encoded as {', '.join(unknown)}, which was not asked for", path=url)
    layers = [_Inflate(c) for c in reversed(codings)]
    body, sent = bytearray(), 0
    try:
        for chunk in chunks:
            sent += len(chunk)
            if sent > limit.max_bytes:
                raise TooLarge(f"{limit.what} larger than the {size(limit.max_bytes)} limit", path=url)
            data = chunk
            for layer in layers:
                data = layer.feed(data, limit.max_bytes - len(body))
            body += data
            if len(body) > limit.max_bytes:
                raise TooLarge(f"{limit.what} larger than the {size(limit.max_bytes)} limit once decompressed "
                               f"(from {size(sent)} as sent)", path=url)
            if time.monotonic() > until:
                raise DeadlineExceeded(f"{limit.what} not complete within the {limit.deadline:g} s deadline",
                                       path=url)
        tail = b""
        for layer in layers:
            tail = layer.feed(tail, limit.max_bytes - len(body)) + layer.flush(limit.max_bytes + 1 - len(body))
        body += tail
    except zlib.error as exc:
        raise BadBody(f"the answer's {'/'.join(codings)} body is corrupt ({exc})", path=url) from None
    if len(body) > limit.max_bytes:
        raise TooLarge(f"{limit.what} larger than the {size(limit.max_bytes)} limit once decompressed", path=url)
    return bytes(body)
