"""`dzenpress ping` against a fake IndexNow endpoint on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dzenpress import ping as ping_module
from dzenpress.cli import app
from dzenpress.config import load_config
from dzenpress.ping import PingError, ensure_key, ping

from helpers import build_site

URL = "https://opora-clinic.ru"  # the example's own address is a placeholder, which ping refuses to send
HERNIA = "content/posts/gryzha-diska-kogda-nuzhna-operaciya.md"


class FakeIndexNow:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = []  # answers to give, in order; 200 once they run out
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append({"path": self.path, "type": self.headers["Content-Type"],
                                      "json": json.loads(body)})
                status = fake.statuses.pop(0) if fake.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.local = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.url = "https://indexnow.test/indexnow"  # a public name the host map sends to the local server

    @property
    def urls(self) -> list[str]:
        return [u for r in self.requests for u in r["json"]["urlList"]]


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIndexNow]:
    fake = FakeIndexNow()
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"indexnow.test={fake.local}")
    yield fake
    fake.server.shutdown()


@pytest.fixture
def built(example_site: Path) -> Path:
    config = example_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://opora-clinic.example", URL), encoding="utf-8")
    build_site(example_site)
    return example_site


def run(site: Path, endpoint: FakeIndexNow, **options: Any) -> ping_module.PingReport:
    return ping(site, endpoint=endpoint.url, log=lambda _m: None, retry_delay=0.01, **options)


def sitemap_urls(site: Path) -> set[str]:
    return set(ping_module.current_urls(site / "dist"))


def test_key_is_made_once_kept_apart_from_build_state_and_published(built: Path) -> None:
    key = ensure_key(built, load_config(built))
    assert (built / "dist" / f"{key}.txt").read_text() == key
    assert (built / ".dzenpress/indexnow.json").is_file()
    (built / ".dzenpress/state.sqlite3").unlink()
    build_site(built)
    assert ensure_key(built, load_config(built)) == key and (built / "dist" / f"{key}.txt").is_file()


def test_first_ping_submits_everything_then_nothing(built: Path, endpoint: FakeIndexNow) -> None:
    report = run(built, endpoint)
    key = ensure_key(built, load_config(built))
    (request,) = endpoint.requests
    assert request["type"].startswith("application/json")
    assert request["json"]["host"] == "opora-clinic.ru" and request["json"]["key"] == key
    assert request["json"]["keyLocation"] == f"{URL}/{key}.txt"
    assert set(request["json"]["urlList"]) == sitemap_urls(built) and report.submitted == len(sitemap_urls(built))
    assert run(built, endpoint).submitted == 0 and len(endpoint.requests) == 1


def test_an_edit_pings_only_its_page_even_without_build_state(built: Path, endpoint: FakeIndexNow) -> None:
    run(built, endpoint)
    post = built / HERNIA
    post.write_text(post.read_text(encoding="utf-8").replace("Решение принимают", "Решение всегда принимают"),
                    encoding="utf-8")
    (built / ".dzenpress/state.sqlite3").unlink()  # a full rebuild must not make every URL "changed"
    build_site(built)
    plan = ping_module.plan_ping(built, load_config(built))
    assert plan.urls == [f"{URL}/blog/gryzha-diska-kogda-nuzhna-operaciya/"]
    run(built, endpoint)
    assert endpoint.requests[-1]["json"]["urlList"] == plan.urls
    assert run(built, endpoint).submitted == 0


def test_added_and_removed_posts(built: Path, endpoint: FakeIndexNow) -> None:
    run(built, endpoint)
    (built / "content/posts/osanka-u-shkolnika-chto-proverit-roditelyam.md").unlink()
    (built / "content/posts/novaya.md").write_text(
        "---\ntitle: 'Новая'\ndate: '2026-06-01'\ntags: [спина]\n---\n\nТекст новой статьи.\n", encoding="utf-8")
    build_site(built)
    plan = ping_module.plan_ping(built, load_config(built))
    assert f"{URL}/blog/novaya/" in plan.added
    assert f"{URL}/blog/osanka-u-shkolnika-chto-proverit-roditelyam/" in plan.removed
    assert f"{URL}/blog/" in plan.changed and f"{URL}/contacts/" not in plan.urls
    run(built, endpoint)
    assert set(endpoint.requests[-1]["json"]["urlList"]) == set(plan.urls)
    assert run(built, endpoint).submitted == 0


def test_dry_run_and_all(built: Path, endpoint: FakeIndexNow) -> None:
    report = run(built, endpoint, dry_run=True)
    assert endpoint.requests == [] and set(report.plan.urls) == sitemap_urls(built)
    run(built, endpoint)
    again = run(built, endpoint, everything=True)
    assert again.submitted == len(sitemap_urls(built)) and len(endpoint.requests) == 2


def test_batches_of_at_most_10000(built: Path, endpoint: FakeIndexNow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ping_module.BATCH == 10_000
    monkeypatch.setattr(ping_module, "BATCH", 7)
    total = len(sitemap_urls(built))
    run(built, endpoint)
    assert [len(r["json"]["urlList"]) for r in endpoint.requests] == [7] * (total // 7) + (
        [total % 7] if total % 7 else [])


@pytest.mark.parametrize(("status", "words"), [(400, "bad request"), (403, "key is not valid"),
                                                (422, "do not belong"), (429, "too many requests")])
def test_refusals_are_explained_and_the_log_does_not_advance(built: Path, endpoint: FakeIndexNow, status: int,
                                                             words: str) -> None:
    endpoint.statuses = [status]
    with pytest.raises(PingError, match=words):
        run(built, endpoint)
    assert len(endpoint.requests) == 1  # 4xx is not retried
    assert run(built, endpoint).submitted == len(sitemap_urls(built))  # everything is still pending


def test_202_counts_as_success_and_names_the_key_location(built: Path, endpoint: FakeIndexNow) -> None:
    endpoint.statuses = [202]
    report = run(built, endpoint)
    assert "validate the key" in report.messages[0] and run(built, endpoint).submitted == 0


def test_5xx_is_retried(built: Path, endpoint: FakeIndexNow) -> None:
    endpoint.statuses = [503, 500]
    assert run(built, endpoint).submitted > 0 and len(endpoint.requests) == 3
    endpoint.statuses = [500, 502, 503]
    build_site(built, clean=True)
    with pytest.raises(PingError, match="HTTP 503"):
        run(built, endpoint, everything=True)


def test_partial_success_keeps_accepted_batches(built: Path, endpoint: FakeIndexNow,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ping_module, "BATCH", 10)
    endpoint.statuses = [200, 429]
    with pytest.raises(PingError, match="10 of"):
        run(built, endpoint)
    assert run(built, endpoint).submitted == len(sitemap_urls(built)) - 10


def test_ping_needs_a_built_site_with_the_key_file(example_site: Path, endpoint: FakeIndexNow) -> None:
    with pytest.raises(Exception, match="build the site first"):
        run(example_site, endpoint)


def test_cli_dry_run_lists_urls(built: Path, endpoint: FakeIndexNow) -> None:
    result = CliRunner().invoke(app, ["ping", str(built), "--dry-run", "--endpoint", endpoint.url])
    assert result.exit_code == 0, result.output
    assert f"added\t{URL}/blog/\n" in result.stdout and endpoint.requests == []
    endpoint.statuses = [403]
    failed = CliRunner().invoke(app, ["ping", str(built), "--endpoint", endpoint.url])
    assert failed.exit_code == 1 and "403" in failed.output and "Traceback" not in failed.output


def test_endpoint_and_key_from_config(built: Path, endpoint: FakeIndexNow) -> None:
    config = built / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[indexnow]\nendpoint = "{endpoint.url}"\n'
                      'key = "my-own-key-42"\n', encoding="utf-8")
    build_site(built)
    assert (built / "dist/my-own-key-42.txt").read_text() == "my-own-key-42"
    assert not [p for p in (built / "dist").glob("*.txt") if p.name not in ("robots.txt", "my-own-key-42.txt")]
    ping(built, log=lambda _m: None)
    assert endpoint.requests[0]["json"]["key"] == "my-own-key-42"


@pytest.mark.parametrize(("text", "field"), [('key = "short"', "indexnow.key"), ('key = "has space 123"', "indexnow.key"),
                                             ('endpoint = "ftp://x"', "indexnow.endpoint")])
def test_bad_indexnow_config_names_the_key(blank_site: Path, text: str, field: str) -> None:
    from dzenpress.errors import ConfigError

    config = blank_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"[indexnow]\n{text}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(blank_site)
    assert info.value.field == field


def test_init_puts_a_key_in_the_config_so_it_travels_with_the_site(tmp_path: Path) -> None:
    from dzenpress.scaffold import init_site

    init_site(tmp_path / "a")
    init_site(tmp_path / "b")
    key_a, key_b = load_config(tmp_path / "a").indexnow.key, load_config(tmp_path / "b").indexnow.key
    assert len(key_a) == 32 and key_a != key_b
    build_site(tmp_path / "a")
    assert (tmp_path / "a/dist" / f"{key_a}.txt").read_text() == key_a
    assert not (tmp_path / "a/.dzenpress/indexnow.json").exists()
