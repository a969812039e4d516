"""`dzenpress sync` end to end: the fake Dzen on loopback → import → build → check → deploy to a loopback
target → ping (a fake IndexNow). The published site is served over HTTP and passes `check --url`; a second
sync changes nothing; an article edited on Dzen uploads its page, the lists that show it and the feeds."""

from __future__ import annotations

import dataclasses
import fcntl
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deploy_targets import published, tree
from dzenpress.check import check_site
from dzenpress.cli import app
from dzenpress.dzen.client import ClientOptions
from dzenpress.sync import SyncError, sync
from test_ping import FakeIndexNow

from fake_dzen.articles import block, simple
from fake_dzen.server import FakeDzen

SITE_URL = "https://opora-clinic.ru"  # ping refuses the example's placeholder address
CHANNEL = "https://dzen.ru/articlinic"


@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


@pytest.fixture
def indexnow(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIndexNow]:
    endpoint = FakeIndexNow()
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"indexnow.test={endpoint.local}")  # ping's public name → loopback
    yield endpoint
    endpoint.server.shutdown()


def recent(hex_id: str, title: str, days_ago: int) -> object:
    return dataclasses.replace(simple(hex_id, title, 1), published=datetime.now(UTC) - timedelta(days=days_ago))


@pytest.fixture
def synced_site(example_site: Path, tmp_path: Path, fake: FakeDzen, indexnow: FakeIndexNow) -> Path:
    fake.add(recent("6" * 24, "Свежая статья о сне", 1), channel="articlinic")  # type: ignore[arg-type]
    fake.add(recent("7" * 24, "Статья о спине и шее", 30), channel="articlinic")  # type: ignore[arg-type]
    config = example_site / "dzenpress.toml"
    text = config.read_text(encoding="utf-8").replace("https://opora-clinic.example", SITE_URL)
    text = text.replace("[indexnow]", f'[indexnow]\nendpoint = "{indexnow.url}"', 1)
    if "[indexnow]" not in text:
        text += f'\n[indexnow]\nendpoint = "{indexnow.url}"\n'
    text += (f'\n[sync]\nchannels = ["{CHANNEL}"]\n\n[deploy.live]\ntype = "local"\npath = "{tmp_path / "live"}"\n')
    config.write_text(text, encoding="utf-8")
    return example_site


