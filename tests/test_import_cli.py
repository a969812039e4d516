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
