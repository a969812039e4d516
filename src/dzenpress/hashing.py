"""One content digest for the whole tool: build fingerprints, import state and post identity."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
