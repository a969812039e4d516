"""`dzenpress ping`: tell search engines (IndexNow) which URLs were added, changed or removed.

The key is generated once and kept in `.dzenpress/indexnow.json` with the ping log: what each URL looked
like when it was last submitted. Build state lives elsewhere, so deleting `state.sqlite3` re-pings nothing.
The log advances only for batches the endpoint accepted.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import httpx

from dzenpress.check.site import static_file
from dzenpress.config import CONFIG_NAME, Config, load_config
from dzenpress.errors import DzenpressError
from dzenpress.hashing import digest
from dzenpress.hints import placeholder_url
from dzenpress.net import FetchError, Kind, NetClient, RunClock
from dzenpress.net import settings as net_settings
from dzenpress.render.keyfile import _load_store, _save_store, ensure_key

BATCH = 10_000
RETRIES = 3
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_CONTENT = re.compile(rb"<title>.*?</title>|<meta name=\"description\"[^>]*>|<link rel=\"canonical\"[^>]*>"
                      rb"|<main\b.*?</main>", re.S)
_MESSAGES = {
    200: "accepted",
    202: "received; the endpoint will validate the key at {key_location} (it must be deployed there)",
    400: "bad request: the endpoint rejected the submission's format",
    403: "forbidden: the key is not valid; {key_location} is missing or holds another key (deploy the site first)",
    422: "unprocessable: the URLs do not belong to {host} or the key does not match {key_location}",
    429: "too many requests: the endpoint is throttling this site; try again later",
}


class PingError(DzenpressError):
    """The endpoint refused a batch or could not be reached."""


@dataclass
class PingPlan:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    current: dict[str, str] = field(default_factory=dict)  # URL → content digest, for the log

    @property
    def urls(self) -> list[str]:
        return self.added + self.changed + self.removed


@dataclass
class PingReport:
    plan: PingPlan
    submitted: int = 0
    messages: list[str] = field(default_factory=list)


# ---- what changed ----------------------------------------------------------------------------------


def content_digest(data: bytes) -> str:
    """What a search engine indexes of a page: title, description, canonical and <main>, not the chrome."""
    parts = _CONTENT.findall(data)
    return digest(b"\n".join(parts) if parts else data)


def current_urls(out_dir: Path) -> dict[str, str]:
    sitemap = out_dir / "sitemap.xml"
    try:
        root = ET.parse(sitemap).getroot()  # noqa: S314 - the site's own output
    except FileNotFoundError:
        raise DzenpressError("no sitemap.xml: build the site first", path=out_dir) from None
    except ET.ParseError as exc:
        raise DzenpressError(f"is not valid XML: {exc}", path=sitemap) from None
    urls: dict[str, str] = {}
    for loc in root.iter(f"{_SITEMAP_NS}loc"):
        url = (loc.text or "").strip()
        file = static_file(out_dir, urlsplit(url).path)
        urls[url] = content_digest(file.read_bytes()) if file else ""
    return urls


def plan_ping(root: Path, config: Config, *, everything: bool = False) -> PingPlan:
    out_dir = root / config.paths.output
    now = current_urls(out_dir)
    logged: dict[str, str] = {} if everything else _load_store(root).get("submitted", {})
    plan = PingPlan(current=now)
    for url, content in now.items():
        if url not in logged:
            plan.added.append(url)
        elif logged[url] != content:
            plan.changed.append(url)
    plan.removed = sorted(set(logged) - set(now))
    return plan


# ---- submitting ------------------------------------------------------------------------------------


def ping(root: Path | str, *, dry_run: bool = False, everything: bool = False, endpoint: str | None = None,
         log: Callable[[str], None] = print, retry_delay: float = 1.0) -> PingReport:
    root = Path(root)
    config = load_config(root)
    plan = plan_ping(root, config, everything=everything)
    report = PingReport(plan)
    placeholder = placeholder_url(config.url)
    if placeholder and (dry_run or not plan.urls):
        log(f"warning {placeholder}")
    if dry_run or not plan.urls:
        return report
    key = ensure_key(root, config)
    out_dir = root / config.paths.output
    if not (out_dir / f"{key}.txt").is_file():
        raise PingError(f"the key file {key}.txt is not in the output folder: run `dzenpress build` and deploy",
                        path=out_dir)
    refuse_placeholder(config.url, root)
    host = urlsplit(config.url).hostname or ""
    body = {"host": host, "key": key, "keyLocation": f"{config.url}/{key}.txt"}
    target = endpoint or config.indexnow.endpoint
    urls = plan.urls
    with NetClient(headers={"User-Agent": "dzenpress"}, run=RunClock(net_settings.PING_RUN, "ping")) as client:
        for start in range(0, len(urls), BATCH):
            batch = urls[start : start + BATCH]
            status, said = _submit(client, target, {**body, "urlList": batch}, retry_delay)
            message = _MESSAGES.get(status, "unexpected answer").format(key_location=body["keyLocation"], host=host)
            if status not in (200, 202):
                raise PingError(f"{target} answered HTTP {status}: {message}{said}; {report.submitted} of "
                                f"{len(urls)} URLs were submitted, the rest will be sent next time",
                                path=root / CONFIG_NAME)
            _record(root, plan, batch)
            report.submitted += len(batch)
            report.messages.append(f"HTTP {status}: {len(batch)} URLs {message}")
            log(report.messages[-1])
    return report


def refuse_placeholder(url: str, root: Path) -> None:
    """Search engines are never told about URLs of an example or local address (nothing is sent)."""
    placeholder = placeholder_url(url)
    if placeholder:
        raise PingError(placeholder.replace("before publishing", "before pinging"), path=root / CONFIG_NAME)


def _submit(client: NetClient, endpoint: str, payload: dict[str, Any], retry_delay: float) -> tuple[int, str]:
    """POST one batch: (status, the endpoint's own words on a refusal). 5xx answers and network errors are
    retried with a growing pause, within the run's deadline; a limit of the network policy is not."""
    for attempt in range(RETRIES):
        try:
            answer = client.fetch(endpoint, Kind.PING, method="POST", json_body=payload,
                                  read=lambda status: status not in (200, 202))
        except FetchError as exc:
            raise PingError(f"{endpoint}: {exc.message}") from None
        except httpx.HTTPError as exc:
            if attempt == RETRIES - 1:
                raise PingError(f"{endpoint} cannot be reached: {exc}") from None
        else:
            if answer.status < 500 or attempt == RETRIES - 1:
                return answer.status, _said(answer.text)
        pause = retry_delay * 2**attempt
        if client.run is not None and client.run.left() <= pause:
            raise PingError(f"{endpoint} did not accept the batch within ping's {client.run.seconds:g} s deadline")
        time.sleep(pause)
    raise AssertionError("unreachable")


def _said(text: str) -> str:
    """The start of what an endpoint said with a refusal, on one line."""
    words = " ".join(text.split())
    return f" (the endpoint said: {words[:200]}{'…' if len(words) > 200 else ''})" if words else ""


def _record(root: Path, plan: PingPlan, batch: list[str]) -> None:
    """Advance the log for the URLs of one accepted batch."""
    store = _load_store(root)
    submitted = store.setdefault("submitted", {})
    for url in batch:
        if url in plan.current:
            submitted[url] = plan.current[url]
        else:
            submitted.pop(url, None)
    store["last_ping"] = datetime.now(UTC).isoformat(timespec="seconds")
    _save_store(root, store)
