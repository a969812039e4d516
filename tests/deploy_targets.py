"""The five kinds of deploy target, each against a real server on loopback, as dzenpress.toml tables,
and what each target holds read back into a folder (S3 over HTTP, the git branch by cloning it)."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deploy_servers import S3Server, SshServer

KINDS = ("local", "rsync", "sftp", "s3", "git")
SIBLINGS = (".gz", ".br")  # precompressed copies beside files on hosts that serve them


@dataclass
class TargetUnderTest:
    kind: str
    table: str  # the [deploy.<kind>] table
    read: Callable[[Path], Path]  # copy (or point to) what the target holds, as a folder
    precompressed: bool = False


def make_target(kind: str, where: Path, ssh: SshServer | None, s3: S3Server | None) -> TargetUnderTest:
    """A target of `kind` whose files land below `where` (a folder of the test's own)."""
    live = where / "live"
    if kind == "local":
        return TargetUnderTest(kind, f'[deploy.local]\ntype = "local"\npath = "{live}"\nprecompress = true\n',
                               lambda _: live, precompressed=True)
    if kind in ("rsync", "sftp"):
        assert ssh is not None
        table = (f'[deploy.{kind}]\ntype = "{kind}"\nhost = "127.0.0.1"\nport = {ssh.port}\nuser = "{ssh.user}"\n'
                 f'path = "{live}"\nidentity = "{ssh.identity}"\nknown_hosts = "{ssh.known_hosts}"\n')
        if kind == "rsync":
            table += 'precompress = ["gzip"]\n'
        return TargetUnderTest(kind, table, lambda _: live, precompressed=kind == "rsync")
    if kind == "s3":
        assert s3 is not None
        prefix = f"{where.name}/"
        table = (f'[deploy.s3]\ntype = "s3"\nbucket = "{s3.bucket}"\nendpoint = "{s3.endpoint}"\n'
                 f'region = "us-east-1"\nprefix = "{prefix}"\ncontent_encoding = "gzip"\n')
        return TargetUnderTest(kind, table, lambda dest: read_s3(s3, prefix, dest))
    remote = where / "remote.git"
    if not remote.exists():
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    table = f'[deploy.git]\ntype = "git"\nremote = "{remote}"\nbranch = "gh-pages"\n'
    return TargetUnderTest(kind, table, lambda dest: read_git(remote, dest))


def read_s3(s3: S3Server, prefix: str, dest: Path) -> Path:
    """Every object under `prefix`, fetched over HTTP from the S3 server, as files (gzip objects decoded)."""
    import boto3

    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    client = boto3.client("s3", endpoint_url=s3.endpoint, region_name="us-east-1",
                          aws_access_key_id=s3.key_id, aws_secret_access_key=s3.secret)
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=s3.bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            got = client.get_object(Bucket=s3.bucket, Key=obj["Key"])
            body = got["Body"].read()
            if got.get("ContentEncoding") == "gzip":
                body = gzip.decompress(body)
            path = dest / obj["Key"][len(prefix):]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
    return dest


def read_git(remote: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    heads = subprocess.run(["git", "ls-remote", "--heads", str(remote), "gh-pages"], capture_output=True,
                           text=True, check=True).stdout
    if not heads:
        dest.mkdir(parents=True)
        return dest
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "gh-pages", str(remote), str(dest)], check=True)
    shutil.rmtree(dest / ".git")
    return dest


def tree(folder: Path, *, siblings: bool = False) -> dict[str, bytes]:
    """Files below `folder` by relative path; precompressed siblings and a Pages branch's own files left out."""
    out: dict[str, bytes] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(folder).as_posix()
        if rel in (".nojekyll", "CNAME") or (not siblings and rel.endswith(SIBLINGS)):
            continue
        out[rel] = path.read_bytes()
    return out


def published(dist: Path) -> dict[str, bytes]:
    """What a deploy must put on the target: the output folder but its hidden bookkeeping."""
    return {rel: data for rel, data in tree(dist, siblings=True).items()
            if not any(part.startswith(".") and part != ".well-known" for part in rel.split("/"))}


def reachable(folder: Path, site_url: str) -> set[str]:
    """HTML pages a visitor or crawler can reach: from the home page, 404.html, the sitemap and the feeds,
    following the site's own links."""
    import re

    from selectolax.lexbor import LexborHTMLParser

    from dzenpress.check.site import SiteFiles

    files = SiteFiles.scan(folder, site_url)
    todo = [rel for rel in ("index.html", "404.html") if rel in files.files]
    for index in ("sitemap.xml", "rss.xml", "atom.xml"):
        if index in files.files:
            for url in re.findall(r"<(?:loc|link)>([^<]+)</|<link href=\"([^\"]+)\"", (folder / index).read_text()):
                path = files.internal_path(url[0] or url[1]) if isinstance(url, tuple) else files.internal_path(url)
                found = files.resolve(path, redirects=True) if path else None
                if found:
                    todo.append(found)
    seen: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in seen or not rel.endswith(".html"):
            continue
        seen.add(rel)
        tree_ = LexborHTMLParser((folder / rel).read_text(encoding="utf-8"))
        for node in tree_.css("a[href]"):
            href = (node.attributes.get("href") or "").split("#")[0]
            path = files.internal_path(href) if href.startswith("http") else href if href.startswith("/") else None
            found = files.resolve(path, redirects=True) if path else None
            if found and found not in seen:
                todo.append(found)
    return seen
