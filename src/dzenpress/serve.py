"""Local preview: build into `.dzenpress/preview/` (never the output folder), serve it on 127.0.0.1 like a
static host, rebuild on change and reload open pages.

The reload script (and a build error, when there is one) is added to HTML as it is served; built files
never contain it. Only files inside the preview root are ever served.
"""

from __future__ import annotations

import contextlib
import errno
import html
import json
import mimetypes
import os
import threading
from collections.abc import Callable, Iterable
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from dzenpress.errors import DzenpressError
from dzenpress.hashing import digest
from dzenpress.hot import render_edited
from dzenpress.settings import STATE_DIR
from dzenpress.watcher import site_changes

if TYPE_CHECKING:
    from dzenpress.config import Config
    from dzenpress.project import Project

EVENTS = "/__dzenpress/events"
PREVIEW_DIR = Path(STATE_DIR) / "preview"  # relative to the site: state.sqlite3 and site/
# a reload event names the output paths that changed ("*": all): a tab reloads when its page is one of them
_RELOAD_JS = (
    "<script>(()=>{const s=new EventSource('" + EVENTS + "');"
    "s.addEventListener('reload',e=>{const d=JSON.parse(e.data),h=decodeURIComponent(location.pathname).slice(1);"
    "if(d==='*'||[h,h+'index.html',h+'.html',h+'/index.html'].some(p=>d.includes(p)))location.reload();});"
    "})();</script>"
).encode()
# a page loads these: when one is written, every open page reloads
_LOADED = frozenset((".css", ".js", ".avif", ".webp", ".jpg", ".jpeg", ".png", ".gif", ".svg", ".woff2", ".ico"))
MIME = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".json": "application/json", ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".avif": "image/avif", ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".svg": "image/svg+xml", ".ico": "image/x-icon", ".woff2": "font/woff2",
    ".mp4": "video/mp4", ".webm": "video/webm", ".pdf": "application/pdf", ".md": "text/plain; charset=utf-8",
}


