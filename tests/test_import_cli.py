"""`dzenpress import` from the command line: summary, --json, exit codes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dzenpress.cli import app

from conftest import MINIMAL_CONFIG
from fake_dzen.articles import back_pain
from fake_dzen.server import FakeDzen

runner = CliRunner()


@pytest.fixture
def fake() -> Iterator[FakeDzen]:
    yield from FakeDzen().serve()


def invoke(fake: FakeDzen, site: Path, *args: str) -> tuple[int, str]:
    env = {"DZENPRESS_HOST_MAP": ",".join(f"{h}={u}" for h, u in fake.host_map.items())}
    result = runner.invoke(app, ["import", "--site", str(site), "--delay", "0", *args], env=env)
    return result.exit_code, result.output


def test_import_summary_json_and_exit_codes(tmp_path: Path, fake: FakeDzen) -> None:
    site = tmp_path / "s"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    article = fake.add(back_pain())
    code, out = invoke(fake, site, article.url)
    assert code == 0, out
    assert "1 imported, 0 updated, 0 unchanged" in out.replace("\n", " ")
    code, out = invoke(fake, site, article.url, "--json")
    data = json.loads(out)
    assert code == 0 and data["counts"]["unchanged"] == 1 and data["articles"][0]["source"] == article.url
    code, out = invoke(fake, site, "https://dzen.ru/a/AAAAAAAAAAAAAAAA", "not a url at all")
    assert code == 1 and "404" in out and "not a Dzen article" in out.replace("\n", " ")
    code, out = invoke(fake, site, article.url, "--since", "yesterday")
    assert code == 2 and "--since" in out


def test_offline_cdn_is_one_line_and_an_unexpected_error_exits_1(tmp_path: Path, fake: FakeDzen,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from dzenpress.dzen import importer

    from fake_dzen.articles import gallery

    site = tmp_path / "s"
    (site / "content/posts").mkdir(parents=True)
    (site / "dzenpress.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    article = fake.add(gallery("65c11452f3a4ff0af260bf70", 8))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    hosts = {**fake.host_map, "avatars.dzeninfra.ru": dead}
    env = {"DZENPRESS_HOST_MAP": ",".join(f"{h}={u}" for h, u in hosts.items()), "COLUMNS": "200"}
    result = runner.invoke(app, ["import", "--site", str(site), "--delay", "0", article.url], env=env)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "avatars.dzeninfra.ru" in line]
    assert lines == ["note avatars.dzeninfra.ru could not be reached: 8 images kept as remote links; run the "
                     "import again to fetch them"]
    monkeypatch.setattr(importer, "render_post", lambda *a, **k: 1 / 0)
    code, out = invoke(fake, site, article.url, "--force", "--json")
    assert code == 1 and "Traceback" not in out
    assert json.loads(out)["articles"][0]["reason"].startswith("unexpected error (ZeroDivisionError")
