"""Capped reading and decompression (net/body.py) against the standard library's own encoders: any data, any
chunking, every encoding we ask for (stacked too), any cap: the body back exactly, or TooLarge, never more
than the cap in memory."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dzenpress.net import TooLarge
from dzenpress.net.body import read_body
from dzenpress.net.errors import BadBody
from dzenpress.net.settings import Limit


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "": lambda d: d,
    "identity": lambda d: d,
    "gzip": gzip.compress,
    "x-gzip": gzip.compress,
    "deflate": zlib.compress,
    "Deflate ": _raw_deflate,  # the raw form some servers send, and a spelling with odd case and space
    "gzip, deflate": lambda d: zlib.compress(gzip.compress(d)),
    "GZIP": lambda d: gzip.compress(d[: len(d) // 2]) + gzip.compress(d[len(d) // 2 :]),  # two members
}
ENCODINGS = sorted(set(ENCODERS))

data_shapes = st.one_of(st.binary(max_size=4096),
                        st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=8), st.integers(0, 300_000)))


@settings(max_examples=150, deadline=None)
@given(data=data_shapes, encoding=st.sampled_from(ENCODINGS), chunk=st.integers(1, 70_000),
       cap=st.integers(0, 400_000))
def test_any_body_comes_back_whole_or_is_refused_at_the_cap(data: bytes, encoding: str, chunk: int, cap: int) -> None:
    sent = ENCODERS[encoding](data)
    chunks = [sent[i : i + chunk] for i in range(0, len(sent), chunk)]
    limit = Limit("page", cap, 60.0, None)
    if len(data) <= cap and len(sent) <= cap:
        assert read_body(chunks, encoding, limit, "https://x.example/", float("inf")) == data
    else:
        with pytest.raises(TooLarge, match="page larger than the .* limit"):
            read_body(chunks, encoding, limit, "https://x.example/", float("inf"))


def test_corrupt_and_unasked_encodings_are_named() -> None:
    limit = Limit("page", 1000, 60.0, None)
    with pytest.raises(BadBody, match="gzip body is corrupt"):
        read_body([b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff"], "gzip", limit, "https://x.example/", float("inf"))
    with pytest.raises(BadBody, match="encoded as br, which was not asked for"):
        read_body([b"x"], "br", limit, "https://x.example/", float("inf"))
