"""Reading a body within a cap: the bytes as sent (iter_raw) and the bytes once decompressed, with the
decompressor never asked for more than the cap allows (a gzip bomb stops at the cap, not in RAM)."""

from __future__ import annotations

import io
import time
import zlib
from collections.abc import Iterable, Iterator

from dzenpress.net.errors import BadBody, DeadlineExceeded, TooLarge
from dzenpress.net.settings import KiB, Limit, MiB


def size(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MiB".replace(".0 ", " ")
    return f"{n / KiB:.0f} KiB" if n >= KiB else f"{n} bytes"


_PIECE = 256 * KiB  # decoded bytes asked of the decompressor at a time: memory stays at the cap, not twice it


class _Inflate:
    """One gzip or deflate layer. Deflate is zlib-wrapped or raw, told apart by the zlib header's check bits
    (RFC 1950) once two bytes are in."""

    def __init__(self, coding: str) -> None:
        self.gzip = coding in ("gzip", "x-gzip")
        self.wbits: int | None = zlib.MAX_WBITS | 16 if self.gzip else None
        self.inflater = zlib.decompressobj(self.wbits) if self.wbits is not None else None
        self.head = b""  # deflate bytes held until the form is known

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The decoded bytes of `data`, in pieces of at most _PIECE: the caller stops asking at its cap."""
        if self.inflater is None:
            self.head += data
            if len(self.head) < 2:
                return
            data, self.head = self.head, b""
            self._start(zlib_wrapped=data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0)
        assert self.inflater is not None and self.wbits is not None
        while data:
            piece = self.inflater.decompress(data, _PIECE)
            data = self.inflater.unconsumed_tail
            if self.inflater.eof:  # another gzip member may follow
                data = self.inflater.unused_data
                if data:
                    self.inflater = zlib.decompressobj(self.wbits)
            if piece:
                yield piece

    def _start(self, *, zlib_wrapped: bool) -> None:
        self.wbits = zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS
        self.inflater = zlib.decompressobj(self.wbits)

    def flush(self) -> Iterator[bytes]:
        if self.inflater is None:  # under two bytes of deflate: raw
            self._start(zlib_wrapped=False)
            yield from self.feed(self.head)
        assert self.inflater is not None
        piece = self.inflater.flush(_PIECE)
        if piece:
            yield piece


def _decoded(chunks: Iterable[bytes], layers: list[_Inflate]) -> Iterator[bytes]:
    """The chunks as sent, through each content coding in turn (the last one applied first)."""
    stream: Iterable[bytes] = chunks
    for layer in layers:
        stream = _through(stream, layer)
    return iter(stream)


def _through(stream: Iterable[bytes], layer: _Inflate) -> Iterator[bytes]:
    for data in stream:
        yield from layer.feed(data)
    yield from layer.flush()


def _counted(chunks: Iterable[bytes], limit: Limit, url: str, until: float) -> Iterator[bytes]:
    """The chunks as sent, within the cap and the deadline."""
    sent = 0
    for chunk in chunks:
        sent += len(chunk)
        if sent > limit.max_bytes:
            raise TooLarge(f"{limit.what} larger than the {size(limit.max_bytes)} limit", path=url)
        if time.monotonic() > until:
            raise DeadlineExceeded(f"{limit.what} not complete within the {limit.deadline:g} s deadline", path=url)
        yield chunk


def read_body(chunks: Iterable[bytes], encodings: str, limit: Limit, url: str, until: float) -> bytes:
    """The whole body of an answer, decoded, or TooLarge / BadBody / DeadlineExceeded naming `url`."""
    codings = [c.strip().lower() for c in encodings.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    unknown = [c for c in codings if c not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise BadBody(f"the answer is encoded as {', '.join(unknown)}, which was not asked for", path=url)
    raw = _Meter(_counted(chunks, limit, url, until))
    body = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the body at the end
    try:
        for piece in _decoded(raw, [_Inflate(c) for c in reversed(codings)]):
            body.write(piece)
            if body.tell() > limit.max_bytes:
                raise TooLarge(f"{limit.what} larger than the {size(limit.max_bytes)} limit once decompressed "
                               f"(from {size(raw.sent)} as sent)", path=url)
    except zlib.error as exc:
        raise BadBody(f"the answer's {'/'.join(codings)} body is corrupt ({exc})", path=url) from None
    return body.getvalue()


class _Meter:
    """Counts what passes through (for the message about a bomb: how small it was as sent)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.sent += len(chunk)
            yield chunk
