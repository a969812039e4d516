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


BAD_TABLES = [
    ('[deploy.x]\ntype = "ftp"\n', "deploy.x.type"),
    ('[deploy.x]\ntype = "rsync"\npath = "/srv"\n', "deploy.x.host"),
    ('[deploy.x]\ntype = "rsync"\nhost = "h"\npath = "srv"\n', "deploy.x.path"),
    ('[deploy.x]\ntype = "rsync"\nhost = "h"\npath = "/srv"\nport = 70000\n', "deploy.x.port"),
    ('[deploy.x]\ntype = "sftp"\nhost = "h"\npath = "/srv"\npassword = "hunter2"\n', "deploy.x.password"),
    ('[deploy.x]\ntype = "s3"\nbucket = "b"\nsecret_access_key = "k"\n', "deploy.x.secret_access_key"),
    ('[deploy.x]\ntype = "s3"\nbucket = "b"\nendpoint = "storage.example"\n', "deploy.x.endpoint"),
    ('[deploy.x]\ntype = "s3"\nbucket = "b"\nprecompress = true\n', "deploy.x.precompress"),
    ('[deploy.x]\ntype = "git"\nremote = "https://u:pw@github.com/o/r.git"\n', "deploy.x.remote"),
    ('[deploy.x]\ntype = "local"\npath = "."\n', "deploy.x.path"),
    ('[deploy.x]\ntype = "local"\npath = "/srv"\nbucket = "b"\n', "deploy.x.bucket"),
    ('[deploy.x]\ntype = "rsync"\nhost = "h"\npath = "/srv"\nssh_options = ["-oProxyCommand x"]\n', "deploy.x.ssh_options"),
    ('[deploy.x]\ntype = "rsync"\nhost = "h"\npath = "/srv"\nidentity = "{site}/key"\n', "deploy.x.identity"),
    ('[deploy]\nx = 1\n', "deploy.x"),
    ('[deploy.a]\ntype = "local"\npath = "/a"\ndefault = true\n[deploy.b]\ntype = "local"\npath = "/b"\n'
     'default = true\n', "deploy.b.default"),
]


@pytest.mark.parametrize(("table", "key"), BAD_TABLES)
def test_bad_deploy_config_is_an_error_naming_the_key(table: str, key: str, example_site: Path) -> None:
    from typer.testing import CliRunner

    from dzenpress.cli import app

    config = example_site / "dzenpress.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + table.replace("{site}", str(example_site)),
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["deploy", "--site", str(example_site), "--dry-run"])
    assert result.exit_code == 1
    assert f"{key}:" in result.output, result.output
    assert "hunter2" not in result.output and "pw@" not in result.output


def test_a_file_of_secrets_in_the_output_is_never_deployed(example_site: Path, tmp_path: Path,
                                                          request: pytest.FixtureRequest) -> None:
    (example_site / "public" / "credentials.json").write_text('{"key": "AKIA-secret"}')
    (example_site / "public" / "deploy.pem").write_text("-----BEGIN PRIVATE KEY-----")
    target = built_with_target("local", example_site, tmp_path, request)
    report = deploy(example_site)
    held = target.read(tmp_path)
    assert (example_site / "dist" / "credentials.json").exists()  # the build copies public/ as it is …
    assert not (held / "credentials.json").exists() and not (held / "deploy.pem").exists()  # … deploy refuses
    assert any("credentials.json" in w for w in report.warnings)


def test_dry_run_lists_the_plan_and_touches_nothing(example_site: Path, tmp_path: Path,
                                                   request: pytest.FixtureRequest) -> None:
    target = built_with_target("local", example_site, tmp_path, request)
    report = deploy(example_site, dry_run=True)
    assert report.plan.uploads and report.plan.uploads[-1] in ("sitemap.xml", "rss.xml", "rss-dzen.xml",
                                                               "robots.txt", "posts.json", "atom.xml")
    assert not (tmp_path / "live").exists()
    assert not (example_site / ".dzenpress" / "deploy" / "local.json").exists()
    assert target.kind == "local"


def test_s3_objects_carry_type_cache_and_encoding(example_site: Path, tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    import boto3

    s3_srv = request.getfixturevalue("s3")
    built_with_target("s3", example_site, tmp_path, request)
    deploy(example_site)
    client = boto3.client("s3", endpoint_url=s3_srv.endpoint, region_name="us-east-1",
                          aws_access_key_id=s3_srv.key_id, aws_secret_access_key=s3_srv.secret)
    prefix = f"{tmp_path.name}/"
    page = client.head_object(Bucket=s3_srv.bucket, Key=prefix + "index.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page.get("ContentEncoding") == "gzip"
    assert "max-age=300" in page["CacheControl"]
    image = next(p.name for p in (example_site / "dist" / "_img").iterdir() if p.suffix == ".avif")
    head = client.head_object(Bucket=s3_srv.bucket, Key=f"{prefix}_img/{image}")
    assert head["ContentType"] == "image/avif" and "immutable" in head["CacheControl"]
    assert not head.get("ContentEncoding")
