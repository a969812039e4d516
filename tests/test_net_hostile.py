"""The network policy against a hostile server on 127.0.0.1 (tests/hostile_http.py): `import`, `check
--external` and `ping` end at their deadlines, stay within their size caps and never follow a redirect, or
connect, to a host or address they must not. No wall-clock assertions: the server counts what it managed to
send and whether the client hung up first; deadlines are shortened to a couple of seconds for the test.

Connections to anything but loopback are intercepted (and refused) by a fixture, so a policy that failed
would be caught trying, and nothing ever leaves the machine.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dzenpress.check import check_site
from dzenpress.dzen.client import ClientOptions
from dzenpress.dzen.importer import ImportOptions, ImportReport, import_sources
from dzenpress.net import LIMITS, DeadlineExceeded, Kind, NetClient, Refused, TooLarge
from dzenpress.net import settings as net_settings
from dzenpress.ping import PingError, ping
from hostile_http import HostileServer

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import simple
from fake_dzen.pages import sso_page
from fake_dzen.server import FakeDzen
from helpers import build_site

ARTICLE = "/a/AAAAAAAAAAAAAAAA"
DEADLINE = 2.0  # seconds: every request's deadline in these tests
INTERVAL = 0.25  # the server's pace when trickling
MOST_BYTES = int(DEADLINE / INTERVAL) + 3  # what a trickle can deliver before the deadline ends it


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    yield from HostileServer(interval=INTERVAL, trickle_max=12.0, bomb_mib=64, endless_max=64 * 2**20).serve()


@pytest.fixture(autouse=True)
def short_deadlines(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, limit in list(LIMITS.items()):
        monkeypatch.setitem(LIMITS, kind, dataclasses.replace(limit, deadline=DEADLINE))
    monkeypatch.setattr(net_settings, "PING_RUN", 6.0)


class Outside:
    """Every attempt to connect to a non-loopback address, refused here before any packet is sent."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self.lookups: list[str] = []
        self.answered: list[str] = []


@pytest.fixture(autouse=True)
def outside(monkeypatch: pytest.MonkeyPatch) -> Outside:
    seen = Outside()
    real_connect = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        host = address[0]
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            seen.attempts.append(host)
            raise ConnectionRefusedError(f"test guard: no connection to {host}")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return seen


def fake_dns(monkeypatch: pytest.MonkeyPatch, seen: Outside, answers: dict[str, list[str]],
             slow: float = 0.0) -> None:
    """Names in `answers` resolve to those addresses, after `slow` seconds."""
    real = socket.getaddrinfo

    def lookup(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        seen.lookups.append(host)
        time.sleep(slow)
        seen.answered.append(host)
        family = socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "public").mkdir()
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    return root


def run_import(site: Path, hosts: dict[str, str], url: str) -> ImportReport:
    client = ClientOptions(host_map=hosts, delay=0.0, backoff=0.01, retries=1, timeout=10.0)
    return import_sources(site, [url], ImportOptions(client=client))


def trickled(hostile: HostileServer, prefix: str) -> None:
    """Every request to `prefix` was cut by the client, after at most a deadline's worth of bytes."""
    served = hostile.of(prefix)
    assert served
    for entry in served:
        entry.done.wait(hostile.trickle_max + 2)  # the server notices a hang-up at its next byte
        assert entry.closed_by_client, f"{entry.path}: the client was still reading when the server gave up"
        assert entry.sent <= MOST_BYTES, f"{entry.path}: {entry.sent} bytes trickled (deadline allows {MOST_BYTES})"


# ---- import ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("behaviour", ["/trickle", "/trickle-head", "/silent"])
def test_import_of_a_trickling_page_ends_at_the_deadline(site: Path, hostile: HostileServer, behaviour: str) -> None:
    hostile.alias[ARTICLE] = behaviour
    report = run_import(site, {"dzen.ru": hostile.base}, "https://dzen.ru" + ARTICLE)
    (outcome,) = report.outcomes
    assert outcome.status == "failed" and "deadline" in outcome.reason and "page" in outcome.reason
    trickled(hostile, ARTICLE)


def test_a_host_that_keeps_missing_the_deadline_is_not_asked_again(site: Path, hostile: HostileServer) -> None:
    """Import has no run deadline (a channel takes as long as it has articles): a host that misses the deadline
    three times in a row is given up for the run, so a trickling Dzen costs three deadlines, not one each."""
    hostile.fallback = "/trickle"
    urls = [f"https://dzen.ru/a/{letter * 16}" for letter in "BCDEFG"]
    client = ClientOptions(host_map={"dzen.ru": hostile.base}, delay=0.0, backoff=0.01, concurrency=1)
    report = import_sources(site, urls, ImportOptions(client=client))
    assert [o.status for o in report.outcomes] == ["failed"] * len(urls)
    assert len(hostile.served) == 3 and sum("not asked again" in o.reason for o in report.outcomes) == 4
    trickled(hostile, "/a/")


