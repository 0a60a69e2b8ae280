"""Hostile receipt uploads through the API: each is refused with a 4xx problem and leaves nothing behind,
or is accepted as a clean, bounded copy. Never a 500."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.config import Settings
from backend.db.models import Expense, Receipt
from tests.conftest import problem
from tests.support import hostile_files as hostile
from tests.support.images import receipt_image

pytestmark = pytest.mark.clockless


async def count(engine: AsyncEngine, model: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(model))).scalar_one())


def stored_files(settings: Settings) -> list[Path]:
    return [path for path in (settings.data_dir / "receipts").rglob("*") if path.is_file()]


async def post(
    client: AsyncTestClient[Litestar], headers: dict[str, str], content: bytes, name: str, content_type: str
) -> Any:
    return await client.post(
        "/api/receipts",
        files={"file": (name, content, content_type)},
        headers={**headers, "accept-language": "sv"},
    )


REFUSED: list[tuple[str, Callable[[], bytes], str, int, str]] = [
    (
        "bomb-20000x20000-png",
        lambda: hostile.one_colour_png(20000, 20000, colour_type=0, bit_depth=1),
        "image/png",
        413,
        "image_too_large",
    ),
    ("7700x7700-rgb-png", lambda: hostile.one_colour_png(7700, 7700), "image/png", 413, "image_too_large"),
    ("corrupt-jpeg", hostile.corrupt_jpeg, "image/jpeg", 422, "unreadable_image"),
    ("truncated-jpeg", hostile.truncated_jpeg, "image/jpeg", 422, "unreadable_image"),
    ("pdf-with-javascript", hostile.pdf_with_javascript, "application/pdf", 422, "unsafe_content"),
    ("pdf-with-escaped-javascript", hostile.pdf_with_escaped_javascript_name, "application/pdf", 422, "unsafe_content"),
    ("pdf-that-is-a-zip", hostile.pdf_that_is_also_a_zip, "application/pdf", 422, "unsafe_content"),
    ("pdf-that-is-html", hostile.pdf_that_is_also_html, "application/pdf", 422, "unsafe_content"),
    ("png-with-script", hostile.png_with_a_script_appended, "image/png", 422, "unsafe_content"),
    ("html-as-image", lambda: b"<!doctype html><script>alert(1)</script>", "image/jpeg", 415, "unsupported_image_type"),
    ("empty", lambda: b"", "image/jpeg", 422, "empty_image"),
    (
        "over-the-size-limit",
        lambda: b"\xff\xd8\xff\xe0" + b"\0" * (15 * 1024 * 1024),
        "image/jpeg",
        413,
        "image_too_large",
    ),
]


@pytest.mark.parametrize(
    ("make", "content_type", "status", "code"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED]
)
async def test_a_hostile_upload_is_refused_and_nothing_is_stored(
    client: AsyncTestClient[Litestar],
    as_role: dict[str, dict[str, str]],
    engine: AsyncEngine,
    settings: Settings,
    make: Callable[[], bytes],
    content_type: str,
    status: int,
    code: str,
) -> None:
    response = await post(client, as_role["employee"], make(), "kvitto", content_type)

    assert response.status_code == status, response.text
    body = problem(response)
    assert code in {body["code"], *(error["code"] for error in body.get("errors", []))}
    assert all(error["field"] == "file" for error in body.get("errors", []))
    assert await count(engine, Receipt) == 0
    assert await count(engine, Expense) == 0
    assert stored_files(settings) == []


async def test_a_huge_jpeg_is_kept_at_reduced_size(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], settings: Settings
) -> None:
    response = await post(client, as_role["employee"], hostile.large_jpeg(7700, 7700), "scan.jpg", "image/jpeg")

    assert response.status_code == 201, response.text
    assert (response.json()["width"], response.json()["height"]) == (3850, 3850)
    [stored] = stored_files(settings)
    with Image.open(stored) as image:
        assert image.size == (3850, 3850)


async def test_a_jpeg_with_broken_multi_picture_data_is_read_as_its_first_picture(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]], settings: Settings
) -> None:
    response = await post(
        client, as_role["employee"], hostile.jpeg_with_broken_multi_picture_data(), "k.jpg", "image/jpeg"
    )

    assert response.status_code == 201, response.text
    [stored] = stored_files(settings)
    assert b"MPF\x00" not in stored.read_bytes()


async def test_the_content_decides_the_type_whatever_the_client_claims(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await post(client, as_role["employee"], receipt_image(fmt="PNG"), "kvitto.pdf", "application/pdf")

    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/png"


async def test_a_clean_one_page_pdf_is_accepted(
    client: AsyncTestClient[Litestar], as_role: dict[str, dict[str, str]]
) -> None:
    response = await post(client, as_role["employee"], hostile.one_page_pdf(), "kvitto.pdf", "application/pdf")

    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "application/pdf"