def run(site: Path, fake: FakeDzen, **options: object) -> object:
    return sync(site, client=ClientOptions(host_map=fake.host_map, delay=0), **options)  # type: ignore[arg-type]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The target's folder over HTTP, as a static host serves it."""
    (tmp_path / "live").mkdir(exist_ok=True)
    quiet = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    handler = partial(quiet, directory=str(tmp_path / "live"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch_all(base: str, files: dict[str, bytes], into: Path) -> Path:
    """Every published file fetched over HTTP into `into` (what a visitor gets), for `check --url`."""
    for rel in files:
        with urllib.request.urlopen(f"{base}/{rel}") as answer:
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            (into / rel).write_bytes(answer.read())
    return into


def test_sync_publishes_then_does_nothing_then_only_an_edit(synced_site: Path, tmp_path: Path, fake: FakeDzen,
                                                            indexnow: FakeIndexNow, served: str) -> None:
    first = run(synced_site, fake)
    assert "import 2 new" in first.summary(), first.summary()  # type: ignore[attr-defined]
    live = tmp_path / "live"
    dist = synced_site / "dist"
    assert tree(live) == published(dist)
    fetched = fetch_all(served, published(dist), tmp_path / "fetched")
    report = check_site(fetched, url=SITE_URL)
    assert report.ok, [f"{f.page}: {f.code}" for f in report.findings if f.level == "error"]
    assert indexnow.urls and all(u.startswith(SITE_URL) for u in indexnow.urls)

    stats = {p: p.stat().st_mtime_ns for p in live.rglob("*")}
    hits, pings = len(fake.hits), len(indexnow.requests)
    started = time.process_time()
    again = run(synced_site, fake)
    cpu = time.process_time() - started
    summary = again.summary()  # type: ignore[attr-defined]
    assert "0 new, 0 updated" in summary and "0 written" in summary and "0 uploaded, 0 deleted" in summary, summary
    assert {p: p.stat().st_mtime_ns for p in live.rglob("*")} == stats  # the live site is not touched
    assert len(indexnow.requests) == pings
    fetched_again = {h.path for h in fake.hits[hits:] if "/a/" in h.path}  # only the one inside recheck_days
    assert fetched_again == {"/a/" + fake.articles["6" * 24].url.rsplit("/", 1)[1]}, fetched_again
    assert cpu < 2.0, cpu  # the channel's feed, a stat of every input, nothing else

    edited = fake.articles["6" * 24]
    edited.blocks = [*edited.blocks, block("Новый абзац, дописанный в Дзене после публикации.")]
    third = run(synced_site, fake)
    assert "1 updated" in third.summary()  # type: ignore[attr-defined]
    page = next(rel for rel in third.written if rel.startswith("blog/") and rel.count("/") == 2)  # type: ignore[attr-defined]
    shown = {rel for rel in third.written if page.split("/")[1] not in rel}  # type: ignore[attr-defined]
    assert shown <= {"index.html", "404.html", "blog/index.html", "rss.xml", "atom.xml", "rss-dzen.xml", "sitemap.xml",
                     "posts.json"} | {r for r in shown if r.startswith(("blog/tag/", "_img/"))}, shown
    sent = {rel for rel in third.uploaded if not rel.startswith("pagefind/")}  # type: ignore[attr-defined]
    assert sent == set(third.written)  # type: ignore[attr-defined]
    assert tree(live) == published(dist)
    assert len(indexnow.requests) == pings + 1


def test_a_check_error_stops_before_anything_is_deployed(synced_site: Path, tmp_path: Path, fake: FakeDzen) -> None:
    (synced_site / "public" / "broken.html").write_text("<html><body>no title, no h1</body></html>")
    with pytest.raises(SyncError) as failed:
        run(synced_site, fake)
    assert failed.value.step == "check"
    assert not (tmp_path / "live").exists() or not any((tmp_path / "live").iterdir())


def test_sync_is_locked_and_names_the_failed_step(synced_site: Path, fake: FakeDzen) -> None:
    (synced_site / ".dzenpress").mkdir(exist_ok=True)
    with open(synced_site / ".dzenpress" / "sync.lock", "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        result = CliRunner().invoke(app, ["sync", "--site", str(synced_site)],
                                    env={"DZENPRESS_HOST_MAP": ",".join(f"{h}={u}" for h, u in fake.host_map.items())})
    assert result.exit_code == 1
    assert "another sync" in result.output
    assert not (synced_site / "dist").exists()


def test_an_unreachable_target_fails_the_deploy_step(synced_site: Path, fake: FakeDzen) -> None:
    config = synced_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[deploy.far]\ntype = "rsync"\nhost = "127.0.0.1"\n'
                      'port = 9\npath = "/srv/site"\nssh_options = ["ConnectTimeout=2"]\n'
                      '\n', encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace('[sync]\n', '[sync]\ntarget = "far"\n'),
                      encoding="utf-8")
    with pytest.raises(SyncError) as failed:
        run(synced_site, fake)
    assert failed.value.step == "deploy"
    assert (synced_site / "dist" / "index.html").exists()  # built and checked: only publishing failed


def test_dry_run_changes_nothing(synced_site: Path, tmp_path: Path, fake: FakeDzen) -> None:
    before = sorted(p.relative_to(synced_site) for p in synced_site.rglob("*") if ".dzenpress" not in p.parts)
    report = run(synced_site, fake, dry_run=True)
    assert "sync (dry run)" in report.summary()  # type: ignore[attr-defined]
    after = sorted(p.relative_to(synced_site) for p in synced_site.rglob("*") if ".dzenpress" not in p.parts)
    assert after == before
    assert not (tmp_path / "live").exists() or not any((tmp_path / "live").iterdir())