class _Reloader:
    """The preview's shared state: a version bumped on every rebuild with the output paths it changed, and the
    last build error."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.changed = threading.Condition()
        self._paths: dict[int, frozenset[str] | None] = {}  # version → what it changed (None: everything)

    def bump(self, paths: Iterable[str] | None = None) -> None:
        """Open pages at `paths` (output paths, e.g. blog/x/index.html) reload; every open page with None."""
        with self.changed:
            self.version += 1
            self._paths[self.version] = None if paths is None else frozenset(paths)
            self._paths.pop(self.version - 64, None)
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout)
            return self.version

    def since(self, seen: int, now: int) -> frozenset[str] | None:
        """What the versions after `seen` up to `now` changed (None: everything, or too many to know)."""
        with self.changed:
            found: set[str] = set()
            for version in range(seen + 1, now + 1):
                paths = self._paths.get(version)
                if paths is None:
                    return None
                found |= paths
            return frozenset(found)


class _Handler(BaseHTTPRequestHandler):
    reloader: _Reloader
    root: Path
    default_request_version = "HTTP/1.0"  # a malformed request line still gets a status line (not HTTP/0.9's none)

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        self.root = Path(directory).resolve()
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        """Every request gets a status: a path the file system refuses (a segment over 255 bytes, a file
        where a folder is asked for, a link loop) is 404 like any missing file, anything else 500."""
        try:
            try:
                self._answer(head)
            except ConnectionError:
                raise
            except OSError as exc:
                if exc.errno in (errno.ENAMETOOLONG, errno.ENOTDIR, errno.ELOOP, errno.ENOENT, errno.EINVAL):
                    self._not_found(head)
                else:
                    self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, explain=exc.strerror)
            except Exception as exc:  # a preview server answers; the message names the bug
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, explain=f"{type(exc).__name__}: {exc}")
        except ConnectionError:  # the client went away: nobody to answer
            return

    def _answer(self, head: bool) -> None:
        raw, _, query = self.path.partition("?")
        raw = raw.partition("#")[0]
        if raw == EVENTS:
            self._events()
            return
        found = resolve(self.root, raw)
        if isinstance(found, str):  # a redirect to the canonical directory/file form
            self._redirect(found + ("?" + query if query else ""))
        elif found is None:
            self._not_found(head)
        elif found.suffix == ".html":
            self._html(found.read_bytes(), HTTPStatus.OK, head)
        else:
            self._file(found, head)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _not_found(self, head: bool) -> None:
        page = self.root / "404.html"
        if self.reloader.error is not None and not page.is_file():
            self._html(b"<!doctype html><html><head><meta charset=utf-8><title>Build failed</title></head>"
                       b"<body></body></html>", HTTPStatus.INTERNAL_SERVER_ERROR, head)
            return
        body = page.read_bytes() if page.is_file() else b"<!doctype html><title>404</title><h1>404</h1></body>"
        self._html(body, HTTPStatus.NOT_FOUND, head)

    def _html(self, body: bytes, status: HTTPStatus, head: bool) -> None:
        error = self.reloader.error
        if error is not None:
            banner = ('<div id="dzenpress-build-error" style="position:fixed;inset:0 0 auto 0;z-index:99999;'
                      'background:#7f1d1d;color:#fff;padding:12px 16px;font:14px/1.4 monospace;max-height:50vh;'
                      f'overflow:auto;white-space:pre-wrap">Build failed; showing the last good build.\n'
                      f"{html.escape(error)}</div>").encode()
            body = _inject(body, banner, at_start=True)
        body = _inject(body, _RELOAD_JS, at_start=False)
        self.send_response(status)
        self.send_header("Content-Type", MIME[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _file(self, path: Path, head: bool) -> None:
        kind = MIME.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = b"" if head else path.read_bytes()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(path.stat().st_size))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.reloader.version
        try:
            while True:
                now = self.reloader.wait(seen, timeout=15)
                message = b": ping\n\n"
                if now != seen:
                    paths = self.reloader.since(seen, now)
                    data = "*" if paths is None else sorted(paths)
                    message = b"event: reload\ndata: " + json.dumps(data).encode() + b"\n\n"
                seen = now
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _inject(body: bytes, snippet: bytes, at_start: bool) -> bytes:
    if at_start:
        at = body.find(b"<body")
        end = body.find(b">", at) + 1 if at >= 0 else 0
        return body[:end] + snippet + body[end:]
    at = body.rfind(b"</body>")
    return body[:at] + snippet + body[at:] if at >= 0 else body + snippet


def resolve(root: Path, raw_path: str) -> Path | str | None:
    """What a static host answers for a request path: a file inside `root`, a redirect (str), or None (404).

    `/dir/` serves dir/index.html and `/dir` redirects to it; `/page` serves page.html and `/page/` redirects
    to `/page` when there is no such folder. `..`, `.`, NUL and backslashes (raw or %-encoded) are refused,
    and a path that leaves `root` through a symlink is not served.
    """
    root = root.resolve()
    path = unquote(raw_path)
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    base = root.joinpath(*parts)
    if path.endswith("/") or not parts:
        if (base / "index.html").is_file():
            return _inside(root, base / "index.html")
        if parts and base.with_name(base.name + ".html").is_file():
            return quote("/" + "/".join(parts))  # from the decoded path: "/x%2F" must not redirect to itself
        return None
    if base.is_file():
        return _inside(root, base)
    if (base / "index.html").is_file():
        return raw_path + "/"
    page = base.with_name(base.name + ".html")
    return _inside(root, page) if page.is_file() else None


def _inside(root: Path, path: Path) -> Path | None:
    real = path.resolve()
    return real if real.is_relative_to(root) else None


def preview_project(root: Path, drafts: bool) -> Project:
    """The site opened for the preview: the same content, its output and state in the preview folder."""
    from dzenpress.project import Project

    return Project(root, drafts=drafts, output=root / PREVIEW_DIR / "site", state_dir=root / PREVIEW_DIR,
                   defer_search=True)


def rebuild(root: Path, drafts: bool) -> str:
    """Build the preview once (never the output folder). Raises DzenpressError on a bad post or config."""
    with preview_project(root, drafts) as project:
        summary = project.build().summary()
        project.refresh_search()
        return summary


def make_server(root: Path, port: int, out_dir: Path) -> tuple[ThreadingHTTPServer, _Reloader]:
    reloader = _Reloader()
    handler = type("Handler", (_Handler,), {"reloader": reloader})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(out_dir)))
    server.daemon_threads = True
    return server, reloader


def _rebuild_reporting(project: Project, reloader: _Reloader, log: Callable[[str], None], prefix: str = "",
                       hot: dict[str, str] | None = None) -> None:
    """Rebuild the preview serve keeps open (its parsed posts and records stay in memory between builds); a
    build error is logged and shown on every page, and the server keeps the last good site. Open pages whose
    files changed reload, but not those `hot` (output → digest) already showed as built."""
    had_error = reloader.error is not None
    try:
        report = project.build()
    except DzenpressError as exc:
        reloader.error = str(exc)
        log(f"build failed, keeping the last good site:\n{exc}")
        reloader.bump()
    else:
        reloader.error = None
        log(prefix + report.summary())
        changed = [*report.written, *report.removed]
        if had_error or any(os.path.splitext(rel)[1].lower() in _LOADED for rel in changed):
            reloader.bump()
        else:
            reloader.bump(rel for rel in changed if not _as_shown(project.output_dir, rel, (hot or {}).get(rel)))
    # the search index after the reload: at 10,000 posts Pagefind takes seconds, the pages a fraction of one
    try:
        for warning in project.refresh_search():
            log(warning)
    except DzenpressError as exc:
        log(f"search index not updated: {exc}")


def _as_shown(out_dir: Path, rel: str, shown: str | None) -> bool:
    """Whether the built file holds the bytes a hot render already showed (digest `shown`)."""
    if shown is None:
        return False
    try:
        return digest((out_dir / rel).read_bytes()) == shown
    except OSError:
        return False


def _edited_posts(project: Project, changes: set[tuple[Any, str]]) -> list[Path]:
    """The watcher's changes when they are all edits of Markdown files in the content folder (an editor's
    save by rename shows as added): their paths; empty for any other change."""
    content = os.path.abspath(project.settings.content_dir)
    files = {os.path.abspath(path) for _change, path in changes}
    if all(f.endswith(".md") and f.startswith(content + os.sep) and os.path.isfile(f) for f in files):
        return [Path(f) for f in sorted(files)]
    return []


def serve(root: Path, *, port: int = 8000, drafts: bool = True, log: Callable[[str], None] = print,
          stop: threading.Event | None = None, ready: Callable[[int], None] | None = None) -> None:
    """Preview until Ctrl+C (or `stop` is set); `ready` receives the port once the server listens."""
    from dzenpress.config import load_config

    root = Path(root)
    config = load_config(root)
    out_dir = (root / PREVIEW_DIR / "site").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        server, reloader = make_server(root, port, out_dir)
    except OSError as exc:
        busy = exc.errno == errno.EADDRINUSE
        raise DzenpressError(f"port {port} on 127.0.0.1 is already in use (another server is running there); "
                             "stop it or choose another port with --port N" if busy else
                             f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another port with "
                             "--port N") from None
    # the preview stays open while serving: its state stays in memory between builds, and its lock makes a
    # second preview of the same site say so instead of building into the same folder
    project = preview_project(root, drafts)
    serving = False
    try:
        project.open()
        _rebuild_reporting(project, reloader, log)
        if reloader.error is None:  # a first build with nothing to do loads no pages: hot renders need them
            with contextlib.suppress(DzenpressError):
                project.keep_pages()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        serving = True
        _watch(root, config, project, reloader, log, int(server.server_address[1]), stop, ready)
    except KeyboardInterrupt:
        pass
    finally:
        if serving:  # shutdown() waits for serve_forever to return: forever if it never ran
            server.shutdown()
        server.server_close()
        project.close()


def _watch(root: Path, config: Config, project: Project, reloader: _Reloader, log: Callable[[str], None], port: int,
           stop: threading.Event | None, ready: Callable[[int], None] | None) -> None:
    log(f"previewing {'with' if project.drafts else 'without'} drafts at http://127.0.0.1:{port}/ "
        f"(built in {PREVIEW_DIR}/site; {config.paths.output}/ is not touched; Ctrl+C to stop)")
    if ready:
        ready(port)
    ignore = ((root / config.paths.output).resolve(), (root / STATE_DIR).resolve())
    settings = project.settings
    inputs = [settings.content_dir, settings.pages_dir, settings.public_dir, settings.templates_dir]
    for changes in site_changes(root, inputs, ignore, stop):
        hot = render_edited(project.kept, _edited_posts(project, changes), project.output_dir)
        if hot:
            reloader.bump(hot)  # the edited post's tab, before the build checks everything else
        _rebuild_reporting(project, reloader, log, prefix=f"{len(changes)} change(s): ", hot=hot)
