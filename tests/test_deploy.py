"""`dzenpress deploy` against real servers on loopback: a folder, rsync and SFTP to OpenSSH's sshd, S3
(moto's server, over HTTP) and a git branch in a bare repository. Each target ends up holding exactly the
built site, which passes `check`; a second deploy sends nothing; an edit sends what the build changed."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy_servers import S3Server, SshServer, s3_server, ssh_server
from deploy_targets import KINDS, TargetUnderTest, make_target, published, reachable, tree
from dzenpress.check import check_site
from dzenpress.deploy import deploy

from helpers import build_site

SITE_URL = "https://opora-clinic.example"


@pytest.fixture(scope="module")
def ssh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    with ssh_server(tmp_path_factory.mktemp("sshd")) as server:
        yield server


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


def target_for(kind: str, request: pytest.FixtureRequest, where: Path) -> TargetUnderTest:
    ssh_srv = request.getfixturevalue("ssh") if kind in ("rsync", "sftp") else None
    s3_srv = request.getfixturevalue("s3") if kind == "s3" else None
    if s3_srv is not None:  # the keys come from the environment, as in CI
        for key, value in s3_srv.env.items():
            request.getfixturevalue("monkeypatch").setenv(key, value)
    return make_target(kind, where, ssh_srv, s3_srv)


def add_target(site: Path, target: TargetUnderTest) -> None:
    with open(site / "dzenpress.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + target.table)


def built_with_target(kind: str, site: Path, where: Path, request: pytest.FixtureRequest) -> TargetUnderTest:
    """The site built, with a target of `kind` (its files below `where`) in its config."""
    target = target_for(kind, request, where)
    add_target(site, target)
    build_site(site)
    return target


def link_errors(folder: Path) -> list[str]:
    """Links to missing files on the pages a visitor can reach (a page not linked from anywhere yet may
    wait for the pages it links to: see deploy/run.py, make_plan)."""
    if not (folder / "index.html").exists():
        return []  # nothing is reachable yet: a first deploy puts the home page up after everything it shows
    report = check_site(folder, url=SITE_URL)
    live = reachable(folder, SITE_URL)
    return [f"{f.page}: {f.code}: {f.message}" for f in report.findings
            if (f.code.startswith("missing-") or f.code == "broken-anchor") and f.page in live]


@pytest.mark.parametrize("kind", KINDS)
def test_deploy_publishes_the_site_then_only_what_changed(kind: str, example_site: Path, tmp_path: Path,
                                                         request: pytest.FixtureRequest) -> None:
    target = built_with_target(kind, example_site, tmp_path, request)
    first = deploy(example_site)
    dist = example_site / "dist"
    held = target.read(tmp_path / "read")
    assert tree(held) == published(dist)
    assert first.uploaded == len(published(dist))
    report = check_site(held, url=SITE_URL)
    assert report.ok, [f"{f.page}: {f.code}" for f in report.findings if f.level == "error"]
    if target.precompressed:  # text has its compressed sibling, with the same bytes inside
        assert gzip.decompress((held / "index.html.gz").read_bytes()) == (dist / "index.html").read_bytes()

    again = deploy(example_site)
    assert (again.uploaded, again.deleted, again.plan.unchanged) == (0, 0, len(published(dist)))

    post = sorted((example_site / "content/posts").glob("*.md"))[0]
    post.write_text(post.read_text(encoding="utf-8") + "\nНовый абзац в конце статьи.\n", encoding="utf-8")
    built = build_site(example_site)
    edit = deploy(example_site)
    search = {u for u in edit.plan.uploads if u.startswith("pagefind/")}
    assert set(edit.plan.uploads) - search == set(built.written)  # the build's own record of what changed
    assert f"blog/{post.stem}/index.html" in edit.plan.uploads
    assert tree(target.read(tmp_path / "read")) == published(dist)

    post.unlink()
    build_site(example_site)
    gone = deploy(example_site)
    assert f"blog/{post.stem}/index.html" in gone.plan.deletions
    held = target.read(tmp_path / "read")
    assert tree(held) == published(dist)
    if kind != "rsync":  # rsync leaves folders it emptied; the others remove them
        assert not [d for d in held.rglob("*") if d.is_dir() and not any(d.iterdir())]
    assert not link_errors(held)
