"""Deploys that go wrong: killed at random moments, an unreachable host, a refused login, a full disk.
Whatever happens, the live copy never holds a page that links to a missing file, no secret is printed,
and the next deploy completes the change."""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import dzenpress
from deploy_targets import KINDS, TargetUnderTest, published, tree
from dzenpress.deploy import DeployError, deploy
from test_deploy import built_with_target, link_errors, s3, ssh, target_for  # noqa: F401 - fixtures

from helpers import build_site

KILLS = 20
SRC = str(Path(dzenpress.__file__).resolve().parent.parent)


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dzenpress", *args], capture_output=True, text=True,
                          env=cli_env(env), check=False, timeout=120)


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC, **(extra or {})}


class Edits:
    """Random changes between deploys: posts deleted and brought back, bodies edited, the stylesheet changed."""

    def __init__(self, site: Path, rng: random.Random) -> None:
        self.site, self.rng = site, rng
        self.posts = {p: p.read_text(encoding="utf-8") for p in sorted((site / "content/posts").glob("*.md"))}

    def apply(self, n: int) -> None:
        for post in self.rng.sample(sorted(self.posts), 3):
            if post.exists() and self.rng.random() < 0.5:
                post.unlink()
            else:
                post.write_text(self.posts[post] + f"\nПравка {n}: {self.rng.random()}.\n", encoding="utf-8")
        if self.rng.random() < 0.3:
            self.restyle(n)

    def restyle(self, n: int) -> None:
        """A new stylesheet: every page changes (its link carries the stylesheet's version)."""
        from dzenpress.render.templating import package_file

        css = self.site / "templates" / "dzenpress.css"
        css.parent.mkdir(exist_ok=True)
        noise = self.rng.randbytes(60_000).hex()  # hardly compressible: the change needs room on the disk
        css.write_text(package_file("dzenpress.css") + f"\n.run{n} {{ color: red }}\n/* {noise} */\n",
                       encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_a_deploy_killed_at_random_moments_never_breaks_the_live_site(kind: str, example_site: Path, tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    target = built_with_target(kind, example_site, tmp_path, request)
    deploy(example_site)
    rng = random.Random(f"kill-{kind}")
    edits = Edits(example_site, rng)
    edits.apply(0)
    build_site(example_site)
    started = time.monotonic()
    assert run_cli("deploy", kind, "--site", str(example_site)).returncode == 0
    budget = time.monotonic() - started  # how long one deploy of such a change takes here, start-up included
    for n in range(1, KILLS + 1):
        edits.apply(n)
        build_site(example_site)
        proc = subprocess.Popen([sys.executable, "-m", "dzenpress", "deploy", kind, "--site", str(example_site)],
                                env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, budget))
        proc.kill()
        proc.wait()
        held = target.read(tmp_path / "read")
        assert not link_errors(held), f"after kill {n}"
    final = run_cli("deploy", kind, "--site", str(example_site))
    assert final.returncode == 0, final.stderr
    assert tree(target.read(tmp_path / "read")) == published(example_site / "dist")


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize("kind", ["local", "rsync", "sftp", "git"])
def test_a_full_disk_on_the_target_stops_the_deploy_and_the_next_one_completes(
        kind: str, example_site: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    with small_disk(tmp_path / "disk", "64m") as disk:
        target = built_with_target(kind, example_site, disk, request)
        deploy(example_site)
        used = int(subprocess.run(["df", "--output=used", "-k", str(disk)], capture_output=True, text=True,
                                  check=True).stdout.split()[-1])
        subprocess.run(["mount", "-o", f"remount,size={used + 64}k", str(disk)], check=True)
        Edits(example_site, random.Random(1)).restyle(1)  # every page changes: more than the disk holds
        build_site(example_site)
        with pytest.raises(DeployError) as failed:
            deploy(example_site)
        message = str(failed.value).lower()
        assert "space" in message or "disk" in message, message
        assert not link_errors(target.read(tmp_path / "read"))
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        assert deploy(example_site).uploaded
        assert tree(target.read(tmp_path / "read")) == published(example_site / "dist")


def broken(kind: str, target: TargetUnderTest, how: str, ssh_srv: object) -> str:
    """The target's table with its host made unreachable or its credentials refused."""
    table = target.table
    if how == "unreachable":
        from deploy_servers import free_port

        closed = free_port()
        if kind in ("rsync", "sftp"):
            return table.replace(f"port = {ssh_srv.port}", f"port = {closed}")  # type: ignore[attr-defined]
        if kind == "s3":
            return table.replace('endpoint = "http://127.0.0.1:', f'endpoint = "http://127.0.0.1:{closed}#')
        return table.replace('remote = "', 'remote = "/nonexistent/')
    if kind in ("rsync", "sftp"):
        return table.replace(str(ssh_srv.identity), str(ssh_srv.other_identity))  # type: ignore[attr-defined]
    return table  # s3: wrong key in the environment (below)


@pytest.mark.parametrize("how", ["unreachable", "refused"])
@pytest.mark.parametrize("kind", ["rsync", "sftp", "s3", "git"])
def test_unreachable_or_refusing_targets_fail_with_one_line_and_no_secret(
        kind: str, how: str, example_site: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if kind == "git" and how == "refused":
        pytest.skip("a local bare repository has no login to refuse")
    ssh_srv = request.getfixturevalue("ssh") if kind in ("rsync", "sftp") else None
    target = target_for(kind, request, tmp_path)
    (example_site / "dzenpress.toml").write_text((example_site / "dzenpress.toml").read_text()
                                                 + "\n" + broken(kind, target, how, ssh_srv))
    build_site(example_site)
    secret = "S3CRET-never-printed-0123456789"
    env = {"AWS_SECRET_ACCESS_KEY": secret} if kind == "s3" and how == "refused" else {}
    result = run_cli("deploy", "--site", str(example_site), env=env)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error")]
    assert len(lines) == 1 and f"deploy.{kind}" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert secret not in result.stderr + result.stdout
    assert not (tmp_path / "live" / "index.html").exists()
    record = example_site / ".dzenpress" / "deploy" / f"{kind}.json"
    assert not record.exists() or '"files":{}' in record.read_text()
