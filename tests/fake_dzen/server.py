"""The loopback Dzen: article pages, the feed API with paging, the image CDN, walls and faults."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from dzenpress.dzen.urls import article_id_to_hex

from fake_dzen.channel import channel_more_link, channel_page, legacy_item, real_feed
from fake_dzen.pages import BLOCKED_PAGE, CAPTCHA_PAGE, NOT_FOUND_PAGE, FakeArticle, article_page, sso_page
from placeholders import image_bytes

_IMAGES: dict[tuple[str, int], bytes] = {}
HOSTS = ("dzen.ru", "zen.yandex.ru", "avatars.dzeninfra.ru", "avatars.mds.yandex.net", "sso.dzen.ru",
         "sso.passport.yandex.ru", "static.dzeninfra.ru")


@dataclass
class Hit:
    host: str
    path: str
    query: str
    at: float
    cookie: str


@dataclass
class FakeDzen:
    articles: dict[str, FakeArticle] = field(default_factory=dict)  # by hex id
    channels: dict[str, list[str]] = field(default_factory=dict)  # channel name → hex ids, newest first
    briefs: set[str] = field(default_factory=set)  # hex ids listed as type "brief"
    page_size: int = 2
    export_enabled: bool = True
    sso: bool = False  # a cookie-less request is bounced through SSO once
    sso_always: bool = False  # ... and the bounce never lets it through (cookies needed)
    captcha: set[str] = field(default_factory=set)  # paths answered with a captcha redirect
    blocked: set[str] = field(default_factory=set)  # paths answered with «Доступ ограничен»
    faults: dict[str, list[int]] = field(default_factory=dict)  # path → statuses to answer first, in turn
    retry_after: str = "0"
    slow: dict[str, float] = field(default_factory=dict)  # path → seconds to wait before answering
    truncate: set[str] = field(default_factory=set)  # paths whose first answer is cut short
    no_orig: set[str] = field(default_factory=set)  # image names the CDN has no /orig for
    missing_images: set[str] = field(default_factory=set)  # image names the CDN has at no size (404)
    cut_images: set[str] = field(default_factory=set)  # image names served cut short, Content-Length matching
    channel_page: bool = True  # serve channel pages with their embedded feed (dzen.ru today)
    pages: dict[str, str] = field(default_factory=dict)  # path → a page served as is (a real saved page)
    any_image: bool = False  # the CDN serves a placeholder for image names no fake article has
    article_floors: bool = False  # group a channel page's articles in `channel_article_floor` items
    hits: list[Hit] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, article: FakeArticle, channel: str | None = None) -> FakeArticle:
        self.articles[article.hex_id] = article
        if channel:
            self.channels.setdefault(channel, []).append(article.hex_id)
        return article

    @property
    def host_map(self) -> dict[str, str]:
        return dict.fromkeys(HOSTS, self.base)

    def serve(self) -> Iterator[FakeDzen]:
        handler = type("Handler", (_Handler,), {"fake": self})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        self.base = f"http://127.0.0.1:{server.server_address[1]}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()

    def paths(self, prefix: str = "") -> list[str]:
        return [h.path for h in self.hits if h.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDzen
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        host = self.headers.get("x-original-host", "dzen.ru")
        fake = self.fake
        with fake.lock:
            fake.hits.append(Hit(host, parts.path, parts.query, time.monotonic(), self.headers.get("cookie", "")))
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
        try:
            self._route(host, parts.path, parse_qs(parts.query), parts.query)
        finally:
            with fake.lock:
                fake.in_flight -= 1

    # ---- helpers ----

    def _send(self, status: int, body: bytes | str, ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, cut: bool = False) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data) + (100 if cut else 0)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data[: len(data) // 2] if cut else data)
        if cut:
            self.close_connection = True

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _fault(self, path: str) -> bool:
        fake = self.fake
        if path in fake.slow:
            time.sleep(fake.slow[path])
        with fake.lock:
            queue = fake.faults.get(path)
            status = queue.pop(0) if queue else None
            cut = path in fake.truncate
            fake.truncate.discard(path)
        if status is not None:
            self._send(status, f"error {status}", headers={"Retry-After": fake.retry_after} if status in (429, 503)
                       else None)
            return True
        if cut:
            self._send(200, "<html>" + "x" * 5000, cut=True)
            return True
        return False

    # ---- routes ----

    def _route(self, host: str, path: str, query: dict[str, list[str]], raw_query: str) -> None:
        fake = self.fake
        if host.startswith("sso."):
            self._send(200, sso_page(query.get("retpath", ["https://dzen.ru/"])[0]))
            return
        if self._fault(path):
            return
        if host.endswith(("dzeninfra.ru", "mds.yandex.net")):
            self._image(path)
            return
        if path.startswith("/showcaptcha"):
            self._send(200, CAPTCHA_PAGE)
            return
        if path in fake.captcha:
            self._redirect(f"https://dzen.ru/showcaptcha?retpath={quote('https://dzen.ru' + path)}")
            return
        if path in fake.blocked:
            self._send(200, BLOCKED_PAGE)
            return
        if fake.sso and "zen_sso_checked" not in self.headers.get("cookie", ""):
            if "is_autologin_ya=true" in raw_query and not fake.sso_always:
                self._finish_page(path, {"Set-Cookie": "zen_sso_checked=1; Path=/; Domain=dzen.ru"})
                return
            retpath = f"https://{host}{path}?{raw_query + '&' if raw_query else ''}is_autologin_ya=true"
            self._redirect(f"https://sso.dzen.ru/install?uuid=4f2c&retpath={quote(retpath, safe='')}")
            return
        if path.startswith("/api/v3/launcher/"):
            self._feed(path.rsplit("/", 1)[-1], query)
            return
        if path == "/api/web/v1/channel-more":
            self._channel_more(query)
            return
        self._finish_page(path, {})

    def _finish_page(self, path: str, headers: dict[str, str]) -> None:
        name = path.strip("/").removeprefix("id/")
        if self.fake.channel_page and name in self.fake.channels:
            feed = real_feed(self._chunk(name, 0), 0, self._more(name, 0), self.fake.article_floors)
            self._send(200, channel_page(name, "Арти Клиник", feed), headers=headers)
            return
        if path in self.fake.pages:
            self._send(200, self.fake.pages[path], headers=headers)
            return
        article = self._article(path)
        if article is None:
            self._send(404, NOT_FOUND_PAGE, headers=headers)
        else:
            self._send(200, article_page(article), headers=headers)

    def _article(self, path: str) -> FakeArticle | None:
        segments = path.strip("/").split("/")
        hex_id = None
        if len(segments) == 2 and segments[0] in ("a", "b"):
            try:
                hex_id = article_id_to_hex(segments[1])
            except ValueError:
                return None
        elif segments and segments[0] == "media":
            hex_id = segments[-1].rsplit("-", 1)[-1]
        return self.fake.articles.get(hex_id or "")

    def _feed(self, endpoint: str, query: dict[str, list[str]]) -> None:
        fake = self.fake
        name = query.get("channel_name", [""])[0] or query.get("channel_id", [""])[0]
        if endpoint == "export" and not fake.export_enabled:
            self._send(404, json.dumps({"error": "not found"}), "application/json")
            return
        ids = fake.channels.get(name)
        if ids is None:
            self._send(404, json.dumps({"error": "channel not found"}), "application/json")
            return
        page = int(query.get("next_page_id", ["0"])[0])
        chunk = ids[page * fake.page_size : (page + 1) * fake.page_size]
        if not chunk:
            body: dict[str, Any] = {"message": "no docs"} if endpoint == "more" else {"items": []}
            self._send(200, json.dumps(body), "application/json")
            return
        items = [legacy_item(fake.articles[h], self._kind(h)) for h in chunk]
        items.append({"type": "gif", "title": "Видео", "link": "https://dzen.ru/video/watch/6543210fedcba98765432100"})
        more_endpoint = "channel-more" if endpoint in ("export", "channel-more") else "more"
        more = {"link": f"https://dzen.ru/api/v3/launcher/{more_endpoint}?channel_name={name}&next_page_id={page + 1}"}
        self._send(200, json.dumps({"header": {"title": "Арти Клиник"}, "items": items, "more": more},
                                   ensure_ascii=False), "application/json")

    def _kind(self, hex_id: str) -> str:
        return "brief" if hex_id in self.fake.briefs else "article"

    def _chunk(self, name: str, page: int) -> list[tuple[FakeArticle, str]]:
        fake = self.fake
        ids = fake.channels.get(name, [])[page * fake.page_size : (page + 1) * fake.page_size]
        return [(fake.articles[h], self._kind(h)) for h in ids]

    def _more(self, name: str, page: int) -> str | None:
        has_next = len(self.fake.channels.get(name, [])) > (page + 1) * self.fake.page_size
        return channel_more_link(name, page + 1) if has_next else None

    def _channel_more(self, query: dict[str, list[str]]) -> None:
        name = query.get("channel_name", [""])[0]
        page = int(query.get("next_page_id", ["articles/0/"])[0].split("/")[1])
        feed = real_feed(self._chunk(name, page), page, self._more(name, page), self.fake.article_floors)
        self._send(200, json.dumps(feed, ensure_ascii=False), "application/json")

    def _image(self, path: str) -> None:
        parts = path.strip("/").split("/")
        if parts[0] == "s3" or len(parts) != 4 or not parts[0].startswith("get-"):
            self._send(404, "no")
            return
        _, _group, name, size = parts
        if parts[0] == "get-zen-pub-og" and size in ("optimize", "orig"):
            self._send(200, _image(("jpeg", 99)), "image/jpeg")
            return
        if size not in ("orig", "scale_2400") or (size == "orig" and name in self.fake.no_orig) \
                or name in self.fake.missing_images:
            self._send(404, "no such size")
            return
        for article in self.fake.articles.values():
            for n, img in enumerate(article.images.values()):
                if img.name == name:
                    data = _image((img.fmt, n))
                    if name in self.fake.cut_images:  # cut short, but the length header says it is whole
                        data = data[: len(data) // 2]
                    self._send(200, data, "application/octet-stream")  # the CDN's type is not trusted
                    return
        if self.fake.any_image and name.startswith("pub_"):
            self._send(200, _image(("png", sum(name.encode()) % 50)), "application/octet-stream")
            return
        self._send(404, "no image")


def _image(key: tuple[str, int]) -> bytes:
    if key not in _IMAGES:
        _IMAGES[key] = image_bytes({"jpeg": "jpg", "png": "png", "webp": "webp"}[key[0]], 120, 80, key[1])
    return _IMAGES[key]