def test_import_of_a_trickling_image_keeps_it_as_a_remote_link(site: Path, hostile: HostileServer) -> None:
    fake = FakeDzen()
    for dzen in fake.serve():
        article = fake.add(simple("a" * 24, "Статья с картинкой", 3))
        hostile.fallback = "/trickle"
        report = run_import(site, {**fake.host_map, "avatars.dzeninfra.ru": hostile.base}, article.url)
        (outcome,) = report.outcomes
        assert dzen is fake and outcome.status == "imported"
        assert any("deadline" in w and "image" in w for w in outcome.warnings), outcome.warnings
    trickled(hostile, "/")


@pytest.mark.parametrize("behaviour", ["/bomb", "/endless"])
def test_import_of_a_bombed_or_endless_page_stops_at_the_cap(site: Path, hostile: HostileServer,
                                                            behaviour: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cap = 2 * 2**20
    monkeypatch.setitem(LIMITS, Kind.PAGE, dataclasses.replace(LIMITS[Kind.PAGE], max_bytes=cap))
    hostile.alias[ARTICLE] = behaviour
    (outcome,) = run_import(site, {"dzen.ru": hostile.base}, "https://dzen.ru" + ARTICLE).outcomes
    assert outcome.status == "failed" and "larger than the 2 MiB limit" in outcome.reason
    (served,) = hostile.of(ARTICLE)
    if behaviour == "/endless":  # the bomb is 64 KiB as sent: it all arrives before the client can hang up
        assert served.done.wait(30) and served.closed_by_client
        assert served.sent <= cap + 16 * 2**20  # the cap and the sockets' buffers, not the 64 MiB sent whole


def test_redirects_out_of_dzen_and_its_cdn_are_not_followed(site: Path, hostile: HostileServer) -> None:
    secret = f"{hostile.base}/secret"
    hostile.alias[ARTICLE] = "/redirect"
    fake = FakeDzen()
    for _ in fake.serve():
        article = fake.add(simple("b" * 24, "Статья с картинкой", 3))
        hostile.fallback, hostile.redirect_to = "/redirect", secret
        hosts = {**fake.host_map, "avatars.dzeninfra.ru": f"{hostile.base}"}
        hostile_image = NetClient(host_map=hosts)
        with pytest.raises(Refused, match="redirected to .*127.0.0.1 is not a host a Dzen image comes from"):
            hostile_image.fetch(f"https://avatars.dzeninfra.ru/redirect?to={secret}", Kind.IMAGE)
        (outcome,) = run_import(site, hosts, article.url).outcomes
        assert outcome.status == "imported" and any("not fetched" in w for w in outcome.warnings), outcome.warnings
    with NetClient(host_map={"dzen.ru": hostile.base}) as net, pytest.raises(Refused, match="redirected to"):
        net.fetch(f"https://dzen.ru/redirect?to={secret}", Kind.PAGE)
    assert not hostile.of("/secret")


def test_a_sign_on_bounce_to_a_local_address_is_not_followed(site: Path, hostile: HostileServer) -> None:
    """The SSO bounce's retpath is taken from the page itself: it is checked like any redirect."""
    fake = FakeDzen()
    for _ in fake.serve():
        fake.pages["/a/HHHHHHHHHHHHHHHH"] = sso_page(f"{hostile.base}/secret")
        (outcome,) = run_import(site, fake.host_map, "https://dzen.ru/a/HHHHHHHHHHHHHHHH").outcomes
    assert outcome.status == "failed" and "127.0.0.1 is not a host a Dzen page comes from" in outcome.reason
    assert not hostile.served


@pytest.mark.parametrize("target", ["http://10.0.0.7/", "http://169.254.169.254/latest/meta-data/",
                                    "http://192.168.1.1:8080/", "http://[::1]:80/", "http://[fe80::1]/",
                                    "http://224.0.0.1/", "http://0.0.0.0:8000/", "http://localhost:8000/"])
def test_redirects_to_non_public_addresses_are_refused_before_connecting(hostile: HostileServer, outside: Outside,
                                                                        target: str) -> None:
    refused = "redirected to .*(loopback|private|link-local|multicast|unspecified)"
    with NetClient(host_map={"hostile.test": hostile.base}) as net, pytest.raises(Refused, match=refused):
        net.fetch(f"http://hostile.test/redirect?to={target}", Kind.LINK)
    assert outside.attempts == [] and len(hostile.served) == 1


def test_a_name_is_checked_for_every_address_and_connected_to_the_checked_one(monkeypatch: pytest.MonkeyPatch,
                                                                             outside: Outside) -> None:
    fake_dns(monkeypatch, outside, {"mixed.test": ["93.184.216.34", "10.1.2.3"], "inside.test": ["127.0.0.1"],
                                    "public.test": ["93.184.216.34"]})
    with NetClient(host_map={}) as net:
        for name, kind in (("mixed.test", "private"), ("inside.test", "loopback")):
            with pytest.raises(Refused, match=f"{name} resolves to .*{kind} address: not connected"):
                net.fetch(f"http://{name}/", Kind.LINK)
        assert outside.attempts == []
        with pytest.raises(httpx.ConnectError):
            net.fetch("http://public.test/", Kind.LINK)
    # one lookup per connection, and the connection went to the address that lookup checked
    assert outside.attempts == ["93.184.216.34"] and outside.lookups.count("public.test") == 1


def test_a_resolver_that_never_answers_ends_at_the_deadline(monkeypatch: pytest.MonkeyPatch,
                                                            outside: Outside) -> None:
    fake_dns(monkeypatch, outside, {"slow-dns.test": ["93.184.216.34"]}, slow=3 * DEADLINE)
    with NetClient(host_map={}) as net, pytest.raises(DeadlineExceeded, match="deadline of one link"):
        net.fetch("http://slow-dns.test/", Kind.LINK)
    assert outside.lookups == ["slow-dns.test"] and outside.answered == []  # given up while still resolving
    assert outside.attempts == []


def test_redirect_loops_and_other_schemes_end(hostile: HostileServer) -> None:
    with NetClient(host_map={"hostile.test": hostile.base}) as net:
        with pytest.raises(Exception, match="more than 10 redirects"):
            net.fetch("http://hostile.test/loop", Kind.LINK)
        with pytest.raises(Refused, match="only http and https"):
            net.fetch("http://hostile.test/redirect?to=file:///etc/passwd", Kind.LINK)
    assert len(hostile.of("/loop")) == 11


def test_a_decoded_body_is_capped_while_it_is_decompressed(hostile: HostileServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(LIMITS, Kind.FEED, dataclasses.replace(LIMITS[Kind.FEED], max_bytes=2**20))
    too_large = r"feed answer larger than the 1 MiB limit once decompressed \(from"
    with NetClient(host_map={"dzen.ru": hostile.base}) as net, pytest.raises(TooLarge, match=too_large):
        net.fetch("https://dzen.ru/bomb", Kind.FEED)


# ---- check --external --------------------------------------------------------------------------------------


def _site_linking(tmp_path: Path, links: list[str]) -> Path:
    root = tmp_path / "linking"
    (root / "content/posts").mkdir(parents=True)
    (root / "public").mkdir()
    (root / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    anchors = "\n".join(f"- [ссылка {n}]({u})" for n, u in enumerate(links))
    (root / "content/posts/links.md").write_text(
        "---\ntitle: Ссылки наружу\ndate: 2025-01-01\n---\n\nСтатья со ссылками наружу.\n\n" + anchors + "\n",
        encoding="utf-8")
    build_site(root)
    return root


def test_check_external_with_hostile_links_ends_and_says_what_each_did(tmp_path: Path, hostile: HostileServer,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      outside: Outside) -> None:
    monkeypatch.setenv("DZENPRESS_HOST_MAP", ",".join(f"h{n}.test={hostile.base}" for n in range(8)))
    secret = f"{hostile.base}/secret"
    links = {"h0.test/trickle-head": "timed out", "h1.test/silent": "timed out",
             "h2.test/trickle": "ok", "h3.test/endless": "ok", "h4.test/bomb": "ok",
             f"h5.test/redirect?to={secret}": "loopback address: not fetched",
             "h6.test/loop": "more than 10 redirects", "h7.test/status/405-endless": "HTTP 405",
             "10.0.0.1/admin": "10.0.0.1 is a private address: not fetched"}
    root = _site_linking(tmp_path, [f"http://{u}" for u in links])
    lines: list[str] = []
    report = check_site(root, external=True, delay=0.0, timeout=DEADLINE, log=lines.append)
    found = {f.message.split(": ", 1)[0].removeprefix("http://"): f.message for f in report.findings
             if f.code == "external-link"}
    for link, outcome in links.items():
        if outcome == "ok":
            assert link not in found
        else:
            assert outcome in found[link], found.get(link)
    trickled(hostile, "/trickle-head")
    trickled(hostile, "/silent")
    assert not hostile.of("/secret") and outside.attempts == []
    assert lines[0].startswith("external links: asking 9 on 9 hosts") and lines[-1] == "external links: 9/9 asked"


def test_check_external_as_a_whole_ends_at_its_run_deadline(tmp_path: Path, hostile: HostileServer,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"slow.test={hostile.base}")
    monkeypatch.setattr(net_settings, "CHECK_EXTERNAL_RUN", 3.0)
    root = _site_linking(tmp_path, [f"http://slow.test/trickle-head?{n}" for n in range(20)])
    lines: list[str] = []
    report = check_site(root, external=True, delay=0.0, timeout=DEADLINE, log=lines.append)
    (note,) = [f for f in report.findings if f.page == "" and f.code == "external-link"]
    assert "of 20 outbound links not checked: the 3 s deadline of check --external passed" in note.message
    asked = hostile.of("/trickle-head")
    assert 1 <= len(asked) <= 3  # one host, one link at a time: the run's deadline stops the rest
    trickled(hostile, "/trickle-head")
    assert not (root / ".dzenpress/links.json").read_text(encoding="utf-8").count("trickle")


# ---- ping --------------------------------------------------------------------------------------------------


@pytest.fixture
def built(example_site: Path) -> Path:
    config = example_site / "dzenpress.toml"  # the example's address is a placeholder, which ping refuses
    config.write_text(config.read_text(encoding="utf-8").replace("https://opora-clinic.example",
                                                                  "https://opora-clinic.ru"), encoding="utf-8")
    build_site(example_site)
    return example_site


@pytest.mark.parametrize("behaviour", ["/trickle-head", "/silent"])
def test_ping_against_a_trickling_endpoint_ends_at_the_deadline(built: Path, hostile: HostileServer,
                                                                monkeypatch: pytest.MonkeyPatch, behaviour: str) -> None:
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"indexnow.test={hostile.base}")
    with pytest.raises(PingError, match="deadline"):
        ping(built, endpoint=f"https://indexnow.test{behaviour}", log=lambda _m: None, retry_delay=0.01)
    trickled(hostile, behaviour)


def test_ping_never_follows_a_redirect_to_a_local_address(built: Path, hostile: HostileServer,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"indexnow.test={hostile.base}")
    with pytest.raises(PingError, match="127.0.0.1 is a loopback address: not fetched"):
        ping(built, endpoint=f"https://indexnow.test/redirect?to={hostile.base}/secret", log=lambda _m: None)
    assert not hostile.of("/secret")


def test_ping_reads_a_refusal_within_its_cap(built: Path, hostile: HostileServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DZENPRESS_HOST_MAP", f"indexnow.test={hostile.base}")
    with pytest.raises(PingError, match="IndexNow answer larger than the 64 KiB limit"):
        ping(built, endpoint="https://indexnow.test/status/422-endless", log=lambda _m: None)
    (served,) = hostile.of("/status/422")
    assert served.done.wait(hostile.trickle_max) and served.closed_by_client


def test_ping_to_a_local_endpoint_is_refused_unless_mapped(built: Path, hostile: HostileServer) -> None:
    with pytest.raises(PingError, match="127.0.0.1 is a loopback address"):
        ping(built, endpoint=f"{hostile.base}/indexnow", log=lambda _m: None)
    assert not hostile.served


def test_through_a_proxy_deadlines_hold_and_literal_addresses_are_still_refused(
        hostile: HostileServer, monkeypatch: pytest.MonkeyPatch, outside: Outside) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", hostile.base)  # a proxy that never answers
    hostile.fallback = "/silent"
    with NetClient(host_map={}) as net:
        with pytest.raises(DeadlineExceeded, match="deadline of one link"):
            net.fetch("http://public.test/page", Kind.LINK)
        with pytest.raises(Refused, match="10.0.0.1 is a private address"):
            net.fetch("http://10.0.0.1/page", Kind.LINK)
    (asked,) = hostile.served
    assert asked.path == "http://public.test/page" and outside.attempts == []
    trickled(hostile, "http://public.test")


def test_every_connection_pool_of_the_client_uses_the_guarded_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx takes no network backend; the policy sets it on each pool. An httpx upgrade that moved the pool
    would silently lose the address checks and deadlines: this fails instead."""
    from dzenpress.net.backend import GuardedBackend

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    with NetClient(host_map={"dzen.ru": "http://127.0.0.1:9"}) as net:
        transports = [net.http._transport, *net.http._mounts.values()]
        pools = [t._pool for t in transports if isinstance(t, httpx.HTTPTransport)]
        assert len(pools) >= 2 and all(isinstance(p._network_backend, GuardedBackend) for p in pools)


def test_deadline_errors_name_the_url_and_the_limit(hostile: HostileServer) -> None:
    with NetClient(host_map={"dzen.ru": hostile.base}) as net, pytest.raises(DeadlineExceeded) as caught:
        net.fetch("https://dzen.ru/silent", Kind.PAGE)
    assert str(caught.value) == f"https://dzen.ru/silent: no complete answer within the {DEADLINE:g} s deadline of " \
                                "one page"
