"""Receipts through the API with STORAGE_URL on S3 (moto's server): stored in the bucket and read back; a store
that is down answers 503 with Retry-After, leaves nothing in the database, and the same Idempotency-Key then acts once."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.db.models import AuditEvent, Expense, IdempotentRequest, Receipt
from tests.conftest import problem
from tests.integration.expenses.test_expenses import count, upload
from tests.support.images import receipt_image
from tests.support.s3_server import S3Server

pytestmark = pytest.mark.clockless

PREFIX = "kvitton"


@pytest.fixture
def settings(settings: Settings, bucket: str) -> Settings:
    return replace(settings, storage_url=f"s3://{bucket}/{PREFIX}")


def keyed(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "idempotency-key": "s3-" + uuid.uuid4().hex}


async def test_an_uploaded_receipt_is_stored_in_the_bucket_and_shown_from_there(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], s3: S3Server, bucket: str
) -> None:
    uploaded = await upload(client, keyed(as_role["employee"]), receipt_image(seed_text="s3"))
    assert uploaded.status_code == 201, uploaded.text

    image = await client.get(uploaded.json()["image_url"], headers=as_role["employee"])

    assert image.status_code == 200
    assert image.headers["content-type"].startswith("image/jpeg")
    sha256 = hashlib.sha256(image.content).hexdigest()
    assert s3.keys(bucket) == [f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}"]


async def test_an_upload_while_the_store_is_down_is_retryable_and_then_acts_once(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    s3: S3Server,
    bucket: str,
) -> None:
    headers = keyed(as_role["employee"])
    content = receipt_image(seed_text="down")
    audited = await count(engine, AuditEvent)  # the sign-ins
    s3.stop()
    try:
        refused = await upload(client, {**headers, "accept-language": "sv"}, content)
        again = await upload(client, {**headers, "accept-language": "en"}, content)
    finally:
        s3.start()
        s3.create_bucket(bucket)  # moto keeps buckets in memory: the restarted store starts empty

    assert refused.status_code == again.status_code == 503
    assert problem(refused)["code"] == problem(again)["code"] == "storage_unavailable"
    assert int(refused.headers["retry-after"]) > 0
    assert "inget har sparats" in problem(refused)["detail"]
    assert "nothing was saved" in problem(again)["detail"]
    for table in (Receipt, Expense, IdempotentRequest):
        assert await count(engine, table) == 0, table.__name__
    assert await count(engine, AuditEvent) == audited
    assert s3.keys(bucket) == []

    stored = await upload(client, headers, content)
    replayed = await upload(client, headers, content)

    assert stored.status_code == replayed.status_code == 201, stored.text
    assert replayed.json() == stored.json()
    assert replayed.headers["idempotent-replayed"] == "true"
    assert await count(engine, Receipt) == await count(engine, Expense) == 1
    assert len(s3.keys(bucket)) == 1


async def test_an_upload_while_the_store_hangs_is_retryable(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], engine: AsyncEngine, s3: S3Server
) -> None:
    with s3.paused():
        refused = await upload(client, keyed(as_role["employee"]), receipt_image(seed_text="hangs"))

    assert refused.status_code == 503
    assert problem(refused)["code"] == "storage_unavailable"
    assert await count(engine, Receipt) == 0


async def test_the_image_of_a_stored_receipt_while_the_store_is_down_is_retryable(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], s3: S3Server, bucket: str
) -> None:
    uploaded = await upload(client, as_role["employee"], receipt_image(seed_text="later"))
    assert uploaded.status_code == 201, uploaded.text
    s3.stop()
    try:
        image = await client.get(uploaded.json()["image_url"], headers=as_role["employee"])
    finally:
        s3.start()

    assert image.status_code == 503
    assert problem(image)["code"] == "storage_unavailable"
    assert image.headers["retry-after"]
