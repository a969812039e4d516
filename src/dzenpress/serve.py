"""Local preview: build, serve the output on 127.0.0.1, rebuild on change and reload open pages.

The reload script is added to HTML as it is served; built files never contain it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from dzenpress.errors import DzenpressError

EVENTS = "/__dzenpress/events"
_RELOAD_JS = (
    "<script>(()=>{const s=new EventSource('" + EVENTS + "');"
    "s.addEventListener('reload',()=>location.reload());})();</script>"
).encode()


class _Reloader:
    def __init__(self) -> None:
        self.version = 0
        self.changed = threading.Condition()

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version


class _Handler(SimpleHTTPRequestHandler):
    reloader: _Reloader

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == EVENTS:
            self._events()
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not self.path.split("?")[0].endswith("/"):
            super().do_GET()  # the standard redirect to the slash form
            return
        if path.is_dir():
            path = path / "index.html"
        elif not path.exists() and path.with_suffix(".html").exists():
            path = path.with_suffix(".html")
        if path.suffix == ".html" and path.is_file():
            self._html(path, HTTPStatus.OK)
        elif path.exists():
            super().do_GET()
        else:
            self._html(Path(self.directory) / "404.html", HTTPStatus.NOT_FOUND)

    def _html(self, path: Path, status: HTTPStatus) -> None:
        body = path.read_bytes() if path.is_file() else b"<h1>404</h1>"
        body = body.replace(b"</body>", _RELOAD_JS + b"</body>", 1)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.reloader.version
        try:
            while True:
                now = self.reloader.wait(seen, timeout=15)
                message = b"event: reload\ndata: 1\n\n" if now != seen else b": ping\n\n"
                seen = now
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def rebuild(root: Path, drafts: bool) -> str:
    from dzenpress.project import build

    return build(root, drafts=drafts).summary()


def make_server(root: Path, port: int, out_dir: Path) -> tuple[ThreadingHTTPServer, _Reloader]:
    reloader = _Reloader()
    handler = type("Handler", (_Handler,), {"reloader": reloader})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(out_dir)))
    server.daemon_threads = True
    return server, reloader


def serve(root: Path, *, port: int = 8000, drafts: bool = True, log: Callable[[str], None] = print) -> None:
    from watchfiles import watch

    from dzenpress.config import load_config

    root = Path(root)
    config = load_config(root)
    log(rebuild(root, drafts))
    out_dir = root / config.paths.output
    server, reloader = make_server(root, port, out_dir)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log(f"serving {out_dir} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
    ignore = {out_dir.resolve(), (root / ".dzenpress").resolve()}
    try:
        for changes in watch(root, watch_filter=lambda _c, p: not any(
                Path(p).resolve().is_relative_to(i) for i in ignore)):
            try:
                log(f"{len(changes)} change(s): {rebuild(root, drafts)}")
                reloader.bump()
            except DzenpressError as exc:
                log(f"build failed, keeping the last good site:\n{exc}")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
