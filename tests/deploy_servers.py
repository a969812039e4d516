"""Real servers for the deploy tests, on 127.0.0.1, started by the tests: OpenSSH's sshd (with a temporary
host key and authorised key) and an S3 server (moto's standalone server, which speaks S3 over HTTP)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if os.path.exists("/usr/sbin/sshd") else None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


@dataclass
class SshServer:
    port: int
    user: str
    identity: Path  # the client's private key (authorised on the server)
    known_hosts: Path
    other_identity: Path  # a key the server does not accept


def _keygen(path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)


@contextlib.contextmanager
def ssh_server(folder: Path) -> Iterator[SshServer]:
    """sshd -D on a free port, as the current user (root in CI), keys in `folder` (outside any site)."""
    if SSHD is None or shutil.which("ssh-keygen") is None or shutil.which("rsync") is None:
        import pytest

        pytest.skip("OpenSSH server or rsync not installed (.ci/run installs them)")
    folder.mkdir(parents=True, exist_ok=True)
    host_key, client_key, other_key = folder / "host_key", folder / "client_key", folder / "other_key"
    for key in (host_key, client_key, other_key):
        _keygen(key)
    authorized = folder / "authorized_keys"
    shutil.copy(client_key.with_suffix(".pub"), authorized)
    port = free_port()
    user = os.environ.get("USER") or subprocess.run(["id", "-un"], check=True, capture_output=True, text=True).stdout.strip()
    config = folder / "sshd_config"
    config.write_text("\n".join([
        f"HostKey {host_key}", f"AuthorizedKeysFile {authorized}", "ListenAddress 127.0.0.1",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password", "StrictModes no", "UsePAM no", f"PidFile {folder / 'sshd.pid'}",
        "Subsystem sftp internal-sftp", "LogLevel ERROR", "",
    ]))
    os.makedirs("/run/sshd", exist_ok=True)  # privilege separation folder Debian's sshd wants
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config), "-p", str(port)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=open(folder / "sshd.log", "wb"))  # noqa: SIM115
    try:
        wait_port(port)
        host_pub = host_key.with_suffix(".pub").read_text().split()
        known = folder / "known_hosts"
        known.write_text(f"[127.0.0.1]:{port} {host_pub[0]} {host_pub[1]}\n")
        yield SshServer(port, user, client_key, known, other_key)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class S3Server:
    endpoint: str
    bucket: str
    key_id: str
    secret: str

    @property
    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": self.key_id, "AWS_SECRET_ACCESS_KEY": self.secret}


@contextlib.contextmanager
def s3_server() -> Iterator[S3Server]:
    """moto's ThreadedMotoServer on a free port with one bucket and one IAM user allowed to use it. Requests
    are then signed-checked, so a wrong secret is refused as a real S3 refuses it."""
    import pytest

    server_mod = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    from moto import settings

    port = free_port()
    server = server_mod.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    saved = settings.INITIAL_NO_AUTH_ACTION_COUNT
    try:
        endpoint = f"http://127.0.0.1:{port}"
        setup = {"endpoint_url": endpoint, "region_name": "us-east-1", "aws_access_key_id": "setup",
                 "aws_secret_access_key": "setup-secret"}
        bucket, user = f"site-{port}", f"deployer-{port}"  # moto's backends are per process, not per server
        boto3.client("s3", **setup).create_bucket(Bucket=bucket)
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName=user)
        iam.put_user_policy(UserName=user, PolicyName="site", PolicyDocument=(
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}'))
        key = iam.create_access_key(UserName=user)["AccessKey"]
        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0  # from now on every request must be signed by a known key
        yield S3Server(endpoint, bucket, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        settings.INITIAL_NO_AUTH_ACTION_COUNT = saved
        server.stop()
