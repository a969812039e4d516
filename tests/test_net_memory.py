"""Peak memory of `import`, `check --external` and `ping` against answers that bomb or never end (tests/
hostile_http.py), measured as the peak RSS of the command run in a child process (ru_maxrss from wait4),
against the same command given a harmless answer. The bound is the body cap of the kind plus a margin, far
below what the hostile answer would take if read whole (hundreds of MB). A CPU and address-space limit on the
child and a kill timer keep a regression from taking the machine down; neither is what is asserted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hostile_http import HostileServer

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import simple
from fake_dzen.server import FakeDzen
from helpers import build_site

MiB = 2**20
MARGIN = 48 * MiB  # the body cap is 16 MiB for a page, 25 MiB for an image, 64 KiB otherwise; plus buffers
ARTICLE = "/a/AAAAAAAAAAAAAAAA"
SRC = Path(__file__).resolve().parents[1] / "src"
PEAKS: dict[str, tuple[int, int]] = {}  # case → (harmless, hostile) peak RSS in bytes, for the record


def _limit(pid: int) -> None:
    resource.prlimit(pid, resource.RLIMIT_CPU, (120, 120))
    resource.prlimit(pid, resource.RLIMIT_AS, (4 << 30, 4 << 30))


def peak_rss(args: list[str], hosts: dict[str, str], tmp: Path) -> tuple[int, str]:
    """(peak RSS in bytes, stdout + stderr) of `python -m dzenpress ARGS` with the host map in its env."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "DZENPRESS_HOST_MAP": ",".join(f"{h}={b}" for h, b in hosts.items())}
    log = tmp / f"run-{len(list(tmp.glob('run-*')))}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dzenpress", *args], env=env, stdout=out, stderr=out)
    _limit(proc.pid)
    killer = threading.Timer(180, proc.kill)
    killer.start()
    try:
        _pid, _status, usage = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
    proc.returncode = 0  # reaped here: Popen must not wait for it again
    return usage.ru_maxrss * 1024, log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def hostile() -> Iterator[HostileServer]:
    yield from HostileServer(bomb_mib=200, endless_max=256 * MiB, lifetime=170.0).serve()


@pytest.fixture(scope="module")
def linking(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built site with one outbound link (to h.test, which the host map sends to the hostile server)."""
    root = tmp_path_factory.mktemp("net-memory") / "site"
    (root / "content/posts").mkdir(parents=True)
    (root / "public").mkdir()
    own_address = MINIMAL_CONFIG.replace("https://blog.example", "https://blog-net-test.ru")  # ping refuses .example
    (root / "dzenpress.toml").write_text(own_address, encoding="utf-8")
    (root / "content/posts/link.md").write_text("---\ntitle: Ссылка\ndate: 2025-01-01\n---\n\nСтатья со ссылкой: "
                                                "[туда](http://h.test/link).\n", encoding="utf-8")
    build_site(root)
    return root


def compare(case: str, hostile: HostileServer, harmful: str, run: tuple[list[str], dict[str, str]],
            tmp: Path) -> str:
    """Runs the command twice (the hostile server answering `/ok`, then `harmful`); asserts the bound."""
    args, hosts = run
    hostile.fallback = "/ok"
    calm, _ = peak_rss(args, hosts, tmp)
    hostile.fallback = harmful
    peak, output = peak_rss(args, hosts, tmp)
    PEAKS[case] = (calm, peak)
    print(f"\n{case}: peak RSS {calm / MiB:.0f} MiB (harmless answer) → {peak / MiB:.0f} MiB ({harmful})")
    assert peak <= calm + MARGIN, f"{case}: {peak / MiB:.0f} MiB vs {calm / MiB:.0f} MiB harmless\n{output}"
    return output


@pytest.mark.parametrize("harmful", ["/bomb", "/endless"])
def test_import_page_memory(tmp_path: Path, hostile: HostileServer, harmful: str) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    run = (["import", "https://dzen.ru" + ARTICLE, "--site", str(site), "--json", "--delay", "0"],
           {"dzen.ru": hostile.base})
    output = compare(f"import, page {harmful[1:]}", hostile, harmful, run, tmp_path)
    assert "page larger than the 16 MiB limit" in output


def test_import_image_memory(tmp_path: Path, hostile: HostileServer) -> None:
    site = tmp_path / "site"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    fake = FakeDzen()
    for _ in fake.serve():
        article = fake.add(simple("c" * 24, "Статья с картинкой", 3))
        run = (["import", article.url, "--site", str(site), "--json", "--delay", "0", "--force"],
               {**fake.host_map, "avatars.dzeninfra.ru": hostile.base})
        output = compare("import, image bomb", hostile, "/bomb-image", run, tmp_path)
    assert "image larger than the 25 MiB limit once decompressed" in output


@pytest.mark.parametrize("harmful", ["/status/405-endless"])
def test_check_external_memory(linking: Path, tmp_path: Path, hostile: HostileServer, harmful: str) -> None:
    (linking / ".dzenpress/links.json").unlink(missing_ok=True)
    compare(f"check --external, {harmful}", hostile, harmful,
            (["check", str(linking), "--external", "--format", "json"], {"h.test": hostile.base}), tmp_path)


def test_ping_memory(linking: Path, tmp_path: Path, hostile: HostileServer) -> None:
    output = compare("ping, endless refusal", hostile, "/status/422-endless",
                     (["ping", str(linking), "--all", "--endpoint", "https://h.test/indexnow"], {"h.test": hostile.base}),
                     tmp_path)
    assert "IndexNow answer larger than the 64 KiB limit" in output
