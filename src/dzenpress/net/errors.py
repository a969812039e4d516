"""The network errors: each names the URL it is about and, for a limit, which limit and its value."""

from __future__ import annotations

from dzenpress.errors import DzenpressError


class FetchError(DzenpressError):
    """A request failed for good (after retries), or was refused before it was sent."""


class Refused(FetchError):
    """The policy refused a URL or a redirect before connecting (host not allowed, non-public address)."""


class TooLarge(FetchError):
    """An answer's body went past the size limit of its kind (as sent, or once decompressed)."""


class DeadlineExceeded(FetchError):
    """A request (or the whole run) went past its overall deadline, however slowly bytes kept coming."""


class BadBody(FetchError):
    """A body that cannot be decoded: a corrupt gzip or deflate stream, or an encoding we did not ask for."""
