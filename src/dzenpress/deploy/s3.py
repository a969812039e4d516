"""S3-compatible storage (Yandex Object Storage, Selectel, VK Cloud, AWS) with boto3. A PUT replaces an
object whole, so readers see the old object or the new one. Objects carry Content-Type and Cache-Control;
with content_encoding = "gzip" text is stored compressed with Content-Encoding: gzip (S3 does not pick
an encoding per request, and every browser accepts gzip)."""

from __future__ import annotations

import configparser
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dzenpress.deploy.engine import Done, Engine, Upload

_THREADS = 8
_DELETE_BATCH = 1000  # DeleteObjects' limit
_ENV_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


class S3Engine(Engine):
    _client: Any = None

    def open(self) -> None:
        import boto3
        from botocore.config import Config as BotoConfig

        t = self.target
        keys = self._credentials()
        session = boto3.session.Session(profile_name=t.profile or None, **keys) if t.profile and not keys \
            else boto3.session.Session(**keys)
        self._client = session.client(
            "s3", endpoint_url=t.endpoint or None, region_name=t.region or None,
            config=BotoConfig(connect_timeout=10, read_timeout=60, retries={"max_attempts": 4, "mode": "standard"},
                              max_pool_connections=_THREADS))
        self._call(self._client.head_bucket, Bucket=t.bucket)

    def _credentials(self) -> dict[str, str]:
        """From `credentials` (KEY=VALUE lines, or an AWS credentials file with [profile] sections) or the
        environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) via boto3's own lookup."""
        t = self.target
        for name in _ENV_KEYS:
            self.secrets.add(os.environ.get(name))
        if t.credentials is None:
            return {}
        try:
            text = t.credentials.read_text(encoding="utf-8")
        except OSError as exc:
            raise self.fail(f"cannot read the credentials file: {exc.strerror}") from None
        values: dict[str, str] = {}
        if text.lstrip().startswith("["):
            parser = configparser.ConfigParser()
            parser.read_string(text)
            section = t.profile or "default"
            if section not in parser:
                raise self.fail(f"the credentials file has no [{section}] section")
            values = {k.upper(): v for k, v in parser[section].items()}
        else:
            for line in text.splitlines():
                key, sep, value = line.partition("=")
                if sep and not key.strip().startswith("#"):
                    values[key.strip().removeprefix("export ").strip()] = value.strip().strip("'\"")
        keys = {name.lower(): values[name] for name in _ENV_KEYS if values.get(name)}
        for value in keys.values():
            self.secrets.add(value)
        if "aws_access_key_id" not in keys or "aws_secret_access_key" not in keys:
            raise self.fail("the credentials file needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        return keys

    def _call(self, method: Any, **kwargs: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return method(**kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", ""))
            if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
                raise self.fail(f"access refused ({code}); check the key pair and its rights on the bucket") from None
            if code in ("404", "NoSuchBucket"):
                raise self.fail(f"no bucket {self.target.bucket!r} there") from None
            raise self.fail(f"{code}: {error.get('Message', '')}") from None
        except BotoCoreError as exc:
            raise self.fail(f"{exc}") from None

    def existing(self, rels: set[str]) -> set[str]:
        found: set[str] = set()
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.target.bucket, Prefix=self.target.prefix):
            found.update(obj["Key"][len(self.target.prefix):] for obj in page.get("Contents", []))
        return found & rels

    def upload(self, batch: Sequence[Upload], done: Done) -> None:
        def put(item: Upload) -> str:
            extra = {"ContentEncoding": item.encoding} if item.encoding else {}
            with open(item.source, "rb") as body:
                self._call(self._client.put_object, Bucket=self.target.bucket, Key=self.target.prefix + item.rel,
                           Body=body, ContentType=item.content_type, CacheControl=item.cache_control, **extra)
            return item.rel

        with ThreadPoolExecutor(_THREADS) as pool:
            futures = [pool.submit(put, item) for item in batch]
            first: BaseException | None = None
            for future in futures:
                try:
                    done(future.result())
                except BaseException as exc:  # the others still finish: record what got there
                    first = first or exc
            if first is not None:
                raise first

    def delete(self, rels: Sequence[str], done: Done) -> None:
        for start in range(0, len(rels), _DELETE_BATCH):
            part = rels[start : start + _DELETE_BATCH]
            answer = self._call(self._client.delete_objects, Bucket=self.target.bucket,
                                Delete={"Objects": [{"Key": self.target.prefix + rel} for rel in part], "Quiet": True})
            failed = {e.get("Key") for e in answer.get("Errors", [])}
            for rel in part:
                if self.target.prefix + rel not in failed:
                    done(rel)
            if failed:
                raise self.fail(f"{len(failed)} objects could not be deleted; deploy again")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
