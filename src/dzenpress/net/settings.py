"""Every network limit dzenpress keeps, in one place: body sizes per kind of answer, deadlines per request
and per run, redirects, and which hosts each kind may come from.

Why these numbers: the largest real Dzen pages seen are 2.6 MB (an article) and 4.0 MB (a channel page), so a
page may be 16 MiB; feed API answers are a few hundred KB (8 MiB); an image at `orig` is rarely over 5 MB
(25 MiB). A ping answer and a link probe need only the status line, so their bodies are not read beyond a
little. Deadlines are for a whole request, redirects and body included, whatever the server's pace.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

KiB = 1024
MiB = 1024 * KiB

CONNECT_TIMEOUT = 10.0  # seconds to open a connection (TCP and TLS)
READ_TIMEOUT = 30.0  # seconds one read may wait for a byte (a stall); the deadline bounds the whole request
MAX_REDIRECTS = 10
CHUNK = 64 * KiB  # bytes read from the socket at a time; decompression yields at most the cap beyond that
ACCEPT_ENCODING = "gzip, deflate"  # the encodings we decode ourselves, with a cap on the decoded size

HOST_MAP_ENV = "DZENPRESS_HOST_MAP"  # tests and mirrors: host=base URL pairs; a mapped host may be a local one

DZEN_PAGE_HOSTS = ("dzen.ru", "zen.yandex.ru", "zen.yandex.com",
                   # where Dzen's sign-on bounce and login walls send a page (recognised, then explained)
                   "passport.yandex.ru", "passport.yandex.com", "oauth.yandex.ru", "login.vk.com", "id.vk.com")
DZEN_IMAGE_HOSTS = ("dzeninfra.ru", "avatars.mds.yandex.net")


class Kind(StrEnum):
    PAGE = "page"
    FEED = "feed"
    IMAGE = "image"
    PING = "ping"
    LINK = "link"


@dataclass(frozen=True)
class Limit:
    what: str  # how an error names the answer
    max_bytes: int  # the body, decoded and as sent (a compressed body is capped on both sides)
    deadline: float  # seconds for one request from the first byte sent to the last byte read, redirects included
    hosts: tuple[str, ...] | None  # hosts (and their subdomains) it may come from; None: any public host


LIMITS: dict[Kind, Limit] = {
    Kind.PAGE: Limit("page", 16 * MiB, 60.0, DZEN_PAGE_HOSTS),
    Kind.FEED: Limit("feed answer", 8 * MiB, 60.0, DZEN_PAGE_HOSTS),
    Kind.IMAGE: Limit("image", 25 * MiB, 120.0, DZEN_IMAGE_HOSTS),
    Kind.PING: Limit("IndexNow answer", 64 * KiB, 30.0, None),
    Kind.LINK: Limit("link", 64 * KiB, 10.0, None),
}

# Whole runs. Import has none: a channel legitimately takes (articles × --delay); it is bounded instead by the
# per-request deadline, the retries, and a host failing DOWN_AFTER times in a row not being asked again.
CHECK_EXTERNAL_RUN = 60.0
PING_RUN = 120.0
DOWN_AFTER = 3
