"""A real S3-protocol server for tests: moto's standalone server on a free local port.

    with running_moto_s3() as endpoint_url:
        await create_bucket(endpoint_url, "media", public_read=True)
        storage = S3BlobStorage("media", endpoint_url=endpoint_url, **MOTO_CREDENTIALS)

moto keeps its state per process, so use a fresh bucket name per test (``unique_bucket()``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypedDict

from aiobotocore.session import get_session  # type: ignore[import-untyped, unused-ignore]
from moto.server import ThreadedMotoServer

__all__ = ("MOTO_CREDENTIALS", "MOTO_REGION", "S3Credentials", "create_bucket", "running_moto_s3", "unique_bucket")

MOTO_REGION = "us-east-1"


class S3Credentials(TypedDict):
    access_key_id: str
    secret_access_key: str


# Dummy credentials, passed explicitly so nothing reads (or needs) AWS environment variables.
MOTO_CREDENTIALS = S3Credentials(access_key_id="testing", secret_access_key="testing")


@contextmanager
def running_moto_s3() -> Iterator[str]:
    """Start moto's server on 127.0.0.1 and a free port; yield its endpoint URL; stop it afterwards."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def unique_bucket(prefix: str = "media") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


async def create_bucket(endpoint_url: str, bucket: str, *, public_read: bool = True) -> None:
    """Create ``bucket`` on the server, optionally with an anonymous-read bucket policy (as a media bucket has)."""
    session = get_session()
    async with session.create_client(
        "s3",
        region_name=MOTO_REGION,
        endpoint_url=endpoint_url,
        aws_access_key_id=MOTO_CREDENTIALS["access_key_id"],
        aws_secret_access_key=MOTO_CREDENTIALS["secret_access_key"],
    ) as client:
        await client.create_bucket(Bucket=bucket)
        if public_read:
            policy = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicRead",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": ["s3:GetObject"],
                        "Resource": [f"arn:aws:s3:::{bucket}/*"],
                    }
                ],
            }
            await client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
