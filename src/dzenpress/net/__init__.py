"""The one HTTP policy of dzenpress (import, `check --external`, `ping`): body caps per kind of answer,
deadlines per request and per run, decompressed-size caps, redirects checked hop by hop, public addresses
only. The numbers are in settings.py."""

from dzenpress.net.errors import BadBody, DeadlineExceeded, FetchError, Refused, TooLarge
from dzenpress.net.fetch import Answer, NetClient, RunClock
from dzenpress.net.settings import LIMITS, Kind, Limit

__all__ = ["LIMITS", "Answer", "BadBody", "DeadlineExceeded", "FetchError", "Kind", "Limit", "NetClient", "Refused",
           "RunClock", "TooLarge"]
